"""Admin of the correction requests: read only (each step is a service with its deadline and audit row; the
staff pages at /credit/corrections/ record them)."""

from __future__ import annotations

from django.contrib import admin

from .models import CorrectionRequest


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "listing",
        "applicant_name",
        "ground",
        "status",
        "filed_on",
        "review_due_on",
        "correct_due_on",
        "reconsideration_decision_due_on",
    ]
    list_filter = ["status", "ground"]
    search_fields = ["applicant_name", "listing__debtor_name", "listing__enforcement_case__case__number"]
    date_hierarchy = "filed_on"
    list_select_related = ["listing"]
    readonly_fields = [f.name for f in CorrectionRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
