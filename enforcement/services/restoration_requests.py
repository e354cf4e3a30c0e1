"""The applicant's request to restore a 终本 case (恢复执行申请, 终本规定 2016 art. 9): recorded at the filing
window with the property lead, then accepted (the case is restored as a new 执恢 case) or refused with a
reason by someone who may restore cases.

The request may come at any time after 终本 and is not subject to the application period (art. 9; 解释 2022
art. 517). A lead supplied this way also means the case no longer counts as "no lead" for the dishonest-list
deletion (失信规定 art. 10(4)): ``property_lead_received`` tells the tracking.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.choices import PartyRole
from cases.services import notify_party, notify_user
from core.access import PERMISSION_MESSAGE, get_visible_or_404, require_capability
from core.audit import audit_record
from core.exceptions import PermissionDenied, RuleViolation
from core.models import User

from ..choices import ClosingKind, RestorationRequestStatus, Status
from ..models import EnforcementCase, RestorationRequest
from ..signals import property_lead_received
from .lifecycle import case_restore, lock_case

RECORDING_CAPABILITIES = ("enforcement.file", "enforcement.act")


def may_record_restoration_request(user: User) -> bool:
    """Clerks take the request at the filing window; officers may record one too."""
    return bool(user.is_authenticated and (user.is_superuser or any(user.can(c) for c in RECORDING_CAPABILITIES)))


def _require_terminated_not_restored(case: EnforcementCase) -> None:
    if case.status != Status.CLOSED or case.closing_kind != ClosingKind.TERMINATED_THIS_ROUND:
        raise RuleViolation(
            _("Only a case whose enforcement was terminated for this round (终本) can be restored (终本规定 art. 9)."),
            code="restore.not_terminated_this_round",
        )
    restored = case.restorations.select_related("case").first()
    if restored is not None:
        raise RuleViolation(
            _("This case has already been restored as %(number)s.") % {"number": restored.case.number},
            code="restore.already_restored",
        )


@transaction.atomic
def restoration_request_record(
    *, actor: User, enforcement_case: EnforcementCase, applicant_id: int, lead: str, received_on: dt.date
) -> RestorationRequest:
    """Record the applicant's request to restore the 终本 case ``enforcement_case`` with a property lead.

    Rules: the case is closed as 终本 and not restored yet; the applicant is a creditor (申请执行人) of the
    case; the lead is given; the request was received neither in the future nor before the case was closed.
    The case officer is told in the application, and ``property_lead_received`` is sent once committed.
    """
    if not may_record_restoration_request(actor):
        raise PermissionDenied(str(PERMISSION_MESSAGE), code="capability.enforcement.file")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    _require_terminated_not_restored(case)
    applicant = (
        case.case.party_links.filter(role=PartyRole.CREDITOR, party_id=applicant_id).select_related("party").first()
    )
    if applicant is None:
        raise RuleViolation(
            _("Only an applicant for enforcement (申请执行人) of the case may ask to restore it."),
            code="restoration.not_a_creditor",
        )
    lead = (lead or "").strip()
    if not lead:
        raise RuleViolation(
            _("Give the property lead the applicant supplied (终本规定 art. 9)."), code="restoration.lead_required"
        )
    if received_on > timezone.localdate():
        raise RuleViolation(_("The date cannot be in the future."), code="restoration.date_in_future")
    if received_on < case.closed_on:
        raise RuleViolation(
            _("The request cannot be received before the case was closed (%(day)s).")
            % {"day": case.closed_on.isoformat()},
            code="restoration.date_before_closing",
        )
    request = RestorationRequest(
        enforcement_case=case,
        applicant=applicant.party,
        lead=lead,
        received_on=received_on,
        recorded_by=actor,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="restoration.request",
        obj=request,
        changes={"case": case.case.number, "applicant": applicant.party_id, "received_on": str(received_on)},
    )
    if case.officer_id:
        notify_user(
            user=case.officer,
            case=case.case,
            kind="restoration.requested",
            subject=_("Restoration requested: %(number)s") % {"number": case.case.number},
            body=_("%(applicant)s asks to restore the case with a property lead: %(lead)s")
            % {"applicant": applicant.party.name, "lead": lead},
            link=reverse("enforcement:detail", args=[case.pk]),
        )
    transaction.on_commit(
        lambda: property_lead_received.send(sender=EnforcementCase, enforcement_case=case, on=received_on)
    )
    return request


@transaction.atomic
def restoration_request_decide(
    *, actor: User, request: RestorationRequest, accept: bool, note: str = "", on: dt.date | None = None
) -> RestorationRequest:
    """Accept (the case is restored on ``on``, today by default, through ``case_restore``) or refuse (with a
    note) a pending restoration request; the applicant is told either way.

    Needs the capability to restore (``enforcement.restore``). Accepting runs every rule of ``case_restore``
    (the case still 终本 and not restored, something outstanding, the date)."""
    require_capability(actor, "enforcement.restore")
    request = get_visible_or_404(
        RestorationRequest.objects.select_for_update(of=("self",)).select_related(
            "enforcement_case__case", "applicant"
        ),
        actor,
        court_field="enforcement_case__case__court",
        pk=request.pk,
    )
    if request.status != RestorationRequestStatus.PENDING:
        raise RuleViolation(
            _("This request was already decided (%(status)s).") % {"status": request.get_status_display()},
            code="restoration.already_decided",
        )
    note = (note or "").strip()
    number = request.enforcement_case.case.number
    if accept:
        reason = _("The applicant's request of %(day)s with a property lead: %(lead)s") % {
            "day": request.received_on.isoformat(),
            "lead": request.lead,
        }
        if note:
            reason = f"{reason} ({note})"
        restored = case_restore(
            actor=actor, enforcement_case=request.enforcement_case, on=on or timezone.localdate(), reason=reason
        )
        request.status, request.restored_as = RestorationRequestStatus.ACCEPTED, restored
        with translation.override(settings.LANGUAGE_CODE):  # parties are written to in the court's language
            subject = _("Enforcement of %(number)s restored") % {"number": number}
            body = _("Your request was accepted: enforcement goes on as case %(new)s.") % {"new": restored.case.number}
    else:
        if not note:
            raise RuleViolation(
                _("Give the reason for refusing the request (the lead was checked and found not true)."),
                code="restoration.note_required",
            )
        request.status = RestorationRequestStatus.REFUSED
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Restoration of %(number)s refused") % {"number": number}
            body = _("Your request to restore the case was refused: %(note)s") % {"note": note}
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="restoration.decide",
        obj=request,
        reason=note,
        changes={
            "case": number,
            "status": request.status,
            "restored_as": request.restored_as.case.number if request.restored_as else None,
        },
    )
    notify_party(
        party=request.applicant,
        case=request.enforcement_case.case,
        kind="restoration.decided",
        subject=subject,
        body=body,
        actor=actor,
    )
    return request
