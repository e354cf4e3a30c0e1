"""Post-termination tracking at scale: the dispatcher's select of the due plans (``assets.services.tracking.
due_plans``, limit 200, ``FOR UPDATE SKIP LOCKED``) with the same number due (500) among 10k and among 1M
tracking plans. Its time must not grow with the total: the partial index ``tracking_due_idx`` (active plans by
``next_due_on, id``) is read from its start and stops after the limit. Reported as 1M against 10k (ratio ~1×),
with the EXPLAIN of the select.

PostgreSQL only (SQLite has neither the row locks nor the planner worth measuring): on SQLite it says so and
skips.

How the rows are made. The due plans belong to real 终本 cases (``Case`` + ``EnforcementCase`` rows), so the
measured select joins exactly as in production. The other plans — not due for months, or ended — are inserted
with ``INSERT ... SELECT generate_series`` in seconds; they point at enforcement-case ids that do not exist, which
the foreign-key triggers would refuse, so the insert runs under ``SET session_replication_role = replica`` (FK
triggers off for this session; it needs a superuser, as the bench's throwaway database is created by one). The
select never reads those rows: that is what is measured.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction
from django.utils import timezone

from assets.models import TrackingPlan
from assets.services.tracking import due_plans
from cases.choices import CaseType
from cases.models import Case
from core.case_numbers import format_case_number
from core.models import Court, CourtLevel
from enforcement.models import EnforcementCase

LIMIT = 200
FAKE_CASE_IDS = 1_000_000_000  # not-due plans point above this (no such enforcement case)


def _due_cases(court: Court, due: int, today: dt.date) -> None:
    """``due`` real 终本 cases with a plan due in the last 30 days."""
    closed = today - dt.timedelta(days=200)
    cases = Case.objects.bulk_create(
        [
            Case(
                case_type=CaseType.ENFORCEMENT,
                court=court,
                year=closed.year,
                serial=i + 1,
                number=format_case_number(year=closed.year, court_code=court.code, type_code="执", serial=i + 1),
                filing_date=closed - dt.timedelta(days=120),
                amount="100000.00",
                cause="民间借贷纠纷",
            )
            for i in range(due)
        ],
        batch_size=2000,
    )
    cases = EnforcementCase.objects.bulk_create(
        [
            EnforcementCase(
                case=case,
                court_id=case.court_id,
                status="closed",
                closing_kind="terminated_this_round",
                closed_on=closed,
                deadline_on=closed,
            )
            for case in cases
        ],
        batch_size=2000,
    )
    TrackingPlan.objects.bulk_create(
        [
            TrackingPlan(
                enforcement_case=ec,
                starts_on=closed,
                ends_on=closed + dt.timedelta(days=1826),
                next_due_on=today - dt.timedelta(days=i % 30),
            )
            for i, ec in enumerate(cases)
        ],
        batch_size=2000,
    )


def _add_not_due(start: int, stop: int, today: dt.date) -> float:
    """Insert plans ``start``..``stop-1`` (not due: 80% active with a due date 1–1800 days ahead, 20% ended);
    seconds taken."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(
                """
                INSERT INTO assets_trackingplan
                    (enforcement_case_id, status, starts_on, ends_on, next_due_on, runs_done, empty_runs,
                     created_at, end_reason)
                SELECT %s + g,
                       CASE WHEN g %% 5 = 0 THEN 'ended' ELSE 'active' END,
                       %s::date - 400, %s::date + 1426,
                       CASE WHEN g %% 5 = 0 THEN NULL ELSE %s::date + 1 + (g %% 1800) END,
                       CASE WHEN g %% 5 = 0 THEN 10 ELSE g %% 10 END, 0, now(), ''
                FROM generate_series(%s, %s) AS g
                """,
                [FAKE_CASE_IDS, today, today, today, start, stop - 1],
            )
        finally:
            cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE assets_trackingplan")
    return time.perf_counter() - started


def _select(today: dt.date) -> int:
    with transaction.atomic():
        count = len(list(due_plans(today=today, limit=LIMIT)))
        transaction.set_rollback(True)
    return count


def _explain(today: dt.date) -> list[str]:
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = due_plans(today=today, limit=LIMIT).query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return lines


def run(*, plans: int, due: int, rounds: int, timed, report) -> None:
    if connection.vendor != "postgresql":
        print("tracking due-selection: skipped (PostgreSQL only; set DATABASE_URL=postgres://...)")
        return
    today = timezone.localdate()
    court = Court.objects.create(code="京0105", name="北京市朝阳区人民法院", level=CourtLevel.BASIC)
    _due_cases(court, due, today)
    small = 10_000
    inserted = _add_not_due(0, small - due, today)

    def select():
        assert _select(today) == min(LIMIT, due)

    at_small = timed(select, rounds)
    explain_small = _explain(today)
    inserted += _add_not_due(small - due, plans - due, today)
    total = TrackingPlan.objects.count()
    at_large = timed(select, rounds)
    explain_large = _explain(today)
    uses_index = all(any("tracking_due_idx" in line for line in lines) for lines in (explain_small, explain_large))
    report(
        f"tracking due-selection, {total // 1000}k plans vs 10k ({due} due, limit {LIMIT})",
        at_large,
        at_small,
        f"| rows inserted in {inserted:.1f} s | index tracking_due_idx used: {'yes' if uses_index else 'NO'}",
    )
    print(f"EXPLAIN at {total:,} plans:")
    for line in explain_large:
        print(f"    {line}")
    if not uses_index:
        raise SystemExit("the due-selection does not use tracking_due_idx")
