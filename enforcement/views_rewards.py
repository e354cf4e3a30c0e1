"""Pages of reward notices (悬赏公告) and tip-offs (线索举报).

Staff: the case-page panel ``enforcement:case-rewards`` (GET renders; POST with ``action`` = publish /
withdraw / handle runs one service, and a refusal answers with the panel and its message, status 400/403/409).
The tipster's identity is shown in full only to the officer of the case (each read audited), masked otherwise.

Public (no login, namespace "public"): the published notices, one notice with the tip-off form, the tip-off
form for a listed debtor's case (by its public case number), and the thank-you page. A flood answers 429 with
the limit named; a filled honeypot gets the thank-you page and nothing is written."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from cases.choices import PartyRole
from core.access import require_capability
from core.exceptions import ApplicationError, InvalidInput
from core.mixins import CapabilityRequiredMixin

from .choices import RewardStatus, TipStatus
from .forms_rewards import RewardPublishForm, RewardWithdrawForm, TipHandleForm, TipOffForm
from .models import RewardNotice
from .selectors import enforcement_case_get
from .services.rewards import (
    _parties,
    amount_owed,
    in_enforcement,
    public_case_for_tips,
    public_notice_get,
    public_notices,
    reward_publish,
    reward_withdraw,
    tip_handle,
    tip_reveal,
    tip_submit,
)

PUBLIC_PAGE = 25


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


class CaseRewardsView(CapabilityRequiredMixin, View):
    """The reward notices and tip-offs panel of an enforcement case (loaded by htmx into the case page)."""

    capability = "enforcement.view"
    template_name = "enforcement/rewards/_panel.html"

    def _render(self, request, ec, *, error: str = "", status: int = 200, forms: dict | None = None):
        user = request.user
        forms = forms or {}
        creditors = _parties(ec, PartyRole.CREDITOR)
        debtors = _parties(ec, PartyRole.DEBTOR)
        notices = list(ec.reward_notices.select_related("debtor", "applicant", "published_by"))
        today = timezone.localdate()
        may_act = _can(user, "enforcement.rewards")
        for notice in notices:
            notice.in_force = notice.status == RewardStatus.PUBLISHED and notice.expires_on >= today
            notice.can_withdraw = may_act and notice.status == RewardStatus.PUBLISHED
        tips = list(ec.tip_offs.select_related("reward_notice", "handled_by"))
        is_officer = user.is_superuser or (ec.officer_id is not None and ec.officer_id == user.pk)
        for tip in tips:
            tip.identity = tip_reveal(user=user, tip=tip, purpose="case page")
            tip.can_handle = may_act and is_officer and tip.status == TipStatus.NEW
            tip.limit_hint = (
                _("at most %(cap)s, or %(rate)s of what is recovered if less")
                % {"cap": tip.reward_notice.reward_cap, "rate": f"{tip.reward_notice.rate_percent}%"}
                if tip.reward_notice
                else _("no reward notice: no reward")
            )
        context = {
            "ec": ec,
            "notices": notices,
            "tips": tips,
            "error": error,
            "can_publish": may_act and in_enforcement(ec),
            "amount_owed": amount_owed(ec),
            "publish_form": forms.get("publish")
            or RewardPublishForm(
                creditors=creditors,
                debtors=debtors,
                initial={"reward_rate": "0.10", "expires_on": today + timezone.timedelta(days=90)},
            ),
            "withdraw_form": RewardWithdrawForm(),
            "handle_form": TipHandleForm(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        return self._render(request, enforcement_case_get(user=request.user, pk=pk))

    def post(self, request, pk: int):
        ec = enforcement_case_get(user=request.user, pk=pk)
        data, action, actor = request.POST, request.POST.get("action"), request.user
        forms = {}
        try:
            require_capability(actor, "enforcement.rewards")
            if action == "publish":
                form = forms["publish"] = RewardPublishForm(
                    data, creditors=_parties(ec, PartyRole.CREDITOR), debtors=_parties(ec, PartyRole.DEBTOR)
                )
                if not form.is_valid():
                    raise InvalidInput(form.errors, code="reward.invalid")
                parties = {p.pk: p for p in _parties(ec, PartyRole.CREDITOR) + _parties(ec, PartyRole.DEBTOR)}
                v = form.cleaned_data
                reward_publish(
                    actor=actor,
                    enforcement_case=ec,
                    applicant=parties.get(v["applicant"]),
                    debtor=parties.get(v["debtor"]),
                    reward_rate=v["reward_rate"],
                    reward_cap=v["reward_cap"],
                    expires_on=v["expires_on"],
                    text=v["text"],
                )
            elif action == "withdraw":
                form = RewardWithdrawForm(data)
                if not form.is_valid():
                    raise InvalidInput(form.errors, code="reward.invalid")
                notice = ec.reward_notices.filter(pk=form.cleaned_data["notice"]).first()
                if notice is None:
                    raise InvalidInput({"notice": _("Choose a notice of this case.")}, code="reward.invalid")
                reward_withdraw(actor=actor, notice=notice, reason=form.cleaned_data["reason"])
            elif action == "handle":
                form = TipHandleForm(data)
                if not form.is_valid():
                    raise InvalidInput(form.errors, code="tip.invalid")
                tip = ec.tip_offs.filter(pk=form.cleaned_data["tip"]).first()
                if tip is None:
                    raise InvalidInput({"tip": _("Choose a lead of this case.")}, code="tip.invalid")
                v = form.cleaned_data
                tip_handle(
                    actor=actor,
                    tip=tip,
                    status=v["status"],
                    recovered=v["recovered"],
                    reward_paid=v["reward_paid"],
                    note=v["note"],
                )
            else:
                raise InvalidInput({"action": _("Unknown action.")}, code="reward.action")
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            return self._render(request, ec, error=exc.message or _("Refused."), status=exc.status_code, forms=forms)
        return self._render(request, ec)


def officer_new_tips(user, limit: int = 10) -> dict:
    """The officer's workspace card: new leads on the officer's cases (count and the latest few)."""
    from .services.rewards import tips_waiting_for

    tips = tips_waiting_for(user=user)
    return {"tips": list(tips[:limit]), "count": tips.count()}


# ---- public --------------------------------------------------------------------------------------------------


def _rate_limited(request, message: str):
    response = render(request, "enforcement/public/rewards_rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = "3600"
    return response


def _submit(request, *, notice: RewardNotice | None = None, case=None):
    """Run the tip-off form: a redirect to the thank-you page, a 429 page, or the bound form with errors."""
    form = TipOffForm(request.POST)
    if not form.is_valid():
        return form, None
    v = form.cleaned_data
    try:
        tip_submit(
            reward_notice=notice,
            enforcement_case=case,
            what=v["what"],
            where=v["where"],
            tipster_name=v["tipster_name"],
            tipster_contact=v["tipster_contact"],
            client_ip=client_ip(request),
            trap=v["website"],
        )
    except ApplicationError as exc:
        if exc.status_code == 429:
            return form, _rate_limited(request, exc.message)
        if exc.code == "tip.spam":
            return form, redirect("public:tip-thanks")  # a robot learns nothing
        if isinstance(exc, InvalidInput):
            for field, messages in exc.fields.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            return form, None
        form.add_error(None, exc.message)
        return form, None
    return form, redirect("public:tip-thanks")


@method_decorator(login_not_required, name="dispatch")
class RewardNoticeListView(ListView):
    """The published reward notices (debtor as published, ID numbers masked, amount owed, rule, expiry)."""

    template_name = "enforcement/public/rewards_list.html"
    paginate_by = PUBLIC_PAGE
    context_object_name = "notices"

    def get_queryset(self):
        return public_notices()


@method_decorator(login_not_required, name="dispatch")
class RewardNoticeDetailView(TemplateView):
    """One notice and the tip-off form (404 alike when missing, withdrawn or expired)."""

    template_name = "enforcement/public/rewards_detail.html"

    def get(self, request, pk: int):
        notice = public_notice_get(pk=pk)
        return self.render_to_response({"notice": notice, "form": TipOffForm()})

    def post(self, request, pk: int):
        notice = public_notice_get(pk=pk)
        form, response = _submit(request, notice=notice)
        if response is not None:
            return response
        return self.render_to_response({"notice": notice, "form": form}, status=400)


@method_decorator(login_not_required, name="dispatch")
class CaseTipOffView(TemplateView):
    """The tip-off form for a listed debtor's case, by its public case number (``?case=``)."""

    template_name = "enforcement/public/rewards_tip.html"

    def _case(self, request):
        return public_case_for_tips(number=request.GET.get("case") or request.POST.get("case") or "")

    def get(self, request):
        case = self._case(request)
        return self.render_to_response({"case": case, "form": TipOffForm()})

    def post(self, request):
        case = self._case(request)
        form, response = _submit(request, case=case)
        if response is not None:
            return response
        return self.render_to_response({"case": case, "form": form}, status=400)


@method_decorator(login_not_required, name="dispatch")
class TipThanksView(TemplateView):
    template_name = "enforcement/public/rewards_thanks.html"
