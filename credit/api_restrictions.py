"""API of restrictions (限制消费令, 限制出境): a case's restrictions and issuing one, the court's list, lifting,
temporary permission and the order (.docx). Thin views: parse, call one service or selector, answer."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.choices import PartyRole
from core.drf import HasCapability, capability_for_method
from core.exceptions import RuleViolation
from core.files import stored_file_response

from .choices import RestrictionKind, RestrictionStatus
from .models import Restriction
from .selectors_restrictions import (
    RestrictionFilter,
    enforcement_case_for_restrictions,
    restriction_get,
    restriction_list,
    restrictions_of_case,
)
from .serializers_restrictions import (
    PermissionGrantSerializer,
    RestrictionIssueSerializer,
    RestrictionLiftSerializer,
    RestrictionSerializer,
    TemporaryPermissionSerializer,
)
from .services.restrictions import permission_grant, restriction_issue, restriction_lift

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class CaseRestrictionsApi(APIView):
    """GET: the restrictions of an enforcement case. POST: issue a consumption restriction order or an exit
    restriction on one of its debtors (限制消费规定 arts. 1, 3; 民诉法 art. 266); refusals name their rule in
    ``code`` and write nothing."""

    permission_classes = [capability_for_method(read="credit.view", write="credit.restrict")]

    @extend_schema(responses={200: RestrictionSerializer(many=True)})
    def get(self, request, pk):
        case = enforcement_case_for_restrictions(user=request.user, pk=pk)
        rows = restrictions_of_case(user=request.user, enforcement_case=case)
        return Response(RestrictionSerializer(rows, many=True).data)

    @extend_schema(request=RestrictionIssueSerializer, responses={201: RestrictionSerializer})
    def post(self, request, pk):
        fields = _parse(RestrictionIssueSerializer, request)
        case = enforcement_case_for_restrictions(user=request.user, pk=pk)
        link = case.case.party_links.select_related("party").filter(party_id=fields.pop("debtor")).first()
        if link is None or link.role != PartyRole.DEBTOR:
            raise RuleViolation(
                _("A restriction is issued on a debtor of the case (被执行人)."), code="restriction.not_debtor"
            )
        fields["bound_persons"] = [dict(row) for row in fields["bound_persons"]]
        restriction = restriction_issue(actor=request.user, enforcement_case=case, debtor=link.party, **fields)
        restriction = restriction_get(user=request.user, pk=restriction.pk)
        return Response(RestrictionSerializer(restriction).data, status=status.HTTP_201_CREATED)


class RestrictionListApi(generics.ListAPIView):
    """The restrictions of the caller's court: ``?kind=``, ``?status=``, ``?debtor=`` (name contains),
    ``?case=``, ``?issued_from=``, ``?issued_to=``, ``?ordering=``; paginated."""

    permission_classes = [HasCapability.of("credit.view")]
    serializer_class = RestrictionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=RestrictionKind.values),
            OpenApiParameter("status", str, enum=RestrictionStatus.values),
            OpenApiParameter("debtor", str),
            OpenApiParameter("case", str),
            OpenApiParameter("issued_from", OpenApiTypes.DATE),
            OpenApiParameter("issued_to", OpenApiTypes.DATE),
            OpenApiParameter("ordering", str),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Restriction.objects.none()
        filterset = RestrictionFilter(
            self.request.query_params or None, queryset=restriction_list(user=self.request.user)
        )
        if filterset.is_bound and not filterset.is_valid():
            return filterset.queryset.none()
        return filterset.qs


class RestrictionLiftApi(APIView):
    """Lift a restriction (限制消费规定 art. 9: must when performed; may with security or consent, with a note)."""

    permission_classes = [HasCapability.of("credit.restrict")]

    @extend_schema(request=RestrictionLiftSerializer, responses={200: RestrictionSerializer})
    def post(self, request, pk):
        fields = _parse(RestrictionLiftSerializer, request)
        restriction = restriction_get(user=request.user, pk=pk)
        restriction_lift(actor=request.user, restriction=restriction, **fields)
        return Response(RestrictionSerializer(restriction_get(user=request.user, pk=pk)).data)


class PermissionGrantApi(APIView):
    """Temporary permission to consume with one's own money for a necessary purpose (限制消费规定 arts. 3(2), 8)."""

    permission_classes = [HasCapability.of("credit.restrict")]

    @extend_schema(request=PermissionGrantSerializer, responses={201: TemporaryPermissionSerializer})
    def post(self, request, pk):
        fields = _parse(PermissionGrantSerializer, request)
        restriction = restriction_get(user=request.user, pk=pk)
        permission = permission_grant(actor=request.user, restriction=restriction, **fields)
        return Response(TemporaryPermissionSerializer(permission).data, status=status.HTTP_201_CREATED)


class RestrictionOrderApi(APIView):
    """The order (限制消费令 / 限制出境决定书, .docx)."""

    permission_classes = [HasCapability.of("credit.view")]

    @extend_schema(responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="The .docx file.")})
    def get(self, request, pk):
        restriction = restriction_get(user=request.user, pk=pk)
        return stored_file_response(restriction.order, content_type=DOCX)


urlpatterns = [
    path("enforcement-cases/<int:pk>/restrictions/", CaseRestrictionsApi.as_view(), name="api-case-restrictions"),
    path("restrictions/", RestrictionListApi.as_view(), name="api-restriction-list"),
    path("restrictions/<int:pk>/lift/", RestrictionLiftApi.as_view(), name="api-restriction-lift"),
    path("restrictions/<int:pk>/permissions/", PermissionGrantApi.as_view(), name="api-restriction-permissions"),
    path("restrictions/<int:pk>/order/", RestrictionOrderApi.as_view(), name="api-restriction-order"),
]
