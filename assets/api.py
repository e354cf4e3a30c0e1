"""/api/v1/agency/: the agency API. An agency's client authenticates with its API key (scope "agency"), pulls
the requests addressed to it and answers them. It never sees another agency's requests: a request id of
another agency is "not found", exactly like a missing one."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.authentication import ApiKeyAuthentication
from core.drf import HasCapability, capability_for_method
from core.exceptions import InvalidInput, NotFound
from core.roles import Role

from . import services
from .choices import RequestStatus
from .models import AgencyRequest, Asset, TrackingPlan
from .selectors import (
    TrackingPlanFilter,
    agency_answer_get,
    agency_request_list,
    control_measure_get,
    control_measure_list,
    deduction_get,
    enforcement_case_for_queries,
    tracking_plan_get,
    tracking_plan_list,
)
from .serializers import (
    AgencyAnswerSerializer,
    AgencyRequestSerializer,
    AnswerReceiptSerializer,
    AnswerSerializer,
    ConfirmReceiptSerializer,
    ConfirmSerializer,
    ControlMeasureSerializer,
    ControlOrderSerializer,
    DeductionDeclineSerializer,
    DeductionSerializer,
    DeductSerializer,
    ReleaseSerializer,
    RenewSerializer,
    TrackingPlanDetailSerializer,
    TrackingPlanSerializer,
)
from .services.answers import AGENCY_SCOPE, agency_of


class IsAgencyClient(permissions.BasePermission):
    """An agency client's API key carrying the "agency" scope (a session never qualifies)."""

    message = _("This endpoint is for agency clients with an API key of scope “agency”.")

    def has_permission(self, request, view) -> bool:
        user, credential = request.user, request.auth
        return bool(
            user
            and user.is_authenticated
            and user.role == Role.AGENCY
            and credential is not None
            and AGENCY_SCOPE in (getattr(credential, "scopes", None) or [])
        )


class AgencyApiMixin:
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsAgencyClient]


@extend_schema(
    parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=RequestStatus.values, description="Only this status.")
    ]
)
class AgencyRequestListApi(AgencyApiMixin, generics.ListAPIView):
    """The requests addressed to the calling agency, oldest first. Listing them marks them delivered.

    Each request carries the issuing court's electronic seal, ``signature`` {key_id, algorithm, value}: an
    Ed25519 signature over the canonical JSON (sorted keys, no whitespace, UTF-8) of its fields id, kind,
    court, agency, case_number, items, order and created_at exactly as returned here. Verify it with the
    court's public key from ``/api/v1/signing-keys/`` and refuse a request whose signature does not hold."""

    serializer_class = AgencyRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgencyRequest.objects.none()
        wanted = self.request.query_params.get("status") or None
        if wanted is not None and wanted not in RequestStatus.values:
            raise InvalidInput({"status": _("Unknown status.")}, code="agency_request.status")
        # The issuing court of each request, for its signature (``AgencyRequestSerializer``), in the same query.
        return (
            agency_request_list(agency=agency_of(self.request.user), status=wanted)
            .select_related("agency")
            .annotate(
                court_pk=Coalesce(
                    "batch__enforcement_case__case__court_id", "measure__enforcement_case__case__court_id"
                ),
                court_code=Coalesce(
                    "batch__enforcement_case__case__court__code", "measure__enforcement_case__case__court__code"
                ),
            )
        )

    def list(self, request, *args, **kwargs):
        agency = agency_of(request.user)
        page = self.paginate_queryset(self.get_queryset())
        services.requests_deliver(agency=agency, requests=page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def prefers_async(request) -> bool:
    """Whether the client asked ``Prefer: respond-async`` (RFC 7240): a preference among others, any case."""
    preferences = request.headers.get("Prefer", "").split(",")
    return any(preference.split(";")[0].strip().lower() == "respond-async" for preference in preferences)


class AgencyAnswerApi(AgencyApiMixin, APIView):
    """Answer a request: one result per debtor × category asked. Sending the same answer again changes
    nothing; an answer after the request timed out is still accepted.

    By default the answer is ingested before the response, which gives its counts (200). With the header
    ``Prefer: respond-async`` (RFC 7240) it is checked in full, stored and ingested by a worker together with
    other answers (202, ``Preference-Applied: respond-async``, ``Location`` of the answer's status): what an
    agency answering many requests should use. A bad answer is refused either way before anything is stored."""

    @extend_schema(
        request=AnswerSerializer,
        parameters=[
            OpenApiParameter(
                "Prefer",
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                required=False,
                description="respond-async: ingest by a worker; answer 202 with the status's Location.",
            )
        ],
        responses={200: AnswerReceiptSerializer, 202: AgencyAnswerSerializer},
    )
    def post(self, request, pk: int):
        agency = agency_of(request.user)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if prefers_async(request):
            answer = services.answer_accept(agency=agency, request_id=pk, results=data.validated_data["results"])
            body = AgencyAnswerSerializer(agency_answer_get(agency=agency, pk=answer.pk)).data
            return Response(
                body,
                status=status.HTTP_202_ACCEPTED,
                headers={"Location": body["url"], "Preference-Applied": "respond-async"},
            )
        receipt = services.request_answer(agency=agency, request_id=pk, results=data.validated_data["results"])
        receipt["status"] = AgencyRequest.objects.values_list("status", flat=True).get(pk=pk)
        return Response(AnswerReceiptSerializer(receipt).data, status=status.HTTP_200_OK)


class AgencyAnswerStatusApi(AgencyApiMixin, APIView):
    """An answer sent with ``Prefer: respond-async``: pending, ingested (with its counts) or refused (with the
    rule). Another agency's answer is "not found"."""

    @extend_schema(responses={200: AgencyAnswerSerializer})
    def get(self, request, pk: int):
        answer = agency_answer_get(agency=agency_of(request.user), pk=pk)
        if answer is None:
            raise NotFound(_("Not found."))
        return Response(AgencyAnswerSerializer(answer).data)


class AgencyConfirmApi(AgencyApiMixin, APIView):
    """Confirm (or refuse) a control order addressed to the calling agency: freeze, seal, impound, deduct,
    release, renew. Confirming again changes nothing; another agency's request is "not found"."""

    @extend_schema(request=ConfirmSerializer, responses={200: ConfirmReceiptSerializer})
    def post(self, request, pk: int):
        agency = agency_of(request.user)
        data = ConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.control_confirm(agency=agency, request_id=pk, **data.validated_data)
        return Response(ConfirmReceiptSerializer(answered).data, status=status.HTTP_200_OK)


# Officers: control measures of an enforcement case (session authentication, capability "assets.control").


class CaseControlsApi(generics.ListCreateAPIView):
    """The case's control measures, soonest expiry first; POST orders a new one."""

    serializer_class = ControlMeasureSerializer
    permission_classes = [capability_for_method(read="assets.view", write="assets.control")]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ControlMeasureSerializer.Meta.model.objects.none()
        enforcement_case = enforcement_case_for_queries(user=self.request.user, pk=self.kwargs["pk"])
        return control_measure_list(user=self.request.user, enforcement_case=enforcement_case)

    @extend_schema(request=ControlOrderSerializer, responses={201: ControlMeasureSerializer})
    def post(self, request, pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=pk)
        data = ControlOrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        asset = Asset.objects.filter(pk=values.pop("asset"), case_id=enforcement_case.case_id).first()
        if asset is None:
            raise InvalidInput(
                {"asset": _("Only an asset of this case can be controlled.")}, code="control.foreign_asset"
            )
        measure = services.control_order(actor=request.user, enforcement_case=enforcement_case, asset=asset, **values)
        return Response(ControlMeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class _ControlAction(APIView):
    permission_classes = [HasCapability.of("assets.control")]

    def measure(self, request, pk: int):
        return control_measure_get(user=request.user, pk=pk)


class ControlReleaseApi(_ControlAction):
    """Send a release order (解除); on the agency's confirmation the next waiting measure takes effect."""

    @extend_schema(request=ReleaseSerializer, responses={200: ControlMeasureSerializer})
    def post(self, request, pk: int):
        data = ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        measure = services.control_release(actor=request.user, measure=self.measure(request, pk), **data.validated_data)
        return Response(ControlMeasureSerializer(measure).data)


class ControlRenewApi(_ControlAction):
    """Renew (续行) before expiry, up to the same cap from the old expiry; answers with the renewal."""

    @extend_schema(request=RenewSerializer, responses={201: ControlMeasureSerializer})
    def post(self, request, pk: int):
        data = RenewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        renewal = services.control_renew(actor=request.user, measure=self.measure(request, pk), **data.validated_data)
        return Response(ControlMeasureSerializer(renewal).data, status=status.HTTP_201_CREATED)


class ControlDeductApi(_ControlAction):
    """Deduct (扣划) from a freeze in force: never over the amount still frozen nor over what is owed (409).

    Up to the approval threshold (setting ``ZHIXING_DEDUCTION_APPROVAL_ABOVE``, 500 000.00 by default) the order
    goes to the agency at once: status "pending". Above it the deduction is recorded with status "awaiting" and
    no order (``request`` null) until a division head other than the caller approves it
    (``POST /api/v1/deductions/{id}/approve/``); meanwhile its amount is held against the freeze and the debt."""

    @extend_schema(
        request=DeductSerializer,
        responses={
            201: OpenApiResponse(
                DeductionSerializer,
                description="The deduction: status “pending” (sent to the agency) or, above the approval threshold, "
                "“awaiting” a division head's approval (``request`` null).",
            )
        },
    )
    def post(self, request, pk: int):
        data = DeductSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deduction = services.control_deduct(
            actor=request.user, measure=self.measure(request, pk), **data.validated_data
        )
        return Response(DeductionSerializer(deduction).data, status=status.HTTP_201_CREATED)


class _DeductionDecision(APIView):
    permission_classes = [HasCapability.of("assets.approve_deduction")]

    def deduction(self, request, pk: int):
        return deduction_get(user=request.user, pk=pk)


class DeductionApproveApi(_DeductionDecision):
    """A division head of the case's court approves a deduction awaiting approval that someone else ordered:
    the order goes to the agency (status "pending"). 400 ``deduction.self_approval`` for the one who ordered it, 400
    ``deduction.not_awaiting`` once decided, 409 if it no longer fits the freeze or the debt."""

    @extend_schema(request=None, responses={200: DeductionSerializer})
    def post(self, request, pk: int):
        deduction = services.deduction_approve(actor=request.user, deduction=self.deduction(request, pk))
        return Response(DeductionSerializer(deduction).data)


class DeductionDeclineApi(_DeductionDecision):
    """A division head of the case's court declines a deduction awaiting approval, with a reason: nothing is
    sent (status "declined") and its amount is free again."""

    @extend_schema(request=DeductionDeclineSerializer, responses={200: DeductionSerializer})
    def post(self, request, pk: int):
        data = DeductionDeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deduction = services.deduction_decline(
            actor=request.user, deduction=self.deduction(request, pk), **data.validated_data
        )
        return Response(DeductionSerializer(deduction).data)


# Officers: post-termination tracking plans of their court (read only; the periodic job writes them).


class TrackingPlanListApi(generics.ListAPIView):
    """The court's tracking plans (终本后跟踪), next due first; filters ``status``, ``flagged``, ``due_before``,
    ``due_within``, ``found``, ``q`` (case number) and ``ordering``."""

    serializer_class = TrackingPlanSerializer
    permission_classes = [HasCapability.of("assets.view")]
    filterset_class = TrackingPlanFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TrackingPlan.objects.none()
        return tracking_plan_list(user=self.request.user)


class TrackingPlanDetailApi(generics.RetrieveAPIView):
    """One tracking plan of the caller's court with its runs (due, sent, outcome, new property, applicant
    told); another court's plan is "not found"."""

    serializer_class = TrackingPlanDetailSerializer
    permission_classes = [HasCapability.of("assets.view")]

    def get_object(self):
        return tracking_plan_get(user=self.request.user, pk=self.kwargs["pk"])
