"""Admin of credit (issue 6): the dishonest list. The decision, the dates and the removal are the services'
(read-only here): an entry changes only through ``credit.services.listing`` and ``credit.services.removal``."""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import DishonestListing


@admin.register(DishonestListing)
class DishonestListingAdmin(AuditedModelAdmin):
    list_display = [
        "debtor_name",
        "enforcement_case",
        "ground",
        "status",
        "listed_on",
        "expires_on",
        "removal_event",
        "removal_due_on",
        "removed_on",
    ]
    list_filter = ["status", "ground", "removal_event", "on_request", "listed_on"]
    search_fields = ["debtor_name", "debtor__id_number", "enforcement_case__case__number", "decision_number"]
    date_hierarchy = "listed_on"
    list_select_related = ["enforcement_case__case"]
    raw_id_fields = ["enforcement_case", "debtor"]
    readonly_fields = [
        "enforcement_case",
        "debtor",
        "debtor_name",
        "ground",
        "on_request",
        "requested_on",
        "status",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
        "decision_note",
        "decision_number",
        "decision",
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
        "removed_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
