"""Serializers of the restrictions API: input (issue, lift, permission) and output (identifiers masked: the
full ones go to agencies through the credit feed only)."""

from __future__ import annotations

from rest_framework import serializers

from core.identifiers import mask_identifier
from core.serializers import IdField

from .choices import BoundPersonRole, LiftGround, ProhibitedConsumption, RestrictionKind
from .models import BoundPerson, Restriction, TemporaryPermission


class BoundPersonInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=BoundPersonRole.choices)
    name = serializers.CharField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=30)


class RestrictionIssueSerializer(serializers.Serializer):
    debtor = IdField(help_text="The id of a debtor (被执行人) of the case.")
    kind = serializers.ChoiceField(choices=RestrictionKind.choices)
    reason = serializers.CharField()
    prohibited = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        allow_null=True,
        default=None,
        help_text=f"ProhibitedConsumption values (default all nine): {', '.join(ProhibitedConsumption.values)}.",
    )
    bound_persons = BoundPersonInputSerializer(many=True, required=False, default=list)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class RestrictionLiftSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=LiftGround.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)


class PermissionGrantSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    allowed = serializers.ListField(child=serializers.CharField())
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


class BoundPersonSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = BoundPerson
        fields = ["role", "name", "id_number", "party"]

    def get_id_number(self, obj) -> str:
        return mask_identifier(obj.id_number)


class TemporaryPermissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemporaryPermission
        fields = ["id", "purpose", "allowed", "valid_from", "valid_until", "granted_by", "granted_at"]


class RestrictionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="enforcement_case.case.number", read_only=True)
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)
    debtor_identifier = serializers.CharField(source="debtor.masked_id_number", read_only=True)
    bound_persons = BoundPersonSerializer(many=True, read_only=True)
    permissions = TemporaryPermissionSerializer(many=True, read_only=True)

    class Meta:
        model = Restriction
        fields = [
            "id",
            "kind",
            "status",
            "enforcement_case",
            "case_number",
            "debtor",
            "debtor_name",
            "debtor_identifier",
            "listing",
            "prohibited",
            "reason",
            "order_number",
            "issued_on",
            "issued_by",
            "bound_persons",
            "permissions",
            "lift_ground",
            "lift_reason",
            "lifted_on",
            "lifted_by",
        ]
