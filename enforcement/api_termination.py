"""API of 终本 and settlements (issue 5): the live checklist of a case, the proposal, the division head's
decision, withdrawal, the ruling (.docx), and the settlement agreements that allow closing as 和解结案. Thin
views: parse, call one service or selector, answer."""

from __future__ import annotations

import datetime as dt

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import get_visible_or_404
from core.drf import HasCapability
from core.exceptions import InvalidInput
from core.files import stored_file_response

from . import services
from .choices import ProposalStatus
from .models import Settlement, TerminationProposal
from .selectors import enforcement_case_get, termination_proposal_get, termination_proposal_list
from .serializers import (
    ChecklistSerializer,
    SettlementPerformedSerializer,
    SettlementRecordSerializer,
    SettlementSerializer,
    TerminationDecideSerializer,
    TerminationProposalSerializer,
    TerminationProposeSerializer,
)
from .termination import termination_checklist

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _day(value: str | None) -> dt.date:
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput({"on": [_("Give the date as YYYY-MM-DD.")]}, code="termination.invalid") from exc


class TerminationChecklistApi(APIView):
    """The 终本 checklist of a case evaluated on ``?on=`` (today by default), with the facts recorded on its
    pending proposal when there is one (终本规定 2016 arts. 1, 5; 解释 2022 art. 517)."""

    permission_classes = [HasCapability.of("enforcement.view")]

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="The day evaluated (default today).")],
        responses={200: ChecklistSerializer},
    )
    def get(self, request, pk):
        case = enforcement_case_get(user=request.user, pk=pk)
        on = _day(request.query_params.get("on"))
        pending = case.terminations.filter(status=ProposalStatus.PENDING).first()
        items = termination_checklist(case, pending, on)
        body = {"on": on, "met": all(item.met for item in items), "items": [item.as_dict() for item in items]}
        return Response(ChecklistSerializer(body).data)


class TerminationProposeApi(APIView):
    """Propose 终本 for a case; refused with ``termination.checklist_unmet`` and every unmet condition in
    ``extra.unmet`` (nothing written)."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=TerminationProposeSerializer, responses={201: TerminationProposalSerializer})
    def post(self, request, pk):
        fields = _parse(TerminationProposeSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        proposal = services.termination_propose(actor=request.user, enforcement_case=case, **fields)
        return Response(TerminationProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class TerminationProposalListApi(generics.ListAPIView):
    """The 终本 proposals of the caller's court, newest first; ``?status=pending`` for the approval queue."""

    permission_classes = [HasCapability.of("enforcement.view")]
    serializer_class = TerminationProposalSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=ProposalStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TerminationProposal.objects.none()
        wanted = self.request.query_params.get("status", "")
        return termination_proposal_list(user=self.request.user, status=wanted if wanted in ProposalStatus else "")


class TerminationDecideApi(APIView):
    """A division head other than the proposer approves (closing the case as 终本, generating the ruling) or
    refuses with a note."""

    permission_classes = [HasCapability.of("enforcement.approve_termination")]

    @extend_schema(request=TerminationDecideSerializer, responses={200: TerminationProposalSerializer})
    def post(self, request, pk):
        fields = _parse(TerminationDecideSerializer, request)
        proposal = termination_proposal_get(user=request.user, pk=pk)
        proposal = services.termination_decide(actor=request.user, proposal=proposal, **fields)
        return Response(TerminationProposalSerializer(proposal).data)


class TerminationWithdrawApi(APIView):
    """The proposer withdraws a pending proposal."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=None, responses={200: TerminationProposalSerializer})
    def post(self, request, pk):
        proposal = termination_proposal_get(user=request.user, pk=pk)
        proposal = services.termination_withdraw(actor=request.user, proposal=proposal)
        return Response(TerminationProposalSerializer(proposal).data)


class TerminationRulingApi(APIView):
    """The 终本 ruling (执行裁定书, .docx) of an approved proposal."""

    permission_classes = [HasCapability.of("enforcement.view")]

    @extend_schema(responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="The .docx file.")})
    def get(self, request, pk):
        proposal = termination_proposal_get(user=request.user, pk=pk)
        return stored_file_response(proposal.ruling, content_type=DOCX)


class SettlementRecordApi(APIView):
    """Record a settlement agreement (执行和解) on an open case."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=SettlementRecordSerializer, responses={201: SettlementSerializer})
    def post(self, request, pk):
        fields = _parse(SettlementRecordSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        settlement = services.settlement_record(actor=request.user, enforcement_case=case, **fields)
        return Response(SettlementSerializer(settlement).data, status=status.HTTP_201_CREATED)


class SettlementPerformedApi(APIView):
    """Record that a settlement agreement was performed (the case may then close as 和解结案)."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=SettlementPerformedSerializer, responses={200: SettlementSerializer})
    def post(self, request, pk):
        fields = _parse(SettlementPerformedSerializer, request)
        settlement = get_visible_or_404(
            Settlement.objects.select_related("enforcement_case__case"),
            request.user,
            court_field="enforcement_case__case__court",
            pk=pk,
        )
        settlement = services.settlement_mark_performed(actor=request.user, settlement=settlement, on=fields["on"])
        return Response(SettlementSerializer(settlement).data)


urlpatterns = [
    path(
        "enforcement-cases/<int:pk>/termination-checklist/",
        TerminationChecklistApi.as_view(),
        name="api-termination-checklist",
    ),
    path(
        "enforcement-cases/<int:pk>/termination-proposals/",
        TerminationProposeApi.as_view(),
        name="api-termination-propose",
    ),
    path("termination-proposals/", TerminationProposalListApi.as_view(), name="api-termination-proposal-list"),
    path("termination-proposals/<int:pk>/decide/", TerminationDecideApi.as_view(), name="api-termination-decide"),
    path("termination-proposals/<int:pk>/withdraw/", TerminationWithdrawApi.as_view(), name="api-termination-withdraw"),
    path("termination-proposals/<int:pk>/ruling/", TerminationRulingApi.as_view(), name="api-termination-ruling"),
    path("enforcement-cases/<int:pk>/settlements/", SettlementRecordApi.as_view(), name="api-settlement-record"),
    path("settlements/<int:pk>/performed/", SettlementPerformedApi.as_view(), name="api-settlement-performed"),
]
