"""Admin of bankruptcy (破): read-only lists for review. Every write goes through ``bankruptcy.services`` (which
checks the rules of 解释 2022 arts. 511–514 and 企业破产法, suspends and ends the enforcement cases and audits
each step); the admin shows what was done."""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import BankruptcyCase, Claim, Consent, Distribution, Effect, Share, Suggestion, Transfer


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _all_fields(model) -> list[str]:
    return [f.name for f in model._meta.fields]


@admin.register(Suggestion)
class SuggestionAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = ["debtor", "score", "status", "computed_at", "decided_by", "decided_at"]
    list_filter = ["status", "courts"]
    search_fields = ["debtor__name", "debtor__id_number"]
    date_hierarchy = "computed_at"
    list_select_related = ["debtor", "decided_by"]
    readonly_fields = [*_all_fields(Suggestion), "courts"]


class ConsentInline(_ReadOnly, admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["party", "role", "consents", "answered_on", "note", "recorded_by"]
    readonly_fields = fields


@admin.register(Transfer)
class TransferAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = [
        "debtor", "court", "receiving_court", "status", "notified_on", "transferred_on", "decision_due_on",
        "decided_on",
    ]  # fmt: skip
    list_filter = ["status", "court", "receiving_court"]
    search_fields = ["debtor__name", "debtor__id_number", "petition_case__number"]
    date_hierarchy = "proposed_at"
    list_select_related = ["debtor", "court", "receiving_court"]
    readonly_fields = [*_all_fields(Transfer), "enforcement_cases"]
    inlines = [ConsentInline]


@admin.register(Consent)
class ConsentAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = ["transfer", "party", "role", "consents", "answered_on", "recorded_by"]
    list_filter = ["role", "consents"]
    search_fields = ["party__name", "transfer__debtor__name"]
    list_select_related = ["transfer__debtor", "transfer__receiving_court", "party", "recorded_by"]
    readonly_fields = _all_fields(Consent)


class EffectInline(_ReadOnly, admin.TabularInline):
    model = Effect
    extra = 0
    fields = ["enforcement_case", "kind", "measures_released", "listings_flagged", "at"]
    readonly_fields = fields


@admin.register(BankruptcyCase)
class BankruptcyCaseAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = ["case", "debtor", "status", "accepted_on", "administrator", "declared_on", "closed_on"]
    list_filter = ["status", "case__court"]
    search_fields = ["case__number", "debtor__name", "debtor__id_number", "administrator"]
    date_hierarchy = "accepted_on"
    list_select_related = ["case", "debtor"]
    readonly_fields = _all_fields(BankruptcyCase)
    inlines = [EffectInline]


@admin.register(Effect)
class EffectAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = ["bankruptcy_case", "enforcement_case", "kind", "measures_released", "listings_flagged", "at"]
    list_filter = ["kind", "enforcement_case__case__court"]
    search_fields = ["bankruptcy_case__case__number", "enforcement_case__case__number"]
    list_select_related = ["bankruptcy_case__case", "enforcement_case__case"]
    readonly_fields = _all_fields(Effect)


@admin.register(Claim)
class ClaimAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = ["bankruptcy_case", "creditor", "kind", "amount", "status", "admitted_amount", "filed_on"]
    list_filter = ["status", "kind"]
    search_fields = ["bankruptcy_case__case__number", "creditor__name"]
    date_hierarchy = "filed_on"
    list_select_related = ["bankruptcy_case__case", "creditor"]
    readonly_fields = _all_fields(Claim)


class ShareInline(_ReadOnly, admin.TabularInline):
    model = Share
    extra = 0
    fields = ["claim", "amount"]
    readonly_fields = fields


@admin.register(Distribution)
class DistributionAdmin(_ReadOnly, AuditedModelAdmin):
    list_display = ["bankruptcy_case", "total", "made_on", "recorded_by"]
    list_filter = ["bankruptcy_case__case__court"]
    search_fields = ["bankruptcy_case__case__number"]
    date_hierarchy = "made_on"
    list_select_related = ["bankruptcy_case__case", "recorded_by"]
    readonly_fields = _all_fields(Distribution)
    inlines = [ShareInline]
