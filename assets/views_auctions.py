"""The disposal partial of an enforcement case (hx-get into the case page): the disposal timeline, each asset's
auctions (rounds, sale) with status, bids and deadlines, and the officer's forms — announce (with the ranked
platform recommendation and its reasons beside the choice; the officer decides), second round, sale, record
default / withdraw / suspend, settlement in kind. Bids and closing come from the platform through the agency
API (assets/api_auctions.py)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from cases.choices import PartyRole
from core.access import get_visible_or_404, require_capability
from core.exceptions import ApplicationError, InvalidInput
from core.mixins import CapabilityRequiredMixin
from enforcement.services.objections import pending_third_party_objection

from .choices import AgencyKind, AuctionKind, AuctionStatus, ControlStatus
from .models import Agency, Asset, Auction
from .recommendation import recommend_platforms
from .selectors import asset_get_for_case, enforcement_case_for_queries
from .services import auctions as disposal
from .views import _amount, _can, _date


def _datetime(value: str, field: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            {field: _("Enter a date and time such as 2026-01-31T10:00.")}, code="auction.datetime"
        ) from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _required_amount(data, field: str):
    amount = _amount(data.get(field, ""), field)
    if amount is None:
        raise InvalidInput({field: _("Enter an amount in yuan, such as 12345.67.")}, code="auction.amount")
    return amount


def _required_date(data, field: str) -> dt.date:
    day = _date(data.get(field, ""), field)
    if day is None:
        raise InvalidInput({field: _("Enter a date such as 2026-01-31.")}, code="auction.date")
    return day


def _terms(data, price_field: str = "starting_price") -> dict:
    return {
        price_field: _required_amount(data, "starting_price"),
        "deposit": _required_amount(data, "deposit"),
        "increment": _required_amount(data, "increment"),
        "announced_on": _required_date(data, "announced_on"),
        "starts_at": _datetime(data.get("starts_at", ""), "starts_at"),
        "ends_at": _datetime(data.get("ends_at", ""), "ends_at"),
        "parties_notified_on": _date(data.get("parties_notified_on", ""), "parties_notified_on"),
    }


def auction_of_case(*, user, enforcement_case, pk) -> Auction:
    require_capability(user, "assets.view")
    return get_visible_or_404(
        Auction.objects.filter(enforcement_case=enforcement_case),
        user,
        court_field="enforcement_case__case__court",
        pk=pk,
    )


class CaseDisposalView(CapabilityRequiredMixin, View):
    """GET: the case's disposal panel; POST (capability "assets.control", field ``action`` = announce /
    second_round / sale / default / withdraw / suspend / in_kind): act, and answer with the partial again."""

    capability = "assets.view"
    template_name = "assets/auction_case.html"

    def _render(self, request, enforcement_case, *, error: str = "", status: int = 200):
        today = timezone.localdate()
        auctions = list(
            Auction.objects.filter(enforcement_case=enforcement_case)
            .select_related("asset", "platform", "reference_price")
            .prefetch_related("bids")
            .order_by("asset_id", "round", "id")
        )
        followed = {a.previous_id for a in auctions if a.previous_id}
        for auction in auctions:
            auction.bid_list = sorted(auction.bids.all(), key=lambda b: (b.at, b.pk), reverse=True)
            auction.can_follow = auction.pk not in followed and auction.status in (
                AuctionStatus.FAILED,
                AuctionStatus.DEFAULTED,
            )
            auction.next_step = (
                ("second_round" if auction.round == 1 else "sale")
                if auction.kind == AuctionKind.AUCTION and auction.can_follow
                else ""
            )
        busy = {a.asset_id for a in auctions}
        seized = list(
            Asset.objects.filter(
                controls__enforcement_case=enforcement_case,
                controls__status=ControlStatus.ACTIVE,
                controls__position=1,
            )
            .exclude(pk__in=busy)
            .distinct()
            .order_by("pk")
        )
        recommendations = {}
        for asset in seized:
            if asset.category not in recommendations:
                recommendations[asset.category] = recommend_platforms(
                    category=asset.category, kind=AgencyKind.AUCTION_PLATFORM
                )
            asset.recommendations = recommendations[asset.category]
            # 民诉法 2023 art. 238: while a third-party objection on the asset is pending, it is not disposed of
            asset.pending_objection = pending_third_party_objection(asset.pk)
        settle = [
            a
            for a in auctions
            if a.kind == AuctionKind.SALE and a.status == AuctionStatus.FAILED and a.pk not in followed
        ]
        context = {
            "enforcement_case": enforcement_case,
            "timeline": disposal.disposal_timeline(enforcement_case, today=today),
            "auctions": auctions,
            "seized": seized,
            "settle": settle,
            "creditors": [link.party for link in enforcement_case.case.party_links.filter(role=PartyRole.CREDITOR)],
            "can_control": _can(request.user, "assets.control"),
            "live": disposal.LIVE,
            "error": error,
            "today": today,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, enforcement_pk: int):
        return self._render(request, enforcement_case_for_queries(user=request.user, pk=enforcement_pk))

    def _act(self, request, enforcement_case) -> None:
        data, action, actor = request.POST, request.POST.get("action"), request.user
        if action == "announce":
            asset = asset_get_for_case(user=actor, enforcement_case=enforcement_case, pk=data.get("asset"))
            platform = Agency.objects.filter(pk=data.get("platform") or None).first()
            if platform is None:
                raise InvalidInput({"platform": _("Choose a platform.")}, code="auction.platform")
            disposal.auction_announce(
                actor=actor, asset=asset, platform=platform, enforcement_case=enforcement_case, **_terms(data)
            )
            return
        if action == "in_kind":
            asset = asset_get_for_case(user=actor, enforcement_case=enforcement_case, pk=data.get("asset"))
            creditor = next(
                (p for p in enforcement_case.case.party_links.all() if str(p.party_id) == data.get("creditor")), None
            )
            if creditor is None:
                raise InvalidInput({"creditor": _("Choose a creditor of this case.")}, code="auction.in_kind_creditor")
            disposal.in_kind_settlement_record(
                actor=actor,
                asset=asset,
                creditor=creditor.party,
                accepted_on=_required_date(data, "accepted_on"),
            )
            return
        auction = auction_of_case(user=actor, enforcement_case=enforcement_case, pk=data.get("auction"))
        if action == "second_round":
            disposal.auction_second_round(actor=actor, previous=auction, **_terms(data))
        elif action == "sale":
            disposal.sale_start(actor=actor, previous=auction, **_terms(data, "price"))
        elif action == "default":
            disposal.auction_default(actor=actor, auction=auction, reason=data.get("reason", ""))
        elif action == "withdraw":
            disposal.auction_withdraw(actor=actor, auction=auction, reason=data.get("reason", ""))
        elif action == "suspend":
            disposal.auction_suspend(actor=actor, auction=auction, reason=data.get("reason", ""))
        else:
            raise InvalidInput({"action": _("Unknown action.")}, code="auction.action")

    def post(self, request, enforcement_pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=enforcement_pk)
        try:
            require_capability(request.user, "assets.control")
            self._act(request, enforcement_case)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            return self._render(request, enforcement_case, error=exc.message or _("Refused."), status=exc.status_code)
        return self._render(request, enforcement_case)
