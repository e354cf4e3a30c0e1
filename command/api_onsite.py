"""API of the on-site tasks (现场执行) and the risk notes on debtors, for court staff, scoped to the user's court.

- ``onsite-tasks/``: GET the tasks of the user's court (filters ``case``, ``status``, ``from``, ``to``), each with
  the active risk notes of the case's debtors; POST plans a task.
- ``onsite-tasks/<id>/complete/``, ``onsite-tasks/<id>/cancel/``: record the outcome, or call the task off.
- ``risk-notes/``: GET the notes on parties to cases of the user's court (filters ``party``, ``case``,
  ``active``); POST records one on a party to a case.
- ``risk-notes/<id>/withdraw/``: withdraw a note (by the court that recorded it).

Reading needs ``command.onsite`` or ``command.division``; writing ``command.onsite``. A refusal is a 400 whose
``code`` names the rule (``onsite.in_the_past``, ``onsite.officer_court``, ``onsite.already_done``…) and writes
nothing; a case, task or note of another court is a 404 like a missing one."""

from __future__ import annotations

import datetime as dt

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Party
from core.drf import HasCapability
from core.exceptions import InvalidInput
from core.models import User
from enforcement.selectors import enforcement_case_get

from . import division as d
from .choices import OnSiteStatus
from .serializers_onsite import (
    OnSiteTaskCancelSerializer,
    OnSiteTaskCompleteSerializer,
    OnSiteTaskCreateSerializer,
    OnSiteTaskSerializer,
    RiskNoteCreateSerializer,
    RiskNoteSerializer,
    RiskNoteWithdrawSerializer,
)
from .services import (
    cancel_onsite_task,
    complete_onsite_task,
    plan_onsite_task,
    record_risk_note,
    withdraw_risk_note,
)


class OnSiteAccess(permissions.BasePermission):
    """Read: ``command.onsite`` or ``command.division``; write: ``command.onsite``."""

    message = HasCapability.message

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        if request.method in permissions.SAFE_METHODS:
            return user.can("command.onsite") or user.can("command.division")
        return user.can("command.onsite")


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput({name: ["an id"]}, code="onsite.invalid")
    return int(value)


def _date_param(request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput({name: ["YYYY-MM-DD"]}, code="onsite.invalid") from exc


class _ListApi(generics.GenericAPIView):
    """A paginated list of what the user may see, filtered by its query parameters (``get_queryset``)."""

    permission_classes = [OnSiteAccess]
    filter_backends: list = []

    def present(self, page) -> list:
        """The page's objects as the serializer wants them."""
        return page

    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(self.present(page), many=True).data)


def _task_response(request, task, http_status: int = status.HTTP_200_OK) -> Response:
    """The task as the list shows it, with its risks, read again within the user's court."""
    [task] = d.attach_risks(d.onsite_tasks_for(user=request.user).filter(pk=task.pk))
    return Response(OnSiteTaskSerializer(task).data, status=http_status)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("case", OpenApiTypes.INT, description="an enforcement case id"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=OnSiteStatus.values),
            OpenApiParameter("from", OpenApiTypes.DATE, description="scheduled on or after"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="scheduled on or before"),
        ],
        responses=OnSiteTaskSerializer(many=True),
    )
)
class OnSiteTaskListApi(_ListApi):
    """The on-site tasks of the user's court, soonest first (GET); plan one (POST)."""

    serializer_class = OnSiteTaskSerializer

    def present(self, page) -> list:
        return d.attach_risks(page)

    def get_queryset(self):
        queryset = d.onsite_tasks_for(user=self.request.user)
        case = _int_param(self.request, "case")
        if case:
            queryset = queryset.filter(case_id=case)
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in OnSiteStatus.values:
                raise InvalidInput({"status": [", ".join(OnSiteStatus.values)]}, code="onsite.invalid")
            queryset = queryset.filter(status=wanted)
        start, end = _date_param(self.request, "from"), _date_param(self.request, "to")
        if start:
            queryset = queryset.filter(scheduled_at__date__gte=start)
        if end:
            queryset = queryset.filter(scheduled_at__date__lte=end)
        return queryset.order_by("scheduled_at", "id")

    @extend_schema(request=OnSiteTaskCreateSerializer, responses={201: OnSiteTaskSerializer})
    def post(self, request):
        data = OnSiteTaskCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        ec = enforcement_case_get(user=request.user, pk=v["case"])
        officers = list(User.objects.filter(pk__in=set(v["officers"])))
        if len(officers) != len(set(v["officers"])):
            raise InvalidInput({"officers": ["No such user."]}, code="onsite.invalid")
        task = plan_onsite_task(
            actor=request.user,
            enforcement_case=ec,
            purpose=v["purpose"],
            address=v["address"],
            scheduled_at=v["scheduled_at"],
            officers=officers,
            notes=v["notes"],
        )
        return _task_response(request, task, http_status=status.HTTP_201_CREATED)


class _TaskActionApi(APIView):
    """POST: one action on a task of the user's court, its input read by ``input_serializer``; the task comes back
    as the list shows it."""

    serializer_class = OnSiteTaskSerializer
    permission_classes = [OnSiteAccess]
    input_serializer: type

    def act(self, request, task, data: dict):
        raise NotImplementedError

    def post(self, request, pk: int):
        task = d.task_get(user=request.user, pk=pk)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _task_response(request, self.act(request, task, data.validated_data))


@extend_schema_view(post=extend_schema(request=OnSiteTaskCompleteSerializer, responses={200: OnSiteTaskSerializer}))
class OnSiteTaskCompleteApi(_TaskActionApi):
    """Record the outcome of a planned task (it is then done and cannot change)."""

    input_serializer = OnSiteTaskCompleteSerializer

    def act(self, request, task, data: dict):
        return complete_onsite_task(actor=request.user, task=task, **data)


@extend_schema_view(post=extend_schema(request=OnSiteTaskCancelSerializer, responses={200: OnSiteTaskSerializer}))
class OnSiteTaskCancelApi(_TaskActionApi):
    """Call off a planned task, with the reason."""

    input_serializer = OnSiteTaskCancelSerializer

    def act(self, request, task, data: dict):
        return cancel_onsite_task(actor=request.user, task=task, reason=data["reason"])


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("party", OpenApiTypes.INT),
            OpenApiParameter("case", OpenApiTypes.INT, description="an enforcement case id: notes on its parties"),
            OpenApiParameter("active", OpenApiTypes.BOOL, description="true: in force; false: withdrawn"),
        ],
        responses=RiskNoteSerializer(many=True),
    )
)
class RiskNoteListApi(_ListApi):
    """The risk notes on parties to cases of the user's court, latest first (GET); record one (POST)."""

    serializer_class = RiskNoteSerializer

    def get_queryset(self):
        queryset = d.risk_notes_for(user=self.request.user)
        party = _int_param(self.request, "party")
        if party:
            queryset = queryset.filter(party_id=party)
        case = _int_param(self.request, "case")
        if case:
            ec = enforcement_case_get(user=self.request.user, pk=case)
            queryset = queryset.filter(party__case_links__case_id=ec.case_id)
        active = self.request.query_params.get("active")
        if active in ("true", "1"):
            queryset = queryset.filter(withdrawn_at__isnull=True)
        elif active in ("false", "0"):
            queryset = queryset.filter(withdrawn_at__isnull=False)
        return queryset.order_by("-recorded_at", "-id")

    @extend_schema(request=RiskNoteCreateSerializer, responses={201: RiskNoteSerializer})
    def post(self, request):
        data = RiskNoteCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        ec = enforcement_case_get(user=request.user, pk=v["case"])
        party = Party.objects.filter(pk=v["party"]).first()
        note = record_risk_note(actor=request.user, enforcement_case=ec, party=party, kind=v["kind"], note=v["note"])
        return Response(RiskNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class RiskNoteWithdrawApi(APIView):
    """Withdraw a risk note that no longer holds (by staff of the court that recorded it)."""

    serializer_class = RiskNoteSerializer
    permission_classes = [OnSiteAccess]

    @extend_schema(request=RiskNoteWithdrawSerializer, responses={200: RiskNoteSerializer})
    def post(self, request, pk: int):
        note = d.risk_note_get(user=request.user, pk=pk)
        data = RiskNoteWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = withdraw_risk_note(actor=request.user, risk_note=note, reason=data.validated_data["reason"])
        return Response(RiskNoteSerializer(note).data)


urlpatterns = [
    path("onsite-tasks/", OnSiteTaskListApi.as_view(), name="api-onsite-tasks"),
    path("onsite-tasks/<int:pk>/complete/", OnSiteTaskCompleteApi.as_view(), name="api-onsite-task-complete"),
    path("onsite-tasks/<int:pk>/cancel/", OnSiteTaskCancelApi.as_view(), name="api-onsite-task-cancel"),
    path("risk-notes/", RiskNoteListApi.as_view(), name="api-risk-notes"),
    path("risk-notes/<int:pk>/withdraw/", RiskNoteWithdrawApi.as_view(), name="api-risk-note-withdraw"),
]
