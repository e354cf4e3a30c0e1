"""API of the correction requests (失信规定 2017 arts. 11–12), for staff (sessions, capabilities): file a
written application against an entry, list the court's requests with their next deadline, and record each
step — the decision, the correction, service of a rejection, the 复议 and its result. Thin views: parse, call
one service, answer. Serializers live here (they serve only these endpoints)."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.drf import HasCapability
from core.exceptions import InvalidInput
from core.identifiers import mask_identifier

from .choices import CorrectionGround, CorrectionStatus
from .models import CorrectionRequest, DishonestListing
from .services import corrections as services


class CorrectionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="listing.enforcement_case.case.number", read_only=True)
    debtor_name = serializers.CharField(source="listing.debtor_name", read_only=True)
    next_due_on = serializers.DateField(read_only=True, allow_null=True, required=False)
    applicant_id_number = serializers.SerializerMethodField(help_text=_("Masked: the middle of the identifier hidden."))
    applicant_is_listed_person = serializers.SerializerMethodField()

    def get_applicant_id_number(self, obj) -> str:
        return mask_identifier(obj.applicant_id_number)

    def get_applicant_is_listed_person(self, obj) -> bool:
        return services.applicant_is_listed_person(obj)

    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "listing",
            "case_number",
            "debtor_name",
            "applicant_name",
            "applicant_id_number",
            "applicant_is_listed_person",
            "contact",
            "ground",
            "statement",
            "status",
            "filed_on",
            "review_due_on",
            "decided_on",
            "decision_note",
            "correct_due_on",
            "corrected_on",
            "rejection_served_on",
            "reconsideration_due_on",
            "reconsideration_asked_on",
            "reconsideration_decision_due_on",
            "reconsideration_result",
            "next_due_on",
        ]
        read_only_fields = fields


class CorrectionFileSerializer(serializers.Serializer):
    applicant_name = serializers.CharField(max_length=200)
    applicant_id_number = serializers.CharField(max_length=18)
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    ground = serializers.ChoiceField(choices=CorrectionGround.choices)
    statement = serializers.CharField()
    on = serializers.DateField(required=False, help_text=_("Received on (default today)."))


class CorrectionDecideSerializer(serializers.Serializer):
    uphold = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Required to reject."))
    on = serializers.DateField(required=False)


class CorrectedSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("What was corrected (required if inaccurate).")
    )
    on = serializers.DateField(required=False)


class OnSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text=_("Default today."))


class ReconsiderationSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text=_("The day the 复议 was asked (default today)."))
    result = serializers.CharField(
        required=False, allow_blank=True, help_text=_("The higher court's decision: give it to record the result.")
    )
    upheld = serializers.BooleanField(
        required=False, default=False, help_text=_("With ``result``: the application was found well founded.")
    )


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _answer(request_obj: CorrectionRequest, code=status.HTTP_200_OK) -> Response:
    fresh = services.correction_queryset().get(pk=request_obj.pk)
    return Response(CorrectionSerializer(fresh).data, status=code)


class ListingCorrectionsApi(APIView):
    """Record a written correction application against a listed entry of the caller's court."""

    permission_classes = [HasCapability.of("credit.view")]

    @extend_schema(request=CorrectionFileSerializer, responses={201: CorrectionSerializer})
    def post(self, request, pk: int):
        fields = _parse(CorrectionFileSerializer, request)
        listing = DishonestListing(pk=pk)  # the service loads it within the caller's court (or "not found")
        correction = services.correction_file(actor=request.user, listing=listing, **fields)
        return _answer(correction, status.HTTP_201_CREATED)


class CorrectionListApi(generics.ListAPIView):
    """The caller's court's correction requests, the nearest deadline first."""

    permission_classes = [HasCapability.of("credit.view")]
    serializer_class = CorrectionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=CorrectionStatus.values),
            OpenApiParameter("ground", str, enum=CorrectionGround.values),
            OpenApiParameter("due", str, enum=["overdue", "week"]),
            OpenApiParameter("q", str, description="Case number or name (part of either)."),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CorrectionRequest.objects.none()
        params = self.request.query_params
        wanted = {
            "status": params.get("status", "") if params.get("status", "") in CorrectionStatus.values else "",
            "ground": params.get("ground", "") if params.get("ground", "") in CorrectionGround.values else "",
            "due": params.get("due", "") if params.get("due") in ("overdue", "week") else "",
            "q": params.get("q", ""),
        }
        return services.correction_list(user=self.request.user, **wanted)


class CorrectionDetailApi(generics.RetrieveAPIView):
    permission_classes = [HasCapability.of("credit.view")]
    serializer_class = CorrectionSerializer

    def get_object(self):
        return services.correction_get(user=self.request.user, pk=self.kwargs["pk"])


class _Step(APIView):
    permission_classes = [HasCapability.of("credit.correct")]

    def correction(self, request, pk: int) -> CorrectionRequest:
        return services.correction_get(user=request.user, pk=pk)


class CorrectionDecideApi(_Step):
    """Uphold (to be corrected within 3 working days) or reject (with reasons) a request under review."""

    @extend_schema(request=CorrectionDecideSerializer, responses={200: CorrectionSerializer})
    def post(self, request, pk: int):
        fields = _parse(CorrectionDecideSerializer, request)
        return _answer(services.correction_decide(actor=request.user, request=self.correction(request, pk), **fields))


class CorrectionCorrectedApi(_Step):
    """Record the correction of an upheld request (a wrongful entry is revoked)."""

    @extend_schema(request=CorrectedSerializer, responses={200: CorrectionSerializer})
    def post(self, request, pk: int):
        fields = _parse(CorrectedSerializer, request)
        correction = services.correction_mark_corrected(
            actor=request.user, request=self.correction(request, pk), **fields
        )
        return _answer(correction)


class CorrectionServedApi(_Step):
    """Record service of the rejection: 复议 may be asked within 10 days."""

    @extend_schema(request=OnSerializer, responses={200: CorrectionSerializer})
    def post(self, request, pk: int):
        on = _parse(OnSerializer, request).get("on") or timezone.localdate()
        return _answer(
            services.correction_rejection_served(actor=request.user, request=self.correction(request, pk), on=on)
        )


class CorrectionReconsiderationApi(_Step):
    """Without ``result``: the applicant asked the higher court to reconsider (refused after the 10 days).
    With ``result``: the higher court's decision on it."""

    @extend_schema(request=ReconsiderationSerializer, responses={200: CorrectionSerializer})
    def post(self, request, pk: int):
        fields = _parse(ReconsiderationSerializer, request)
        on = fields.get("on") or timezone.localdate()
        correction = self.correction(request, pk)
        if "result" in fields:
            if not fields["result"].strip():
                raise InvalidInput({"result": _("Record the higher court's decision.")}, code="correction.invalid")
            done = services.correction_reconsideration_decided(
                actor=request.user, request=correction, result=fields["result"], upheld=fields["upheld"], on=on
            )
        else:
            done = services.correction_reconsideration_asked(actor=request.user, request=correction, on=on)
        return _answer(done)


urlpatterns = [
    path(
        "dishonest-listings/<int:pk>/corrections/",
        ListingCorrectionsApi.as_view(),
        name="api-credit-listing-corrections",
    ),
    path("corrections/", CorrectionListApi.as_view(), name="api-credit-corrections"),
    path("corrections/<int:pk>/", CorrectionDetailApi.as_view(), name="api-credit-correction"),
    path("corrections/<int:pk>/decide/", CorrectionDecideApi.as_view(), name="api-credit-correction-decide"),
    path("corrections/<int:pk>/corrected/", CorrectionCorrectedApi.as_view(), name="api-credit-correction-corrected"),
    path(
        "corrections/<int:pk>/rejection-served/",
        CorrectionServedApi.as_view(),
        name="api-credit-correction-served",
    ),
    path(
        "corrections/<int:pk>/reconsideration/",
        CorrectionReconsiderationApi.as_view(),
        name="api-credit-correction-reconsideration",
    ),
]
