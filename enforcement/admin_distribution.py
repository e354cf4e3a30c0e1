"""Admin of distribution plans (清偿顺序, 参与分配) and their lines and objections: read-only. Plans are proposed,
decided and paid out through ``enforcement.services.distribution`` (which keeps the lines reconciled to the
fund and the payouts within the plan); the admin lists them for review. Import from ``enforcement/admin.py``."""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import DistributionLine, DistributionObjection, DistributionPlan, FundEntry


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DistributionLineInline(_ReadOnly, admin.TabularInline):
    model = DistributionLine
    extra = 0
    fields = ["position", "kind", "recipient", "description", "claim", "allocated", "paid"]
    readonly_fields = fields


class DistributionObjectionInline(_ReadOnly, admin.TabularInline):
    model = DistributionObjection
    extra = 0
    fields = ["party", "received_on", "text", "outcome", "recorded_by"]
    readonly_fields = fields


@admin.register(DistributionPlan)
class DistributionPlanAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = ["enforcement_case", "fund_total", "rule", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = ["status", "rule", "enforcement_case__case__court"]
    search_fields = ["enforcement_case__case__number"]
    date_hierarchy = "proposed_at"
    list_select_related = ["enforcement_case__case", "proposed_by", "decided_by"]
    readonly_fields = [f.name for f in DistributionPlan._meta.fields]
    inlines = [DistributionLineInline, DistributionObjectionInline]


@admin.register(FundEntry)
class FundEntryAdmin(_ReadOnly, AuditedModelAdmin):
    """The case-fund ledger (案款), append-only: written by ``fund_receive`` and ``distribution_pay``."""

    list_display = ["enforcement_case", "kind", "amount", "source", "reference", "at", "actor"]
    list_filter = ["kind", "enforcement_case__case__court"]
    search_fields = ["enforcement_case__case__number", "reference"]
    date_hierarchy = "at"
    list_select_related = ["enforcement_case__case", "actor"]
    readonly_fields = [f.name for f in FundEntry._meta.fields]
