"""Admin of coercive measures (罚款, 拘留, 搜查) and debtor searches (查人): read-only lists for review. They are
proposed, decided (by the president), executed and released through ``enforcement.services.coercion``, which
keeps the statutory caps and the president's approval. Imported by ``enforcement/admin.py``."""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import CoerciveMeasure, DebtorSearch


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CoerciveMeasure)
class CoerciveMeasureAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = [
        "enforcement_case",
        "kind",
        "subject",
        "amount",
        "days",
        "status",
        "order_number",
        "proposed_by",
        "approved_by",
        "executed_on",
        "ends_on",
        "released_on",
    ]
    list_filter = ["kind", "status", "ground", "enforcement_case__case__court"]
    search_fields = ["enforcement_case__case__number", "order_number", "subject__name"]
    date_hierarchy = "proposed_at"
    list_select_related = ["enforcement_case__case", "subject", "proposed_by", "approved_by"]
    readonly_fields = [f.name for f in CoerciveMeasure._meta.fields]


@admin.register(DebtorSearch)
class DebtorSearchAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = ["enforcement_case", "debtor", "status", "started_on", "found_on", "started_by"]
    list_filter = ["status", "enforcement_case__case__court"]
    search_fields = ["enforcement_case__case__number", "debtor__name"]
    list_select_related = ["enforcement_case__case", "debtor", "started_by"]
    readonly_fields = [f.name for f in DebtorSearch._meta.fields]
