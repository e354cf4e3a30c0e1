"""Reads of enforcement, each scoped to what the user may see (the case's court)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import CaseParty
from core.access import get_visible_or_404, require_capability, scope_to_user
from core.models import User

from .choices import OPEN_STATUSES, Status
from .models import EnforcementCase, Notice, StatusChange, Suspension

COURT_FIELD = "court"  # the case record's court, copied onto the row (EnforcementCase.court)
# Timeline rows that are not status transitions (from = to): filing, restoration, reassignment, extension.
OTHER_STEPS = {
    "file": gettext_lazy("Case filed"),
    "restore": gettext_lazy("Enforcement restored as a new case"),
    "reassign": gettext_lazy("Officer reassigned"),
    "extend": gettext_lazy("Time limit extended"),
    "propose_termination": gettext_lazy("终本 proposed"),
    "refuse_termination": gettext_lazy("终本 proposal refused"),
    "withdraw_termination": gettext_lazy("终本 proposal withdrawn"),
}
TRANSITIONS = frozenset(t.name for t in EnforcementCase._meta.get_field("status").get_all_transitions(EnforcementCase))


def _party_links():
    return Prefetch("case__party_links", queryset=CaseParty.objects.select_related("party").order_by("position", "id"))


def _base() -> models.QuerySet[EnforcementCase]:
    return EnforcementCase.objects.select_related("case", "case__court", "officer", "source_document").prefetch_related(
        _party_links()
    )


def enforcement_case_list(*, user: User, filters: dict | None = None) -> models.QuerySet[EnforcementCase]:
    """The enforcement cases of the user's court with case, court, officer and parties loaded: two queries
    per page whatever its size (plus the count)."""
    from .filters import EnforcementCaseFilter

    require_capability(user, "enforcement.view")
    queryset = scope_to_user(_base(), user, court_field=COURT_FIELD)
    if filters is not None:
        queryset = EnforcementCaseFilter(filters, queryset=queryset).qs
    return queryset


def enforcement_case_get(*, user: User, pk: int) -> EnforcementCase:
    """One case; ``NotFound`` alike whether it is missing or at another court."""
    require_capability(user, "enforcement.view")
    queryset = _base().select_related("restored_from__case")
    return get_visible_or_404(queryset, user, court_field=COURT_FIELD, pk=pk)


def notice_get(*, user: User, pk: int) -> Notice:
    require_capability(user, "enforcement.view")
    queryset = Notice.objects.select_related("enforcement_case__case", "recipient")
    return get_visible_or_404(queryset, user, court_field="enforcement_case__case__court", pk=pk)


def open_cases_of_officer(*, officer: User) -> models.QuerySet[EnforcementCase]:
    """The officer's open cases, soonest deadline first (index ``officer, status, deadline_on``)."""
    return (
        _base()
        .filter(officer=officer, status__in=OPEN_STATUSES)
        .order_by(models.F("deadline_on").asc(nulls_last=True), "id")
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One row of the case timeline: a status change, a notice served, a suspension (begun or ended)."""

    at: dt.datetime | dt.date
    kind: str  # "status_change" | "notice" | "suspension" | "resumption"
    title: str
    actor: str = ""
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    recorded_at: dt.datetime | None = None  # when a day-only entry was entered, to order it within its day
    earlier_round: str = ""  # the case number, for an entry of the round this case restored (执恢)

    @property
    def sort_key(self) -> tuple:
        if isinstance(self.at, dt.datetime):
            return (timezone.localdate(self.at), 1, self.at.timestamp())
        if self.recorded_at is not None:
            return (self.at, 1, self.recorded_at.timestamp())
        return (self.at, 0, 0.0)


# How many earlier rounds (终本 → 执恢 → 终本 → 执恢 …) a restored case's timeline carries.
EARLIER_ROUNDS_SHOWN = 5


def case_timeline(*, enforcement_case: EnforcementCase) -> list[TimelineEntry]:
    """The case's own timeline (``round_timeline``) and, for a restored case (执恢), the history of the rounds
    it continues, each entry marked with its case number (``earlier_round``): restoring carries the history
    over (终本规定 2016 art. 9). Three queries per round."""
    entries = round_timeline(enforcement_case=enforcement_case)
    earlier = enforcement_case.restored_from
    for _round in range(EARLIER_ROUNDS_SHOWN):
        if earlier is None:
            break
        number = earlier.case.number
        entries += [replace(entry, earlier_round=number) for entry in round_timeline(enforcement_case=earlier)]
        earlier = earlier.restored_from
    return sorted(entries, key=lambda entry: entry.sort_key)


def round_timeline(*, enforcement_case: EnforcementCase) -> list[TimelineEntry]:
    """Status changes, notices and suspensions merged chronologically (three queries). A notice is known by
    the day it was served and ordered within that day by when it was recorded (so the notices come before the
    "notified" step they cause); a suspension's day-only entry comes before the day's timed entries."""
    from .services.lifecycle import status_label, step_label

    entries: list[TimelineEntry] = []
    for change in StatusChange.objects.filter(enforcement_case=enforcement_case).select_related("actor"):
        title = (
            step_label(change.transition)
            if change.transition in TRANSITIONS
            else OTHER_STEPS.get(change.transition, change.transition)
        )
        if change.from_status != change.to_status:
            title = f"{title}: {status_label(change.from_status)} → {status_label(change.to_status)}"
        entries.append(
            TimelineEntry(
                at=change.at,
                kind="status_change",
                title=str(title),
                # a step by operation of law has no user: it names the ruling it was taken under
                actor=str(change.actor) if change.actor else change.details.get("authority", ""),
                reason=change.reason,
                details={
                    "transition": change.transition,
                    "from": change.from_status,
                    "to": change.to_status,
                    **change.details,
                },
            )
        )
    for notice in Notice.objects.filter(enforcement_case=enforcement_case).select_related("recipient", "issued_by"):
        entries.append(
            TimelineEntry(
                at=notice.served_on,
                kind="notice",
                title=_("%(document)s served on %(name)s (%(method)s)")
                % {
                    "document": notice.get_kind_display(),
                    "name": notice.recipient.name,
                    "method": notice.get_service_method_display(),
                },
                actor=str(notice.issued_by),
                details={"notice": notice.pk, "kind": notice.kind, "issued_on": notice.issued_on.isoformat()},
                recorded_at=notice.recorded_at,
            )
        )
    for suspension in Suspension.objects.filter(enforcement_case=enforcement_case).select_related("started_by"):
        entries.append(
            TimelineEntry(
                at=suspension.started_on,
                kind="suspension",
                title=_("Suspended: %(ground)s") % {"ground": suspension.get_ground_display()},
                actor=str(suspension.started_by) if suspension.started_by else "",
                reason=suspension.reason,
            )
        )
        if suspension.ended_on:
            entries.append(
                TimelineEntry(
                    at=suspension.ended_on,
                    kind="resumption",
                    title=_("Resumed after %(days)d days")
                    % {"days": (suspension.ended_on - suspension.started_on).days},
                )
            )
    return sorted(entries, key=lambda entry: entry.sort_key)


def enforcement_case_detail(*, user: User, pk: int, today: dt.date | None = None) -> EnforcementCase:
    """One case with what its page and API show beside it: ``deadlines`` (step deadlines), ``timeline``,
    ``days_remaining`` (frozen while suspended), and its notices."""
    from .deadlines import case_deadlines, days_remaining

    today = today or timezone.localdate()
    case = enforcement_case_get(user=user, pk=pk)
    case.deadlines = case_deadlines(enforcement_case=case, today=today)
    case.timeline = case_timeline(enforcement_case=case)
    suspended_since = None
    if case.status == Status.SUSPENDED:
        suspended_since = case.suspensions.filter(ended_on__isnull=True).values_list("started_on", flat=True).first()
    case.days_remaining = (
        days_remaining(deadline_on=case.deadline_on, today=today, suspended_since=suspended_since)
        if case.deadline_on and case.is_open
        else None
    )
    return case


# ---- enforcement applications (立案执行) ------------------------------------------------------------------------


def _enforcement_types() -> list[str]:
    from cases.choices import TYPES_BY_STAGE, Stage

    return list(TYPES_BY_STAGE[Stage.ENFORCEMENT])


def application_document_get(*, user: User, pk: int):
    """The effective legal document an enforcement application is made on, with its obligees, obligors,
    instalments and the enforcement cases already filed on it; ``NotFound`` alike whether it is missing or
    at another court."""
    from cases.models import EffectiveDocument

    require_capability(user, "enforcement.file")
    queryset = (
        EffectiveDocument.objects.select_related("case", "case__court")
        .prefetch_related("obligees", "obligors", "instalments", "enforcement_cases__case")
        .order_by()
    )
    return get_visible_or_404(queryset, user, court_field="case__court", pk=pk)


def documents_awaiting_enforcement(*, user: User, today: dt.date | None = None) -> models.QuerySet:
    """Effective, not fully performed documents of the user's court's litigation cases on which no
    enforcement case has been filed yet, the longest effective first (their application period runs out
    first). Three queries for any number of rows (the documents, their obligees and obligors)."""
    from cases.models import EffectiveDocument

    require_capability(user, "enforcement.file")
    today = today or timezone.localdate()
    queryset = (
        EffectiveDocument.objects.filter(
            effective_on__lte=today,
            fully_performed_on__isnull=True,
            enforcement_cases__isnull=True,
        )
        .exclude(case__case_type__in=_enforcement_types())
        .select_related("case")
        .prefetch_related("obligees", "obligors")
        .order_by("effective_on", "id")
    )
    return scope_to_user(queryset, user, court_field="case__court")


# ---- 终本 proposals and 终本 cases ------------------------------------------------------------------------------

PROPOSAL_COURT_FIELD = "enforcement_case__case__court"


def _proposals() -> models.QuerySet:
    from .models import TerminationProposal

    return TerminationProposal.objects.select_related(
        "enforcement_case__case__court", "enforcement_case__officer", "proposed_by", "decided_by"
    )


def termination_proposal_list(*, user: User, status: str = "") -> models.QuerySet:
    """The 终本 proposals of the user's court, newest first; ``status`` filters (``ProposalStatus``)."""
    require_capability(user, "enforcement.view")
    queryset = scope_to_user(_proposals(), user, court_field=PROPOSAL_COURT_FIELD)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-proposed_at", "-id")


def termination_proposal_get(*, user: User, pk: int):
    """One proposal; ``NotFound`` alike whether it is missing or at another court."""
    require_capability(user, "enforcement.view")
    return get_visible_or_404(_proposals(), user, court_field=PROPOSAL_COURT_FIELD, pk=pk)


def terminated_case_list(*, user: User) -> models.QuerySet[EnforcementCase]:
    """The cases of the user's court closed as 终本, each with ``termination`` (its approved proposal) loaded
    through a prefetch (``approved_terminations``), and ``outstanding`` annotated (amount − amount performed)."""
    from .choices import ClosingKind, ProposalStatus
    from .models import TerminationProposal

    require_capability(user, "enforcement.view")
    queryset = (
        _base()
        .filter(status=Status.CLOSED, closing_kind=ClosingKind.TERMINATED_THIS_ROUND)
        .annotate(
            outstanding=models.ExpressionWrapper(
                models.F("case__amount") - models.F("performed_amount"),
                output_field=models.DecimalField(max_digits=18, decimal_places=2),
            )
        )
        .prefetch_related(
            Prefetch(
                "terminations",
                queryset=TerminationProposal.objects.filter(status=ProposalStatus.APPROVED),
                to_attr="approved_terminations",
            )
        )
    )
    return scope_to_user(queryset, user, court_field=COURT_FIELD)


def termination_bankruptcy_candidates(*, user: User) -> models.QuerySet[EnforcementCase]:
    """终本 cases of the user's court whose approved proposal suggests 执转破 (解释 2022 arts. 511–514) and that
    have not been restored: what bankruptcy/ screens."""
    from .choices import FollowUp, ProposalStatus

    return (
        terminated_case_list(user=user)
        .filter(
            terminations__status=ProposalStatus.APPROVED,
            terminations__follow_up=FollowUp.TRANSFER_TO_BANKRUPTCY,
            restorations__isnull=True,
        )
        .distinct()
        .order_by("closed_on", "id")
    )
