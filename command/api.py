"""API of command: the statistics of a court or one officer over a period (the same figures as the page)."""

from __future__ import annotations

import datetime as dt

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.drf import HasCapability
from core.exceptions import InvalidInput

from .selectors import statistics_for


class StatisticsAgencySerializer(serializers.Serializer):
    agency = serializers.CharField()
    sent = serializers.IntegerField()
    answered = serializers.IntegerField()
    mean_hours = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    p90_hours = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)


class StatisticsSerializer(serializers.Serializer):
    court = serializers.CharField(source="scope.court.code")
    officer = serializers.IntegerField(source="scope.officer.pk", allow_null=True, default=None)
    date_from = serializers.DateField(source="scope.date_from")
    date_to = serializers.DateField(source="scope.date_to")
    received = serializers.IntegerField()
    closed = serializers.IntegerField()
    closed_by_kind = serializers.DictField(child=serializers.IntegerField())
    completion_rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    termination_share = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    amount_applied = serializers.DecimalField(max_digits=18, decimal_places=2)
    amount_performed = serializers.DecimalField(max_digits=18, decimal_places=2)
    realisation_rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    mean_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    p90_days = serializers.IntegerField(allow_null=True)
    restorations = serializers.IntegerField()
    frozen = serializers.DecimalField(max_digits=18, decimal_places=2)
    deducted = serializers.DecimalField(max_digits=18, decimal_places=2)
    paid_out = serializers.DecimalField(max_digits=18, decimal_places=2)
    queries = StatisticsAgencySerializer(many=True)
    received_by_month = serializers.DictField(child=serializers.IntegerField())
    closed_by_month = serializers.DictField(child=serializers.IntegerField())


def _date(request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput({name: ["YYYY-MM-DD"]}, code="statistics.invalid") from exc


def _int(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput({name: ["an id"]}, code="statistics.invalid")
    return int(value)


class StatisticsApi(APIView):
    """Cases received and closed, closing kinds, 执行完毕率, 执行到位率, durations, 终本 share and restorations,
    amounts frozen, deducted and paid out, queries per agency with their answer times — for the user's court
    (or one officer of it) over a period (default: this year to today)."""

    serializer_class = StatisticsSerializer
    permission_classes = [HasCapability.of("command.statistics")]

    @extend_schema(
        parameters=[
            OpenApiParameter("court", OpenApiTypes.STR, description="court code, e.g. 京0105 (default: yours)"),
            OpenApiParameter("officer", OpenApiTypes.INT),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses=StatisticsSerializer,
    )
    def get(self, request):
        stats = statistics_for(
            user=request.user,
            court_code=request.query_params.get("court") or None,
            officer_id=_int(request, "officer"),
            date_from=_date(request, "from"),
            date_to=_date(request, "to"),
        )
        return Response(StatisticsSerializer(stats).data)


urlpatterns = [path("statistics/", StatisticsApi.as_view(), name="api-statistics")]
