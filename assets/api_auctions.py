"""/api/v1/: disposal of assets (网拍规定 2016).

Officers (session, capability "assets.view" to read, "assets.control" to act): the case's disposal timeline
and auctions, announce, second round, sale, default, withdraw, suspend, settlement in kind, and the ranked
platform / valuer recommendation. Platforms (agency clients of kind auction_platform with an API key of scope
"agency", like the query agencies): list their live auctions, report bids, close bidding. Another platform's
auction is "not found", exactly like a missing one."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import get_visible_or_404, require_capability
from core.drf import HasCapability, capability_for_method
from core.exceptions import InvalidInput, NotFound
from core.serializers import CodeRelatedField

from .api import AgencyApiMixin
from .choices import AgencyKind, AssetCategory
from .models import Agency, Auction, Bid, InKindSettlement
from .recommendation import recommend_platforms
from .selectors import asset_get_for_case, enforcement_case_for_queries
from .services import auctions as disposal
from .services.answers import agency_of

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": 0}


class BidSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bid
        fields = ["id", "bidder", "amount", "at"]


class AuctionSerializer(serializers.ModelSerializer):
    platform = serializers.SlugRelatedField(slug_field="code", read_only=True)
    asset_category = serializers.CharField(source="asset.category", read_only=True)
    asset_identifier = serializers.CharField(source="asset.identifier", read_only=True)
    case_number = serializers.CharField(source="enforcement_case.case.number", read_only=True)
    bids = BidSerializer(many=True, read_only=True)

    class Meta:
        model = Auction
        fields = [
            "id",
            "case_number",
            "asset",
            "asset_category",
            "asset_identifier",
            "platform",
            "kind",
            "round",
            "previous",
            "starting_price",
            "deposit",
            "increment",
            "parties_notified_on",
            "announced_on",
            "starts_at",
            "ends_at",
            "status",
            "final_price",
            "buyer",
            "closed_at",
            "bids",
        ]


class PlatformAuctionSerializer(AuctionSerializer):
    class Meta(AuctionSerializer.Meta):
        fields = [f for f in AuctionSerializer.Meta.fields if f != "case_number"]


class TermsSerializer(serializers.Serializer):
    starting_price = serializers.DecimalField(**MONEY)
    deposit = serializers.DecimalField(**MONEY)
    increment = serializers.DecimalField(**MONEY)
    announced_on = serializers.DateField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    parties_notified_on = serializers.DateField(allow_null=True, default=None)


class AnnounceSerializer(TermsSerializer):
    asset = serializers.IntegerField()
    platform = CodeRelatedField(slug_field="code", queryset=Agency.objects.all())


class AuctionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InKindSerializer(serializers.Serializer):
    asset = serializers.IntegerField()
    creditor = serializers.IntegerField(help_text=_("The creditor party's id."))
    value = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    accepted_on = serializers.DateField()


class InKindSettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = InKindSettlement
        fields = ["id", "asset", "enforcement_case", "creditor", "value", "accepted_on"]


class DisposalEntrySerializer(serializers.Serializer):
    date = serializers.DateField()
    what = serializers.CharField()
    status = serializers.ChoiceField(choices=["done", "pending", "overdue"])
    rule = serializers.CharField()
    asset = serializers.IntegerField(source="asset.pk", allow_null=True)
    auction = serializers.IntegerField(source="auction.pk", allow_null=True, default=None)


class DisposalSerializer(serializers.Serializer):
    timeline = DisposalEntrySerializer(many=True)
    auctions = AuctionSerializer(many=True)


class PlatformRecommendationSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    name = serializers.CharField(source="agency.name")
    volume = serializers.IntegerField()
    finished = serializers.IntegerField()
    sold = serializers.IntegerField()
    success_rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    average_premium = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    average_days_to_sale = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    objection_rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    on_time_rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    all_categories = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class PlaceBidSerializer(serializers.Serializer):
    bidder = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(**MONEY)
    at = serializers.DateTimeField(required=False, help_text=_("When the bid was made; now if omitted."))


class AuctionCloseSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, help_text=_("When bidding closed; now if omitted."))


def _auctions(enforcement_case):
    return (
        Auction.objects.filter(enforcement_case=enforcement_case)
        .select_related("asset", "platform", "enforcement_case__case")
        .prefetch_related("bids")
        .order_by("asset_id", "round", "id")
    )


def _staff_auction(request, pk: int) -> Auction:
    require_capability(request.user, "assets.view")
    return get_visible_or_404(
        Auction.objects.select_related("enforcement_case__case"),
        request.user,
        court_field="enforcement_case__case__court",
        pk=pk,
    )


# Officers.


class CaseDisposalApi(APIView):
    """The case's disposal: the deadlines (date, what, status, rule) in order, and its auctions with bids."""

    permission_classes = [capability_for_method(read="assets.view", write="assets.control")]

    @extend_schema(responses={200: DisposalSerializer})
    def get(self, request, pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=pk)
        data = {
            "timeline": disposal.disposal_timeline(enforcement_case),
            "auctions": list(_auctions(enforcement_case)),
        }
        return Response(DisposalSerializer(data).data)


class CaseAuctionAnnounceApi(APIView):
    """Announce the first online auction of an asset of the case (首封, valid reference price, ≥ 70 %, deposit
    5–20 %, notice 15/30 days, parties told 3 days before, ≥ 24 h of bidding)."""

    permission_classes = [HasCapability.of("assets.control")]

    @extend_schema(request=AnnounceSerializer, responses={201: AuctionSerializer})
    def post(self, request, pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=pk)
        data = AnnounceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        asset = asset_get_for_case(user=request.user, enforcement_case=enforcement_case, pk=values.pop("asset"))
        auction = disposal.auction_announce(
            actor=request.user, asset=asset, enforcement_case=enforcement_case, **values
        )
        return Response(AuctionSerializer(auction).data, status=status.HTTP_201_CREATED)


class AuctionSecondRoundApi(APIView):
    """The second auction after a failed or defaulted first (within 30 days, cut ≤ 20 %, notice 7/15 days)."""

    permission_classes = [HasCapability.of("assets.control")]

    @extend_schema(request=TermsSerializer, responses={201: AuctionSerializer})
    def post(self, request, pk: int):
        previous = _staff_auction(request, pk)
        data = TermsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        auction = disposal.auction_second_round(actor=request.user, previous=previous, **data.validated_data)
        return Response(AuctionSerializer(auction).data, status=status.HTTP_201_CREATED)


class AuctionSaleApi(APIView):
    """The sale (变卖) on the same platform after the second auction failed (``starting_price`` is the sale
    price: at most the second round's starting price, never below half the reference price)."""

    permission_classes = [HasCapability.of("assets.control")]

    @extend_schema(request=TermsSerializer, responses={201: AuctionSerializer})
    def post(self, request, pk: int):
        previous = _staff_auction(request, pk)
        data = TermsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["price"] = values.pop("starting_price")
        auction = disposal.sale_start(actor=request.user, previous=previous, **values)
        return Response(AuctionSerializer(auction).data, status=status.HTTP_201_CREATED)


class _AuctionStep(APIView):
    permission_classes = [HasCapability.of("assets.control")]
    step = None

    @extend_schema(request=AuctionReasonSerializer, responses={200: AuctionSerializer})
    def post(self, request, pk: int):
        auction = _staff_auction(request, pk)
        data = AuctionReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        auction = type(self).step(actor=request.user, auction=auction, reason=data.validated_data["reason"])
        return Response(AuctionSerializer(auction).data)


class AuctionDefaultApi(_AuctionStep):
    """Record the buyer's default (悔拍): the deposit is forfeited (art. 24)."""

    step = staticmethod(disposal.auction_default)


class AuctionWithdrawApi(_AuctionStep):
    """Withdraw (撤回) a live auction; a reason is required."""

    step = staticmethod(disposal.auction_withdraw)


class AuctionSuspendApi(_AuctionStep):
    """Suspend (中止) a live auction; a reason is required."""

    step = staticmethod(disposal.auction_suspend)


class CaseInKindSettlementApi(APIView):
    """Record a settlement in kind (以物抵债) after the sale failed: a creditor of the case takes the asset at
    the last starting price."""

    permission_classes = [HasCapability.of("assets.control")]

    @extend_schema(request=InKindSerializer, responses={201: InKindSettlementSerializer})
    def post(self, request, pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=pk)
        data = InKindSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        asset = asset_get_for_case(user=request.user, enforcement_case=enforcement_case, pk=values["asset"])
        link = enforcement_case.case.party_links.filter(party_id=values["creditor"]).select_related("party").first()
        if link is None:
            raise InvalidInput({"creditor": _("Choose a creditor of this case.")}, code="auction.in_kind_creditor")
        settlement = disposal.in_kind_settlement_record(
            actor=request.user,
            asset=asset,
            creditor=link.party,
            value=values.get("value"),
            accepted_on=values["accepted_on"],
        )
        return Response(InKindSettlementSerializer(settlement).data, status=status.HTTP_201_CREATED)


class RecommendationApi(APIView):
    """Auction platforms (``kind=auction_platform``) or valuers (``kind=valuer``) ranked by their record on an
    asset category, with figures and reasons. Advice only: the officer chooses."""

    permission_classes = [HasCapability.of("assets.view")]

    @extend_schema(
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR, enum=AssetCategory.values),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=[AgencyKind.AUCTION_PLATFORM, AgencyKind.VALUER], required=False
            ),
        ],
        responses={200: PlatformRecommendationSerializer(many=True)},
    )
    def get(self, request):
        category = request.query_params.get("category") or None
        kind = request.query_params.get("kind") or AgencyKind.AUCTION_PLATFORM
        if category is not None and category not in AssetCategory.values:
            raise InvalidInput({"category": _("Unknown asset category.")}, code="recommendation.category")
        if kind not in (AgencyKind.AUCTION_PLATFORM, AgencyKind.VALUER):
            raise InvalidInput({"kind": _("Auction platforms or valuers only.")}, code="recommendation.kind")
        return Response(
            PlatformRecommendationSerializer(recommend_platforms(category=category, kind=kind), many=True).data
        )


# Platforms (agency clients of kind auction_platform).


def _platform_of(request) -> Agency:
    agency = agency_of(request.user)
    if agency.kind != AgencyKind.AUCTION_PLATFORM:
        raise NotFound(_("Not found."), code="auction.not_a_platform")
    return agency


def _platform_auction(request, pk: int) -> Auction:
    auction = Auction.objects.filter(pk=pk, platform=_platform_of(request)).first()
    if auction is None:
        raise NotFound(_("Not found."), code="auction.not_found")
    return auction


class PlatformAuctionListApi(AgencyApiMixin, APIView):
    """The calling platform's live auctions (announced or bidding), soonest end first."""

    @extend_schema(responses={200: PlatformAuctionSerializer(many=True)})
    def get(self, request):
        platform = _platform_of(request)
        rows = (
            Auction.objects.filter(platform=platform, status__in=disposal.LIVE)
            .select_related("asset", "platform")
            .prefetch_related("bids")
            .order_by("ends_at", "id")
        )
        return Response(PlatformAuctionSerializer(rows, many=True).data)


class PlatformBidApi(AgencyApiMixin, APIView):
    """Report a bid on one of the calling platform's auctions: ≥ the starting price, then ≥ the highest bid
    plus the increment; a bid in the last 5 minutes extends bidding to 5 minutes after it."""

    @extend_schema(
        request=PlaceBidSerializer,
        responses={
            201: inline_serializer("BidReceipt", {"bid": BidSerializer(), "ends_at": serializers.DateTimeField()})
        },
    )
    def post(self, request, pk: int):
        auction = _platform_auction(request, pk)
        data = PlaceBidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        bid = disposal.auction_bid(
            auction=auction, bidder=values["bidder"], amount=values["amount"], at=values.get("at") or timezone.now()
        )
        auction.refresh_from_db(fields=["ends_at"])
        return Response(
            {"bid": BidSerializer(bid).data, "ends_at": serializers.DateTimeField().to_representation(auction.ends_at)},
            status=status.HTTP_201_CREATED,
        )


class PlatformCloseApi(AgencyApiMixin, APIView):
    """Close bidding on one of the calling platform's auctions once it has ended: sold to the highest bid (the
    proceeds enter the case fund once) or failed (流拍)."""

    @extend_schema(request=AuctionCloseSerializer, responses={200: PlatformAuctionSerializer})
    def post(self, request, pk: int):
        auction = _platform_auction(request, pk)
        data = AuctionCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        auction = disposal.auction_close(
            auction=auction, now=data.validated_data.get("at") or timezone.now(), actor=request.user
        )
        return Response(PlatformAuctionSerializer(auction).data)
