"""Input and output shapes of the agency API."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.money import parse_amount
from core.signing import sign_with, signing_key_for

from .choices import (
    AnswerStatus,
    AssetCategory,
    ConfirmOutcome,
    ControlKind,
    ControlStatus,
    DeductionStatus,
    RequestKind,
    RequestStatus,
    ResultOutcome,
    TrackingOutcome,
    TrackingStatus,
)
from .models import AgencyAnswer, AgencyRequest, ControlMeasure, Deduction, TrackingPlan, TrackingRun


class RequestItemSerializer(serializers.Serializer):
    debtor = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField()
    category = serializers.ChoiceField(choices=AssetCategory.choices)


# The fields of a request that the issuing court signs (电子签章, ``core.signing``): the canonical JSON (sorted
# keys, no whitespace, UTF-8) of exactly these fields as the API returns them. What changes while the request
# waits (status, attempts, due and delivery times) is not signed.
SIGNED_REQUEST_FIELDS = ("id", "kind", "court", "agency", "case_number", "items", "order", "created_at")


class RequestSignatureSerializer(serializers.Serializer):
    key_id = serializers.CharField(help_text="The signing key; its public key is listed at /api/v1/signing-keys/.")
    algorithm = serializers.CharField(help_text="Ed25519.")
    value = serializers.CharField(
        help_text="Base64 Ed25519 signature over the canonical JSON (sorted keys, no whitespace, UTF-8) of the "
        "request's fields " + ", ".join(SIGNED_REQUEST_FIELDS) + "."
    )


class AgencyRequestSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=RequestStatus.choices, read_only=True)
    court = serializers.SerializerMethodField(help_text="The issuing court's code (法院代字), e.g. 京0105.")
    agency = serializers.CharField(source="agency.code", read_only=True, help_text="The agency addressed.")
    case_number = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    order = serializers.SerializerMethodField()
    signature = serializers.SerializerMethodField()

    class Meta:
        model = AgencyRequest
        fields = [
            "id",
            "kind",
            "status",
            "court",
            "agency",
            "case_number",
            "items",
            "order",
            "attempts",
            "created_at",
            "due_at",
            "delivered_at",
            "answered_at",
            "signature",
        ]
        read_only_fields = fields

    def _court(self, obj):
        """(id, code) of the issuing court: annotated by the list (``court_pk``/``court_code``), else read."""
        if getattr(obj, "court_code", None):
            return obj.court_pk, obj.court_code
        source = obj.batch.enforcement_case if obj.batch_id else obj.measure.enforcement_case
        return source.case.court_id, source.case.court.code

    def get_court(self, obj) -> str:
        return self._court(obj)[1]

    @extend_schema_field(RequestSignatureSerializer)
    def get_signature(self, obj):
        return None  # filled in by to_representation, over the other fields' output

    def to_representation(self, instance):
        data = super().to_representation(instance)
        signed = {name: data[name] for name in SIGNED_REQUEST_FIELDS}
        data["signature"] = sign_with(self._signing_key(self._court(instance)[0]), signed).as_dict()
        return data

    def _signing_key(self, court_id: int):
        """The court's key in force, looked up (and decrypted, ``core.signing``) once per court per listing: a
        listing serializes every row with this one serializer."""
        keys = self.__dict__.setdefault("_signing_keys", {})
        if court_id not in keys:
            keys[court_id] = signing_key_for(court_id)
        return keys[court_id]

    def get_case_number(self, obj) -> str:
        return obj.payload.get("case_number", "")

    @extend_schema_field(RequestItemSerializer(many=True))
    def get_items(self, obj):
        return RequestItemSerializer(obj.payload.get("items", []), many=True).data

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "additionalProperties": True,
            "description": "A control order (kind other than query): measure, asset, amount, period, reason.",
        }
    )
    def get_order(self, obj):
        if obj.kind == RequestKind.QUERY:
            return None
        return {k: v for k, v in obj.payload.items() if k != "case_number"}


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


class AgencyAnswerSerializer(serializers.ModelSerializer):
    """An answer sent for ingestion by a worker (``Prefer: respond-async``): "pending" until a worker has
    ingested it, then "ingested" with ``receipt`` (the counts ``results``, ``assets``, ``skipped``, as the
    synchronous answer returns them), or "refused" with ``refusal`` (``code``, ``message``) if its request no
    longer takes answers (a tracking run ended meanwhile)."""

    results_sent = serializers.IntegerField(source="item_count", read_only=True)
    status = serializers.ChoiceField(choices=AnswerStatus.choices, read_only=True)
    request_status = serializers.ChoiceField(source="request.status", choices=RequestStatus.choices, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = AgencyAnswer
        fields = [
            "id",
            "request",
            "status",
            "results_sent",
            "received_at",
            "ingested_at",
            "receipt",
            "refusal",
            "request_status",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("api-agency-answer", kwargs={"pk": obj.pk})


class ConfirmSerializer(serializers.Serializer):
    """An agency's answer to a control order."""

    outcome = serializers.ChoiceField(choices=ConfirmOutcome.choices)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class ConfirmReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    answered_at = serializers.DateTimeField()


class DeductionSerializer(serializers.ModelSerializer):
    """A deduction: "awaiting" a division head's approval (above the threshold; ``request`` is null until it is
    approved), "pending" the agency, "confirmed", "refused" by the agency or "declined" by the head."""

    status = serializers.ChoiceField(choices=DeductionStatus.choices, read_only=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Deduction
        fields = [
            "id",
            "measure",
            "amount",
            "reference",
            "status",
            "request",
            "created_at",
            "confirmed_at",
            "ordered_by",
            "approved_by",
            "approved_at",
            "decided_reason",
        ]
        read_only_fields = fields


class ControlMeasureSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ControlKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=ControlStatus.choices, read_only=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True, allow_null=True)
    category = serializers.ChoiceField(source="asset.category", choices=AssetCategory.choices, read_only=True)
    identifier = serializers.CharField(source="asset.identifier", read_only=True)
    agency = serializers.CharField(source="asset.agency.code", read_only=True)

    class Meta:
        model = ControlMeasure
        fields = [
            "id",
            "enforcement_case",
            "asset",
            "category",
            "identifier",
            "agency",
            "kind",
            "status",
            "amount",
            "starts_on",
            "expires_on",
            "position",
            "renewed_from",
            "preservation_measure",
            "created_at",
            "confirmed_at",
            "confirmation_reference",
            "release_requested_at",
            "release_reason",
            "ended_on",
        ]
        read_only_fields = fields


class ControlOrderSerializer(serializers.Serializer):
    asset = serializers.IntegerField(help_text="An asset of the case.")
    kind = serializers.ChoiceField(choices=ControlKind.choices)
    amount = AmountField(required=False, allow_null=True, default=None, help_text="Yuan; for a deposit freeze.")
    starts_on = serializers.DateField()
    expires_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="By default the cap of 民诉法解释 art. 485."
    )


class ReleaseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RenewSerializer(serializers.Serializer):
    expires_on = serializers.DateField()


class DeductSerializer(serializers.Serializer):
    amount = AmountField()
    reference = serializers.CharField(max_length=64, help_text="Your idempotency key for this deduction.")


class DeductionDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Why the division head declines the deduction.")


# Post-termination tracking (read only).


class NewAssetSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=AssetCategory.choices)
    identifier = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True, help_text="Yuan as a string; empty when the asset has no value.")


class TrackingRunSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=TrackingOutcome.choices, read_only=True)
    new_assets = NewAssetSerializer(many=True, read_only=True)

    class Meta:
        model = TrackingRun
        fields = [
            "number",
            "due_on",
            "batch",
            "dispatched_at",
            "completed_at",
            "outcome",
            "new_assets",
            "applicant_notified_at",
        ]
        read_only_fields = fields


class TrackingPlanSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=TrackingStatus.choices, read_only=True)
    case_number = serializers.CharField(source="enforcement_case.case.number", read_only=True)
    found_property = serializers.BooleanField(read_only=True, help_text="Some run found new property.")

    class Meta:
        model = TrackingPlan
        fields = [
            "id",
            "enforcement_case",
            "case_number",
            "status",
            "starts_on",
            "ends_on",
            "next_due_on",
            "runs_done",
            "empty_runs",
            "found_property",
            "lead_supplied_on",
            "delisting_flagged_at",
            "ended_at",
            "end_reason",
        ]
        read_only_fields = fields


class TrackingPlanDetailSerializer(TrackingPlanSerializer):
    runs = TrackingRunSerializer(many=True, read_only=True)

    class Meta(TrackingPlanSerializer.Meta):
        fields = [*TrackingPlanSerializer.Meta.fields, "runs"]
        read_only_fields = fields
