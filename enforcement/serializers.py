from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import mask_party_id
from cases.serializers import CasePartySerializer
from core.models import Court
from core.serializers import CodeRelatedField, IdField

from .choices import (
    ApplicantOpinion,
    ClosingKind,
    ListingDecision,
    NoticeKind,
    ServiceMethod,
    SuspensionGround,
    TerminationReason,
    Track,
)
from .models import EnforcementCase, ExtensionRequest, Notice, Settlement, TerminationProposal


class OfficerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


# The formats of the list rows, as the declared fields give them (a test compares both).
_FORMATS = {
    "date": serializers.DateField().to_representation,
    "money": serializers.DecimalField(max_digits=18, decimal_places=2).to_representation,
    "datetime": serializers.DateTimeField().to_representation,
}


class EnforcementCaseSerializer(serializers.ModelSerializer):
    """An enforcement case as lists show it: the case record's number, court, amount and parties with it."""

    number = serializers.CharField(source="case.number", read_only=True)
    case_id = serializers.IntegerField(source="case.pk", read_only=True)
    case_type = serializers.CharField(source="case.case_type", read_only=True)
    court = serializers.CharField(source="case.court.code", read_only=True)
    court_name = serializers.CharField(source="case.court.name", read_only=True)
    filing_date = serializers.DateField(source="case.filing_date", read_only=True)
    amount = serializers.DecimalField(source="case.amount", max_digits=18, decimal_places=2, read_only=True)
    cause = serializers.CharField(source="case.cause", read_only=True)
    parties = CasePartySerializer(source="case.party_links", many=True, read_only=True)
    officer = OfficerSerializer(read_only=True, allow_null=True)
    # Declared so that the schema lists "" (not yet triaged, still open) among their values: DRF drops
    # ``allow_blank`` from the fields it builds read-only.
    track = serializers.ChoiceField(choices=Track.choices, allow_blank=True, read_only=True)
    closing_kind = serializers.ChoiceField(choices=ClosingKind.choices, allow_blank=True, read_only=True)

    class Meta:
        model = EnforcementCase
        fields = [
            "id",
            "case_id",
            "number",
            "case_type",
            "court",
            "court_name",
            "filing_date",
            "amount",
            "cause",
            "status",
            "track",
            "difficulty_score",
            "officer",
            "assigned_at",
            "limit_months",
            "extended_months",
            "suspended_days",
            "deadline_on",
            "closing_kind",
            "closed_on",
            "performed_amount",
            "source_document",
            "restored_from",
            "parties",
        ]
        read_only_fields = fields

    # What a list row reads, as ``.values()`` names: ``rows`` builds a page from them without model instances.
    VALUES = (
        "id", "case_id", "case__number", "case__case_type", "case__court__code", "case__court__name",
        "case__filing_date", "case__amount", "case__cause", "status", "track", "difficulty_score", "officer_id",
        "officer__username", "officer__display_name", "officer__first_name", "officer__last_name", "assigned_at",
        "limit_months", "extended_months", "suspended_days", "deadline_on", "closing_kind", "closed_on",
        "performed_amount", "source_document_id", "restored_from_id",
    )  # fmt: skip
    PARTY_VALUES = ("case_id", "role", "party_id", "party__kind", "party__name", "party__id_number")

    def to_representation(self, instance: EnforcementCase) -> dict:
        """The row built straight from the loaded case, court, officer and parties: the same JSON as the
        declared fields give (a test compares both on every shape of case), at a fraction of the cost."""
        case, officer = instance.case, instance.officer
        values = {name: getattr(instance, name) for name in self.VALUES if "__" not in name}
        values.update(
            case_id=case.pk,
            case__number=case.number,
            case__case_type=case.case_type,
            case__court__code=case.court.code,
            case__court__name=case.court.name,
            case__filing_date=case.filing_date,
            case__amount=case.amount,
            case__cause=case.cause,
            officer__username=officer.username if officer else None,
            officer__display_name=officer.display_name if officer else None,
            officer__first_name=officer.first_name if officer else None,
            officer__last_name=officer.last_name if officer else None,
        )
        parties = [
            {
                "role": link.role,
                "party_id": link.party.pk,
                "party__kind": link.party.kind,
                "party__name": link.party.name,
                "party__id_number": link.party.id_number,
            }
            for link in case.party_links.all()
        ]
        return self._row(values, parties)

    @classmethod
    def rows(cls, page: list[dict]) -> list[dict]:
        """The rows of a page read with ``.values(*VALUES)``, their parties in one more query: the case list
        API's hottest path, without building a model instance per case, court, officer, link and party."""
        from cases.models import CaseParty

        parties: dict[int, list[dict]] = {}
        for link in (
            CaseParty.objects.filter(case_id__in=[v["case_id"] for v in page])
            .order_by("position", "id")
            .values(*cls.PARTY_VALUES)
        ):
            parties.setdefault(link["case_id"], []).append(link)
        return [cls._row(values, parties.get(values["case_id"], [])) for values in page]

    @staticmethod
    def _row(v: dict, parties: list[dict]) -> dict:
        """One row from plain values. Dates, times and amounts go through DRF fields' own ``to_representation``
        (``_FORMATS``, built once) so that their formats stay DRF's."""
        date, money, moment = _FORMATS["date"], _FORMATS["money"], _FORMATS["datetime"]
        officer = None
        if v["officer_id"] is not None:
            full_name = f"{v['officer__first_name']} {v['officer__last_name']}".strip()
            officer = {
                "id": v["officer_id"],
                "username": v["officer__username"],
                "name": v["officer__display_name"] or full_name or v["officer__username"],
            }
        return {
            "id": v["id"],
            "case_id": v["case_id"],
            "number": v["case__number"],
            "case_type": v["case__case_type"],
            "court": v["case__court__code"],
            "court_name": v["case__court__name"],
            "filing_date": date(v["case__filing_date"]),
            "amount": money(v["case__amount"]),
            "cause": v["case__cause"],
            "status": v["status"],
            "track": v["track"],
            "difficulty_score": v["difficulty_score"],
            "officer": officer,
            "assigned_at": None if v["assigned_at"] is None else moment(v["assigned_at"]),
            "limit_months": v["limit_months"],
            "extended_months": v["extended_months"],
            "suspended_days": v["suspended_days"],
            "deadline_on": None if v["deadline_on"] is None else date(v["deadline_on"]),
            "closing_kind": v["closing_kind"],
            "closed_on": None if v["closed_on"] is None else date(v["closed_on"]),
            "performed_amount": money(v["performed_amount"]),
            "source_document": v["source_document_id"],
            "restored_from": v["restored_from_id"],
            "parties": [
                {
                    "role": link["role"],
                    "party": {
                        "id": link["party_id"],
                        "kind": link["party__kind"],
                        "name": link["party__name"],
                        "id_number": mask_party_id(link["party__kind"], link["party__id_number"]),
                    },
                }
                for link in parties
            ],
        }

    def declared_representation(self, instance: EnforcementCase) -> dict:
        """What DRF makes of the declared fields (the reference ``to_representation`` is checked against)."""
        return dict(super().to_representation(instance))


class StepDeadlineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.CharField(help_text=_("A date, or a date and time (ISO 8601)."))
    kind = serializers.CharField()
    title = serializers.CharField()
    actor = serializers.CharField()
    reason = serializers.CharField()
    details = serializers.DictField()
    earlier_round = serializers.CharField(
        help_text=_("For a restored case (执恢): the number of the earlier round the entry belongs to; else empty.")
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["at"] = instance.at.isoformat()
        return data


class NoticeSerializer(serializers.ModelSerializer):
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "recipient",
            "recipient_name",
            "issued_on",
            "service_method",
            "served_on",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, notice) -> str:
        return f"/api/v1/notices/{notice.pk}/download/"


class EnforcementCaseDetailSerializer(EnforcementCaseSerializer):
    late_application_reason = serializers.CharField(read_only=True)
    difficulty_reasons = serializers.JSONField(read_only=True)
    deadlines = StepDeadlineSerializer(many=True, read_only=True)
    timeline = TimelineEntrySerializer(many=True, read_only=True)
    notices = NoticeSerializer(many=True, read_only=True)
    days_remaining = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta(EnforcementCaseSerializer.Meta):
        fields = [
            *EnforcementCaseSerializer.Meta.fields,
            "late_application_reason",
            "difficulty_reasons",
            "days_remaining",
            "deadlines",
            "timeline",
            "notices",
        ]
        read_only_fields = fields

    def to_representation(self, instance: EnforcementCase) -> dict:
        """One case, rarely and with much more: DRF's own path over the declared fields."""
        return self.declared_representation(instance)


# ---- inputs -----------------------------------------------------------------------------------------------


class EnforcementFileSerializer(serializers.Serializer):
    document = serializers.IntegerField(help_text=_("The effective legal document (its id)."))
    court = CodeRelatedField(
        slug_field="code", queryset=Court.objects.filter(is_active=True), help_text=_("Court code, e.g. 京0105.")
    )
    applicants = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    respondents = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    filing_date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True)
    late_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SuspendSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=SuspensionGround.choices)
    reason = serializers.CharField()
    on = serializers.DateField()


class ResumeSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClosingKind.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField()
    performed_amount = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True)
    ground = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "The statutory ground: a TerminationGround value for 终结执行 (民诉法 2023 art. 268), a "
            "NonEnforcementGround value for 不予执行 (arts. 248–249)."
        ),
    )


class RestoreSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField()


class NoticeIssueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    recipient = serializers.IntegerField(help_text=_("A debtor of the case (party id)."))
    service_method = serializers.ChoiceField(choices=ServiceMethod.choices)
    served_on = serializers.DateField()
    issued_on = serializers.DateField(required=False, allow_null=True)


class AssignSerializer(serializers.Serializer):
    officer = serializers.IntegerField(help_text=_("The officer's user id."))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AssignBulkSerializer(serializers.Serializer):
    cases = serializers.ListField(child=IdField(), allow_empty=False)
    officer = IdField(required=False, allow_null=True, help_text=_("Omit to assign by workload."))


class AssignmentResultSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    number = serializers.CharField()
    officer = serializers.IntegerField()


class ExtensionRequestSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, default=3)
    reason = serializers.CharField()


class ExtensionDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "enforcement_case",
            "months",
            "reason",
            "requested_by",
            "requested_at",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


# ---- 终本 and settlements (issue 5) -----------------------------------------------------------------------------


class CheckItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    met = serializers.BooleanField()
    label = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField()


class ChecklistSerializer(serializers.Serializer):
    on = serializers.DateField()
    met = serializers.BooleanField(help_text=_("Every condition met."))
    items = CheckItemSerializer(many=True)


class TerminationProposeSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=TerminationReason.choices)
    reason_detail = serializers.CharField()
    consumption_restriction_on = serializers.DateField(required=False, allow_null=True, default=None)
    listing_decision = serializers.ChoiceField(
        choices=ListingDecision.choices, required=False, allow_blank=True, default=""
    )
    listing_note = serializers.CharField(required=False, allow_blank=True, default="")
    onsite_investigation_on = serializers.DateField(required=False, allow_null=True, default=None)
    onsite_investigation_note = serializers.CharField(required=False, allow_blank=True, default="")
    debtor_missing = serializers.BooleanField(required=False, default=False)
    search_note = serializers.CharField(required=False, allow_blank=True, default="")
    obstruction = serializers.BooleanField(required=False, default=False)
    sanction_note = serializers.CharField(required=False, allow_blank=True, default="")
    applicant_informed_on = serializers.DateField(required=False, allow_null=True, default=None)
    applicant_opinion = serializers.ChoiceField(
        choices=ApplicantOpinion.choices, required=False, allow_blank=True, default=""
    )
    applicant_opinion_text = serializers.CharField(required=False, allow_blank=True, default="")
    applicant_signed = serializers.BooleanField(required=False, default=False)
    panel_members = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)


class TerminationDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)


class TerminationProposalSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="enforcement_case.case.number", read_only=True)
    ruling_url = serializers.SerializerMethodField()

    class Meta:
        model = TerminationProposal
        fields = [
            "id",
            "enforcement_case",
            "case_number",
            "status",
            "reason",
            "reason_detail",
            "consumption_restriction_on",
            "listing_decision",
            "listing_note",
            "onsite_investigation_on",
            "onsite_investigation_note",
            "debtor_missing",
            "search_note",
            "obstruction",
            "sanction_note",
            "applicant_informed_on",
            "applicant_opinion",
            "applicant_opinion_text",
            "applicant_signed",
            "panel_members",
            "checklist",
            "approval_checklist",
            "follow_up",
            "follow_up_reasons",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "ruling_number",
            "ruling_url",
        ]
        read_only_fields = fields

    def get_ruling_url(self, obj) -> str | None:
        return f"/api/v1/termination-proposals/{obj.pk}/ruling/" if obj.ruling else None


class SettlementRecordSerializer(serializers.Serializer):
    agreed_on = serializers.DateField()
    terms = serializers.CharField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True, default=None)


class SettlementPerformedSerializer(serializers.Serializer):
    on = serializers.DateField()


class SettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Settlement
        fields = [
            "id",
            "enforcement_case",
            "agreed_on",
            "terms",
            "amount",
            "performed_on",
            "recorded_by",
            "recorded_at",
            "performance_recorded_by",
        ]
        read_only_fields = fields
