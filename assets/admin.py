from django.contrib import admin

from core.admin import ReadOnlyModelAdmin

from .models import Agency, AgencyAnswer, AgencyRequest, Asset, QueryBatch, QueryResult, TrackingPlan, TrackingRun


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


@admin.register(AgencyAnswer)
class AgencyAnswerAdmin(ReadOnlyModelAdmin):
    """Answers received for ingestion by a worker: what waits, what was refused at ingestion and why."""

    list_display = ["id", "request", "agency", "item_count", "status", "received_at", "ingested_at"]
    list_filter = ["status", "agency"]
    raw_id_fields = ["request"]
    exclude = ["results"]  # the assets reported, with account numbers: read in the case's own pages


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


# Disposal (网拍规定 2016): auctions with their bids, settlements in kind. Written by the services: read-only.
from .models import Auction, Bid, InKindSettlement  # noqa: E402


class BidInline(admin.TabularInline):
    model = Bid
    fields = ["bidder", "amount", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Auction)
class AuctionAdmin(admin.ModelAdmin):
    list_display = ["id", "enforcement_case", "asset", "platform", "kind", "round", "status", "starting_price",
                    "ends_at", "final_price"]  # fmt: skip
    list_filter = ["status", "kind", "round", "platform"]
    search_fields = ["enforcement_case__case__number", "asset__identifier", "buyer"]
    raw_id_fields = ["enforcement_case", "asset", "reference_price", "platform", "previous", "created_by"]
    readonly_fields = ["status", "final_price", "buyer", "closed_at", "created_by", "created_at"]
    inlines = [BidInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enforcement_case__case", "asset", "platform")


@admin.register(InKindSettlement)
class InKindSettlementAdmin(admin.ModelAdmin):
    list_display = ["asset", "enforcement_case", "creditor", "value", "accepted_on", "recorded_by"]
    search_fields = ["enforcement_case__case__number", "asset__identifier"]
    raw_id_fields = ["asset", "enforcement_case", "creditor", "recorded_by"]
    readonly_fields = ["recorded_by"]


# Reference price (参考价规定 2018): each attempt with its quotes. Written by the services: read-only.
from .models import PriceQuote, ReferencePrice  # noqa: E402


class PriceQuoteInline(admin.TabularInline):
    model = PriceQuote
    fields = [
        "agency",
        "requested_at",
        "due_at",
        "extensions",
        "answered_at",
        "amount",
        "late",
        "objected",
        "objection",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReferencePrice)
class ReferencePriceAdmin(admin.ModelAdmin):
    list_display = ["id", "enforcement_case", "asset", "method", "status", "started_on", "value", "valid_until"]
    list_filter = ["method", "status"]
    search_fields = ["enforcement_case__case__number", "asset__identifier"]
    raw_id_fields = ["enforcement_case", "asset", "started_by"]
    readonly_fields = ["status", "value", "determined_on", "valid_until", "details", "started_by"]
    inlines = [PriceQuoteInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enforcement_case__case", "asset")


# Deductions (扣划): written by the services (order, a division head's approval, the agency's confirmation).
from .models import Deduction  # noqa: E402


@admin.register(Deduction)
class DeductionAdmin(ReadOnlyModelAdmin):
    """Read-only: a deduction moves money, so it changes only through the services (audited)."""

    list_display = ["reference", "measure", "amount", "status", "ordered_by", "approved_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["reference", "measure__enforcement_case__case__number"]
    fields = [
        "measure", "amount", "reference", "status", "request", "ordered_by", "created_at", "confirmed_at",
        "approved_by", "approved_at", "decided_reason",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure__asset", "ordered_by", "approved_by")
