from django.contrib import admin

from .models import Agency, AgencyRequest, Asset, QueryBatch, QueryResult


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "scope", "client", "active"]
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
    list_display = ["id", "enforcement_case", "ordered_by", "status", "created_at"]
    list_filter = ["status"]
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
