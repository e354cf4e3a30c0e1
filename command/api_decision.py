"""API of the decision support of an enforcement case (the panel's content):
``GET /api/v1/enforcement-cases/{id}/decision/`` — 404 alike for a missing case and another court's."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.drf import HasCapability

from .decision import decision_for


class DecisionTriageReasonSerializer(serializers.Serializer):
    factor = serializers.CharField()
    points = serializers.IntegerField()
    text = serializers.CharField()


class DecisionTriageSerializer(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True)
    track = serializers.CharField()
    track_label = serializers.CharField()
    stored = serializers.BooleanField(help_text="False: the case was not triaged at filing; computed now.")
    reasons = DecisionTriageReasonSerializer(many=True)


class DecisionAdviceSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    citation = serializers.CharField()
    level = serializers.ChoiceField(choices=["info", "warning", "danger"])


class DecisionBankruptcySerializer(serializers.Serializer):
    debtor_id = serializers.IntegerField()
    debtor_name = serializers.CharField()
    score = serializers.IntegerField()
    indicated = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    suggestion_id = serializers.IntegerField(allow_null=True, help_text="Null: computed now, no open suggestion.")


class DecisionPlatformSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.name")
    agency_code = serializers.CharField(source="agency.code")
    finished = serializers.IntegerField()
    sold = serializers.IntegerField()
    success_rate = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    average_premium = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    all_categories = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class DecisionPlatformGroupSerializer(serializers.Serializer):
    category = serializers.CharField()
    category_label = serializers.CharField()
    assets = serializers.ListField(child=serializers.CharField())
    recommendations = DecisionPlatformSerializer(many=True)


class DecisionKindShareSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=6, decimal_places=4)


class DecisionSimilarSerializer(serializers.Serializer):
    criteria = serializers.ListField(child=serializers.CharField())
    step = serializers.IntegerField(help_text="0 the narrowest comparison … 5 the widest.")
    widened = serializers.BooleanField()
    count = serializers.IntegerField()
    enough = serializers.BooleanField()
    note = serializers.CharField()
    by_kind = DecisionKindShareSerializer(many=True)
    median_days = serializers.IntegerField(allow_null=True)
    p90_days = serializers.IntegerField(allow_null=True)
    amount_applied = serializers.DecimalField(max_digits=18, decimal_places=2)
    amount_performed = serializers.DecimalField(max_digits=18, decimal_places=2)
    realisation_rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)


class DecisionArticleSerializer(serializers.Serializer):
    code = serializers.CharField(source="article.code")
    title = serializers.CharField(source="article.title")
    citation = serializers.CharField(source="article.citation")
    text = serializers.CharField(source="article.text")
    rule = serializers.CharField(source="article.rule", help_text="The section of the project's legal-rules.md.")
    confidence = serializers.CharField(source="article.confidence")
    reason = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    enforcement_case = serializers.IntegerField(source="enforcement_case.pk")
    case_number = serializers.CharField(source="enforcement_case.case.number")
    triage = DecisionTriageSerializer()
    preservation = DecisionAdviceSerializer(many=True)
    bankruptcy = DecisionBankruptcySerializer(many=True)
    platforms = DecisionPlatformGroupSerializer(many=True)
    similar = DecisionSimilarSerializer()
    articles = DecisionArticleSerializer(many=True)


class DecisionApi(APIView):
    """The decision support of one enforcement case: the triage score and track, preservation and control
    suggestions, 执转破 screening of its organisation debtors, disposal-platform recommendations, how similar
    closed cases ended, and the applicable rules — each with its reasons."""

    serializer_class = DecisionSerializer
    permission_classes = [HasCapability.of("command.decision")]

    @extend_schema(responses=DecisionSerializer, operation_id="enforcement_cases_decision_retrieve")
    def get(self, request, pk: int):
        return Response(DecisionSerializer(decision_for(user=request.user, pk=pk)).data)


urlpatterns = [
    path("enforcement-cases/<int:pk>/decision/", DecisionApi.as_view(), name="api-enforcement-decision"),
]
