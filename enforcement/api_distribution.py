"""API of the distribution of the case fund (清偿顺序, 参与分配): a case's plans and a new proposal, the
division head's decision, objections and their outcome, payouts per line, and the case-fund ageing. Thin
views: parse, call one service or selector, answer. Mounted by ``enforcement/api_urls.py``."""

from __future__ import annotations

from decimal import Decimal

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Party
from core.access import get_visible_or_404
from core.drf import HasCapability, capability_for_method
from core.exceptions import InvalidInput

from . import services
from .models import DistributionLine, DistributionObjection, DistributionPlan, FundEntry
from .selectors import enforcement_case_get
from .services.ledger import fund_balance

COURT = "enforcement_case__case__court"


class DistributionLineSerializer(serializers.ModelSerializer):
    recipient_name = serializers.CharField(source="recipient.name", default="", read_only=True)

    class Meta:
        model = DistributionLine
        fields = ["id", "position", "kind", "recipient", "recipient_name", "description", "claim", "allocated", "paid"]


class DistributionObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DistributionObjection
        fields = ["id", "party", "text", "received_on", "outcome"]


class DistributionPlanSerializer(serializers.ModelSerializer):
    lines = DistributionLineSerializer(many=True, read_only=True)
    objections = DistributionObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = DistributionPlan
        fields = [
            "id",
            "enforcement_case",
            "fund_total",
            "rule",
            "status",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "note",
            "lines",
            "objections",
        ]


class ClaimInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=10, help_text="costs | secured | ordinary")
    recipient = serializers.IntegerField(required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    control_position = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ProposeSerializer(serializers.Serializer):
    fund_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    rule = serializers.CharField(max_length=16, help_text="pro_rata | control_order")
    claims = ClaimInputSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DistributionObjectionInputSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    text = serializers.CharField()
    received_on = serializers.DateField()


class ObjectionDecideSerializer(serializers.Serializer):
    objection = serializers.IntegerField()
    upheld = serializers.BooleanField()
    outcome = serializers.CharField()


class PaySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    reference = serializers.CharField(max_length=80)


class FundEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = FundEntry
        fields = ["id", "kind", "amount", "source", "reference", "at"]


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def plan_get(*, user, pk) -> DistributionPlan:
    return get_visible_or_404(
        DistributionPlan.objects.select_related("enforcement_case__case"), user, court_field=COURT, pk=pk
    )


def line_get(*, user, pk) -> DistributionLine:
    return get_visible_or_404(
        DistributionLine.objects.select_related("plan__enforcement_case__case"),
        user,
        court_field=f"plan__{COURT}",
        pk=pk,
    )


def ageing_rows(rows) -> list[dict]:
    return [
        {
            "receipt": FundEntrySerializer(row.entry).data,
            "enforcement_case": row.enforcement_case_id,
            "days": row.days,
            "paid_out": row.paid_out,
            "outstanding": str(row.outstanding),
            "flag": row.flag,
        }
        for row in rows
    ]


class DistributionListCreateApi(APIView):
    """GET: the case's plans (newest first) and the fund balance. POST: propose a plan (refusals name their
    rule: ``distribution.over_fund``, ``distribution.rule_mismatch``, ``distribution.not_reconciling`` …)."""

    permission_classes = [capability_for_method(read="enforcement.view", write="enforcement.act")]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        case = enforcement_case_get(user=request.user, pk=pk)
        plans = case.distributions.prefetch_related("lines__recipient", "objections")
        return Response(
            {
                "fund_balance": str(fund_balance(enforcement_case=case).quantize(Decimal("0.01"))),
                "completion_offered": services.completion_offered(enforcement_case=case),
                "plans": DistributionPlanSerializer(plans, many=True).data,
            }
        )

    @extend_schema(request=ProposeSerializer, responses={201: DistributionPlanSerializer})
    def post(self, request, pk):
        fields = _parse(ProposeSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        fields["claims"] = [dict(claim) for claim in fields["claims"]]
        plan = services.distribution_propose(actor=request.user, enforcement_case=case, **fields)
        return Response(DistributionPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class DistributionDecideApi(APIView):
    """A division head other than the proposer approves or refuses (with a note) a proposed plan."""

    permission_classes = [HasCapability.of("enforcement.approve_distribution")]

    @extend_schema(request=DecideSerializer, responses={200: DistributionPlanSerializer})
    def post(self, request, pk):
        fields = _parse(DecideSerializer, request)
        plan = services.distribution_decide(actor=request.user, plan=plan_get(user=request.user, pk=pk), **fields)
        return Response(DistributionPlanSerializer(plan).data)


class DistributionObjectionApi(APIView):
    """POST an objection (分配方案异议) of a party, or with ``objection`` + ``upheld`` + ``outcome`` its outcome
    (an upheld objection sends the plan back to draft)."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=DistributionObjectionInputSerializer, responses={201: DistributionObjectionSerializer})
    def post(self, request, pk):
        plan = plan_get(user=request.user, pk=pk)
        if "objection" in request.data:
            fields = _parse(ObjectionDecideSerializer, request)
            objection = plan.objections.filter(pk=fields.pop("objection")).first()
            if objection is None:
                raise InvalidInput({"objection": ["No such objection on this plan."]}, code="distribution.invalid")
            objection = services.distribution_objection_decide(actor=request.user, objection=objection, **fields)
            return Response(DistributionObjectionSerializer(objection).data)
        fields = _parse(DistributionObjectionInputSerializer, request)
        party = Party.objects.filter(pk=fields.pop("party")).first()
        objection = services.distribution_objection_record(actor=request.user, plan=plan, party=party, **fields)
        return Response(DistributionObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class DistributionPayApi(APIView):
    """Pay part or all of a line of an approved plan (idempotent on ``reference``)."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=PaySerializer, responses={201: FundEntrySerializer})
    def post(self, request, pk):
        fields = _parse(PaySerializer, request)
        entry = services.distribution_pay(actor=request.user, line=line_get(user=request.user, pk=pk), **fields)
        return Response(FundEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class FundAgeingApi(APIView):
    """The case-fund ageing of a case: each receipt, days until paid out (FIFO) or held so far, flag."""

    permission_classes = [HasCapability.of("enforcement.view")]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        case = enforcement_case_get(user=request.user, pk=pk)
        rows = services.fund_ageing(user=request.user, today=timezone.localdate(), enforcement_case=case)
        return Response({"rows": ageing_rows(rows)})


urlpatterns = [
    path(
        "enforcement-cases/<int:pk>/distributions/",
        DistributionListCreateApi.as_view(),
        name="api-enforcement-distributions",
    ),
    path("distributions/<int:pk>/decide/", DistributionDecideApi.as_view(), name="api-distribution-decide"),
    path("distributions/<int:pk>/objections/", DistributionObjectionApi.as_view(), name="api-distribution-objections"),
    path("distribution-lines/<int:pk>/pay/", DistributionPayApi.as_view(), name="api-distribution-line-pay"),
    path("enforcement-cases/<int:pk>/fund-ageing/", FundAgeingApi.as_view(), name="api-enforcement-fund-ageing"),
]
