"""Serializers of the on-site tasks (现场执行) and risk notes API: output shapes and the input of each action."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import OnSiteOutcome, OnSitePurpose, RiskKind
from .models import OnSiteTask, RiskNote


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.ChoiceField):
    """A choice documented as a plain string with its values in the help text: the enum names ``kind`` and
    ``outcome`` are taken by other apps' choice sets in the schema."""

    def __init__(self, *, choices, **kwargs):
        kwargs.setdefault("help_text", " | ".join(str(value) for value, _label in choices))
        super().__init__(choices=choices, **kwargs)


class OnSiteOfficerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class RiskNoteSerializer(serializers.ModelSerializer):
    kind = CodeField(choices=RiskKind.choices, read_only=True)
    party_name = serializers.CharField(source="party.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = RiskNote
        fields = [
            "id",
            "party",
            "party_name",
            "kind",
            "kind_label",
            "note",
            "recorded_by",
            "recorded_at",
            "withdrawn_at",
            "active",
        ]
        read_only_fields = fields

    def get_active(self, obj: RiskNote) -> bool:
        return obj.withdrawn_at is None


class OnSiteTaskSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.case.number", read_only=True)
    officers = OnSiteOfficerSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    outcome = CodeField(choices=[("", ""), *OnSiteOutcome.choices], read_only=True)
    risks = serializers.SerializerMethodField()

    class Meta:
        model = OnSiteTask
        fields = [
            "id",
            "case",
            "case_number",
            "purpose",
            "address",
            "scheduled_at",
            "officers",
            "notes",
            "status",
            "outcome",
            "outcome_notes",
            "completed_at",
            "created_by",
            "created_at",
            "risks",
        ]
        read_only_fields = fields

    @extend_schema_field(RiskNoteSerializer(many=True))
    def get_risks(self, obj: OnSiteTask) -> list[dict]:
        """The active risk notes of the case's debtors (set by ``division.attach_risks``)."""
        return RiskNoteSerializer(getattr(obj, "risks", []), many=True).data


# The input of each action. Ids are resolved by the view within the user's court; the services check the rules.


class OnSiteTaskCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="The enforcement case (id) of your court.")
    purpose = serializers.ChoiceField(choices=OnSitePurpose.choices)
    address = serializers.CharField(max_length=200)
    scheduled_at = serializers.DateTimeField()
    officers = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class OnSiteTaskCompleteSerializer(serializers.Serializer):
    outcome = CodeField(choices=OnSiteOutcome.choices)
    outcome_notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    completed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class OnSiteTaskCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=4000, help_text="Why the task is cancelled (required).")


class RiskNoteCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="An enforcement case (id) of your court that the party is on.")
    party = serializers.IntegerField()
    kind = CodeField(choices=RiskKind.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RiskNoteWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000, help_text="Why the risk no longer holds.")
