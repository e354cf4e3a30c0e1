from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.models import Court

from .choices import CaseType, PartyKind, PartyRole
from .models import Case, CaseParty, Party


class PartyBriefSerializer(serializers.ModelSerializer):
    """A party as case lists show it: a person's identifier is masked."""

    id_number = serializers.CharField(source="masked_id_number", read_only=True)

    class Meta:
        model = Party
        fields = ["id", "kind", "name", "id_number"]


class PartyDetailSerializer(serializers.ModelSerializer):
    """Full personal details; only returned by the audited party read."""

    class Meta:
        model = Party
        fields = [
            "id",
            "kind",
            "name",
            "id_number",
            "legal_representative",
            "birth_date",
            "sex",
            "phone",
            "address",
            "created_at",
        ]


class CasePartySerializer(serializers.ModelSerializer):
    party = PartyBriefSerializer(read_only=True)

    class Meta:
        model = CaseParty
        fields = ["role", "party"]


class CaseSerializer(serializers.ModelSerializer):
    court = serializers.CharField(source="court.code", read_only=True)
    court_name = serializers.CharField(source="court.name", read_only=True)
    stage = serializers.CharField(read_only=True)
    parties = CasePartySerializer(source="party_links", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "case_type",
            "stage",
            "court",
            "court_name",
            "year",
            "serial",
            "filing_date",
            "amount",
            "cause",
            "summary",
            "parties",
            "created_at",
        ]


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    party_id = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("An already registered party; or give its data below.")
    )
    kind = serializers.ChoiceField(choices=PartyKind.choices, required=False, allow_blank=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CaseFileSerializer(serializers.Serializer):
    court = serializers.SlugRelatedField(
        slug_field="code", queryset=Court.objects.filter(is_active=True), help_text=_("Court code, e.g. 京0105.")
    )
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    filing_date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    cause = serializers.CharField(max_length=100)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Only when importing a case that already has its number."),
    )
    parties = PartyInputSerializer(many=True, allow_empty=False)


class PartyRegisterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    name = serializers.CharField(max_length=200)
    id_number = serializers.CharField(max_length=32)
    legal_representative = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
