"""Admin of enforcement: objections (执异) and reconsiderations (执复), read-only lists: every change goes through
the services (enforcement/services/objections.py), which check the rules and write the audit trail."""

from django.contrib import admin

from .models import Objection, Reconsideration


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("id", "enforcement_case", "case", "kind", "objector", "filed_on", "review_due_on", "status",
                    "decided_on", "served_on")  # fmt: skip
    list_filter = ("kind", "status")
    search_fields = ("enforcement_case__case__number", "case__number", "objector__name")
    list_select_related = ("enforcement_case__case", "case", "objector")
    date_hierarchy = "filed_on"


@admin.register(Reconsideration)
class ReconsiderationAdmin(ReadOnlyAdmin):
    list_display = ("id", "objection", "court", "case", "applicant", "filed_on", "decision_due_on", "extended",
                    "status", "decided_on")  # fmt: skip
    list_filter = ("status", "extended")
    search_fields = ("objection__enforcement_case__case__number", "case__number", "applicant__name")
    list_select_related = ("objection__objector", "court", "case", "applicant")
