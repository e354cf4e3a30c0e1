"""Reads of the division command view (执行指挥: the division head's picture of the division) and of the on-site
tasks (现场执行), each scoped to what the user may see.

- **Courts**: a user sees their own court and the courts under it (a higher court supervises the courts below:
  ``Court.parent``); a superuser sees every court and picks one.
- **Workload**: per officer (``selectors.officers_of``), from one aggregate query: open cases; overdue (an open
  case, not suspended, whose ``deadline_on`` is before today — the time limit stands still while a case is
  suspended, and the case list's "overdue only" filter counts the same); due within 7 days (same, deadline from
  today to today + 7); the average age of the open cases in days, counted from the case's **filing date**
  (``case.filing_date``: the time limit runs from filing, not from assignment); cases closed this calendar year.
- **Overdue report**: the same overdue cases, by officer and court, sortable by days overdue.
- **Live control measures**: measures in force (``ControlStatus.ACTIVE``) on the court's cases, soonest expiry
  first, in bands of 7 and 30 days.
- **On-site tasks**: upcoming (planned) and recent (done or cancelled in the last 30 days) with the active risk
  notes of the case's debtors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, DateField, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.choices import ControlStatus
from assets.models import ControlMeasure
from cases.choices import PartyRole
from cases.models import CaseParty
from core.access import get_or_404, require_capability, scope_to_user, visible_court_ids
from core.exceptions import NotFound
from core.models import Court, User
from enforcement.choices import Status
from enforcement.models import EnforcementCase

from .choices import OnSiteStatus
from .models import OnSiteTask, RiskNote
from .selectors import officers_of

DUE_SOON_DAYS = 7
BANDS = (7, 30)  # the expiry bands of live control measures
RECENT_DAYS = 30  # done or cancelled tasks shown as "recent"
NOT_RUNNING = (Status.CLOSED, Status.SUSPENDED)  # no clock runs: never overdue, never due


# ---- courts ----------------------------------------------------------------------------------------------------


def courts_below(court: Court) -> list[Court]:
    """``court`` and every court under it (children, grandchildren…), by code. One query per level (at most 3)."""
    found, level = [court], [court.pk]
    while level:
        children = list(Court.objects.filter(parent_id__in=level, is_active=True))
        found += children
        level = [c.pk for c in children]
    return sorted(found, key=lambda c: c.code)


def division_courts(user: User) -> list[Court]:
    """The courts whose division ``user`` may look at: their own and those under it; every court for a
    superuser."""
    require_capability(user, "command.division")
    if user.is_superuser:
        return list(Court.objects.filter(is_active=True).order_by("code"))
    if not user.court_id:
        return []
    return courts_below(user.court)


def division_court(*, user: User, code: str | None = None) -> Court:
    """The court the page shows: ``code`` if it is one of ``division_courts``, else the user's own (a superuser
    without a court: the first court with enforcement cases). ``NotFound`` for a court the user may not see."""
    courts = division_courts(user)
    if code:
        for court in courts:
            if court.code == code:
                return court
        raise NotFound(_("No such court."), code="division.court")
    if user.court_id:
        return user.court
    busy = Court.objects.filter(cases__enforcement__isnull=False, is_active=True).order_by("code").distinct().first()
    if busy is None and not courts:
        raise NotFound(_("No such court."), code="division.court")
    return busy or courts[0]


# ---- workload ----------------------------------------------------------------------------------------------------


def _running(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}status__in": NOT_RUNNING})


def officer_workload(*, court: Court, today: dt.date | None = None) -> list[User]:
    """Every officer of ``court`` (officers, judges, division heads) with ``open_cases``, ``overdue``,
    ``due_soon``, ``average_age`` (days, from the filing date; None without open cases) and ``closed_this_year``
    annotated — one query whatever the number of officers."""
    today = today or timezone.localdate()
    p = "enforcement_cases__"
    at_court = Q(**{f"{p}case__court": court})
    open_ = at_court & ~Q(**{f"{p}status": Status.CLOSED})
    running = at_court & _running(p)
    age = ExpressionWrapper(
        Value(today, output_field=DateField()) - F(f"{p}case__filing_date"), output_field=DurationField()
    )
    officers = officers_of(court).annotate(
        open_cases=Count("enforcement_cases", filter=open_),
        overdue=Count("enforcement_cases", filter=running & Q(**{f"{p}deadline_on__lt": today})),
        due_soon=Count(
            "enforcement_cases",
            filter=running
            & Q(**{f"{p}deadline_on__gte": today, f"{p}deadline_on__lte": today + dt.timedelta(days=DUE_SOON_DAYS)}),
        ),
        closed_this_year=Count(
            "enforcement_cases",
            filter=at_court & Q(**{f"{p}status": Status.CLOSED, f"{p}closed_on__gte": today.replace(month=1, day=1)}),
        ),
        age=Avg(age, filter=open_),
    )
    result = list(officers)
    for officer in result:
        officer.average_age = None if officer.age is None else round(officer.age.total_seconds() / 86400, 1)
    return result


def workload_totals(officers: list[User]) -> dict[str, int]:
    return {
        name: sum(getattr(o, name) for o in officers)
        for name in ("open_cases", "overdue", "due_soon", "closed_this_year")
    }


# ---- unassigned, overdue -------------------------------------------------------------------------------------------


def _cases(court_ids: list[int]) -> QuerySet[EnforcementCase]:
    debtors = Prefetch(
        "case__party_links",
        queryset=CaseParty.objects.filter(role=PartyRole.DEBTOR).select_related("party").order_by("position", "id"),
        to_attr="debtor_links",
    )
    return (
        EnforcementCase.objects.filter(case__court_id__in=court_ids)
        .select_related("case", "case__court", "officer")
        .prefetch_related(debtors)
    )


def unassigned_cases(*, court: Court) -> QuerySet[EnforcementCase]:
    """The court's cases waiting for an officer (status filed), hardest first (triage score), then oldest."""
    return (
        _cases([court.pk])
        .filter(status=Status.FILED)
        .order_by(F("difficulty_score").desc(nulls_last=True), "case__filing_date", "id")
    )


OVERDUE_SORTS = {"-days": "deadline_on", "days": "-deadline_on"}  # most days overdue = earliest deadline


def overdue_cases(
    *, courts: list[Court], officer: User | None = None, ordering: str = "-days", today: dt.date | None = None
) -> QuerySet[EnforcementCase]:
    """Open cases (not suspended) of ``courts`` past their deadline, with ``days_overdue``; ``ordering`` "-days"
    (most overdue first, the default) or "days"."""
    today = today or timezone.localdate()
    queryset = _cases([c.pk for c in courts]).filter(_running(), deadline_on__lt=today)
    if officer is not None:
        queryset = queryset.filter(officer=officer)
    order = OVERDUE_SORTS.get(ordering, OVERDUE_SORTS["-days"])
    return queryset.order_by(order, "id")


def with_days_overdue(cases, today: dt.date | None = None) -> list[EnforcementCase]:
    today = today or timezone.localdate()
    cases = list(cases)
    for ec in cases:
        ec.days_overdue = (today - ec.deadline_on).days
    return cases


# ---- live control measures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureBand:
    key: str  # "7", "30", "later"
    measures: list


def live_measures(*, court: Court, limit: int = 60, today: dt.date | None = None) -> tuple[list[MeasureBand], int]:
    """The measures in force on the court's cases, soonest expiry first (at most ``limit``), in bands: expiring
    within 7 days (or already past their day, waiting for the lapse job), within 30 days, later. Also the total."""
    today = today or timezone.localdate()
    queryset = ControlMeasure.objects.filter(
        status=ControlStatus.ACTIVE, enforcement_case__case__court=court
    ).select_related("asset", "enforcement_case__case")
    total = queryset.count()
    bands = {"7": [], "30": [], "later": []}
    for measure in queryset.order_by("expires_on", "id")[:limit]:
        measure.days_to_expiry = (measure.expires_on - today).days
        key = "7" if measure.days_to_expiry <= BANDS[0] else "30" if measure.days_to_expiry <= BANDS[1] else "later"
        bands[key].append(measure)
    return [MeasureBand(key, items) for key, items in bands.items()], total


# ---- on-site tasks and risk notes -------------------------------------------------------------------------------


def active_risk_notes(party_ids) -> dict[int, list[RiskNote]]:
    """The notes in force (not withdrawn) on each party: one query."""
    notes: dict[int, list[RiskNote]] = {}
    for note in RiskNote.objects.filter(party_id__in=set(party_ids), withdrawn_at__isnull=True).select_related(
        "party", "recorded_by"
    ):
        notes.setdefault(note.party_id, []).append(note)
    return notes


def _tasks() -> QuerySet[OnSiteTask]:
    links = Prefetch(
        "case__case__party_links",
        queryset=CaseParty.objects.select_related("party").order_by("position", "id"),
        to_attr="all_links",
    )
    return OnSiteTask.objects.select_related("case__case", "case__officer", "created_by").prefetch_related(
        "officers", links
    )


def attach_risks(tasks) -> list[OnSiteTask]:
    """Each task gets ``debtors`` (the case's debtors) and ``risks`` (their active notes), and each debtor its
    ``risks``: three queries in all for the list (tasks, officers and parties are prefetched)."""
    tasks = list(tasks)
    party_ids = [link.party_id for t in tasks for link in t.case.case.all_links]
    notes = active_risk_notes(party_ids)
    for task in tasks:
        task.parties = [link.party for link in task.case.case.all_links]
        task.debtors = [link.party for link in task.case.case.all_links if link.role == PartyRole.DEBTOR]
        for party in task.parties:
            party.risks = notes.get(party.pk, [])
        task.risks = [note for debtor in task.debtors for note in debtor.risks]
    return tasks


def court_tasks(*, court: Court, now: dt.datetime | None = None) -> tuple[list[OnSiteTask], list[OnSiteTask]]:
    """The court's planned tasks (soonest first, overdue ones included) and its tasks done or cancelled in the
    last 30 days (latest first)."""
    now = now or timezone.now()
    tasks = _tasks().filter(case__case__court=court)
    upcoming = tasks.filter(status=OnSiteStatus.PLANNED).order_by("scheduled_at", "id")
    recent = tasks.exclude(status=OnSiteStatus.PLANNED).filter(scheduled_at__gte=now - dt.timedelta(days=RECENT_DAYS))
    recent = recent.order_by("-scheduled_at", "-id")
    return attach_risks(upcoming[:50]), attach_risks(recent[:30])


def case_tasks(*, enforcement_case: EnforcementCase) -> list[OnSiteTask]:
    """Every on-site task of one case, latest first (the case was fetched through a scoped selector)."""
    return attach_risks(_tasks().filter(case=enforcement_case).order_by("-scheduled_at", "-id"))


def onsite_tasks_for(*, user: User) -> QuerySet[OnSiteTask]:
    """The on-site tasks the user may see: those on cases of their court (a superuser: all)."""
    return scope_to_user(_tasks(), user, court_field="case__case__court")


def risk_notes_for(*, user: User) -> QuerySet[RiskNote]:
    """The risk notes the user may see: those on parties to a case of their court (a superuser: all). A note is
    about a person, not a case, so an officer of any court where the debtor has a case is warned."""
    queryset = RiskNote.objects.select_related("party", "recorded_by")
    court_ids = visible_court_ids(user)
    if court_ids is None:
        return queryset
    return queryset.filter(party_id__in=CaseParty.objects.filter(case__court_id__in=court_ids).values("party_id"))


def task_get(*, user: User, pk: int) -> OnSiteTask:
    """One task of a case the user may see; ``NotFound`` alike whether missing or at another court."""
    return get_or_404(onsite_tasks_for(user=user), pk=pk)


def risk_note_get(*, user: User, pk: int) -> RiskNote:
    return get_or_404(risk_notes_for(user=user), pk=pk)


def open_case_by_number(*, court: Court, number: str) -> EnforcementCase | None:
    """An open enforcement case of ``court`` by its case number, or None."""
    return (
        EnforcementCase.objects.select_related("case", "case__court")
        .filter(case__court=court, case__number=(number or "").strip())
        .exclude(status=Status.CLOSED)
        .first()
    )
