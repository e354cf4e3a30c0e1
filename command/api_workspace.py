"""API of the officer workspace: the counts of its sections for the signed-in case worker (what the page's
counts block shows)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.drf import HasCapability

from .workspace import workspace_counts


class WorkspaceCountsSerializer(serializers.Serializer):
    overdue = serializers.IntegerField(help_text="Open cases and dated steps past their due date.")
    due_today = serializers.IntegerField()
    due_soon = serializers.IntegerField(help_text="Due after today, within 7 days.")
    deadlines = serializers.IntegerField(help_text="overdue + due_today + due_soon")
    expiring_30 = serializers.IntegerField(help_text="Control measures in force expiring within 30 days.")
    expiring_7 = serializers.IntegerField(help_text="Of those, expiring within 7 days.")
    new_answers = serializers.IntegerField(help_text="Query answers received in the last 7 days.")
    new_finds = serializers.IntegerField(help_text="Tracking queries that found property in the last 7 days.")
    alerts = serializers.IntegerField(help_text="Filing alerts on the user's open cases.")
    approvals = serializers.IntegerField(
        help_text="For approvers, the court's pending approvals; for others, their own requests still pending; "
        "plus restoration requests to decide."
    )
    funds_cases = serializers.IntegerField(help_text="Cases with money held in the case fund.")
    funds_held = serializers.DecimalField(max_digits=18, decimal_places=2)
    payouts_waiting = serializers.IntegerField(help_text="Approved distribution lines not yet paid in full.")
    payouts_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    onsite_today = serializers.IntegerField(help_text="Planned on-site tasks of today with the user among them.")


class WorkspaceCountsApi(APIView):
    """The counts of the signed-in user's workspace: deadlines, expiring measures, new answers and finds, filing
    alerts, approvals waiting, case funds held and today's on-site tasks — of the user's own cases at their court."""

    serializer_class = WorkspaceCountsSerializer
    permission_classes = [HasCapability.of("command.workspace")]

    @extend_schema(responses=WorkspaceCountsSerializer)
    def get(self, request):
        return Response(WorkspaceCountsSerializer(workspace_counts(user=request.user)).data)


urlpatterns = [path("workspace/", WorkspaceCountsApi.as_view(), name="api-workspace")]
