"""Writes of 终本 (终结本次执行程序): the officer proposes with the art. 1 checklist and the applicant's opinion
(终本规定 2016 arts. 1, 5), a division head other than the proposer approves or refuses (解释 2022 art. 517),
and approval closes the case, generates the ruling (.docx), suggests the follow-up and publishes the case in
the public 终本 database (终本规定 art. 12, ``publication.entry_publish``)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.models import User
from core.signing import document_sign

from ..checks import termination_facts
from ..choices import ApplicantOpinion, ListingDecision, ProposalStatus, Status, TerminationReason
from ..documents import termination_ruling_docx
from ..models import EnforcementCase, TerminationProposal
from ..termination import CheckItem, follow_up_for, termination_checklist, unmet
from .lifecycle import _jsonable, close_terminated_this_round, lock_case, record_status_change


def _already_pending() -> RuleViolation:
    return RuleViolation(
        _("A 终本 proposal for this case is already waiting for a division head's decision."),
        code="termination.already_pending",
    )


def _refuse_unmet(items: list[CheckItem]) -> None:
    failures = unmet(items)
    if failures:
        raise RuleViolation(
            _("The 终本 conditions are not all met: %(first)s") % {"first": failures[0].message}
            + (_(" (and %(count)d more)") % {"count": len(failures) - 1} if len(failures) > 1 else ""),
            code="termination.checklist_unmet",
            extra={"unmet": [item.code for item in failures], "checklist": [item.as_dict() for item in items]},
        )


def _lock_proposal(proposal: TerminationProposal) -> TerminationProposal:
    return TerminationProposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def termination_propose(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    reason: str,
    reason_detail: str,
    consumption_restriction_on: dt.date | None = None,
    listing_decision: str = "",
    listing_note: str = "",
    onsite_investigation_on: dt.date | None = None,
    onsite_investigation_note: str = "",
    debtor_missing: bool = False,
    search_note: str = "",
    obstruction: bool = False,
    sanction_note: str = "",
    applicant_informed_on: dt.date | None = None,
    applicant_opinion: str = "",
    applicant_opinion_text: str = "",
    applicant_signed: bool = False,
    panel_members: str = "",
    on: dt.date | None = None,
) -> TerminationProposal:
    """Propose to terminate this round of enforcement of an open case, evaluated on ``on`` (today by default).

    Refuses (nothing written) with ``termination.already_pending`` while another proposal waits, with
    ``InvalidInput`` for a missing reason or explanation or a date in the future, and with
    ``termination.checklist_unmet`` listing every unmet condition (``extra["unmet"]``, ``extra["checklist"]``;
    the message names the first). Otherwise writes the proposal with its checklist and a timeline note.
    """
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    today = timezone.localdate()
    on = on or today
    if case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed."), code="termination.case_closed")
    if TerminationProposal.objects.filter(enforcement_case=case, status=ProposalStatus.PENDING).exists():
        raise _already_pending()
    errors: dict[str, list[str]] = {}
    if reason not in TerminationReason.values:
        errors["reason"] = [_("Choose why this round of enforcement ends.")]
    if not (reason_detail or "").strip():
        errors["reason_detail"] = [_("Explain the reason.")]
    if reason == TerminationReason.PARTLY_PERFORMED and case.performed_amount <= 0:
        errors["reason"] = [_("Nothing has been performed on this case: it cannot end as partly performed.")]
    if listing_decision and listing_decision not in ListingDecision.values:
        errors["listing_decision"] = [_("Choose a dishonest-list decision.")]
    if applicant_opinion and applicant_opinion not in ApplicantOpinion.values:
        errors["applicant_opinion"] = [_("Choose the applicant's opinion.")]
    for name, day in (
        ("on", on),
        ("consumption_restriction_on", consumption_restriction_on),
        ("onsite_investigation_on", onsite_investigation_on),
        ("applicant_informed_on", applicant_informed_on),
    ):
        if day is not None and day > today:
            errors[name] = [_("The date cannot be in the future.")]
        elif day is not None and day < case.case.filing_date:
            errors[name] = [_("The date cannot be before the filing date.")]
    if errors:
        raise InvalidInput(errors, code="termination.invalid")
    proposal = TerminationProposal(
        enforcement_case=case,
        reason=reason,
        reason_detail=reason_detail.strip(),
        consumption_restriction_on=consumption_restriction_on,
        listing_decision=listing_decision,
        listing_note=(listing_note or "").strip(),
        onsite_investigation_on=onsite_investigation_on,
        onsite_investigation_note=(onsite_investigation_note or "").strip(),
        debtor_missing=bool(debtor_missing),
        search_note=(search_note or "").strip(),
        obstruction=bool(obstruction),
        sanction_note=(sanction_note or "").strip(),
        applicant_informed_on=applicant_informed_on,
        applicant_opinion=applicant_opinion,
        applicant_opinion_text=(applicant_opinion_text or "").strip(),
        applicant_signed=bool(applicant_signed),
        panel_members=(panel_members or "").strip(),
        proposed_by=actor,
    )
    items = termination_checklist(case, proposal, on)
    _refuse_unmet(items)
    proposal.checklist = _jsonable([item.as_dict() for item in items])
    proposal.full_clean()
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as exc:  # a concurrent proposal took the one pending slot
        raise _already_pending() from exc
    record_status_change(
        actor=actor,
        enforcement_case=case,
        transition="propose_termination",
        from_status=case.status,
        to_status=case.status,
        reason=proposal.reason_detail,
        details={"proposal": proposal.pk, "reason": reason},
    )
    audit_record(
        actor=actor,
        action="enforcement.termination_propose",
        obj=case,
        reason=proposal.reason_detail,
        changes={"proposal": proposal.pk, "reason": reason, "on": on.isoformat()},
    )
    return proposal


def ruling_number_for(enforcement_case: EnforcementCase) -> str:
    """The ruling's number: the case number with 之一 (the first ruling in the case)."""
    return f"{enforcement_case.case.number}之一"


@transaction.atomic
def termination_decide(
    *, actor: User, proposal: TerminationProposal, approve: bool, note: str = "", on: dt.date | None = None
) -> TerminationProposal:
    """A division head of the case's court approves or refuses a pending proposal.

    The decider is not the proposer (解释 2022 art. 517: ``termination.self_approval``); a refusal needs a
    note. Approval re-runs the checklist on ``on`` (today by default; refused if no longer met), records the
    reason analysis (``follow_up_for``), closes the case as 终本 on ``on`` (status change, ``case_closed`` on
    commit), generates and stores the ruling, and publishes the case in the 终本 database.
    """
    require_capability(actor, "enforcement.approve_termination")
    # The case first, then the proposal: the same order as termination_propose.
    case = lock_case(actor=actor, enforcement_case=proposal.enforcement_case)
    proposal = _lock_proposal(proposal)
    if proposal.status != ProposalStatus.PENDING:
        raise RuleViolation(_("This 终本 proposal has already been decided."), code="termination.decided")
    if proposal.proposed_by_id == actor.pk:
        raise RuleViolation(
            _(
                "A 终本 proposal is approved by someone other than the one who proposed it (解释 2022 art. 517: "
                "the collegial panel's decision goes to the president, here the division head)."
            ),
            code="termination.self_approval",
        )
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput({"note": [_("Say why the proposal is refused.")]}, code="termination.invalid")
    on = on or timezone.localdate()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    if not approve:
        proposal.status = ProposalStatus.REFUSED
        proposal.full_clean()
        proposal.save()
        record_status_change(
            actor=actor,
            enforcement_case=case,
            transition="refuse_termination",
            from_status=case.status,
            to_status=case.status,
            reason=note,
            details={"proposal": proposal.pk},
        )
        audit_record(
            actor=actor,
            action="enforcement.termination_refuse",
            obj=case,
            reason=note,
            changes={"proposal": proposal.pk},
        )
        return proposal

    if case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed."), code="termination.case_closed")
    items = termination_checklist(case, proposal, on)
    _refuse_unmet(items)
    follow_up, reasons = follow_up_for(case, proposal.reason)
    case = close_terminated_this_round(
        actor=actor, enforcement_case=case, reason=proposal.reason_detail or proposal.get_reason_display(), on=on
    )
    proposal.status = ProposalStatus.APPROVED
    proposal.approval_checklist = _jsonable([item.as_dict() for item in items])
    proposal.follow_up = follow_up
    proposal.follow_up_reasons = [str(r) for r in reasons]
    proposal.enforcement_case = case
    proposal.ruling_number = ruling_number_for(case)
    content = termination_ruling_docx(
        proposal=proposal, ruled_on=on, ruling_number=proposal.ruling_number, facts=termination_facts(case)
    )
    content = document_sign(
        court=case.case.court, content=content, title="终本裁定书", reference=proposal.ruling_number
    )
    proposal.ruling.save(f"终本裁定-{case.case.number}.docx", ContentFile(content), save=False)
    proposal.full_clean()
    proposal.save()
    audit_record(
        actor=actor,
        action="enforcement.termination_approve",
        obj=case,
        reason=note,
        changes={
            "proposal": proposal.pk,
            "on": on.isoformat(),
            "follow_up": follow_up,
            "ruling_number": proposal.ruling_number,
        },
    )
    from .publication import entry_publish

    entry_publish(enforcement_case=case, proposal=proposal, on=on)  # published with the ruling (art. 12)
    return proposal


@transaction.atomic
def termination_withdraw(*, actor: User, proposal: TerminationProposal) -> TerminationProposal:
    """The proposer withdraws a pending proposal."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=proposal.enforcement_case)
    proposal = _lock_proposal(proposal)
    if proposal.status != ProposalStatus.PENDING:
        raise RuleViolation(_("This 终本 proposal has already been decided."), code="termination.decided")
    if proposal.proposed_by_id != actor.pk:
        raise RuleViolation(
            _("Only the officer who proposed it withdraws a 终本 proposal."), code="termination.not_proposer"
        )
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.decided_at = timezone.now()
    proposal.full_clean()
    proposal.save(update_fields=["status", "decided_at"])
    record_status_change(
        actor=actor,
        enforcement_case=case,
        transition="withdraw_termination",
        from_status=case.status,
        to_status=case.status,
        details={"proposal": proposal.pk},
    )
    audit_record(actor=actor, action="enforcement.termination_withdraw", obj=case, changes={"proposal": proposal.pk})
    return proposal
