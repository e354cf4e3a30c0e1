"""Writes of command: on-site tasks (现场执行) and the risk notes recorded on a debtor for the officers who go there.

Every function is keyword-only, transactional and audited (``core.audit``), checks ``command.onsite`` and the
court of the case (a user acts on cases of their own court; a superuser on any court, with the case's officers),
and raises an ``ApplicationError`` naming the rule; a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Party
from core.access import get_or_404, get_visible_or_404, require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.models import User
from enforcement.choices import Status
from enforcement.models import EnforcementCase

from .choices import OnSiteOutcome, OnSitePurpose, OnSiteStatus, RiskKind
from .models import OnSiteTask, RiskNote
from .selectors import officers_of

CAPABILITY = "command.onsite"
# A task planned a few minutes "ago" (the form took a while to fill in) is still planned for now.
PLANNING_GRACE = dt.timedelta(minutes=5)


def _case(actor: User, enforcement_case: EnforcementCase) -> EnforcementCase:
    """The case row, locked, if the actor may see it (``NotFound`` alike when missing or at another court)."""
    queryset = EnforcementCase.objects.select_for_update(of=("self",)).select_related("case", "case__court")
    return get_visible_or_404(queryset, actor, court_field="case__court", pk=enforcement_case.pk)


def _task(actor: User, task: OnSiteTask) -> OnSiteTask:
    queryset = OnSiteTask.objects.select_for_update(of=("self",)).select_related("case__case")
    return get_visible_or_404(queryset, actor, court_field="case__case__court", pk=task.pk)


def _text(value: str | None, limit: int | None = None) -> str:
    value = (value or "").strip()
    return value[:limit] if limit else value


@transaction.atomic
def plan_onsite_task(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    purpose: str,
    address: str,
    scheduled_at: dt.datetime,
    officers: Iterable[User],
    notes: str = "",
    now: dt.datetime | None = None,
) -> OnSiteTask:
    """Plan a 现场执行 task on an open case of the actor's court, for officers of that court.

    Refused, nothing written: ``onsite.case_closed``; ``onsite.invalid`` (purpose, address, time or officers
    missing); ``onsite.in_the_past`` (the time has passed); ``onsite.officer_court`` (an officer of another court,
    or not an active officer, judge or division head)."""
    require_capability(actor, CAPABILITY)
    ec = _case(actor, enforcement_case)
    if ec.status == Status.CLOSED:
        raise RuleViolation(
            _("On-site tasks are planned on open cases; this case is closed."), code="onsite.case_closed"
        )
    errors: dict[str, list[str]] = {}
    if purpose not in OnSitePurpose.values:
        errors["purpose"] = [_("Choose what the task is for.")]
    address = _text(address, 200)
    if not address:
        errors["address"] = [_("Say where the officers go.")]
    if scheduled_at is None:
        errors["scheduled_at"] = [_("Say when the officers go.")]
    officers = list({o.pk: o for o in officers or []}.values())
    if not officers:
        errors["officers"] = [_("Choose the officers who go on site.")]
    if errors:
        raise InvalidInput(errors, code="onsite.invalid")
    now = now or timezone.now()
    if scheduled_at < now - PLANNING_GRACE:
        raise RuleViolation(
            _("An on-site task is planned for a time to come; %(when)s has passed.")
            % {"when": timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M")},
            code="onsite.in_the_past",
        )
    allowed = set(officers_of(ec.case.court).values_list("pk", flat=True))
    strangers = [o for o in officers if o.pk not in allowed]
    if strangers:
        raise RuleViolation(
            _("The officers who go on site are active officers of the case's court; %(names)s is not.")
            % {"names": "、".join(str(o) for o in strangers)},
            code="onsite.officer_court",
        )
    task = OnSiteTask(
        case=ec,
        purpose=purpose,
        address=address,
        scheduled_at=scheduled_at,
        notes=_text(notes, 4000),
        created_by=actor,
        created_at=now,
    )
    task.full_clean(exclude=["officers"])
    task.save()
    task.officers.set(officers)
    audit_record(
        actor=actor,
        action="command.onsite_plan",
        obj=ec,
        changes={
            "task": task.pk,
            "purpose": purpose,
            "scheduled_at": scheduled_at.isoformat(),
            "officers": sorted(o.pk for o in officers),
        },
    )
    return task


def _still_planned(task: OnSiteTask) -> None:
    if task.status == OnSiteStatus.DONE:
        raise RuleViolation(
            _("A task that is done cannot change: its outcome is on record."), code="onsite.already_done"
        )
    if task.status == OnSiteStatus.CANCELLED:
        raise RuleViolation(_("This task was cancelled."), code="onsite.cancelled")


@transaction.atomic
def complete_onsite_task(
    *,
    actor: User,
    task: OnSiteTask,
    outcome: str,
    outcome_notes: str = "",
    completed_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> OnSiteTask:
    """Record what happened on site: the task is done, with its outcome and when it was done.

    Refused, nothing written: ``onsite.already_done``, ``onsite.cancelled``; ``onsite.invalid`` (no outcome);
    ``onsite.completed_in_the_future``."""
    require_capability(actor, CAPABILITY)
    task = _task(actor, task)
    _still_planned(task)
    if outcome not in OnSiteOutcome.values:
        raise InvalidInput({"outcome": [_("Choose the outcome.")]}, code="onsite.invalid")
    now = now or timezone.now()
    completed_at = completed_at or now
    if completed_at > now + PLANNING_GRACE:
        raise RuleViolation(
            _("A task is recorded as done once it is done, not ahead."), code="onsite.completed_in_the_future"
        )
    task.status = OnSiteStatus.DONE
    task.outcome = outcome
    task.outcome_notes = _text(outcome_notes, 4000)
    task.completed_at = completed_at
    task.full_clean(exclude=["officers"])
    task.save(update_fields=["status", "outcome", "outcome_notes", "completed_at"])
    audit_record(
        actor=actor,
        action="command.onsite_complete",
        obj=task.case,
        changes={"task": task.pk, "outcome": outcome, "completed_at": completed_at.isoformat()},
    )
    return task


@transaction.atomic
def cancel_onsite_task(*, actor: User, task: OnSiteTask, reason: str) -> OnSiteTask:
    """Call off a planned task, saying why (kept as the task's notes of what happened).

    Refused, nothing written: ``onsite.already_done``, ``onsite.cancelled``; ``onsite.invalid`` (no reason)."""
    require_capability(actor, CAPABILITY)
    task = _task(actor, task)
    _still_planned(task)
    reason = _text(reason, 4000)
    if not reason:
        raise InvalidInput({"reason": [_("Say why the task is cancelled.")]}, code="onsite.invalid")
    task.status = OnSiteStatus.CANCELLED
    task.outcome_notes = reason
    task.save(update_fields=["status", "outcome_notes"])
    audit_record(actor=actor, action="command.onsite_cancel", obj=task.case, reason=reason, changes={"task": task.pk})
    return task


@transaction.atomic
def record_risk_note(
    *, actor: User, enforcement_case: EnforcementCase, party: Party, kind: str, note: str = ""
) -> RiskNote:
    """Record a risk on a party to a case of the actor's court (the debtor keeps dogs, threatened violence…).

    Refused, nothing written: ``risk.not_a_party`` (the party is not on the case); ``risk.invalid`` (no kind, or
    "other" without saying what)."""
    require_capability(actor, CAPABILITY)
    ec = _case(actor, enforcement_case)
    if party is None or not ec.case.party_links.filter(party_id=party.pk).exists():
        raise RuleViolation(_("A risk note is recorded on a party to the case."), code="risk.not_a_party")
    note = _text(note, 2000)
    if kind not in RiskKind.values:
        raise InvalidInput({"kind": [_("Choose the kind of risk.")]}, code="risk.invalid")
    if kind == RiskKind.OTHER and not note:
        raise InvalidInput({"note": [_("Say what the risk is.")]}, code="risk.invalid")
    risk = RiskNote(party=party, kind=kind, note=note, recorded_by=actor)
    risk.full_clean()
    risk.save()
    audit_record(
        actor=actor,
        action="command.risk_record",
        obj=ec,
        changes={"risk_note": risk.pk, "party": party.pk, "kind": kind},
    )
    return risk


@transaction.atomic
def withdraw_risk_note(*, actor: User, risk_note: RiskNote, reason: str) -> RiskNote:
    """Withdraw a note that no longer holds (never delete it: the record shows what officers were told). Only
    staff of the court that recorded it may withdraw it.

    Refused, nothing written: ``risk.other_court``; ``risk.withdrawn`` (already); ``risk.invalid`` (no reason)."""
    require_capability(actor, CAPABILITY)
    risk = get_or_404(RiskNote.objects.select_for_update(of=("self",)).select_related("recorded_by"), pk=risk_note.pk)
    if not actor.is_superuser and risk.recorded_by.court_id != actor.court_id:
        raise RuleViolation(_("A risk note is withdrawn by the court that recorded it."), code="risk.other_court")
    if risk.withdrawn_at is not None:
        raise RuleViolation(_("This risk note was already withdrawn."), code="risk.withdrawn")
    reason = _text(reason, 2000)
    if not reason:
        raise InvalidInput({"reason": [_("Say why the risk no longer holds.")]}, code="risk.invalid")
    risk.withdrawn_at = timezone.now()
    risk.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action="command.risk_withdraw",
        obj=risk,
        reason=reason,
        changes={"risk_note": risk.pk, "party": risk.party_id},
    )
    return risk
