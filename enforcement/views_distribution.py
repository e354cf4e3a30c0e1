"""Pages of the distribution of the case fund (清偿顺序, 参与分配): the panel on the case page (fund balance, the
plans and their lines, proposing, the division head's decision, objections, payouts per line, the ageing
flags and the 执行完毕 hint) and the court-wide case-fund ageing list. Each action posts to a
``CaseActionView`` that calls one service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.exceptions import InvalidInput
from core.export import MAX_EXPORT_ROWS, export_response
from core.mixins import CapabilityRequiredMixin

from .checks import distribution_claim_hints
from .choices import Status
from .models import DistributionLine, EnforcementCase
from .services.distribution import (
    AGEING_FLAGS,
    completion_offered,
    distribution_decide,
    distribution_objection_decide,
    distribution_objection_record,
    distribution_pay,
    distribution_propose,
    fund_ageing,
    paid_to_creditors,
)
from .services.ledger import fund_balance
from .views import CaseActionView

PROPOSE_KEY = "distribution_propose"
DECIDE_KEY = "distribution_decide"
OBJECTION_KEY = "distribution_objection"
OBJECTION_DECIDE_KEY = "distribution_objection_decide"
PAY_KEY = "distribution_pay"
RULE_CHOICES = [
    ("pro_rata", gettext_lazy("Pro rata among the creditors who joined (参与分配, natural-person debtor)")),
    ("control_order", gettext_lazy("In the order of control: first frozen, first paid (organisation debtor)")),
]


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


class DistributionProposeForm(forms.Form):
    fund_total = forms.DecimalField(label=gettext_lazy("Amount to distribute"), max_digits=16, decimal_places=2)
    rule = forms.ChoiceField(label=gettext_lazy("Order of the ordinary claims"), choices=RULE_CHOICES)
    claims = forms.CharField(
        label=gettext_lazy("Claims"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One claim a line: class (costs, secured, ordinary); recipient party number (blank for costs); "
            "amount; position in the order of control; description — separated by semicolons."
        ),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_claims(self):
        rows = []
        for number, raw in enumerate(self.cleaned_data["claims"].splitlines(), start=1):
            if not raw.strip():
                continue
            cells = [cell.strip() for cell in raw.replace("；", ";").split(";")] + ["", "", "", "", ""]
            kind, recipient, amount, position, description = cells[:5]
            try:
                rows.append(
                    {
                        "kind": kind,
                        "recipient": int(recipient) if recipient else None,
                        "amount": Decimal(amount),
                        "control_position": int(position) if position else None,
                        "description": description,
                    }
                )
            except (ValueError, InvalidOperation) as exc:
                raise forms.ValidationError(_("Line %(n)d cannot be read.") % {"n": number}) from exc
        if not rows:
            raise forms.ValidationError(_("List the claims to pay."))
        return rows


class DistributionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("refuse", gettext_lazy("Refuse"))],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DistributionObjectionForm(forms.Form):
    party = forms.IntegerField(label=gettext_lazy("Objecting party"))
    text = forms.CharField(label=gettext_lazy("Objection"), widget=forms.Textarea(attrs={"rows": 2}))
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"}))


class DistributionObjectionDecideForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[("1", gettext_lazy("Upheld")), ("0", gettext_lazy("Dismissed"))],
        coerce=lambda value: value == "1",
    )
    outcome = forms.CharField(label=gettext_lazy("Reasons"))


class DistributionPayForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=gettext_lazy("Amount"), max_digits=16, decimal_places=2)
    reference = forms.CharField(label=gettext_lazy("Payment reference"), max_length=80)


def _open_plan(ec: EnforcementCase):
    return ec.distributions.filter(status__in=("proposed", "approved")).first()


def distribution_context(request, ec: EnforcementCase, bound: dict) -> dict:
    """Context for templates/enforcement/distribution/_panel.html on the case page; ``bound`` holds a form
    that failed."""
    user = request.user
    is_open = ec.status != Status.CLOSED
    can_act = _can(user, "enforcement.act") and is_open
    plans = list(
        ec.distributions.prefetch_related("lines__recipient", "objections__party").select_related(
            "proposed_by", "decided_by"
        )
    )
    open_plan = next((p for p in plans if p.status in ("proposed", "approved")), None)
    for plan in plans:
        plan.line_rows = list(plan.lines.all())
        plan.objection_rows = list(plan.objections.all())
        for line in plan.line_rows:
            line.left = line.allocated - line.paid
            line.can_pay = can_act and plan.status == "approved" and line.left > 0
    rows = fund_ageing(user=user, today=timezone.localdate(), enforcement_case=ec)
    parties = list(ec.case.party_links.select_related("party").order_by("role", "id"))
    balance = fund_balance(enforcement_case=ec).quantize(Decimal("0.01"))
    return {
        "distribution_balance": balance,
        "distribution_plans": plans,
        "distribution_open_plan": open_plan,
        "distribution_parties": parties,
        "distribution_hints": distribution_claim_hints(ec) if can_act and open_plan is None else [],
        "distribution_ageing": rows,
        "distribution_ageing_flagged": [row for row in rows if row.flag and not row.paid_out],
        "distribution_paid_to_creditors": paid_to_creditors(enforcement_case=ec),
        "distribution_completion_offered": completion_offered(enforcement_case=ec),
        # nothing held, nothing to distribute (a paid-out fund is not offered a new plan)
        "can_propose_distribution": can_act and open_plan is None and balance > 0,
        "can_decide_distribution": (
            open_plan is not None
            and open_plan.status == "proposed"
            and _can(user, "enforcement.approve_distribution")
            and open_plan.proposed_by_id != user.pk
        ),
        "can_act_distribution": can_act,
        "distribution_propose_form": bound.get(PROPOSE_KEY) or DistributionProposeForm(),
        "distribution_decide_form": bound.get(DECIDE_KEY) or DistributionDecideForm(),
        "distribution_objection_form": bound.get(OBJECTION_KEY) or DistributionObjectionForm(),
        "distribution_pay_form": bound.get(PAY_KEY),
        "show_distribution_panel": bool(plans) or is_open,
    }


class DistributionProposeView(CaseActionView):
    capability = "enforcement.act"
    form_key = PROPOSE_KEY
    form_class = DistributionProposeForm

    def perform(self, ec, data):
        distribution_propose(actor=self.request.user, enforcement_case=ec, **data)
        return _("Distribution plan proposed; a division head decides.")


class DistributionDecideView(CaseActionView):
    capability = "enforcement.approve_distribution"
    form_key = DECIDE_KEY
    form_class = DistributionDecideForm

    def perform(self, ec, data):
        plan = ec.distributions.filter(status="proposed").first()
        if plan is None:
            raise InvalidInput({"decision": _("No distribution plan is waiting for a decision.")})
        approve = data["decision"] == "approve"
        distribution_decide(actor=self.request.user, plan=plan, approve=approve, note=data["note"])
        return _("Distribution plan approved.") if approve else _("Distribution plan refused.")


class DistributionObjectionView(CaseActionView):
    capability = "enforcement.act"
    form_key = OBJECTION_KEY
    form_class = DistributionObjectionForm

    def perform(self, ec, data):
        plan = _open_plan(ec)
        if plan is None:
            raise InvalidInput({"text": _("There is no open distribution plan.")})
        party = ec.case.parties.filter(pk=data["party"]).first()
        distribution_objection_record(
            actor=self.request.user, plan=plan, party=party, text=data["text"], received_on=data["received_on"]
        )
        return _("Objection recorded.")


class DistributionObjectionDecideView(CaseActionView):
    capability = "enforcement.act"
    form_key = OBJECTION_DECIDE_KEY
    form_class = DistributionObjectionDecideForm

    def perform(self, ec, data):
        from .models import DistributionObjection

        objection = DistributionObjection.objects.filter(pk=data["objection"], plan__enforcement_case=ec).first()
        if objection is None:
            raise InvalidInput({"objection": _("No such objection on this case.")})
        distribution_objection_decide(
            actor=self.request.user, objection=objection, upheld=data["upheld"], outcome=data["outcome"]
        )
        return _("Outcome of the objection recorded.")


class DistributionPayView(CaseActionView):
    capability = "enforcement.act"
    form_key = PAY_KEY
    form_class = DistributionPayForm

    def perform(self, ec, data):
        line = DistributionLine.objects.filter(pk=data["line"], plan__enforcement_case=ec).first()
        if line is None:
            raise InvalidInput({"line": _("No such line on this case.")})
        distribution_pay(actor=self.request.user, line=line, amount=data["amount"], reference=data["reference"])
        return _("Payout recorded.")


class FundAgeingListView(CapabilityRequiredMixin, TemplateView):
    """The court's case-fund ageing: each receipt, days until paid out or held so far, flag (5/10/15/30 days);
    ``?flag=`` keeps those at that flag or above, ``?held=1`` only money still held; CSV/Excel export."""

    capability = "enforcement.view"
    template_name = "enforcement/distribution/ageing_list.html"

    def rows(self):
        rows = fund_ageing(user=self.request.user, today=timezone.localdate())
        flag = self.request.GET.get("flag", "")
        if flag.isdigit():
            rows = [row for row in rows if row.flag >= int(flag)]
        if self.request.GET.get("held") == "1":
            rows = [row for row in rows if not row.paid_out]
        rows.sort(key=lambda row: (-row.days, row.entry.pk))
        numbers = dict(
            EnforcementCase.objects.filter(pk__in={row.enforcement_case_id for row in rows}).values_list(
                "pk", "case__number"
            )
        )
        return [{"row": row, "case_number": numbers.get(row.enforcement_case_id, "")} for row in rows]

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx") and _can(request.user, "case.export"):
            header = [
                _("Case number"),
                _("Received"),
                _("Amount"),
                _("Days"),
                _("Paid out"),
                _("Still held"),
                _("Flag"),
            ]
            body = (
                [
                    item["case_number"],
                    timezone.localtime(item["row"].entry.at).date(),
                    item["row"].entry.amount,
                    item["row"].days,
                    _("yes") if item["row"].paid_out else _("no"),
                    item["row"].outstanding,
                    item["row"].flag or "",
                ]
                for item in self.rows()[:MAX_EXPORT_ROWS]
            )
            return export_response(kind=kind, filename="fund-ageing", header=header, rows=body)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        context.update(
            rows=self.rows(),
            flags=AGEING_FLAGS[::-1],
            flag=self.request.GET.get("flag", ""),
            held=self.request.GET.get("held", ""),
            query=query.urlencode(),
        )
        return context
