"""Serializers of the bankruptcy API (破, issue 8). Every class is prefixed ``Bankruptcy`` so that its OpenAPI
component name is unique across the apps. Money goes out as strings (Decimal, two places)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from core.money import DECIMAL_PLACES, MAX_DIGITS

from .choices import ClaimKind
from .models import BankruptcyCase, Claim, Consent, Distribution, Effect, Share, Suggestion, Transfer


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)


# ---- output ---------------------------------------------------------------------------------------------------------


class BankruptcySuggestionSerializer(serializers.ModelSerializer):
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)
    courts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reasons = serializers.ListField(source="reason_texts", child=serializers.CharField(), read_only=True)
    figures = serializers.DictField(read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "debtor",
            "debtor_name",
            "status",
            "score",
            "reasons",
            "figures",
            "courts",
            "computed_at",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields


class BankruptcyConsentSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "party", "party_name", "role", "consents", "answered_on", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class BankruptcyEnforcementCaseRefSerializer(serializers.Serializer):
    """An enforcement case named by its number, court and status."""

    id = serializers.IntegerField()
    number = serializers.CharField(source="case.number")
    court = serializers.IntegerField(source="case.court_id")
    court_name = serializers.CharField(source="case.court.name")
    status = serializers.CharField()


class BankruptcyTransferSerializer(serializers.ModelSerializer):
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)
    court_name = serializers.CharField(source="court.name", read_only=True)
    receiving_court_name = serializers.CharField(source="receiving_court.name", read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    petition_case_number = serializers.CharField(source="petition_case.number", default="", read_only=True)
    bankruptcy_case = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "debtor",
            "debtor_name",
            "court",
            "court_name",
            "receiving_court",
            "receiving_court_name",
            "suggestion",
            "status",
            "grounds",
            "proposed_by",
            "proposed_at",
            "notified_on",
            "ruled_by",
            "transferred_on",
            "decision_due_on",
            "overdue",
            "petition_case",
            "petition_case_number",
            "decided_on",
            "decided_by",
            "decision_reason",
            "bankruptcy_case",
        ]
        read_only_fields = fields

    def get_bankruptcy_case(self, obj: Transfer) -> int | None:
        bc = BankruptcyCase.objects.filter(transfer=obj).values_list("pk", flat=True).first()
        return bc


class BankruptcyTransferDetailSerializer(BankruptcyTransferSerializer):
    consents = BankruptcyConsentSerializer(many=True, read_only=True)
    enforcement_cases = BankruptcyEnforcementCaseRefSerializer(many=True, read_only=True)

    class Meta(BankruptcyTransferSerializer.Meta):
        fields = [*BankruptcyTransferSerializer.Meta.fields, "consents", "enforcement_cases"]
        read_only_fields = fields


class BankruptcyEffectSerializer(serializers.ModelSerializer):
    enforcement_case_number = serializers.CharField(source="enforcement_case.case.number", read_only=True)
    court = serializers.IntegerField(source="enforcement_case.case.court_id", read_only=True)

    class Meta:
        model = Effect
        fields = [
            "id",
            "enforcement_case",
            "enforcement_case_number",
            "court",
            "kind",
            "measures_released",
            "listings_flagged",
            "at",
        ]
        read_only_fields = fields


class BankruptcyClaimSerializer(serializers.ModelSerializer):
    creditor_name = serializers.CharField(source="creditor.name", read_only=True)
    amount = _money(read_only=True)
    admitted_amount = _money(read_only=True, allow_null=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "bankruptcy_case",
            "creditor",
            "creditor_name",
            "kind",
            "amount",
            "enforcement_case",
            "documents",
            "filed_on",
            "filed_by",
            "status",
            "admitted_amount",
            "reviewed_by",
            "reviewed_on",
            "review_note",
        ]
        read_only_fields = fields


class BankruptcyShareSerializer(serializers.ModelSerializer):
    amount = _money(read_only=True)

    class Meta:
        model = Share
        fields = ["claim", "amount"]
        read_only_fields = fields


class BankruptcyDistributionSerializer(serializers.ModelSerializer):
    total = _money(read_only=True)
    shares = BankruptcyShareSerializer(many=True, read_only=True)

    class Meta:
        model = Distribution
        fields = ["id", "bankruptcy_case", "total", "made_on", "recorded_by", "note", "shares"]
        read_only_fields = fields


class BankruptcyCaseSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="case.number", read_only=True)
    court = serializers.IntegerField(source="case.court_id", read_only=True)
    court_name = serializers.CharField(source="case.court.name", read_only=True)
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)

    class Meta:
        model = BankruptcyCase
        fields = [
            "id",
            "case",
            "number",
            "court",
            "court_name",
            "debtor",
            "debtor_name",
            "transfer",
            "status",
            "accepted_on",
            "accepted_by",
            "effects_applied_at",
            "administrator",
            "administrator_appointed_on",
            "claims_deadline_on",
            "declared_on",
            "closed_on",
            "closing_note",
        ]
        read_only_fields = fields


class BankruptcyCaseDetailSerializer(BankruptcyCaseSerializer):
    effects = BankruptcyEffectSerializer(many=True, read_only=True)
    claims = BankruptcyClaimSerializer(many=True, read_only=True)
    distributions = BankruptcyDistributionSerializer(many=True, read_only=True)

    class Meta(BankruptcyCaseSerializer.Meta):
        fields = [*BankruptcyCaseSerializer.Meta.fields, "effects", "claims", "distributions"]
        read_only_fields = fields


class BankruptcyClaimPrefillSerializer(serializers.Serializer):
    creditor = serializers.IntegerField(source="creditor.pk")
    creditor_name = serializers.CharField(source="creditor.name")
    enforcement_case = serializers.IntegerField(source="enforcement_case.pk")
    enforcement_case_number = serializers.CharField(source="enforcement_case.case.number")
    amount = _money()


class BankruptcyDebtorCaseSerializer(BankruptcyEnforcementCaseRefSerializer):
    """An enforcement case against the debtor and what the bankruptcy did to it (the latest effect)."""

    bankruptcy_effect = serializers.CharField(allow_blank=True)


class BankruptcyDebtorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField()
    kind = serializers.CharField()
    enforcement_cases = BankruptcyDebtorCaseSerializer(many=True)
    transfers = BankruptcyTransferSerializer(many=True)
    bankruptcy_cases = BankruptcyCaseSerializer(many=True)


# ---- input ----------------------------------------------------------------------------------------------------------


class BankruptcySuggestionDismissSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


class BankruptcyTransferProposeSerializer(serializers.Serializer):
    debtor = serializers.IntegerField(help_text="The corporate debtor (a party id).")
    receiving_court = serializers.IntegerField(help_text="The court of the debtor's domicile.")
    grounds = serializers.CharField(allow_blank=True)
    suggestion = serializers.IntegerField(required=False, allow_null=True)
    on = serializers.DateField(required=False, allow_null=True)


class BankruptcyConsentRecordSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    consents = serializers.BooleanField()
    answered_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BankruptcyOnSerializer(serializers.Serializer):
    on = serializers.DateField()


class BankruptcyTransferWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class BankruptcyTransferDecideSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    administrator = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class BankruptcyAdministratorSerializer(serializers.Serializer):
    administrator = serializers.CharField(allow_blank=True, max_length=200)
    on = serializers.DateField()
    claims_deadline_on = serializers.DateField()


class BankruptcyClaimFileSerializer(serializers.Serializer):
    creditor = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    amount = _money()
    on = serializers.DateField()
    enforcement_case = serializers.IntegerField(required=False, allow_null=True)
    documents = serializers.CharField(required=False, allow_blank=True, default="")


class BankruptcyClaimReviewSerializer(serializers.Serializer):
    admitted_amount = _money(min_value=Decimal("0"))
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BankruptcyDistributionRecordSerializer(serializers.Serializer):
    total = _money()
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BankruptcyCloseSerializer(serializers.Serializer):
    on = serializers.DateField()
    note = serializers.CharField(allow_blank=True)
