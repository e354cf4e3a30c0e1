"""API of the applicant's restoration requests (终本规定 2016 art. 9):

- ``GET/POST /api/v1/enforcement-cases/{id}/restoration-requests/``: the case's requests; record one;
- ``POST /api/v1/restoration-requests/{id}/decide/``: accept (the case is restored) or refuse with a note.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import get_visible_or_404
from core.drf import HasCapability

from .models import RestorationRequest
from .selectors import enforcement_case_get
from .services.restoration_requests import (
    may_record_restoration_request,
    restoration_request_decide,
    restoration_request_record,
)


class RestorationRequestSerializer(serializers.ModelSerializer):
    applicant_name = serializers.CharField(source="applicant.name", read_only=True)
    recorded_by = serializers.CharField(read_only=True)
    decided_by = serializers.CharField(read_only=True, allow_null=True)
    restored_as_number = serializers.CharField(source="restored_as.case.number", read_only=True, allow_null=True)

    class Meta:
        model = RestorationRequest
        fields = [
            "id",
            "enforcement_case",
            "applicant",
            "applicant_name",
            "lead",
            "received_on",
            "status",
            "recorded_by",
            "recorded_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "restored_as",
            "restored_as_number",
        ]
        read_only_fields = fields


class RestorationRequestInputSerializer(serializers.Serializer):
    applicant = serializers.IntegerField(help_text="The party id of a creditor (申请执行人) of the case.")
    lead = serializers.CharField(max_length=4000, allow_blank=True)
    received_on = serializers.DateField()


class RestorationDecideInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)


class _ReadOrRecord(permissions.BasePermission):
    """Reading needs ``enforcement.view``; recording ``enforcement.file`` or ``enforcement.act``."""

    message = HasCapability.message

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return bool(user.is_superuser or user.can("enforcement.view"))
        return may_record_restoration_request(user)


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _requests():
    return RestorationRequest.objects.select_related("applicant", "recorded_by", "decided_by", "restored_as__case")


class RestorationRequestListCreateApi(APIView):
    """The restoration requests of a case (GET); record the applicant's request with its property lead (POST)."""

    permission_classes = [_ReadOrRecord]

    @extend_schema(responses={200: RestorationRequestSerializer(many=True)})
    def get(self, request, pk):
        case = enforcement_case_get(user=request.user, pk=pk)
        rows = _requests().filter(enforcement_case=case).order_by("-received_on", "-id")
        return Response(RestorationRequestSerializer(rows, many=True).data)

    @extend_schema(request=RestorationRequestInputSerializer, responses={201: RestorationRequestSerializer})
    def post(self, request, pk):
        fields = _parse(RestorationRequestInputSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        created = restoration_request_record(
            actor=request.user,
            enforcement_case=case,
            applicant_id=fields["applicant"],
            lead=fields["lead"],
            received_on=fields["received_on"],
        )
        return Response(
            RestorationRequestSerializer(_requests().get(pk=created.pk)).data, status=status.HTTP_201_CREATED
        )


class RestorationDecideApi(APIView):
    """Accept (the case is restored as a new 执恢 case: ``restored_as``) or refuse (with a note) a request."""

    permission_classes = [HasCapability.of("enforcement.restore")]

    @extend_schema(request=RestorationDecideInputSerializer, responses={200: RestorationRequestSerializer})
    def post(self, request, pk):
        fields = _parse(RestorationDecideInputSerializer, request)
        pending = get_visible_or_404(_requests(), request.user, court_field="enforcement_case__case__court", pk=pk)
        decided = restoration_request_decide(actor=request.user, request=pending, **fields)
        return Response(RestorationRequestSerializer(_requests().get(pk=decided.pk)).data)


urlpatterns = [
    path(
        "enforcement-cases/<int:pk>/restoration-requests/",
        RestorationRequestListCreateApi.as_view(),
        name="api-enforcement-restoration-requests",
    ),
    path(
        "restoration-requests/<int:pk>/decide/",
        RestorationDecideApi.as_view(),
        name="api-restoration-request-decide",
    ),
]
