"""The enforcement case lifecycle: one generic ``transition_apply`` and the named steps that carry data
(suspend, resume, close, restore).

Every step locks the case row (``select_for_update``), checks the actor (court scope, then capability),
the state and the conditions, applies the django-fsm transition, and writes a ``StatusChange`` row and an
audit row in the same transaction. A refusal leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from cases.choices import CaseType, DocumentKind, MeasureStatus, PartyKind, PartyRole
from cases.models import PreservationMeasure
from core.access import PERMISSION_MESSAGE, get_visible_or_404, require_capability
from core.audit import audit_record
from core.exceptions import Conflict, PermissionDenied, RuleViolation
from core.models import User

from ..choices import (
    ARBITRAL_AWARD_GROUNDS,
    NOTARISED_DEBT_GROUNDS,
    PERSON_ONLY_TERMINATION_GROUNDS,
    ClosingKind,
    Status,
    SuspensionGround,
    TerminationGround,
)
from ..deadlines import compute_deadline, deadline_of
from ..models import EnforcementCase, StatusChange, Suspension
from ..signals import case_closed, case_restored, case_transitioned
from ..termination import TERMINATION_MIN_MONTHS, earliest_termination_day  # noqa: F401 - re-exported

# The steps without data of their own, which the API offers under /transitions/<name>/.
SIMPLE_TRANSITIONS = ("notify", "start_investigation", "start_control", "start_disposal", "start_distribution")
OPEN_MEASURES = (MeasureStatus.ACTIVE, MeasureStatus.WAITING)


# ---- helpers ----------------------------------------------------------------------------------------------


def _meta(name: str):
    method = getattr(EnforcementCase, name, None) if isinstance(name, str) and not name.startswith("_") else None
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise RuleViolation(
            _("There is no step “%(step)s” in the enforcement lifecycle.") % {"step": name},
            code="lifecycle.unknown_transition",
        )
    return meta


def _any_spec(meta):
    return next(iter(meta.transitions.values()))


def step_label(name: str) -> str:
    """The human name of a step (``start_investigation`` → "start the asset investigation")."""
    return str(_any_spec(_meta(name)).custom.get("label", name))


def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def lock_case(*, actor: User | None, enforcement_case: EnforcementCase, authority: str = "") -> EnforcementCase:
    """The case row, locked for the rest of the transaction; ``NotFound`` alike if missing or at another
    court. Call inside ``transaction.atomic``.

    ``actor`` None is a step taken by operation of law across courts — the acceptance of a bankruptcy case
    suspends every enforcement case against the debtor wherever it is (企业破产法 art. 19) — and must name its
    ``authority`` (the ruling), which the status change and the audit trail record."""
    queryset = EnforcementCase.objects.select_for_update(of=("self",)).select_related("case", "case__court")
    if actor is None:
        if not authority.strip():
            raise ValueError("A step without an actor must name the authority it is taken under.")
        return queryset.get(pk=enforcement_case.pk)
    return get_visible_or_404(queryset, actor, court_field="case__court", pk=enforcement_case.pk)


def record_status_change(
    *,
    actor: User | None,
    enforcement_case: EnforcementCase,
    transition: str,
    from_status: str,
    to_status: str,
    reason: str = "",
    details: dict | None = None,
    at: dt.datetime | None = None,
) -> StatusChange:
    change = StatusChange(
        enforcement_case=enforcement_case,
        transition=transition,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.pk else None,
        at=at or timezone.now(),
        reason=reason,
        details=_jsonable(details or {}),
    )
    change.full_clean()
    change.save()
    return change


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Give the reason for this step."), code="lifecycle.reason_required")
    return reason


def _check_day(on: dt.date, enforcement_case: EnforcementCase, *, not_before: dt.date | None = None) -> None:
    if on > timezone.localdate():
        raise RuleViolation(_("The date cannot be in the future."), code="lifecycle.date_in_future")
    earliest = not_before or enforcement_case.case.filing_date
    if on < earliest:
        raise RuleViolation(
            _("The date cannot be before %(day)s.") % {"day": earliest.isoformat()}, code="lifecycle.date_too_early"
        )


# ---- the generic step -------------------------------------------------------------------------------------


@transaction.atomic
def transition_apply(
    *,
    actor: User | None,
    enforcement_case: EnforcementCase,
    transition: str,
    reason: str = "",
    details: dict | None = None,
    authority: str = "",
    **kwargs,
) -> EnforcementCase:
    """Apply the lifecycle step ``transition`` to the case; ``kwargs`` go to the transition method.
    ``actor`` None with ``authority``: a step by operation of law (see ``lock_case``), not checked against a
    role.

    Returns the updated case (a fresh, locked instance: the one passed in is not changed). Refuses with
    ``NotFound`` (another court), ``PermissionDenied`` (the role may not take the step), ``Conflict`` (the
    case changed since the caller loaded it: the caller decided on a state that is gone), or
    ``RuleViolation`` ``lifecycle.illegal_transition`` (not possible from the current state) or the code of
    the unmet condition.
    """
    meta = _meta(transition)
    case = lock_case(actor=actor, enforcement_case=enforcement_case, authority=authority)
    permission = _any_spec(meta).permission
    if actor is not None and not permission(case, actor):
        raise PermissionDenied(
            str(PERMISSION_MESSAGE), code=f"capability.{getattr(permission, 'capability', 'enforcement.act')}"
        )
    if case.status != enforcement_case.status:
        raise Conflict(
            _("The case changed meanwhile: it is now “%(state)s”. Reload it and decide again.")
            % {"state": status_label(case.status)},
            code="lifecycle.conflict",
            extra={"status": case.status},
        )
    from_status = case.status
    if not meta.has_transition(from_status):
        raise RuleViolation(
            _("The case is in the state “%(state)s” and cannot take the step “%(step)s”.")
            % {"state": status_label(from_status), "step": step_label(transition)},
            code="lifecycle.illegal_transition",
            extra={"status": from_status, "transition": transition},
        )
    for condition in meta.get_transition(from_status).conditions:
        if not condition(case):
            raise RuleViolation(str(condition.refusal), code=condition.code)
    try:
        getattr(case, transition)(**kwargs)
        case.full_clean(exclude=["status"], validate_unique=False)  # protected: set by the transition
        case.save()
    except ConcurrentTransition as exc:  # the row changed under an instance not loaded under the lock
        raise Conflict(_("The case changed meanwhile. Reload it and decide again."), code="lifecycle.conflict") from exc
    except TransitionNotAllowed as exc:  # pragma: no cover - the checks above run first
        raise RuleViolation(str(exc), code="lifecycle.illegal_transition") from exc
    details = {**_jsonable(kwargs), **_jsonable(details or {})}
    if authority:
        details["authority"] = authority
    record_status_change(
        actor=actor,
        enforcement_case=case,
        transition=transition,
        from_status=from_status,
        to_status=case.status,
        reason=reason,
        details=details,
    )
    audit_record(
        actor=actor,
        action=f"enforcement.{transition}",
        obj=case,
        reason=reason,
        changes={"from": from_status, "to": case.status, **details},
    )
    to_status = case.status
    transaction.on_commit(
        lambda: case_transitioned.send(
            sender=EnforcementCase, enforcement_case=case, transition=transition,
            from_status=from_status, to_status=to_status, actor=actor,
        )
    )  # fmt: skip
    return case


# ---- suspension (中止执行, 民诉法 2023 art. 267) -------------------------------------------------------------


@transaction.atomic
def case_suspend(
    *,
    actor: User | None,
    enforcement_case: EnforcementCase,
    ground: str,
    reason: str,
    on: dt.date,
    authority: str = "",
) -> EnforcementCase:
    """Suspend enforcement from ``on``. The 6-month clock stops until the case resumes (执行规定 art. 63).
    ``actor`` None with ``authority``: suspended by operation of law (a bankruptcy accepted elsewhere)."""
    reason = _require_reason(reason)
    if ground not in SuspensionGround.values:
        raise RuleViolation(_("Choose a ground of suspension (民诉法 art. 267)."), code="suspension.ground")
    _check_day(on, lock_case(actor=actor, enforcement_case=enforcement_case, authority=authority))
    case = transition_apply(
        actor=actor,
        enforcement_case=enforcement_case,
        transition="suspend",
        reason=reason,
        details={"ground": ground, "on": on},
        authority=authority,
    )
    suspension = Suspension(enforcement_case=case, ground=ground, reason=reason, started_on=on, started_by=actor)
    suspension.full_clean()
    suspension.save()
    return case


def _end_open_suspension(case: EnforcementCase, on: dt.date) -> int:
    """End the open suspension on ``on``, add its days to the case and move its deadline; returns the days."""
    suspension = case.suspensions.filter(ended_on__isnull=True).first()
    if suspension is None:
        return 0
    if on < suspension.started_on:
        raise RuleViolation(
            _("The case cannot resume before its suspension began (%(day)s).")
            % {"day": suspension.started_on.isoformat()},
            code="suspension.resume_before_start",
        )
    days = (on - suspension.started_on).days
    suspension.ended_on = on
    suspension.full_clean()
    suspension.save(update_fields=["ended_on"])
    case.suspended_days += days
    case.deadline_on = deadline_of(case)
    case.save(update_fields=["suspended_days", "deadline_on"])
    return days


@transaction.atomic
def case_resume(
    *, actor: User | None, enforcement_case: EnforcementCase, on: dt.date, reason: str = "", authority: str = ""
) -> EnforcementCase:
    """Resume a suspended case on ``on``: it returns to the state it was suspended from; the days suspended
    are added to ``suspended_days`` and the deadline moves back by as many days."""
    _check_day(on, lock_case(actor=actor, enforcement_case=enforcement_case, authority=authority))
    case = transition_apply(
        actor=actor,
        enforcement_case=enforcement_case,
        transition="resume",
        reason=reason,
        details={"on": on},
        authority=authority,
    )
    days = _end_open_suspension(case, on)
    audit_record(actor=actor, action="enforcement.suspension_end", obj=case, changes={"days": days, "on": str(on)})
    return case


# ---- closing -----------------------------------------------------------------------------------------------


def _debtor_kinds(case_record) -> set[str]:
    return set(case_record.party_links.filter(role=PartyRole.DEBTOR).values_list("party__kind", flat=True))


def _termination_ground_refusal(case_record, ground: str) -> RuleViolation | None:
    """终结执行 (民诉法 2023 art. 268): a statutory ground that fits the debtor."""
    if ground not in TerminationGround.values:
        return RuleViolation(
            _("Choose the ground on which enforcement is terminated (民诉法 2023 art. 268)."),
            code="closing.ground_required",
        )
    kinds = _debtor_kinds(case_record)
    if ground in PERSON_ONLY_TERMINATION_GROUNDS and PartyKind.PERSON not in kinds:
        return RuleViolation(
            _("The ground “%(ground)s” applies only to a natural-person debtor (民诉法 2023 art. 268(3), (5)).")
            % {"ground": TerminationGround(ground).label},
            code="closing.ground_needs_person",
        )
    if ground == TerminationGround.BANKRUPTCY_DECLARED and kinds != {PartyKind.ORGANISATION}:
        return RuleViolation(
            _("Only an organisation is declared bankrupt (解释 2022 art. 513; 企业破产法 art. 2)."),
            code="closing.ground_needs_organisation",
        )
    return None


def _non_enforcement_refusal(enforcement_case: EnforcementCase, ground: str) -> RuleViolation | None:
    """不予执行: only of an arbitral award (民诉法 2023 art. 248) or a notarised debt instrument (art. 249), on a
    ground of that article."""
    document = enforcement_case.source_document
    allowed = {
        DocumentKind.ARBITRAL_AWARD: ARBITRAL_AWARD_GROUNDS,
        DocumentKind.NOTARISED_DEBT: NOTARISED_DEBT_GROUNDS,
    }.get(document.kind if document is not None else "")
    if allowed is None:
        return RuleViolation(
            _(
                "Enforcement is refused (不予执行) only of an arbitral award or a notarised debt instrument "
                "(民诉法 2023 arts. 248–249); this case enforces another document."
            ),
            code="closing.not_enforced_needs_award_or_notarised",
        )
    if ground not in allowed:
        article = "248" if document.kind == DocumentKind.ARBITRAL_AWARD else "249"
        return RuleViolation(
            _("Choose a ground of 不予执行 for this document (民诉法 2023 art. %(article)s).") % {"article": article},
            code="closing.ground_required",
        )
    return None


def closing_refusal(
    *,
    enforcement_case: EnforcementCase,
    kind: str,
    reason: str,
    on: dt.date,
    performed_amount: Decimal | None,
    ground: str = "",
    through_proposal: bool = False,
) -> RuleViolation | None:
    """What stops the case being closed as ``kind`` on ``on`` (reads only), or ``None``.

    - 执行完毕: the obligation is recorded as fully performed on the source document, or the amount
      performed reaches the amount to enforce;
    - 和解结案: a settlement recorded on the case has been performed (民诉法 2023 art. 241; 和解规定 2018);
    - 终结执行: a ground of 民诉法 2023 art. 268 that fits the debtor (art. 268(3), (5) for a person; a
      bankruptcy declaration for an organisation);
    - 不予执行: only of an arbitral award or a notarised debt instrument, on a ground of arts. 248–249;
    - 终结本次执行程序: only through a 终本 proposal approved by a division head (``through_proposal``, set by
      ``enforcement.services.termination``), and more than 3 months after filing (终本规定 2016 art. 1(4));
    - 移送破产: only against organisations (执转破, 解释 2022 arts. 511–514; 企业破产法 art. 2);
    - every kind other than 执行完毕 needs a reason.
    """
    if kind not in ClosingKind.values:
        return RuleViolation(_("Choose how the case is closed."), code="closing.kind")
    if kind == ClosingKind.TERMINATED_THIS_ROUND and not through_proposal:
        return RuleViolation(
            _(
                "This round of enforcement is terminated (终本) through a 终本 proposal approved by a division head "
                "(终本规定 2016 arts. 1, 5; 解释 2022 art. 517), not by closing the case directly."
            ),
            code="closing.termination_needs_approval",
        )
    if kind != ClosingKind.COMPLETED and not (reason or "").strip():
        return RuleViolation(_("Give the reason for closing the case."), code="lifecycle.reason_required")
    case_record = enforcement_case.case
    if kind == ClosingKind.COMPLETED:
        document = enforcement_case.source_document
        performed = performed_amount if performed_amount is not None else enforcement_case.performed_amount
        if not (document is not None and document.fully_performed_on) and performed < case_record.amount:
            return RuleViolation(
                _(
                    "A case is closed as fully performed only when the obligation is recorded as performed or "
                    "the amount performed (%(performed)s) reaches the amount to enforce (%(amount)s)."
                )
                % {"performed": performed, "amount": case_record.amount},
                code="closing.not_performed",
            )
    if kind == ClosingKind.SETTLED and not enforcement_case.settlements.filter(performed_on__isnull=False).exists():
        return RuleViolation(
            _(
                "A case is closed as settled only once a settlement agreement recorded on it has been performed "
                "(和解规定 2018 art. 1; 民诉法 2023 art. 241)."
            ),
            code="closing.settlement_not_performed",
        )
    if kind == ClosingKind.TERMINATED:
        return _termination_ground_refusal(case_record, ground)
    if kind == ClosingKind.NOT_ENFORCED:
        return _non_enforcement_refusal(enforcement_case, ground)
    if kind == ClosingKind.TERMINATED_THIS_ROUND:
        earliest = earliest_termination_day(enforcement_case)
        if on < earliest:
            return RuleViolation(
                _(
                    "This round of enforcement can be terminated only more than 3 months after filing "
                    "(终本规定 art. 1(4)): not before %(day)s."
                )
                % {"day": earliest.isoformat()},
                code="closing.too_early_to_terminate",
            )
    if kind == ClosingKind.TRANSFERRED_TO_BANKRUPTCY and _debtor_kinds(case_record) != {PartyKind.ORGANISATION}:
        return RuleViolation(
            _("Only a case against an organisation can be transferred to bankruptcy (解释 2022 art. 511)."),
            code="closing.bankruptcy_needs_organisation",
        )
    return None


def _mask_public_entries(case: EnforcementCase) -> None:
    """Mask the case's public 终本 entry once enforcement has ended otherwise (终本规定 2016 art. 18); the
    publication service decides whether anything is to be masked."""
    from .publication import entries_mask_if_ended

    entries_mask_if_ended(enforcement_case=case)


def _close(
    *,
    actor: User | None,
    enforcement_case: EnforcementCase,
    kind: str,
    reason: str,
    on: dt.date,
    performed_amount: Decimal | None,
    ground: str,
    through_proposal: bool,
    authority: str = "",
) -> EnforcementCase:
    case = lock_case(actor=actor, enforcement_case=enforcement_case, authority=authority)
    _check_day(on, case)
    if performed_amount is not None and performed_amount < 0:
        raise RuleViolation(_("The amount performed cannot be negative."), code="closing.performed_amount")
    ground = (ground or "").strip()
    refusal = closing_refusal(
        enforcement_case=case,
        kind=kind,
        reason=reason,
        on=on,
        performed_amount=performed_amount,
        ground=ground,
        through_proposal=through_proposal,
    )
    if refusal is not None and case.status != Status.CLOSED:
        raise refusal
    details: dict = {}
    if performed_amount is not None:
        details["performed_amount"] = performed_amount
    step = {"kind": kind, "on": on, **({"ground": ground} if ground else {})}
    case = transition_apply(
        actor=actor,
        enforcement_case=enforcement_case,
        transition="close",
        reason=(reason or "").strip(),
        details=details or None,
        authority=authority,
        **step,
    )
    if performed_amount is not None:
        case.performed_amount = performed_amount
        case.save(update_fields=["performed_amount"])
    _end_open_suspension(case, on)
    _mask_public_entries(case)
    transaction.on_commit(
        lambda: case_closed.send(sender=EnforcementCase, enforcement_case=case, kind=kind, actor=actor)
    )
    return case


@transaction.atomic
def case_close(
    *,
    actor: User | None,
    enforcement_case: EnforcementCase,
    kind: str,
    reason: str,
    on: dt.date,
    performed_amount: Decimal | None = None,
    ground: str = "",
    authority: str = "",
) -> EnforcementCase:
    """Close the case as ``kind`` on ``on`` (``closing_refusal`` names the rules; ``ground`` is the statutory
    ground of 终结执行 or 不予执行). A suspended case may be closed directly (its suspension ends on ``on``).
    ``performed_amount``, when given, is recorded as the amount performed. 终本 is refused here: it goes
    through ``enforcement.services.termination`` (proposal and approval). ``actor`` None with ``authority``:
    closed by operation of law (a declaration of bankruptcy elsewhere, 解释 2022 art. 513)."""
    return _close(
        authority=authority,
        actor=actor,
        enforcement_case=enforcement_case,
        kind=kind,
        reason=reason,
        on=on,
        performed_amount=performed_amount,
        ground=ground,
        through_proposal=False,
    )


@transaction.atomic
def close_terminated_this_round(
    *, actor: User, enforcement_case: EnforcementCase, reason: str, on: dt.date
) -> EnforcementCase:
    """Close the case as 终结本次执行程序 on ``on``: called only by ``termination_decide`` once a division head
    approved the 终本 proposal (the checklist has run); the 3-month rule is checked again here."""
    return _close(
        actor=actor,
        enforcement_case=enforcement_case,
        kind=ClosingKind.TERMINATED_THIS_ROUND,
        reason=reason,
        on=on,
        performed_amount=None,
        ground="",
        through_proposal=True,
    )


# ---- restoration (恢复执行) ------------------------------------------------------------------------------------


def carry_over_measures(*, actor: User, measures: list[PreservationMeasure], case_record) -> list[PreservationMeasure]:
    """Carry preservation measures into the new enforcement case (保全转执行, 解释 2022 art. 168: automatically,
    the period running on unchanged) through the litigation side's ``cases.services.preservation_carry_over``,
    which checks each measure (in force, granted, this creditor against this debtor, not carried yet)."""
    if not measures:
        return []
    from cases.services import preservation_carry_over

    return list(preservation_carry_over(actor=actor, measures=measures, enforcement_case_record=case_record))


def move_measures(*, actor: User, from_record, to_record, on: dt.date) -> list[PreservationMeasure]:
    """Move the measures still in force from one enforcement case record to its restoration (执恢): they were
    carried over once and stay the same measures, their periods unchanged."""
    measures = list(
        PreservationMeasure.objects.select_for_update()
        .filter(carried_into=from_record, status__in=OPEN_MEASURES, expires_on__gte=on)
        .order_by("pk")
    )
    for measure in measures:
        measure.carried_into = to_record
        measure.save(update_fields=["carried_into"])
        audit_record(
            actor=actor,
            action="preservation.move",
            obj=measure,
            changes={"from_case": from_record.pk, "into_case": to_record.pk, "expires_on": str(measure.expires_on)},
        )
    return measures


@transaction.atomic
def case_restore(*, actor: User, enforcement_case: EnforcementCase, on: dt.date, reason: str) -> EnforcementCase:
    """恢复执行: a new 执恢 case for what is still owed, after this round was terminated (终本).

    Rule: only a case closed as 终结本次执行程序 is restored this way (终本规定 2016 art. 9: on the
    applicant's request or when property turns up, at any time); it is not subject to the 2-year application
    period (解释 2022 art. 517). A suspended case resumes instead (``case_resume``); restoring after a
    settlement that was not performed (和解规定 2018 art. 11) has its own period and is a later issue; other
    closed cases stay closed. A case is restored once: a later round is restored from the 执恢 case.

    The new case is filed at the same court with the same parties in the same roles, for the outstanding
    amount (amount to enforce − amount performed); it keeps the enforcement basis, records
    ``restored_from``, and takes over the measures still in force (their periods unchanged).
    """
    from cases.services import PartyInput, case_file

    require_capability(actor, "enforcement.restore")
    old = lock_case(actor=actor, enforcement_case=enforcement_case)
    reason = _require_reason(reason)
    if old.status != Status.CLOSED or old.closing_kind != ClosingKind.TERMINATED_THIS_ROUND:
        raise RuleViolation(
            _("Only a case whose enforcement was terminated for this round (终本) can be restored (终本规定 art. 9)."),
            code="restore.not_terminated_this_round",
        )
    if old.restorations.exists():
        raise RuleViolation(
            _("This case has already been restored as %(number)s.") % {"number": old.restorations.first().case.number},
            code="restore.already_restored",
        )
    _check_day(on, old, not_before=old.closed_on)
    outstanding = old.case.amount - old.performed_amount
    if outstanding <= 0:
        raise RuleViolation(_("Nothing is outstanding on this case."), code="restore.nothing_outstanding")

    parties = [
        PartyInput(role=link.role, party_id=link.party_id) for link in old.case.party_links.order_by("position", "id")
    ]
    record = case_file(
        actor=actor,
        court=old.case.court,
        case_type=CaseType.ENFORCEMENT_RESTORED,
        capability="enforcement.restore",
        filing_date=on,
        amount=outstanding,
        cause=old.case.cause,
        parties=parties,
        summary=_("Enforcement of %(number)s restored: %(reason)s") % {"number": old.case.number, "reason": reason},
    )
    new = EnforcementCase(
        case=record,
        source_document=old.source_document,
        restored_from=old,
        limit_months=old.limit_months,
        deadline_on=compute_deadline(filing_date=on, limit_months=old.limit_months),
    )
    new.full_clean(exclude=["status"])
    new.save()
    carried = move_measures(actor=actor, from_record=old.case, to_record=record, on=timezone.localdate())
    record_status_change(
        actor=actor,
        enforcement_case=new,
        transition="file",
        from_status=Status.FILED,
        to_status=Status.FILED,
        reason=reason,
        details={"restored_from": old.case.number, "measures": [m.pk for m in carried]},
    )
    record_status_change(
        actor=actor,
        enforcement_case=old,
        transition="restore",
        from_status=old.status,
        to_status=old.status,
        reason=reason,
        details={"restored_as": record.number},
    )
    audit_record(
        actor=actor,
        action="enforcement.restore",
        obj=new,
        reason=reason,
        changes={"restored_from": old.case.number, "amount": str(outstanding), "measures": [m.pk for m in carried]},
    )
    transaction.on_commit(
        lambda: case_restored.send(sender=EnforcementCase, enforcement_case=new, restored_from=old, actor=actor)
    )
    return new
