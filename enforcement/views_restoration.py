"""Pages of the applicant's restoration requests (终本规定 2016 art. 9): the panel on the case page, recording
a request and deciding it. Each action posts to a ``CaseActionView`` that calls one service."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.exceptions import InvalidInput

from .choices import ClosingKind, RestorationRequestStatus, Status
from .forms_restoration import RestorationDecisionForm, RestorationRequestForm
from .services.restoration_requests import (
    may_record_restoration_request,
    restoration_request_decide,
    restoration_request_record,
)
from .views import CaseActionView

RECORD_KEY = "restoration_record"
DECIDE_KEY = "restoration_decide"


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def restoration_context(request, ec, bound: dict) -> dict:
    """Context for templates/enforcement/restoration/_panel.html: the case's requests, the record form (a 终本
    case not restored yet) and the decision forms of pending requests; ``bound`` holds a form that failed."""
    user = request.user
    requests = list(
        ec.restoration_requests.select_related("applicant", "recorded_by", "decided_by", "restored_as__case")
    )
    terminated = ec.status == Status.CLOSED and ec.closing_kind == ClosingKind.TERMINATED_THIS_ROUND
    not_restored = terminated and not ec.restorations.exists()
    record_form = bound.get(RECORD_KEY) or RestorationRequestForm(case=ec.case)
    failed_decision = bound.get(DECIDE_KEY)
    failed_pk = None
    if failed_decision is not None:
        try:
            failed_pk = int(failed_decision.data.get("request"))
        except (TypeError, ValueError):
            failed_pk = None
    can_decide = _can(user, "enforcement.restore")
    for item in requests:
        item.is_pending = item.status == RestorationRequestStatus.PENDING
        if item.is_pending and can_decide:
            if item.pk == failed_pk:
                item.decision_form = failed_decision
            else:
                item.decision_form = RestorationDecisionForm(initial={"request": item.pk})
        else:
            item.decision_form = None
    return {
        "restoration_requests": requests,
        "restoration_record_form": record_form,
        "restoration_failed_request": failed_pk,
        "can_record_restoration": not_restored and may_record_restoration_request(user),
        "can_decide_restoration": can_decide,
        "show_restoration_panel": bool(requests) or terminated,
    }


class RestorationRecordView(CaseActionView):
    """Record the applicant's request (clerks at the filing window, officers too: the service checks who)."""

    capability = "enforcement.view"
    form_key = RECORD_KEY
    form_class = RestorationRequestForm

    def form_kwargs(self, ec):
        return {"case": ec.case}

    def perform(self, ec, data):
        restoration_request_record(
            actor=self.request.user,
            enforcement_case=ec,
            applicant_id=data["applicant"].pk,
            lead=data["lead"],
            received_on=data["received_on"],
        )
        return _("Restoration request recorded; the officer is told.")


class RestorationDecideView(CaseActionView):
    """Accept (the case is restored as a new 执恢 case, whose page opens) or refuse a pending request."""

    capability = "enforcement.restore"
    form_key = DECIDE_KEY
    form_class = RestorationDecisionForm

    def perform(self, ec, data):
        pending = ec.restoration_requests.filter(pk=data["request"]).first()
        if pending is None:
            raise InvalidInput({"request": _("No such restoration request on this case.")})
        accept = data["decision"] == "accept"
        decided = restoration_request_decide(
            actor=self.request.user, request=pending, accept=accept, note=data["note"], on=data.get("on")
        )
        self.restored = decided.restored_as
        if accept:
            return _("Enforcement restored as %(number)s.") % {"number": decided.restored_as.case.number}
        return _("Restoration request refused; the applicant is told.")

    def success_url(self, ec):
        restored = getattr(self, "restored", None)
        return reverse("enforcement:detail", args=[restored.pk if restored else ec.pk])
