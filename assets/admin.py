from django.contrib import admin

from .models import Agency, AgencyRequest, Asset, QueryBatch, QueryResult, TrackingPlan, TrackingRun


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "scope", "client", "active", "tracking_daily_quota"]
    list_filter = ["kind", "scope", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["courts"]
    raw_id_fields = ["client"]


class AgencyRequestInline(admin.TabularInline):
    model = AgencyRequest
    fields = ["agency", "kind", "status", "item_count", "attempts", "due_at", "delivered_at", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(QueryBatch)
class QueryBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "enforcement_case", "purpose", "ordered_by", "status", "created_at"]
    list_filter = ["status", "purpose"]
    raw_id_fields = ["enforcement_case", "ordered_by", "debtors"]
    inlines = [AgencyRequestInline]


@admin.register(AgencyRequest)
class AgencyRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "batch", "agency", "kind", "status", "attempts", "due_at", "answered_at"]
    list_filter = ["status", "kind", "agency"]
    raw_id_fields = ["batch"]


@admin.register(QueryResult)
class QueryResultAdmin(admin.ModelAdmin):
    list_display = ["request", "debtor", "category", "outcome", "asset_count", "received_at"]
    list_filter = ["outcome", "category"]
    raw_id_fields = ["request", "debtor"]


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ["identifier", "category", "debtor", "case", "agency", "value", "reported_at"]
    list_filter = ["category", "agency"]
    search_fields = ["identifier", "debtor__name", "case__number"]
    raw_id_fields = ["case", "debtor", "source_request"]


class TrackingRunInline(admin.TabularInline):
    model = TrackingRun
    fields = ["number", "due_on", "batch", "dispatched_at", "completed_at", "outcome", "applicant_notified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # runs are sent by the periodic job only


@admin.register(TrackingPlan)
class TrackingPlanAdmin(admin.ModelAdmin):
    """Post-termination tracking plans. The counters and dates are the job's: read-only here; an
    administrator may stop a plan (status) or correct a lead date."""

    list_display = [
        "enforcement_case", "status", "starts_on", "next_due_on", "runs_done", "empty_runs", "delisting_flagged_at",
    ]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["enforcement_case__case__number"]
    raw_id_fields = ["enforcement_case"]
    readonly_fields = [
        "enforcement_case", "starts_on", "ends_on", "next_due_on", "runs_done", "empty_runs", "delisting_flagged_at",
        "created_at", "ended_at",
    ]  # fmt: skip
    inlines = [TrackingRunInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enforcement_case__case")


@admin.register(TrackingRun)
class TrackingRunAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "due_on", "dispatched_at", "outcome", "applicant_notified_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["plan", "batch"]
    readonly_fields = [
        "plan", "number", "due_on", "batch", "dispatched_at", "completed_at", "outcome", "new_assets",
        "applicant_notified_at",
    ]  # fmt: skip
