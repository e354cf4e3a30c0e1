import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.models import Court
from core.serializers import CodeRelatedField, IdField

from .choices import (
    CaseType,
    DocumentKind,
    MeasureKind,
    PartyKind,
    PartyRole,
    PreservationKind,
    PropertyClass,
    RelationKind,
    TransferCategory,
    TrialEventKind,
)
from .models import (
    Case,
    CaseParty,
    EffectiveDocument,
    FilingAlert,
    Instalment,
    Party,
    PartyRelation,
    PreservationApplication,
    PreservationMeasure,
    PreservationNoticeDecision,
    PropertyTransfer,
    TrialEvent,
)


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
            "source_case",
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
    court = CodeRelatedField(
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


# ---- trial, documents, preservation, alerts, notices --------------------------------------------------------


class TrialEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrialEvent
        fields = ["id", "kind", "at", "place", "note", "recorded_at"]


class TrialEventInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TrialEventKind.choices)
    at = serializers.DateTimeField()
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["sequence", "due_on", "amount"]


class InstalmentInputSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)


class DocumentSerializer(serializers.ModelSerializer):
    instalments = InstalmentSerializer(many=True, read_only=True)
    obligees = PartyBriefSerializer(many=True, read_only=True)
    obligors = PartyBriefSerializer(many=True, read_only=True)
    amount_due = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    is_effective = serializers.BooleanField(read_only=True)
    is_non_litigation = serializers.BooleanField(read_only=True)
    period_start = serializers.SerializerMethodField()

    class Meta:
        model = EffectiveDocument
        fields = [
            "id",
            "case",
            "kind",
            "number",
            "issuing_body",
            "issued_on",
            "effective_on",
            "principal",
            "costs",
            "amount_due",
            "interest_rule",
            "performance_deadline",
            "instalments",
            "obligees",
            "obligors",
            "fully_performed_on",
            "is_effective",
            "is_non_litigation",
            "period_start",
            "text",
        ]

    def get_period_start(self, document) -> dt.date | None:
        return document.period_start()


class DocumentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    issuing_body = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField()
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)
    principal = serializers.DecimalField(max_digits=18, decimal_places=2)
    costs = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, default="0")
    interest_rule = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    performance_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    instalments = InstalmentInputSerializer(many=True, required=False, default=list)
    obligee_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    obligor_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    text = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentEffectiveInputSerializer(serializers.Serializer):
    effective_on = serializers.DateField()


class DocumentPerformedInputSerializer(serializers.Serializer):
    on = serializers.DateField()


class MeasureSerializer(serializers.ModelSerializer):
    carried_into = serializers.CharField(source="carried_into.number", read_only=True, default=None)
    expires_soon = serializers.BooleanField(read_only=True)

    class Meta:
        model = PreservationMeasure
        fields = [
            "id",
            "kind",
            "property_class",
            "asset_description",
            "amount",
            "starts_on",
            "expires_on",
            "expires_soon",
            "status",
            "carried_into",
        ]


class MeasureInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    property_class = serializers.ChoiceField(choices=PropertyClass.choices)
    asset_description = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True, default=None)
    starts_on = serializers.DateField()
    expires_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Defaults to the longest period allowed.")
    )


class PreservationSerializer(serializers.ModelSerializer):
    applicant = PartyBriefSerializer(read_only=True)
    respondent = PartyBriefSerializer(read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    decision_deadline = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = PreservationApplication
        fields = [
            "id",
            "case",
            "kind",
            "applicant",
            "respondent",
            "amount",
            "security_offered",
            "applied_on",
            "received_at",
            "decision_deadline",
            "status",
            "decided_on",
            "decision_reason",
            "measures",
        ]


class PreservationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PreservationKind.choices)
    applicant_id = serializers.IntegerField()
    respondent_id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    security_offered = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    applied_on = serializers.DateField()


class PreservationDecideInputSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    reason = serializers.CharField()


class AlertRecordSerializer(serializers.Serializer):
    source = serializers.CharField()
    code = serializers.CharField()
    count = serializers.IntegerField()
    message = serializers.CharField()


class FilingAlertSerializer(serializers.ModelSerializer):
    party = PartyBriefSerializer(read_only=True)
    records = AlertRecordSerializer(many=True, read_only=True)
    sentence = serializers.CharField(read_only=True)

    class Meta:
        model = FilingAlert
        fields = ["id", "party", "role", "records", "message", "sentence", "created_at"]


class ReasonSerializer(serializers.Serializer):
    factor = serializers.CharField()
    points = serializers.IntegerField()
    text = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    party_id = serializers.IntegerField()
    score = serializers.IntegerField()
    recommended = serializers.BooleanField()
    threshold = serializers.IntegerField()
    reasons = ReasonSerializer(many=True)


class NoticeDecisionSerializer(serializers.ModelSerializer):
    party = PartyBriefSerializer(read_only=True)
    reasons = ReasonSerializer(many=True, read_only=True)
    decided_by = serializers.CharField(source="decided_by.get_username", read_only=True)

    class Meta:
        model = PreservationNoticeDecision
        fields = [
            "id",
            "case",
            "party",
            "score",
            "reasons",
            "recommended",
            "decided_send",
            "note",
            "decided_by",
            "decided_at",
        ]


class NoticeDecisionInputSerializer(serializers.Serializer):
    party_id = serializers.IntegerField()
    send = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AppealInputSerializer(serializers.Serializer):
    court = CodeRelatedField(
        slug_field="code", queryset=Court.objects.filter(is_active=True), help_text=_("The superior court's code.")
    )
    filing_date = serializers.DateField()
    appellant_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    appellee_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, allow_null=True, default=None
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")


# ---- relations between parties, transfers, hidden-asset clues -----------------------------------------------


class PartyRelationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyRelation
        fields = ["id", "party_a", "party_b", "kind", "share", "source", "since", "until", "recorded_at"]


class PartyRelationInputSerializer(serializers.Serializer):
    party_a_id = IdField(help_text=_("The party who is the … (the shareholder, the spouse)."))
    party_b_id = IdField(help_text=_("… of this party (the company, the other spouse)."))
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    source = serializers.CharField(max_length=100)
    since = serializers.DateField(required=False, allow_null=True, default=None)
    until = serializers.DateField(required=False, allow_null=True, default=None)
    share = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)


class PropertyTransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = PropertyTransfer
        fields = [
            "id",
            "description",
            "category",
            "value",
            "from_party",
            "to_party",
            "transferred_on",
            "source",
            "recorded_at",
        ]


class PropertyTransferInputSerializer(serializers.Serializer):
    from_party_id = IdField()
    to_party_id = IdField()
    description = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=TransferCategory.choices)
    value = serializers.DecimalField(max_digits=18, decimal_places=2)
    transferred_on = serializers.DateField()
    source = serializers.CharField(max_length=100)


class RelatedPartySerializer(serializers.Serializer):
    """A direct relation of a party (``derived``: from a shared address or phone, not recorded)."""

    party_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    direction = serializers.ChoiceField(choices=["outgoing", "incoming"])
    share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    source = serializers.CharField()
    derived = serializers.BooleanField()
    label = serializers.CharField()


class ClueReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    points = serializers.IntegerField()


class ClueSerializer(serializers.Serializer):
    transfer = PropertyTransferSerializer()
    debtor_id = serializers.IntegerField()
    debtor_name = serializers.CharField()
    related_id = serializers.IntegerField()
    related_name = serializers.CharField()
    hops = serializers.IntegerField()
    path = serializers.CharField()
    days_from_filing = serializers.IntegerField(help_text=_("Negative: before the filing date."))
    score = serializers.IntegerField()
    level = serializers.ChoiceField(choices=["high", "medium", "low"])
    reasons = ClueReasonSerializer(many=True)


class RelatedToDebtorSerializer(serializers.Serializer):
    debtor_id = serializers.IntegerField()
    party_id = serializers.IntegerField()
    name = serializers.CharField()
    hops = serializers.IntegerField()
    path = serializers.CharField()


class ClueReportSerializer(serializers.Serializer):
    debtors = PartyBriefSerializer(many=True)
    clues = ClueSerializer(many=True)
    related = RelatedToDebtorSerializer(many=True)
