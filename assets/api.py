"""/api/v1/agency/: the agency API. An agency's client authenticates with its API key (scope "agency"), pulls
the requests addressed to it and answers them. It never sees another agency's requests: a request id of
another agency is "not found", exactly like a missing one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.authentication import ApiKeyAuthentication
from core.exceptions import InvalidInput
from core.roles import Role

from . import services
from .choices import RequestStatus
from .models import AgencyRequest
from .selectors import agency_request_list
from .serializers import AgencyRequestSerializer, AnswerReceiptSerializer, AnswerSerializer
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
    """The requests addressed to the calling agency, oldest first. Listing them marks them delivered."""

    serializer_class = AgencyRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgencyRequest.objects.none()
        wanted = self.request.query_params.get("status") or None
        if wanted is not None and wanted not in RequestStatus.values:
            raise InvalidInput({"status": _("Unknown status.")}, code="agency_request.status")
        return agency_request_list(agency=agency_of(self.request.user), status=wanted)

    def list(self, request, *args, **kwargs):
        agency = agency_of(request.user)
        page = self.paginate_queryset(self.get_queryset())
        services.requests_deliver(agency=agency, requests=page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AgencyAnswerApi(AgencyApiMixin, APIView):
    """Answer a request: one result per debtor × category asked. Sending the same answer again changes
    nothing; an answer after the request timed out is still accepted."""

    @extend_schema(request=AnswerSerializer, responses={200: AnswerReceiptSerializer})
    def post(self, request, pk: int):
        agency = agency_of(request.user)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = services.request_answer(agency=agency, request_id=pk, results=data.validated_data["results"])
        receipt["status"] = AgencyRequest.objects.values_list("status", flat=True).get(pk=pk)
        return Response(AnswerReceiptSerializer(receipt).data, status=status.HTTP_200_OK)
