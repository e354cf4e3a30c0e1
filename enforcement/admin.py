from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import (
    EnforcementCase,
    ExtensionRequest,
    Notice,
    Settlement,
    StatusChange,
    Suspension,
    TerminationProposal,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["at", "transition", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


class SuspensionInline(ReadOnlyInline):
    model = Suspension
    fields = ["ground", "reason", "started_on", "ended_on", "started_by"]
    readonly_fields = fields


class NoticeInline(ReadOnlyInline):
    model = Notice
    fields = ["kind", "recipient", "issued_on", "service_method", "served_on", "file"]
    readonly_fields = fields


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(AuditedModelAdmin):
    """The status is protected (django-fsm): it changes only through the lifecycle services, which write the
    timeline; the admin shows it and the lifecycle dates read-only."""

    list_display = ["case", "status", "track", "officer", "deadline_on", "closing_kind"]
    list_filter = ["status", "track", "closing_kind", "case__court"]
    search_fields = ["case__number", "case__party_links__party__name"]
    list_select_related = ["case", "officer"]
    date_hierarchy = "deadline_on"
    readonly_fields = [
        "case",
        "status",
        "source_document",
        "restored_from",
        "late_application_reason",
        "difficulty_score",
        "difficulty_reasons",
        "officer",
        "assigned_at",
        "limit_months",
        "extended_months",
        "suspended_days",
        "status_before_suspension",
        "deadline_on",
        "closing_kind",
        "closed_on",
        "performed_amount",
    ]
    inlines = [StatusChangeInline, SuspensionInline, NoticeInline]

    def has_add_permission(self, request):
        return False  # filed through enforcement_file (checks, number, timeline)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "enforcement_case", "transition", "from_status", "to_status", "actor"]
    list_filter = ["transition", "to_status"]
    search_fields = ["enforcement_case__case__number", "reason"]
    list_select_related = ["enforcement_case__case", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Suspension)
class SuspensionAdmin(AuditedModelAdmin):
    list_display = ["enforcement_case", "ground", "started_on", "ended_on"]
    list_filter = ["ground"]
    search_fields = ["enforcement_case__case__number", "reason"]
    list_select_related = ["enforcement_case__case"]
    readonly_fields = ["enforcement_case", "started_on", "ended_on", "started_by"]

    def has_add_permission(self, request):
        return False  # through case_suspend / case_resume, which move the deadline


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(AuditedModelAdmin):
    list_display = ["enforcement_case", "months", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["enforcement_case__case__number", "reason"]
    list_select_related = ["enforcement_case__case", "requested_by", "decided_by"]
    readonly_fields = [
        "enforcement_case",
        "months",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Notice)
class NoticeAdmin(AuditedModelAdmin):
    list_display = ["enforcement_case", "kind", "recipient", "issued_on", "service_method", "served_on"]
    list_filter = ["kind", "service_method"]
    search_fields = ["enforcement_case__case__number", "recipient__name"]
    list_select_related = ["enforcement_case__case", "recipient"]
    readonly_fields = ["enforcement_case", "kind", "recipient", "file", "issued_on", "issued_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Settlement)
class SettlementAdmin(AuditedModelAdmin):
    """Settlement agreements (执行和解): recorded and marked performed through the services (case page, API)."""

    list_display = ["enforcement_case", "agreed_on", "amount", "performed_on", "recorded_by"]
    list_filter = [("performed_on", admin.EmptyFieldListFilter), "enforcement_case__case__court"]
    search_fields = ["enforcement_case__case__number", "terms"]
    date_hierarchy = "agreed_on"
    list_select_related = ["enforcement_case__case", "recorded_by"]
    readonly_fields = [f.name for f in Settlement._meta.fields]

    def has_add_permission(self, request):
        return False  # settlement_record checks the case is open and the dates

    def has_change_permission(self, request, obj=None):
        return False  # settlement_mark_performed records the performance

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TerminationProposal)
class TerminationProposalAdmin(AuditedModelAdmin):
    """终本 proposals: proposed, decided and withdrawn through the services (the decision closes the case and
    generates the ruling); the admin lists them for review, the decision read-only."""

    list_display = [
        "enforcement_case",
        "status",
        "reason",
        "follow_up",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "reason", "follow_up", "applicant_opinion", "enforcement_case__case__court"]
    search_fields = ["enforcement_case__case__number", "reason_detail", "ruling_number"]
    date_hierarchy = "proposed_at"
    list_select_related = ["enforcement_case__case", "proposed_by", "decided_by"]
    readonly_fields = [f.name for f in TerminationProposal._meta.fields]

    def has_add_permission(self, request):
        return False  # termination_propose evaluates the checklist

    def has_change_permission(self, request, obj=None):
        return False  # termination_decide / termination_withdraw

    def has_delete_permission(self, request, obj=None):
        return False


# The other admin modules register their models (restoration requests and public entries; distribution).
from . import admin_coercion, admin_distribution, admin_objections, admin_restoration, admin_rewards  # noqa: E402,F401
