"""Serializers of the listing API: input (propose, decide, extend, remove) and output (the identifier masked:
the full one goes to agencies through the credit feed only)."""

from __future__ import annotations

from rest_framework import serializers

from .choices import ListingGround
from .models import DishonestListing


class BoundPersonInSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=30)


class ListingProposeSerializer(serializers.Serializer):
    debtor = serializers.IntegerField(help_text="The id of a debtor (被执行人) of the case.")
    ground = serializers.ChoiceField(choices=ListingGround.choices)
    facts = serializers.CharField()
    on_request = serializers.BooleanField(required=False, default=False)
    requested_on = serializers.DateField(required=False, allow_null=True, default=None)
    security_given = serializers.BooleanField(required=False, default=False)
    later_in_order = serializers.BooleanField(required=False, default=False)


class ListingDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    # A ListField, not ``many=True``: with ``allow_null`` the latter lets null items through as well.
    bound_persons = serializers.ListField(
        child=BoundPersonInSerializer(),
        required=False,
        allow_null=True,
        default=None,
        help_text="For an organisation: at least its legal representative (限制消费规定 art. 3(2)).",
    )


class ListingExtendSerializer(serializers.Serializer):
    years = serializers.IntegerField(min_value=1, max_value=3)
    reason = serializers.CharField()


class ListingRemoveSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("applicant_request", "applicant_request"), ("early", "early")])
    reason = serializers.CharField()


class ListingSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="enforcement_case.case.number", read_only=True)
    debtor_identifier = serializers.CharField(source="debtor.masked_id_number", read_only=True)
    has_decision = serializers.SerializerMethodField()

    class Meta:
        model = DishonestListing
        fields = [
            "id",
            "enforcement_case",
            "case_number",
            "debtor",
            "debtor_name",
            "debtor_identifier",
            "ground",
            "facts",
            "on_request",
            "requested_on",
            "status",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "decision_number",
            "has_decision",
            "listed_on",
            "period_years",
            "extension_years",
            "extension_reason",
            "expires_on",
            "removal_event",
            "removal_reason",
            "event_on",
            "removal_due_on",
            "removed_on",
        ]
        read_only_fields = fields

    def get_has_decision(self, obj) -> bool:
        return bool(obj.decision)
