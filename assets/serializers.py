"""Input and output shapes of the agency API."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.money import parse_amount

from .choices import AssetCategory, RequestKind, RequestStatus, ResultOutcome
from .models import AgencyRequest


class RequestItemSerializer(serializers.Serializer):
    debtor = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField()
    category = serializers.ChoiceField(choices=AssetCategory.choices)


class AgencyRequestSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=RequestStatus.choices, read_only=True)
    case_number = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = AgencyRequest
        fields = [
            "id",
            "kind",
            "status",
            "case_number",
            "items",
            "attempts",
            "created_at",
            "due_at",
            "delivered_at",
            "answered_at",
        ]
        read_only_fields = fields

    def get_case_number(self, obj) -> str:
        return obj.payload.get("case_number", "")

    @extend_schema_field(RequestItemSerializer(many=True))
    def get_items(self, obj):
        return RequestItemSerializer(obj.payload.get("items", []), many=True).data


class AmountField(serializers.CharField):
    """A yuan amount given as a string ("12345.67"): exact, two places at most, never a float's rounding."""

    def to_internal_value(self, data):
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            data = str(data)
        text = super().to_internal_value(data)
        try:
            return parse_amount(text)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class FoundAssetSerializer(serializers.Serializer):
    identifier = serializers.CharField(max_length=64)
    value = AmountField(required=False, allow_null=True)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    details = serializers.DictField(required=False, default=dict)


class ResultSerializer(serializers.Serializer):
    debtor = serializers.IntegerField()
    category = serializers.ChoiceField(choices=AssetCategory.choices)
    outcome = serializers.ChoiceField(choices=ResultOutcome.choices)
    assets = FoundAssetSerializer(many=True, required=False, default=list)


class AnswerSerializer(serializers.Serializer):
    results = ResultSerializer(many=True, allow_empty=False)


class AnswerReceiptSerializer(serializers.Serializer):
    results = serializers.IntegerField(help_text="Results newly recorded by this call.")
    assets = serializers.IntegerField(help_text="Assets newly recorded or updated by this call.")
    skipped = serializers.IntegerField(help_text="Results already recorded before (an answer sent again).")
    status = serializers.ChoiceField(choices=RequestStatus.choices)
