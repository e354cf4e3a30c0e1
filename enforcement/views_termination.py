"""Pages of 终本 and settlements (issue 5): the panel on the case page (live checklist, the proposal, its
approval, the history, the ruling, the reason and follow-up; settlements), the division head's approval queue
and the court's list of 终本 cases. Each action posts to a ``CaseActionView`` that calls one service."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core.exceptions import InvalidInput
from core.export import MAX_EXPORT_ROWS, export_response
from core.files import stored_file_response
from core.mixins import CapabilityRequiredMixin

from .choices import ProposalStatus, Status
from .forms import (
    EmptyForm,
    SettlementForm,
    SettlementPerformedForm,
    TerminatedListFilterForm,
    TerminationDecisionForm,
    TerminationProposeForm,
)
from .selectors import terminated_case_list, termination_proposal_get, termination_proposal_list
from .services.settlements import settlement_mark_performed, settlement_record
from .services.termination import termination_decide, termination_propose, termination_withdraw
from .termination import termination_checklist
from .views import CaseActionView

PROPOSE_KEY = "termination_propose"
DECIDE_KEY = "termination_decide"
WITHDRAW_KEY = "termination_withdraw"
SETTLEMENT_KEY = "settlement_record"
PERFORMED_KEY = "settlement_performed"
LIST_PAGE = 50


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def termination_context(request, ec, bound: dict) -> dict:
    """Context for templates/enforcement/termination/_panel.html on the case page: the checklist evaluated
    today (with the pending proposal's facts), the proposals, what the user may do, and the settlements;
    ``bound`` holds a form that failed."""
    user = request.user
    today = timezone.localdate()
    proposals = list(ec.terminations.select_related("proposed_by", "decided_by"))
    pending = next((p for p in proposals if p.status == ProposalStatus.PENDING), None)
    approved = next((p for p in proposals if p.status == ProposalStatus.APPROVED), None)
    is_open = ec.status != Status.CLOSED
    failed_propose = bound.get(PROPOSE_KEY)
    checklist_data = pending or (failed_propose.cleaned_data if failed_propose is not None else None)
    checklist = termination_checklist(ec, checklist_data, today) if is_open or pending else []
    settlements = list(ec.settlements.select_related("recorded_by", "performance_recorded_by"))
    can_act = _can(user, "enforcement.act") and is_open
    for item in settlements:
        item.performed_form = (
            SettlementPerformedForm(initial={"settlement": item.pk}) if can_act and not item.performed_on else None
        )
    failed_performed = bound.get(PERFORMED_KEY)
    if failed_performed is not None:
        wanted = failed_performed.data.get("settlement")
        for item in settlements:
            if str(item.pk) == str(wanted):
                item.performed_form = failed_performed
    return {
        "termination_checklist": checklist,
        "termination_checklist_met": bool(checklist) and all(item.met for item in checklist),
        "termination_proposals": proposals,
        "termination_pending": pending,
        "termination_approved": approved,
        "can_propose_termination": can_act and pending is None,
        "can_decide_termination": (
            pending is not None and _can(user, "enforcement.approve_termination") and pending.proposed_by_id != user.pk
        ),
        "can_withdraw_termination": pending is not None and pending.proposed_by_id == user.pk,
        "termination_propose_form": failed_propose or TerminationProposeForm(),
        "termination_decide_form": bound.get(DECIDE_KEY) or TerminationDecisionForm(),
        "settlements": settlements,
        "can_record_settlement": can_act,
        "settlement_form": bound.get(SETTLEMENT_KEY) or SettlementForm(),
        "show_termination_panel": bool(proposals or settlements) or is_open,
    }


class TerminationProposeView(CaseActionView):
    capability = "enforcement.act"
    form_key = PROPOSE_KEY
    form_class = TerminationProposeForm

    def perform(self, ec, data):
        termination_propose(actor=self.request.user, enforcement_case=ec, **data)
        return _("终本 proposed; a division head decides.")


class TerminationDecideView(CaseActionView):
    """Decide the case's pending proposal (from the case page or the approval queue)."""

    capability = "enforcement.approve_termination"
    form_key = DECIDE_KEY
    form_class = TerminationDecisionForm

    def perform(self, ec, data):
        pending = ec.terminations.filter(status=ProposalStatus.PENDING).first()
        if pending is None:
            raise InvalidInput({"decision": _("No 终本 proposal is waiting for a decision.")})
        approve = data["decision"] == "approve"
        termination_decide(actor=self.request.user, proposal=pending, approve=approve, note=data["note"])
        if approve:
            return _("终本 approved: the case is closed and the ruling generated.")
        return _("终本 proposal refused.")

    def post(self, request, pk: int):
        response = super().post(request, pk)
        back = request.POST.get("next", "")
        if response.status_code == 302 and back == reverse("enforcement:terminations"):
            return redirect(back)
        return response


class TerminationWithdrawView(CaseActionView):
    capability = "enforcement.act"
    form_key = WITHDRAW_KEY
    form_class = EmptyForm

    def perform(self, ec, data):
        pending = ec.terminations.filter(status=ProposalStatus.PENDING).first()
        if pending is None:
            raise InvalidInput({"decision": _("No 终本 proposal is waiting for a decision.")})
        termination_withdraw(actor=self.request.user, proposal=pending)
        return _("终本 proposal withdrawn.")


class SettlementRecordView(CaseActionView):
    capability = "enforcement.act"
    form_key = SETTLEMENT_KEY
    form_class = SettlementForm

    def perform(self, ec, data):
        settlement_record(actor=self.request.user, enforcement_case=ec, **data)
        return _("Settlement agreement recorded.")


class SettlementPerformedView(CaseActionView):
    capability = "enforcement.act"
    form_key = PERFORMED_KEY
    form_class = SettlementPerformedForm

    def perform(self, ec, data):
        settlement = ec.settlements.filter(pk=data["settlement"]).first()
        if settlement is None:
            raise InvalidInput({"settlement": _("No such settlement on this case.")})
        settlement_mark_performed(actor=self.request.user, settlement=settlement, on=data["on"])
        return _("Settlement recorded as performed; the case may be closed as settled.")


class TerminationRulingView(CapabilityRequiredMixin, View):
    """The 终本 ruling (.docx) of a proposal, to users who can see its case."""

    capability = "enforcement.view"

    def get(self, request, pk: int):
        proposal = termination_proposal_get(user=request.user, pk=pk)
        name = f"终本裁定-{proposal.enforcement_case.case.number}.docx"
        return stored_file_response(proposal.ruling, filename=name)


class TerminationQueueView(CapabilityRequiredMixin, TemplateView):
    """The division head's approval queue: pending 终本 proposals at the court, with their checklist."""

    capability = "enforcement.approve_termination"
    template_name = "enforcement/termination/queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pending = list(termination_proposal_list(user=user, status=ProposalStatus.PENDING))
        for proposal in pending:
            proposal.unmet = [item for item in proposal.checklist if not item.get("met")]
        decided = list(termination_proposal_list(user=user).exclude(status=ProposalStatus.PENDING)[:20])
        context.update(pending=pending, decided=decided, form=TerminationDecisionForm())
        return context


class TerminatedListView(CapabilityRequiredMixin, ListView):
    """The court's 终本 cases: reason, follow-up, ruling date, amount outstanding; filters, sorting, 50 a page,
    CSV/Excel export of the filtered list."""

    capability = "enforcement.view"
    template_name = "enforcement/termination/terminated_list.html"
    paginate_by = LIST_PAGE
    context_object_name = "cases"

    def get_queryset(self):
        self.filter_form = TerminatedListFilterForm(self.request.GET or None)
        return self.filter_form.apply(terminated_case_list(user=self.request.user))

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx") and _can(request.user, "case.export"):
            return self._export(kind)
        return super().get(request, *args, **kwargs)

    def _export(self, kind: str):
        def rows():
            for ec in self.get_queryset()[:MAX_EXPORT_ROWS]:
                proposal = ec.approved_terminations[0] if ec.approved_terminations else None
                yield [
                    ec.case.number,
                    "；".join(link.party.name for link in ec.case.party_links.all() if link.role == "debtor"),
                    proposal.get_reason_display() if proposal else "",
                    proposal.get_follow_up_display() if proposal else "",
                    ec.closed_on,
                    ec.case.amount,
                    ec.outstanding,
                    str(ec.officer) if ec.officer else "",
                ]

        header = [
            _("Case number"),
            _("Debtors"),
            _("Reason"),
            _("Follow-up"),
            _("Ruling date"),
            _("Amount"),
            _("Outstanding"),
            _("Officer"),
        ]
        return export_response(
            kind=kind,
            filename="terminated-cases",
            header=header,
            rows=rows(),
            request=self.request,
            total=self.get_queryset(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for ec in context["cases"]:
            ec.termination = ec.approved_terminations[0] if ec.approved_terminations else None
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(filter_form=self.filter_form, query=query.urlencode())
        return context
