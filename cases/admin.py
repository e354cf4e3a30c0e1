from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin
from core.audit import audit_record

from .choices import NotificationChannel
from .models import (
    Case,
    CaseParty,
    EffectiveDocument,
    FilingAlert,
    Instalment,
    Notification,
    Party,
    PartyRelation,
    PreservationApplication,
    PreservationMeasure,
    PreservationNoticeDecision,
    PropertyTransfer,
    TrialEvent,
)


class CasePartyInline(admin.TabularInline):
    model = CaseParty
    extra = 0
    autocomplete_fields = ["party"]


@admin.register(Case)
class CaseAdmin(AuditedModelAdmin):
    list_display = ["number", "case_type", "court", "filing_date", "amount", "cause"]
    list_filter = ["case_type", "court", "year"]
    search_fields = ["number", "cause", "party_links__party__name", "party_links__party__id_number"]
    date_hierarchy = "filing_date"
    readonly_fields = ["number", "year", "serial", "created_at", "created_by"]
    inlines = [CasePartyInline]
    list_select_related = ["court"]

    def has_add_permission(self, request):
        return False  # cases are filed through the filing service (number allocation, party checks)


@admin.register(Party)
class PartyAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "masked_id_number", "legal_representative", "created_at"]
    list_filter = ["kind", "sex"]
    search_fields = ["name", "=id_number", "legal_representative"]
    readonly_fields = ["id_number", "birth_date", "sex", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False  # parties are registered through the service, which validates identifiers

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change page shows full personal details: a staff read, so it is audited like the party page."""
        if request.method == "GET":
            party = self.get_object(request, object_id)
            if party is not None:
                audit_record(actor=request.user, action="party.read_personal", obj=party, reason="admin")
        return super().change_view(request, object_id, form_url, extra_context)


class InstalmentInline(admin.TabularInline):
    model = Instalment
    extra = 0


@admin.register(EffectiveDocument)
class EffectiveDocumentAdmin(AuditedModelAdmin):
    list_display = ["number", "kind", "case", "issued_on", "effective_on", "principal", "costs", "fully_performed_on"]
    list_filter = ["kind", "case__court"]
    search_fields = ["number", "issuing_body", "case__number"]
    date_hierarchy = "issued_on"
    raw_id_fields = ["case", "obligees", "obligors"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [InstalmentInline]
    list_select_related = ["case"]

    def has_add_permission(self, request):
        return False  # recorded through document_record (parties, instalments and dates checked)


@admin.register(TrialEvent)
class TrialEventAdmin(AuditedModelAdmin):
    list_display = ["case", "kind", "at", "place", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["case__number", "place"]
    raw_id_fields = ["case"]
    readonly_fields = ["recorded_by", "recorded_at"]
    list_select_related = ["case", "recorded_by"]

    def has_add_permission(self, request):
        return False


class PreservationMeasureInline(admin.TabularInline):
    model = PreservationMeasure
    extra = 0
    fk_name = "application"
    raw_id_fields = ["carried_into"]
    readonly_fields = ["expires_on", "carried_into"]


@admin.register(PreservationApplication)
class PreservationApplicationAdmin(AuditedModelAdmin):
    list_display = ["case", "kind", "applicant", "respondent", "amount", "applied_on", "status", "decided_on"]
    list_filter = ["kind", "status", "case__court"]
    search_fields = ["case__number", "applicant__name", "respondent__name"]
    raw_id_fields = ["case", "applicant", "respondent"]
    readonly_fields = ["received_at", "decided_by", "decided_on", "created_at"]
    inlines = [PreservationMeasureInline]
    list_select_related = ["case", "applicant", "respondent"]

    def has_add_permission(self, request):
        return False


@admin.register(PreservationMeasure)
class PreservationMeasureAdmin(AuditedModelAdmin):
    list_display = ["asset_description", "kind", "property_class", "amount", "starts_on", "expires_on", "status"]
    list_filter = ["status", "property_class", "kind"]
    search_fields = ["asset_description", "application__case__number"]
    raw_id_fields = ["application", "carried_into"]
    # The period never changes by hand: art. 485 caps it, and carried-over measures run on (解释 art. 168).
    readonly_fields = ["starts_on", "expires_on", "carried_into", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(FilingAlert)
class FilingAlertAdmin(AuditedModelAdmin):
    list_display = ["case", "party", "role", "message", "created_at"]
    search_fields = ["case__number", "party__name", "message"]
    raw_id_fields = ["case", "party"]
    readonly_fields = ["case", "party", "role", "records", "message", "created_at"]
    list_select_related = ["case", "party"]

    def has_add_permission(self, request):
        return False


@admin.register(PreservationNoticeDecision)
class PreservationNoticeDecisionAdmin(AuditedModelAdmin):
    list_display = ["case", "party", "score", "recommended", "decided_send", "decided_by", "decided_at"]
    list_filter = ["recommended", "decided_send"]
    search_fields = ["case__number", "party__name"]
    readonly_fields = [
        "case",
        "party",
        "score",
        "reasons",
        "recommended",
        "decided_send",
        "decided_by",
        "decided_at",
    ]
    list_select_related = ["case", "party", "decided_by"]

    def has_add_permission(self, request):
        return False


# Relations and transfers are recorded through their services (checks, canonical order, audit); the admin
# lists them for review.


@admin.register(PartyRelation)
class PartyRelationAdmin(AuditedModelAdmin):
    list_display = ["party_a", "kind", "party_b", "share", "source", "since", "until", "recorded_by", "recorded_at"]
    list_filter = ["kind"]
    search_fields = ["party_a__name", "party_b__name", "party_a__id_number", "party_b__id_number", "source"]
    list_select_related = ["party_a", "party_b", "recorded_by"]
    readonly_fields = [f.name for f in PartyRelation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PropertyTransfer)
class PropertyTransferAdmin(AuditedModelAdmin):
    list_display = ["transferred_on", "description", "category", "value", "from_party", "to_party", "source"]
    list_filter = ["category"]
    search_fields = ["description", "from_party__name", "to_party__name", "source"]
    date_hierarchy = "transferred_on"
    list_select_related = ["from_party", "to_party"]
    readonly_fields = [f.name for f in PropertyTransfer._meta.fields]

    def has_add_permission(self, request):
        return False


def mask_address(notification: Notification) -> str:
    """The address a party message went to, masked for lists: 138****0000, l***@example.com, the first
    characters of a postal address."""
    address = notification.address or ""
    if not address or notification.recipient_party_id is None:
        return address
    if notification.channel == NotificationChannel.SMS:
        return address[:3] + "*" * max(len(address) - 7, 0) + address[-4:] if len(address) > 7 else "*" * len(address)
    if notification.channel == NotificationChannel.EMAIL and "@" in address:
        local, domain = address.split("@", 1)
        return f"{local[:1]}***@{domain}"
    return address[:6] + "…" if len(address) > 6 else address


@admin.register(Notification)
class NotificationAdmin(AuditedModelAdmin):
    """Read-only: notifications are written and sent by ``notify_party`` / ``notify_user``. The list shows a
    party's address masked; opening one shows it whole, a staff read of personal data, so it is audited like
    the party page (``party.read_personal``)."""

    list_display = ["created_at", "kind", "channel", "status", "recipient", "masked_address", "case", "read_at"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["kind", "subject", "case__number", "recipient_party__name", "recipient_user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["case", "recipient_party", "recipient_user"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    @admin.display(description=_("recipient"))
    def recipient(self, notification):
        return notification.recipient_party or notification.recipient_user

    @admin.display(description=_("sent to"))
    def masked_address(self, notification):
        return mask_address(notification)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            notification = self.get_object(request, object_id)
            if notification is not None and notification.recipient_party_id and notification.address:
                audit_record(
                    actor=request.user,
                    action="party.read_personal",
                    obj=notification.recipient_party,
                    reason=f"admin: notification {notification.pk}",
                )
        return super().change_view(request, object_id, form_url, extra_context)
