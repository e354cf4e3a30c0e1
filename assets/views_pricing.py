"""Pages of the reference price (参考价规定 2018): the case-page partial (hx-get) listing the case's controlled
assets with their price attempts and quotes, and the forms that start the next method and record each step.
POST (capability "assets.control", field ``action``) acts and answers with the partial again."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.access import require_capability
from core.exceptions import ApplicationError, InvalidInput
from core.mixins import CapabilityRequiredMixin

from .choices import AgencyKind, PriceMethod, PriceStatus
from .models import Agency, Asset
from .selectors import asset_get_for_case, enforcement_case_for_queries
from .services import pricing
from .views import _amount, _can, _date


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput({field: _("Enter a whole number.")}, code="price.number") from None


class CasePricingView(CapabilityRequiredMixin, View):
    capability = "assets.view"
    template_name = "assets/pricing_case.html"

    def _render(self, request, enforcement_case, *, error: str = "", status: int = 200):
        today = timezone.localdate()
        prices = list(pricing.case_price_list(user=request.user, enforcement_case=enforcement_case))
        assets = list(
            Asset.objects.filter(
                controls__enforcement_case=enforcement_case, controls__status__in=pricing.LIVE
            ).distinct().order_by("pk")
        )  # fmt: skip
        rows = []
        for asset in assets:
            mine = [p for p in prices if p.asset_id == asset.pk]
            current = next(
                (p for p in mine if p.status == PriceStatus.DETERMINED and p.valid_until and p.valid_until >= today),
                None,
            )
            in_progress = next((p for p in mine if p.status == PriceStatus.IN_PROGRESS), None)
            rows.append(
                {
                    "asset": asset,
                    "prices": mine,
                    "current": current,
                    "in_progress": in_progress,
                    "next": pricing.next_methods(asset) if not (current or in_progress) else [],
                }
            )
        context = {
            "enforcement_case": enforcement_case,
            "rows": rows,
            "methods": PriceMethod.choices,
            "valuers": Agency.objects.filter(kind=AgencyKind.VALUER, active=True).order_by("name"),
            "can_act": _can(request.user, "assets.control"),
            "today": today,
            "error": error,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, enforcement_pk: int):
        return self._render(request, enforcement_case_for_queries(user=request.user, pk=enforcement_pk))

    def _act(self, request, enforcement_case) -> None:
        data, action, user = request.POST, request.POST.get("action"), request.user
        on = _date(data.get("on", ""), "on") or timezone.localdate()
        if action == "start":
            asset = asset_get_for_case(user=user, enforcement_case=enforcement_case, pk=data.get("asset"))
            pricing.price_start(
                actor=user,
                asset=asset,
                enforcement_case=enforcement_case,
                method=data.get("method", ""),
                skip_reason=data.get("skip_reason", ""),
                on=on,
            )
            return
        if action in ("objection", "objection_reject"):
            quote = pricing.quote_get(user=user, pk=_int(data.get("quote"), "quote"))
            if quote.reference_price.enforcement_case_id != enforcement_case.pk:
                raise InvalidInput({"quote": _("Not a quote of this case.")}, code="price.foreign_quote")
            if action == "objection":
                pricing.price_objection(actor=user, quote=quote, text=data.get("text", ""), on=on)
            else:
                pricing.price_objection_reject(actor=user, quote=quote)
            return
        price = pricing.price_get(user=user, pk=_int(data.get("price"), "price"))
        if price.enforcement_case_id != enforcement_case.pk:
            raise InvalidInput({"price": _("Not a price of this case.")}, code="price.foreign_price")
        if action == "negotiated":
            pricing.price_negotiated(
                actor=user,
                price=price,
                creditor_figure=_amount(data.get("creditor_figure", ""), "creditor_figure"),
                debtor_figure=_amount(data.get("debtor_figure", ""), "debtor_figure"),
                on=on,
            )
        elif action == "directed":
            pricing.price_directed(
                actor=user,
                price=price,
                value=_amount(data.get("value", ""), "value"),
                source=data.get("source", ""),
                reason=data.get("reason", ""),
                on=on,
            )
        elif action == "settle":
            require_capability(user, pricing.CAPABILITY)
            pricing.price_inquiry_settle(price=price)
        elif action == "commission":
            ids = [_int(v, "valuer_ids") for v in data.getlist("valuer_ids") if v]
            pricing.price_appraisal_commission(actor=user, price=price, valuer_ids=ids or None)
        elif action == "extend":
            pricing.price_appraisal_extend(actor=user, price=price, days=_int(data.get("days"), "days"))
        elif action == "report":
            pricing.price_appraisal_report(actor=user, price=price, amount=data.get("amount", ""), on=on)
        elif action == "appraisal_objection":
            pricing.price_appraisal_objection(actor=user, price=price, text=data.get("text", ""), on=on)
        else:
            raise InvalidInput({"action": _("Unknown action.")}, code="price.action")

    def post(self, request, enforcement_pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=enforcement_pk)
        try:
            require_capability(request.user, pricing.CAPABILITY)
            self._act(request, enforcement_case)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            return self._render(request, enforcement_case, error=exc.message or _("Refused."), status=exc.status_code)
        return self._render(request, enforcement_case)
