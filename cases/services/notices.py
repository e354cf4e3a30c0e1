"""The clerk's decision on the preservation notice (财产保全告知书)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.models import User
from core.signing import document_sign

from ..choices import CaseType, PartyRole
from ..exceptions import PreservationRuleViolation
from ..models import Case, CaseParty, PreservationNoticeDecision
from ..notice_docx import notice_filename, render_preservation_notice
from ..recommendation import recommend
from ._common import ensure_own_case

NOTICE_TITLE = "财产保全告知书"


@transaction.atomic
def preservation_notice_decide(
    *, actor: User, case: Case, party_id: int, send: bool, note: str = ""
) -> PreservationNoticeDecision:
    """Record whether the notice is sent about one defendant of a first-instance case, with the
    recommendation as it stands now (score, reasons). Decided once per defendant and case; a decision to send
    issues the notice (.docx) sealed with the court's key, stored with the decision."""
    require_capability(actor, "preservation.notice")
    ensure_own_case(actor, case)
    if case.case_type != CaseType.CIVIL_FIRST:
        raise PreservationRuleViolation(
            _("The preservation notice is decided on a first-instance civil case (民初)."), code="notice.case_type"
        )
    link = CaseParty.objects.select_related("party").filter(case=case, party_id=party_id).first()
    if link is None or link.role != PartyRole.DEFENDANT:
        raise PreservationRuleViolation(
            _("The preservation notice concerns a defendant of this case."), code="notice.not_defendant"
        )
    earlier = PreservationNoticeDecision.objects.filter(case=case, party_id=party_id).first()
    if earlier is not None:
        raise PreservationRuleViolation(
            _("The notice about %(name)s was already decided on %(date)s.")
            % {"name": link.party.name, "date": earlier.decided_at.date()},
            code="notice.already_decided",
        )
    result = recommend(case=case, party=link.party)
    decision = PreservationNoticeDecision(
        case=case,
        party=link.party,
        score=result.score,
        reasons=result.reasons_as_data(),
        recommended=result.recommended,
        decided_send=bool(send),
        note=(note or "").strip(),
        decided_by=actor,
    )
    decision.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:  # a concurrent decision on the same defendant
        raise PreservationRuleViolation(
            _("The notice about %(name)s was already decided.") % {"name": link.party.name},
            code="notice.already_decided",
        ) from exc
    if decision.decided_send:
        _seal_notice(decision)
    audit_record(
        actor=actor,
        action="preservation.notice",
        obj=case,
        reason=decision.note,
        changes={
            "party": party_id,
            "score": result.score,
            "recommended": result.recommended,
            "send": bool(send),
            **({"document": decision.file.name} if decision.file else {}),
        },
    )
    return decision


@transaction.atomic
def preservation_notice_document(*, decision: PreservationNoticeDecision) -> PreservationNoticeDecision:
    """The decision with its sealed notice: issued now for a decision to send it recorded before notices were
    sealed (once: the decision row is locked, a second caller finds the file); unchanged otherwise."""
    if decision.file or not decision.decided_send:
        return decision
    locked = (
        PreservationNoticeDecision.objects.select_for_update()
        .select_related("case__court", "party")
        .get(pk=decision.pk)
    )
    if not locked.file:
        _seal_notice(locked)
        audit_record(
            actor=None, action="preservation.notice_sealed", obj=locked.case, changes={"document": locked.file.name}
        )
    return locked


def _seal_notice(decision: PreservationNoticeDecision) -> None:
    """Render the notice, seal it with the court's key (``core.signing.document_sign``) and store it with the
    decision; inside the caller's transaction, so that the seal's record commits with the decision."""
    case = decision.case
    content = document_sign(
        court=case.court, content=render_preservation_notice(decision), title=NOTICE_TITLE, reference=case.number
    )
    decision.file.save(notice_filename(decision), ContentFile(content), save=False)
    decision.save(update_fields=["file"])
