"""案号: ``（2026）京0105执123号`` — year, court code, type code, serial per court/type/year (案号规定 arts. 1–10).

Serials come from one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement, which PostgreSQL and
SQLite (3.35+) both run atomically: concurrent allocations queue on the row lock and can never hand out
the same serial, and there is no get-then-create window. The ORM cannot express RETURNING on an upsert,
hence the raw SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from .exceptions import InvalidInput
from .models import CaseNumberSequence, Court

_TABLE = CaseNumberSequence._meta.db_table
_NUMBER = re.compile(
    r"^[（(](?P<year>\d{4})[）)](?P<court>最高法|[\u4e00-\u9fff](?:\d{4}|\d{2})?)"
    r"(?P<type>[\u4e00-\u9fff]{1,3})(?P<serial>[1-9]\d*)号$"
)


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    type_code: str
    serial: int

    def __str__(self) -> str:
        return f"（{self.year}）{self.court_code}{self.type_code}{self.serial}号"


def format_case_number(*, year: int, court_code: str, type_code: str, serial: int) -> str:
    return str(CaseNumber(year, court_code, type_code, serial))


def parse_case_number(text: str) -> CaseNumber:
    match = _NUMBER.match((text or "").strip())
    if not match:
        raise InvalidInput(
            {"number": _("A case number reads like （2026）京0105执123号: year, court code, type, serial, 号.")},
            code="case_number.format",
        )
    return CaseNumber(int(match["year"]), match["court"], match["type"], int(match["serial"]))


def allocate_serial(*, court: Court, type_code: str, year: int) -> int:
    """Hand out the next serial for (court, type, year). Runs in the caller's transaction."""
    sql = (
        f"INSERT INTO {_TABLE} (court_id, type_code, year, last_serial) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (court_id, type_code, year) DO UPDATE SET last_serial = {_TABLE}.last_serial + 1 "
        "RETURNING last_serial"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [court.pk, type_code, year])
        return cursor.fetchone()[0]


def reserve_serial(*, court: Court, type_code: str, year: int, serial: int) -> None:
    """Record that ``serial`` is taken (a case imported with its number), so the allocator never reuses it."""
    sql = (
        f"INSERT INTO {_TABLE} (court_id, type_code, year, last_serial) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (court_id, type_code, year) DO UPDATE SET last_serial = "
        f"CASE WHEN {_TABLE}.last_serial < excluded.last_serial THEN excluded.last_serial "
        f"ELSE {_TABLE}.last_serial END"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [court.pk, type_code, year, serial])


def allocate_case_number(*, court: Court, type_code: str, year: int) -> CaseNumber:
    serial = allocate_serial(court=court, type_code=type_code, year=year)
    return CaseNumber(year, court.code, type_code, serial)
