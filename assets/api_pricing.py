"""REST API of the reference price (参考价规定 2018).

Officers (session, capability ``assets.view`` to read, ``assets.control`` to act): the case's prices, starting
a method, recording the negotiation / directed inquiry, objections to online results, the valuation steps.
Platforms (API key of scope "agency"): their own online-inquiry quotes and their answers — the inquiry cannot
travel as an ``AgencyRequest`` (its check constraint ties requests to query batches and control measures), so
platforms pull ``PriceQuote`` rows here.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.drf import HasCapability, capability_for_method
from core.exceptions import InvalidInput

from .api import AgencyApiMixin
from .choices import PriceMethod, PriceStatus
from .models import Asset, PriceQuote, ReferencePrice
from .selectors import enforcement_case_for_queries
from .services import pricing
from .services.answers import agency_of

# -- serializers --------------------------------------------------------------------------------------------


def _money(**kwargs):
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


class PriceQuoteSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)
    amount = _money(read_only=True, allow_null=True)

    class Meta:
        model = PriceQuote
        fields = ["id", "agency", "requested_at", "due_at", "extensions", "answered_at", "amount", "late", "objected",
                  "objection"]  # fmt: skip
        read_only_fields = fields


class ReferencePriceSerializer(serializers.ModelSerializer):
    method = serializers.ChoiceField(choices=PriceMethod.choices, read_only=True)
    status = serializers.ChoiceField(choices=PriceStatus.choices, read_only=True)
    value = _money(read_only=True, allow_null=True)
    category = serializers.CharField(source="asset.category", read_only=True)
    identifier = serializers.CharField(source="asset.identifier", read_only=True)
    quotes = PriceQuoteSerializer(many=True, read_only=True)

    class Meta:
        model = ReferencePrice
        fields = ["id", "enforcement_case", "asset", "category", "identifier", "method", "status", "started_on",
                  "value", "determined_on", "valid_until", "details", "note", "quotes"]  # fmt: skip
        read_only_fields = fields


class PriceStartSerializer(serializers.Serializer):
    asset = serializers.IntegerField()
    method = serializers.ChoiceField(choices=PriceMethod.choices)
    skip_reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)


class NegotiatedSerializer(serializers.Serializer):
    creditor_figure = _money(min_value=0)
    debtor_figure = _money(min_value=0)
    on = serializers.DateField()


class DirectedSerializer(serializers.Serializer):
    value = _money(required=False, allow_null=True, default=None)
    source = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField()


class PriceObjectionSerializer(serializers.Serializer):
    text = serializers.CharField()
    on = serializers.DateField(required=False, allow_null=True, default=None)


class CommissionSerializer(serializers.Serializer):
    valuer_ids = serializers.ListField(child=serializers.IntegerField(), required=False, allow_empty=True)


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    amount = _money()
    on = serializers.DateField()


class AgencyQuoteSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="reference_price.asset.category", read_only=True)
    identifier = serializers.CharField(source="reference_price.asset.identifier", read_only=True)
    description = serializers.CharField(source="reference_price.asset.description", read_only=True)
    reported_value = _money(source="reference_price.asset.value", read_only=True, allow_null=True)
    amount = _money(read_only=True, allow_null=True)

    class Meta:
        model = PriceQuote
        fields = ["id", "category", "identifier", "description", "reported_value", "requested_at", "due_at",
                  "extensions", "answered_at", "amount", "late"]  # fmt: skip
        read_only_fields = fields


class QuoteAnswerSerializer(serializers.Serializer):
    amount = _money()


# -- officers -----------------------------------------------------------------------------------------------


class CasePricesApi(generics.ListCreateAPIView):
    """The reference prices of the case's assets (every attempt, with its quotes); POST starts a method."""

    serializer_class = ReferencePriceSerializer
    permission_classes = [capability_for_method(read="assets.view", write="assets.control")]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReferencePrice.objects.none()
        enforcement_case = enforcement_case_for_queries(user=self.request.user, pk=self.kwargs["pk"])
        return pricing.case_price_list(user=self.request.user, enforcement_case=enforcement_case)

    @extend_schema(request=PriceStartSerializer, responses={201: ReferencePriceSerializer})
    def post(self, request, pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=pk)
        data = PriceStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        asset = Asset.objects.filter(pk=values.pop("asset"), case_id=enforcement_case.case_id).first()
        if asset is None:
            raise InvalidInput({"asset": _("Only an asset of this case can be priced.")}, code="price.foreign_asset")
        price = pricing.price_start(actor=request.user, asset=asset, enforcement_case=enforcement_case, **values)
        return Response(ReferencePriceSerializer(price).data, status=status.HTTP_201_CREATED)


class _PriceAction(APIView):
    permission_classes = [HasCapability.of("assets.control")]
    input_class: type[serializers.Serializer] | None = None

    def run(self, request, price, **values):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk: int):
        price = pricing.price_get(user=request.user, pk=pk)
        values = {}
        if self.input_class is not None:
            data = self.input_class(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
        result = self.run(request, price, **values)
        if isinstance(result, PriceQuote):
            return Response(PriceQuoteSerializer(result).data)
        result.refresh_from_db()
        return Response(ReferencePriceSerializer(result).data)


@extend_schema(request=NegotiatedSerializer, responses={200: ReferencePriceSerializer})
class PriceNegotiatedApi(_PriceAction):
    """议价 (art. 4): equal figures are the price; different ones fail the negotiation."""

    input_class = NegotiatedSerializer

    def run(self, request, price, **values):
        return pricing.price_negotiated(actor=request.user, price=price, **values)


@extend_schema(request=DirectedSerializer, responses={200: ReferencePriceSerializer})
class PriceDirectedApi(_PriceAction):
    """定向询价 (arts. 5–6): the body's figure, or no value and the reason it failed."""

    input_class = DirectedSerializer

    def run(self, request, price, **values):
        return pricing.price_directed(actor=request.user, price=price, **values)


@extend_schema(request=None, responses={200: ReferencePriceSerializer})
class PriceSettleApi(_PriceAction):
    """Settle an online inquiry after the objection period (art. 13; the periodic job does it too)."""

    def run(self, request, price, **values):
        return pricing.price_inquiry_settle(price=price)


@extend_schema(request=CommissionSerializer, responses={200: PriceQuoteSerializer})
class PriceCommissionApi(_PriceAction):
    """委托评估 (art. 16): three valuers in the agreed order, or (no ``valuer_ids``) drawn by lot."""

    input_class = CommissionSerializer

    def run(self, request, price, **values):
        return pricing.price_appraisal_commission(actor=request.user, price=price, valuer_ids=values.get("valuer_ids"))


@extend_schema(request=ExtendSerializer, responses={200: PriceQuoteSerializer})
class PriceExtendApi(_PriceAction):
    """Extend the valuation (art. 19): at most twice, at most 15 days each."""

    input_class = ExtendSerializer

    def run(self, request, price, **values):
        return pricing.price_appraisal_extend(actor=request.user, price=price, **values)


@extend_schema(request=ReportSerializer, responses={200: ReferencePriceSerializer})
class PriceReportApi(_PriceAction):
    """The valuer's report: its figure is the reference price."""

    input_class = ReportSerializer

    def run(self, request, price, **values):
        return pricing.price_appraisal_report(actor=request.user, price=price, **values)


@extend_schema(request=PriceObjectionSerializer, responses={200: ReferencePriceSerializer})
class PriceAppraisalObjectionApi(_PriceAction):
    """A party's objection to the valuation report, within 5 days (art. 22)."""

    input_class = PriceObjectionSerializer

    def run(self, request, price, **values):
        on = values.get("on") or timezone.localdate()
        return pricing.price_appraisal_objection(actor=request.user, price=price, text=values["text"], on=on)


class _QuoteAction(APIView):
    permission_classes = [HasCapability.of("assets.control")]


class QuoteObjectionApi(_QuoteAction):
    """A party's objection to one platform's result, within 5 days of the results (arts. 13, 22)."""

    @extend_schema(request=PriceObjectionSerializer, responses={200: PriceQuoteSerializer})
    def post(self, request, pk: int):
        quote = pricing.quote_get(user=request.user, pk=pk)
        data = PriceObjectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quote = pricing.price_objection(actor=request.user, quote=quote, **data.validated_data)
        return Response(PriceQuoteSerializer(quote).data)


class QuoteObjectionRejectApi(_QuoteAction):
    """The objection is rejected: the result counts again in the average."""

    @extend_schema(request=None, responses={200: PriceQuoteSerializer})
    def post(self, request, pk: int):
        quote = pricing.price_objection_reject(actor=request.user, quote=pricing.quote_get(user=request.user, pk=pk))
        return Response(PriceQuoteSerializer(quote).data)


# -- platforms ----------------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter(
            "status", OpenApiTypes.STR, enum=["pending", "answered"], description="Only pending or answered."
        )
    ]
)
class AgencyPriceInquiryListApi(AgencyApiMixin, generics.ListAPIView):
    """The calling platform's own online price inquiries, oldest first."""

    serializer_class = AgencyQuoteSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PriceQuote.objects.none()
        wanted = self.request.query_params.get("status") or None
        if wanted not in (None, "pending", "answered"):
            raise InvalidInput({"status": _("Unknown status.")}, code="price_inquiry.status")
        return pricing.agency_quote_list(agency=agency_of(self.request.user), status=wanted)


class AgencyPriceInquiryAnswerApi(AgencyApiMixin, APIView):
    """Answer one price inquiry with the platform's figure (within 3 days, art. 11). The same figure again
    changes nothing; another platform's inquiry is "not found"."""

    @extend_schema(request=QuoteAnswerSerializer, responses={200: AgencyQuoteSerializer})
    def post(self, request, pk: int):
        data = QuoteAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quote = pricing.price_quote_answer(agency=agency_of(request.user), quote_id=pk, **data.validated_data)
        return Response(AgencyQuoteSerializer(quote).data)
