"""Per-category validation of what an agency reports: the identifier's form and the details it must carry.

``validate_report(category, identifier=..., value=..., details=...)`` returns the cleaned details or raises
``ValidationError`` with a dict naming the field (``identifier``, ``value`` or ``details.<key>``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import AssetCategory as C

ACCOUNT_RE = re.compile(r"^\d{8,32}$")
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
PLATE_RE = re.compile(r"^[\u4e00-\u9fff][A-Z][A-Z0-9]{5,6}$")


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("This field is required."))
    return value.strip()


def _account(value: Any) -> str:
    value = _text(value).replace(" ", "")
    if not ACCOUNT_RE.match(value):
        raise ValidationError(_("An account number is 8 to 32 digits."))
    return value


def _vin(value: Any) -> str:
    value = _text(value).upper()
    if not VIN_RE.match(value):
        raise ValidationError(_("A VIN is 17 letters and digits (no I, O or Q)."))
    return value


def _plate(value: Any) -> str:
    value = _text(value).upper()
    if not PLATE_RE.match(value):
        raise ValidationError(_("Enter a plate such as 京A12345."))
    return value


def _positive_decimal(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a number.")) from exc
    if not number.is_finite() or number <= 0:
        raise ValidationError(_("Enter a number greater than zero."))
    return str(number)


def _percentage(value: Any) -> str:
    number = Decimal(_positive_decimal(value))
    if number > 100:
        raise ValidationError(_("A share is at most 100 per cent."))
    return str(number)


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list."))
    return value


@dataclass(frozen=True)
class CategorySpec:
    identifier: Callable[[Any], str] = _text
    required: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    optional: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    value_required: bool = False


SPECS: dict[str, CategorySpec] = {
    C.DEPOSIT: CategorySpec(_account, {"bank": _text}, {"branch": _text}, value_required=True),
    C.WEALTH_PRODUCT: CategorySpec(_text, {"institution": _text, "product": _text}, value_required=True),
    C.ONLINE_FUNDS: CategorySpec(_text, {"platform": _text}, value_required=True),
    C.SECURITIES: CategorySpec(_text, {"depository": _text}, {"holdings": _list}),
    C.VEHICLE: CategorySpec(_vin, {"plate": _plate}, {"brand": _text, "model": _text}),
    C.REAL_ESTATE: CategorySpec(
        _text, {"address": _text, "area": _positive_decimal}, {"mortgages": _list, "use": _text}
    ),
    C.SHIP: CategorySpec(_text, {"name": _text, "port": _text}, {"tonnage": _positive_decimal}),
    C.FISHING_VESSEL: CategorySpec(_text, {"name": _text, "port": _text}, {"tonnage": _positive_decimal}),
    C.EQUITY: CategorySpec(_text, {"company": _text, "share_percent": _percentage}, {"subscribed": _text}),
    C.PROVIDENT_FUND: CategorySpec(_text, {"centre": _text}, value_required=True),
    C.INSURANCE: CategorySpec(_text, {"insurer": _text, "product": _text}),
    C.SOCIAL_SECURITY: CategorySpec(_text, {"region": _text}, {"employer": _text}),
    C.TAX: CategorySpec(_text, {"tax_office": _text}, {"status": _text}),
    C.BUSINESS_REGISTRATION: CategorySpec(_text, {"company": _text, "position": _text}),
    C.EXIT_ENTRY_DOCUMENT: CategorySpec(_text, {"document_type": _text}, {"valid_until": _text}),
    C.MARRIAGE: CategorySpec(_text, {"status": _text}, {"spouse_name": _text, "registered_on": _text}),
}
assert set(SPECS) == set(C.values), "every asset category has its validation spec"  # noqa: S101


def validate_report(category: str, *, identifier: Any, value: Decimal | None, details: Any) -> tuple[str, dict]:
    """The cleaned identifier and details of one reported asset of ``category``; ``ValidationError`` (a dict
    keyed ``identifier``, ``value`` or ``details.<key>``) when anything is missing or malformed."""
    spec = SPECS[category]
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    try:
        identifier = spec.identifier(identifier)
    except ValidationError as exc:
        errors["identifier"] = exc.messages
    if spec.value_required and value is None:
        errors["value"] = [_("This category reports an amount.")]
    if not isinstance(details, dict):
        errors["details"] = [_("Enter an object.")]
        details = {}
    for key, check in spec.required.items():
        try:
            cleaned[key] = check(details.get(key))
        except ValidationError as exc:
            errors[f"details.{key}"] = exc.messages
    for key, check in spec.optional.items():
        if details.get(key) in (None, ""):
            continue
        try:
            cleaned[key] = check(details[key])
        except ValidationError as exc:
            errors[f"details.{key}"] = exc.messages
    unknown = sorted(set(details) - set(spec.required) - set(spec.optional))
    if unknown:
        errors["details"] = [_("Unknown details: %(keys)s.") % {"keys": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    return identifier, cleaned
