"""Time limits of an enforcement case: pure date arithmetic, plus one selector for the internal steps.

Sources (legal-rules.md §5):
- the case must be concluded within **6 months** of filing, **3 months** for non-litigation enforcement
  (法释〔2000〕29号 art. 5; 执行工作若干问题的规定 art. 63), suspension excluded; extensions approved by the
  president add months (``extended_months``);
- internal steps (法发〔2006〕35号, V-page): an officer assigned within **7 days** of filing; the 执行通知书
  sent within **3 days** of the officer receiving the file (``assigned_at``); the asset investigation
  generally finished within **1 month** (counted here from the day the case became ``notified``, when
  the debtor has been told to report and the investigation can begin);
- the creditor's application period, **2 years** (民诉法 2023 art. 250), see ``application_last_day``.

Counting (民法典 arts. 201–203; 民诉法 2023 art. 85): the day of the event is not counted; a period in
months or years ends on the corresponding day of the last month, or on that month's last day when it has
no such day (filed 31 August + 6 months → the last day of February). So "6 months from 15 January" ends at
the end of 15 July: a case concluded on 15 July is concluded in time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ASSIGN_WITHIN_DAYS = 7
NOTICE_WITHIN_DAYS = 3
INVESTIGATION_WITHIN_MONTHS = 1
APPLICATION_PERIOD_YEARS = 2
LITIGATION_LIMIT_MONTHS = 6
NON_LITIGATION_LIMIT_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later; the month's last day when it has no such day (民法典 art. 202)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def roll_over_weekend(day: dt.date) -> dt.date:
    """A period whose last day is a rest day ends on the next working day (民法典 art. 203; 民诉法 2023 art.
    85). Only Saturdays and Sundays are known here: statutory holidays and the weekend days made working days
    around them (调休) need the State Council's yearly calendar, which the system does not hold yet, so an
    application made after a holiday is let through with the officer's recorded reason instead."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def application_last_day(period_start: dt.date) -> dt.date:
    """The last day on which the creditor may apply for enforcement (民诉法 2023 art. 250).

    The period is two years from ``period_start`` (the last instalment's due date, else the last day of the
    performance period, else the day the document took effect). That day itself is not counted (民法典 art.
    201), so the period ends at the end of the same calendar day two years later (art. 202): a performance
    deadline of 2024-03-15 leaves until 2026-03-15 inclusive; 2024-02-29 leaves until 2026-02-28. A last day
    falling on a weekend moves to the Monday (art. 203).
    """
    return roll_over_weekend(add_years(period_start, APPLICATION_PERIOD_YEARS))


def limit_months_for(*, non_litigation: bool) -> int:
    return NON_LITIGATION_LIMIT_MONTHS if non_litigation else LITIGATION_LIMIT_MONTHS


def compute_deadline(
    *, filing_date: dt.date, limit_months: int, extended_months: int = 0, suspended_days: int = 0
) -> dt.date:
    """The last day to conclude the case: filing date + the time limit and approved extensions in calendar
    months, pushed back by the days of every ended suspension (中止的期间应当扣除)."""
    return add_months(filing_date, limit_months + extended_months) + dt.timedelta(days=suspended_days)


def deadline_of(enforcement_case) -> dt.date:
    """``compute_deadline`` from the case's own fields (call after changing any of them)."""
    return compute_deadline(
        filing_date=enforcement_case.case.filing_date,
        limit_months=enforcement_case.limit_months,
        extended_months=enforcement_case.extended_months,
        suspended_days=enforcement_case.suspended_days,
    )


def days_remaining(*, deadline_on: dt.date, today: dt.date, suspended_since: dt.date | None = None) -> int:
    """Days left until the deadline (negative when overdue). While a suspension is open the clock stands
    still: the days left are those that were left on the day it began."""
    if suspended_since is not None:
        return (deadline_on - suspended_since).days
    return (deadline_on - today).days


def projected_deadline(*, deadline_on: dt.date, today: dt.date, suspended_since: dt.date | None = None) -> dt.date:
    """The deadline as it would stand if the open suspension ended today."""
    if suspended_since is None:
        return deadline_on
    return deadline_on + dt.timedelta(days=max((today - suspended_since).days, 0))


@dataclass(frozen=True)
class StepDeadline:
    """One deadline of the case: due by ``due_on``; ``done_on`` when the step was taken. ``overdue`` when
    it was taken late, or is still not taken after ``due_on``."""

    code: str
    name: str
    due_on: dt.date | None
    done_on: dt.date | None
    overdue: bool


def _step(code: str, name, due_on: dt.date | None, done_on: dt.date | None, today: dt.date) -> StepDeadline:
    overdue = due_on is not None and (done_on or today) > due_on
    return StepDeadline(code=code, name=str(name), due_on=due_on, done_on=done_on, overdue=overdue)


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def case_deadlines(*, enforcement_case, today: dt.date | None = None) -> list[StepDeadline]:
    """The internal step deadlines and the case deadline, in order (法发〔2006〕35号; 法释〔2000〕29号 art. 5).

    Reads the case's status changes and notices (three queries); writes nothing. While the case is
    suspended the case deadline shown is the one it would have if the suspension ended today.
    """
    from cases.choices import PartyRole

    from .choices import NoticeKind, Status

    today = today or timezone.localdate()
    filing_date = enforcement_case.case.filing_date
    reached_on: dict[str, dt.date] = {}  # the first day the case reached each status
    for to_status, at in enforcement_case.status_changes.order_by("at", "id").values_list("to_status", "at"):
        reached_on.setdefault(to_status, _local_date(at))

    assigned_on = _local_date(enforcement_case.assigned_at)
    steps = [
        _step("assign", _("Officer assigned"), filing_date + dt.timedelta(days=ASSIGN_WITHIN_DAYS), assigned_on, today)
    ]

    debtors = set(enforcement_case.case.party_links.filter(role=PartyRole.DEBTOR).values_list("party_id", flat=True))
    notices = enforcement_case.notices.filter(kind=NoticeKind.ENFORCEMENT_NOTICE).values_list(
        "recipient_id", "issued_on"
    )
    issued = dict(notices)
    notice_done = max(issued.values()) if debtors and debtors <= set(issued) else None
    notice_due = assigned_on + dt.timedelta(days=NOTICE_WITHIN_DAYS) if assigned_on else None
    steps.append(_step("enforcement_notice", _("Enforcement notice sent"), notice_due, notice_done, today))

    notified_on = reached_on.get(Status.NOTIFIED)
    investigation_due = add_months(notified_on, INVESTIGATION_WITHIN_MONTHS) if notified_on else None
    investigation_done = reached_on.get(Status.CONTROLLING) or (enforcement_case.closed_on if notified_on else None)
    steps.append(
        _step("investigation", _("Asset investigation finished"), investigation_due, investigation_done, today)
    )

    suspended_since = None
    if enforcement_case.status == Status.SUSPENDED:
        suspended_since = (
            enforcement_case.suspensions.filter(ended_on__isnull=True).values_list("started_on", flat=True).first()
        )
    deadline = enforcement_case.deadline_on
    if deadline is not None:
        deadline = projected_deadline(deadline_on=deadline, today=today, suspended_since=suspended_since)
    close_step = _step("conclude", _("Case concluded"), deadline, enforcement_case.closed_on, today)
    if suspended_since is not None:  # the clock stands still: a suspended case is never overdue
        close_step = StepDeadline(close_step.code, close_step.name, close_step.due_on, close_step.done_on, False)
    steps.append(close_step)
    return steps
