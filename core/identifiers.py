"""Chinese identifiers: 居民身份证号 (GB 11643, ISO 7064 MOD 11-2) and 统一社会信用代码 (GB 32100).

python-stdnum does the check-character arithmetic and the birth-place look-up; this module adds what a
court needs around it: clear messages, the birth date and sex, minority on a given day, and masking for
public pages.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.util import isdigits

ADULT_AGE = 18


def _fail(message, code: str):
    raise ValidationError(message, code=code)


def _province_exists(number: str) -> bool:
    """Whether the first two digits name a province of GB/T 2260.

    Only the province is checked: the county code is the one of the holder's residence when the number was
    issued (from 1984), not of the birth year, and codes are renamed and withdrawn over time, so
    python-stdnum's county-at-birth-year check refuses real numbers (the standard's own examples
    34052419800101001X and 370101190102039973) and crashes on counties missing from its table.
    """
    return any("province" in props for _part, props in numdb.get("cn/loc").info(number[:2]))


def normalize_resident_id(value: str) -> str:
    """Return the 18-character resident ID in upper case, or raise ``ValidationError`` saying what is wrong."""
    number = ric.compact(value or "")
    if len(number) != 18:
        _fail(_("A resident ID number has 18 characters."), "resident_id_length")
    if not isdigits(number[:-1]):
        _fail(_("A resident ID number is 17 digits followed by a digit or X."), "resident_id_format")
    if number[-1] != ric.calc_check_digit(number):
        _fail(
            _("The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2)."),
            "resident_id_checksum",
        )
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.InvalidComponent:
        birth = None
    if birth is None or not _province_exists(number):
        _fail(
            _("The birth date or region code inside this resident ID number does not exist."), "resident_id_component"
        )
    if birth > timezone.localdate() or birth.year < 1900:
        _fail(_("The birth date inside this resident ID number is impossible."), "resident_id_birth_date")
    return number


def normalize_credit_code(value: str) -> str:
    """Return the 18-character unified social credit code, or raise ``ValidationError``."""
    number = uscc.compact(value or "")
    try:
        uscc.validate(number)
    except stdnum_errors.InvalidLength:
        _fail(_("A unified social credit code has 18 characters."), "credit_code_length")
    except stdnum_errors.InvalidFormat:
        _fail(
            _("A unified social credit code uses digits and the letters of GB 32100 (no I, O, S, V, Z)."),
            "credit_code_format",
        )
    except stdnum_errors.InvalidChecksum:
        _fail(_("The check character of this unified social credit code is wrong (GB 32100)."), "credit_code_checksum")
    return number


def validate_resident_id(value: str) -> None:
    normalize_resident_id(value)


def validate_credit_code(value: str) -> None:
    normalize_credit_code(value)


def birth_date(resident_id: str) -> dt.date:
    return ric.get_birth_date(resident_id)


def sex(resident_id: str) -> str:
    """'M' or 'F': the 17th character is odd for men, even for women."""
    return "M" if int(ric.compact(resident_id)[16]) % 2 else "F"


def age_on(resident_id: str, day: dt.date) -> int:
    born = birth_date(resident_id)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_minor(resident_id: str, on: dt.date | None = None) -> bool:
    return age_on(resident_id, on or timezone.localdate()) < ADULT_AGE


def mask_identifier(value: str) -> str:
    """Hide the middle of an identifier for public pages: ``110105********002X``.

    For a resident ID this hides the whole birth date; credit codes of organisations are public and are
    shown unmasked by the disclosure pages, but this helper masks anything it is given.
    """
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(name: str) -> str:
    """张三丰 → 张**: the surname stays, the rest is hidden (for parties' own progress pages)."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


def make_resident_id(region: str, born: dt.date, sequence: int) -> str:
    """Build a valid ID (for demo data and tests): 6-digit region, birth date, 3-digit sequence."""
    body = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(prefix: str, region: str, subject: str) -> str:
    """Build a valid USCC: 2-char registration prefix (91 = enterprise), region, 9-char subject code."""
    body = f"{prefix}{region}{subject}"
    return body + uscc.calc_check_digit(body + "0")
