"""Statistics of enforcement for a court (or one officer of it) over a period — the paper's data-driven 执行指挥.

Every figure is computed from the rows the case lists show, with the same filters, so that it reconciles with
them (``cases_received`` / ``cases_closed`` return the querysets the counts come from):

- **received**: enforcement cases whose filing date falls in the period;
- **closed**: cases closed in the period, by closing kind; **执行完毕率** = closed as fully performed / closed;
  **终本 share** = closed as 终本 / closed;
- **执行到位率** (realisation) = amount performed / amount applied for, over the cases closed in the period;
- **duration**: days from filing to closing of the cases closed in the period, less the days suspended — mean and
  90th percentile (nearest rank);
- **restorations**: 执恢 cases filed in the period (a 终本 case restored);
- **money**: amounts frozen by measures ordered in the period; deducted (receipts from deductions) and paid out
  (payouts) in the period, from the case-fund ledger;
- **queries**: requests sent to each agency in the period, how many were answered, and the mean and 90th-percentile
  answer time in hours.

Reads only; each query is scoped by court (and officer). Money is Decimal; rates are Decimal fractions (None when
there is nothing to divide by).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from assets.models import AgencyRequest, ControlMeasure
from cases.choices import CaseType
from core.models import Court, User
from enforcement.choices import ClosingKind, Status
from enforcement.models import EnforcementCase, FundEntry, FundEntryKind

ZERO = Decimal("0.00")
RATE = Decimal("0.0001")


@dataclass(frozen=True)
class Scope:
    """What the figures cover: a court, or one officer of it, from ``date_from`` to ``date_to`` (both included)."""

    court: Court
    date_from: dt.date
    date_to: dt.date
    officer: User | None = None


@dataclass
class AgencyFigures:
    agency: str
    sent: int
    answered: int
    mean_hours: Decimal | None
    p90_hours: Decimal | None


@dataclass
class Statistics:
    scope: Scope
    received: int = 0
    closed: int = 0
    closed_by_kind: dict[str, int] = field(default_factory=dict)
    completion_rate: Decimal | None = None  # 执行完毕率
    termination_share: Decimal | None = None  # 终本 share
    amount_applied: Decimal = ZERO
    amount_performed: Decimal = ZERO
    realisation_rate: Decimal | None = None  # 执行到位率
    mean_days: Decimal | None = None
    p90_days: int | None = None
    restorations: int = 0
    frozen: Decimal = ZERO
    deducted: Decimal = ZERO
    paid_out: Decimal = ZERO
    queries: list[AgencyFigures] = field(default_factory=list)
    received_by_month: dict[str, int] = field(default_factory=dict)
    closed_by_month: dict[str, int] = field(default_factory=dict)


def _ratio(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE)


def percentile(values: list, share: float = 0.9):
    """The nearest-rank percentile of ``values`` (None when empty): the smallest value with at least ``share`` of
    the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _cases(scope: Scope) -> QuerySet[EnforcementCase]:
    cases = EnforcementCase.objects.filter(case__court=scope.court)
    if scope.officer is not None:
        cases = cases.filter(officer=scope.officer)
    return cases


def cases_received(scope: Scope) -> QuerySet[EnforcementCase]:
    """The enforcement cases filed in the period (the list the ``received`` figure counts)."""
    return _cases(scope).filter(case__filing_date__range=(scope.date_from, scope.date_to))


def cases_closed(scope: Scope) -> QuerySet[EnforcementCase]:
    """The enforcement cases closed in the period (the list the closing figures count)."""
    return _cases(scope).filter(status=Status.CLOSED, closed_on__range=(scope.date_from, scope.date_to))


def _window(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(scope.date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(scope.date_to + dt.timedelta(days=1), dt.time.min))
    return start, end


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def statistics(scope: Scope) -> Statistics:
    """The figures of ``scope`` (a dozen aggregate queries, whatever the number of cases)."""
    stats = Statistics(scope=scope)
    received = cases_received(scope)
    stats.received = received.count()
    for day in received.values_list("case__filing_date", flat=True):
        stats.received_by_month[_month(day)] = stats.received_by_month.get(_month(day), 0) + 1

    closed = cases_closed(scope)
    rows = list(closed.values("closing_kind", "closed_on", "case__filing_date", "suspended_days"))
    stats.closed = len(rows)
    for row in rows:
        stats.closed_by_kind[row["closing_kind"]] = stats.closed_by_kind.get(row["closing_kind"], 0) + 1
        month = _month(row["closed_on"])
        stats.closed_by_month[month] = stats.closed_by_month.get(month, 0) + 1
    stats.completion_rate = _ratio(stats.closed_by_kind.get(ClosingKind.COMPLETED, 0), stats.closed)
    stats.termination_share = _ratio(stats.closed_by_kind.get(ClosingKind.TERMINATED_THIS_ROUND, 0), stats.closed)
    money = closed.aggregate(applied=Sum("case__amount"), performed=Sum("performed_amount"))
    stats.amount_applied = money["applied"] or ZERO
    stats.amount_performed = money["performed"] or ZERO
    stats.realisation_rate = _ratio(stats.amount_performed, stats.amount_applied)
    durations = [
        max((row["closed_on"] - row["case__filing_date"]).days - (row["suspended_days"] or 0), 0) for row in rows
    ]
    if durations:
        stats.mean_days = (Decimal(sum(durations)) / len(durations)).quantize(Decimal("0.1"))
        stats.p90_days = percentile(durations)

    stats.restorations = received.filter(case__case_type=CaseType.ENFORCEMENT_RESTORED).count()

    start, end = _window(scope)
    cases = _cases(scope)
    stats.frozen = (
        ControlMeasure.objects.filter(enforcement_case__in=cases, created_at__gte=start, created_at__lt=end).aggregate(
            total=Sum("amount")
        )["total"]
        or ZERO
    )
    ledger = FundEntry.objects.filter(enforcement_case__in=cases, at__gte=start, at__lt=end).aggregate(
        deducted=Sum("amount", filter=Q(kind=FundEntryKind.RECEIPT, source="deduction")),
        paid=Sum("amount", filter=Q(kind=FundEntryKind.PAYOUT)),
    )
    stats.deducted = ledger["deducted"] or ZERO
    stats.paid_out = ledger["paid"] or ZERO

    requests = AgencyRequest.objects.filter(
        batch__enforcement_case__in=cases, created_at__gte=start, created_at__lt=end
    ).select_related("agency")
    by_agency: dict[str, list] = {}
    for name, created, answered in requests.values_list("agency__name", "created_at", "answered_at"):
        by_agency.setdefault(name, []).append((created, answered))
    for name in sorted(by_agency):
        pairs = by_agency[name]
        hours = [Decimal((a - c).total_seconds()) / 3600 for c, a in pairs if a is not None]
        stats.queries.append(
            AgencyFigures(
                agency=name,
                sent=len(pairs),
                answered=len(hours),
                mean_hours=(sum(hours) / len(hours)).quantize(Decimal("0.1")) if hours else None,
                p90_hours=percentile(hours).quantize(Decimal("0.1")) if hours else None,
            )
        )
    return stats


def closed_kind_counts(scope: Scope) -> dict[str, int]:
    """The closing kinds of the period straight from the database (what the case list filtered by kind shows)."""
    rows = cases_closed(scope).values("closing_kind").annotate(n=Count("id"))
    return {row["closing_kind"]: row["n"] for row in rows}
