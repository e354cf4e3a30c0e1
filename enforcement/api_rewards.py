"""API of reward notices (悬赏公告) and tip-offs (线索举报).

Staff: ``enforcement-cases/<pk>/reward-notices/`` (GET the case's notices, POST publish) and
``reward-notices/<pk>/withdraw/`` (withdraw a published notice, with a reason) and ``tip-offs/<pk>/handle/`` (the
officer records the outcome). Public, anonymous and throttled: ``public/reward-notices/`` (list),
``public/reward-notices/<pk>/`` (one), ``public/reward-notices/<pk>/tip-offs/`` (POST a lead on a notice) and
``public/tip-offs/`` (POST a lead on a listed debtor's case, by its public case number; 404 when the case takes
no leads); the service's per-client and per-target limits answer 429 too. Thin views: parse, call one service,
answer."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Party
from core.access import get_visible_or_404
from core.drf import HasCapability, Pagination, capability_for_method

from .api_public import PublicDisclosureThrottle
from .models import RewardNotice, TipOff
from .selectors import enforcement_case_get
from .services.rewards import (
    public_case_for_tips,
    public_notice_get,
    public_notices,
    reward_publish,
    reward_withdraw,
    tip_handle,
    tip_submit,
)


class RewardNoticeSerializer(serializers.ModelSerializer):
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)

    class Meta:
        model = RewardNotice
        fields = [
            "id",
            "enforcement_case",
            "debtor",
            "debtor_name",
            "applicant",
            "amount_owed",
            "reward_rate",
            "reward_cap",
            "text",
            "status",
            "published_on",
            "expires_on",
            "withdrawn_on",
            "withdrawal_reason",
        ]
        read_only_fields = fields


class PublishSerializer(serializers.Serializer):
    applicant = serializers.IntegerField()
    debtor = serializers.IntegerField(required=False, allow_null=True)
    reward_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    reward_cap = serializers.DecimalField(max_digits=16, decimal_places=2)
    expires_on = serializers.DateField()
    text = serializers.CharField(required=False, allow_blank=True, default="")


class RewardWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why the notice is withdrawn (required).")


class TipHandleSerializer(serializers.Serializer):
    status = serializers.CharField()
    recovered = serializers.DecimalField(max_digits=16, decimal_places=2, default=0)
    reward_paid = serializers.DecimalField(max_digits=16, decimal_places=2, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TipOffOutcomeSerializer(serializers.ModelSerializer):
    """A handled tip: no tipster fields (they are read on the case page, audited)."""

    class Meta:
        model = TipOff
        fields = ["id", "enforcement_case", "reward_notice", "status", "recovered", "reward_paid", "handled_on", "note"]
        read_only_fields = fields


class PublicRewardNoticeSerializer(serializers.ModelSerializer):
    debtor_name = serializers.CharField(source="debtor.name")
    debtor_masked_id = serializers.CharField(source="debtor.masked_id_number")
    court_name = serializers.CharField(source="enforcement_case.case.court.name")
    case_number = serializers.CharField(source="enforcement_case.case.number")

    class Meta:
        model = RewardNotice
        fields = [
            "id",
            "debtor_name",
            "debtor_masked_id",
            "court_name",
            "case_number",
            "amount_owed",
            "reward_rate",
            "reward_cap",
            "text",
            "published_on",
            "expires_on",
        ]
        read_only_fields = fields


class TipInputSerializer(serializers.Serializer):
    what = serializers.CharField()
    where = serializers.CharField(required=False, allow_blank=True, default="")
    tipster_name = serializers.CharField(required=False, allow_blank=True, default="")
    tipster_contact = serializers.CharField()
    website = serializers.CharField(required=False, allow_blank=True, default="", help_text="Leave empty.")


class CaseTipInputSerializer(TipInputSerializer):
    case_number = serializers.CharField(help_text="The public case number of a listed debtor's case.")


class TipReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()


class CaseRewardNoticesApi(APIView):
    """A case's reward notices (GET) and publishing one at the applicant's request (POST)."""

    serializer_class = RewardNoticeSerializer
    permission_classes = [capability_for_method(read="enforcement.view", write="enforcement.rewards")]

    @extend_schema(responses={200: RewardNoticeSerializer(many=True)})
    def get(self, request, pk: int):
        ec = enforcement_case_get(user=request.user, pk=pk)
        return Response(RewardNoticeSerializer(ec.reward_notices.select_related("debtor"), many=True).data)

    @extend_schema(request=PublishSerializer, responses={201: RewardNoticeSerializer})
    def post(self, request, pk: int):
        ec = enforcement_case_get(user=request.user, pk=pk)
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        parties = {p.pk: p for p in Party.objects.filter(case_links__case_id=ec.case_id).distinct()}
        notice = reward_publish(
            actor=request.user,
            enforcement_case=ec,
            applicant=parties.get(v["applicant"]),
            debtor=parties.get(v["debtor"]) if v.get("debtor") else None,
            reward_rate=v["reward_rate"],
            reward_cap=v["reward_cap"],
            expires_on=v["expires_on"],
            text=v["text"],
        )
        return Response(RewardNoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


class RewardWithdrawApi(APIView):
    """Withdraw a published notice of a case of the user's court (the applicant asks, the debt is paid…)."""

    serializer_class = RewardNoticeSerializer
    permission_classes = [HasCapability.of("enforcement.rewards")]

    @extend_schema(request=RewardWithdrawSerializer, responses={200: RewardNoticeSerializer})
    def post(self, request, pk: int):
        notice = get_visible_or_404(
            RewardNotice.objects.select_related("enforcement_case", "debtor"),
            request.user,
            court_field="enforcement_case__case__court",
            pk=pk,
        )
        data = RewardWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = reward_withdraw(actor=request.user, notice=notice, reason=data.validated_data["reason"])
        return Response(RewardNoticeSerializer(notice).data)


class TipHandleApi(APIView):
    """The case officer records what a lead gave: verified or unfounded, what it recovered, the reward paid."""

    serializer_class = TipOffOutcomeSerializer
    permission_classes = [HasCapability.of("enforcement.rewards")]

    @extend_schema(request=TipHandleSerializer, responses={200: TipOffOutcomeSerializer})
    def post(self, request, pk: int):
        tip = get_visible_or_404(
            TipOff.objects.select_related("enforcement_case"),
            request.user,
            court_field="enforcement_case__case__court",
            pk=pk,
        )
        data = TipHandleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tip = tip_handle(actor=request.user, tip=tip, **data.validated_data)
        return Response(TipOffOutcomeSerializer(tip).data)


class _Public:
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicDisclosureThrottle]
    throttle_scope = "public"


class PublicRewardNoticeListApi(_Public, generics.ListAPIView):
    serializer_class = PublicRewardNoticeSerializer
    pagination_class = Pagination
    filter_backends: list = []

    def get_queryset(self):
        return public_notices()


class PublicRewardNoticeDetailApi(_Public, generics.RetrieveAPIView):
    serializer_class = PublicRewardNoticeSerializer

    def get_object(self):
        return public_notice_get(pk=self.kwargs["pk"])


class PublicTipOffApi(_Public, APIView):
    """POST a lead on a published notice: 201 with nothing of the tipster echoed; 429 on a flood."""

    serializer_class = TipInputSerializer

    @extend_schema(request=TipInputSerializer, responses={201: TipReceiptSerializer})
    def post(self, request, pk: int):
        notice = public_notice_get(pk=pk)
        data = TipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        tip = tip_submit(
            reward_notice=notice,
            what=v["what"],
            where=v["where"],
            tipster_name=v["tipster_name"],
            tipster_contact=v["tipster_contact"],
            client_ip=request.META.get("REMOTE_ADDR") or "unknown",
            trap=v["website"],
        )
        return Response({"id": tip.pk, "received_at": tip.received_at}, status=status.HTTP_201_CREATED)


class PublicCaseTipOffApi(_Public, APIView):
    """POST a lead on a listed debtor's case (in enforcement, or 终本, with a public entry), by its public case
    number — the same service call as the public page: 201 with nothing of the tipster echoed; 404 when the case
    takes no leads (alike for a case that does not exist); 429 on a flood."""

    serializer_class = CaseTipInputSerializer

    @extend_schema(request=CaseTipInputSerializer, responses={201: TipReceiptSerializer})
    def post(self, request):
        data = CaseTipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        case = public_case_for_tips(number=v["case_number"])
        tip = tip_submit(
            enforcement_case=case,
            what=v["what"],
            where=v["where"],
            tipster_name=v["tipster_name"],
            tipster_contact=v["tipster_contact"],
            client_ip=request.META.get("REMOTE_ADDR") or "unknown",
            trap=v["website"],
        )
        return Response({"id": tip.pk, "received_at": tip.received_at}, status=status.HTTP_201_CREATED)


urlpatterns: list = [
    path("enforcement-cases/<int:pk>/reward-notices/", CaseRewardNoticesApi.as_view(), name="api-case-reward-notices"),
    path("reward-notices/<int:pk>/withdraw/", RewardWithdrawApi.as_view(), name="api-reward-withdraw"),
    path("tip-offs/<int:pk>/handle/", TipHandleApi.as_view(), name="api-tip-handle"),
    path("public/reward-notices/", PublicRewardNoticeListApi.as_view(), name="api-public-reward-list"),
    path("public/reward-notices/<int:pk>/", PublicRewardNoticeDetailApi.as_view(), name="api-public-reward-detail"),
    path("public/reward-notices/<int:pk>/tip-offs/", PublicTipOffApi.as_view(), name="api-public-tip-create"),
    path("public/tip-offs/", PublicCaseTipOffApi.as_view(), name="api-public-case-tip-create"),
]
