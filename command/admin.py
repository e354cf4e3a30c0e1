"""Admin of command: the on-site tasks (现场执行) and risk notes, read-only. They are written through
``command.services`` (checked, audited); the admin is for looking things up, with filters."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin

from .models import OnSiteTask, RiskNote


class ReadOnlyAdmin(AuditedModelAdmin):
    """View only: without the change permission Django shows every field read-only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a task or note is part of the record (notes are withdrawn, never deleted)


@admin.register(OnSiteTask)
class OnSiteTaskAdmin(ReadOnlyAdmin):
    list_display = ["scheduled_at", "case", "purpose", "status", "outcome", "completed_at", "created_by"]
    list_filter = ["status", "purpose", "outcome", "case__case__court"]
    search_fields = ["case__case__number", "address"]
    list_select_related = ["case__case", "created_by"]
    date_hierarchy = "scheduled_at"


class ActiveFilter(admin.SimpleListFilter):
    title = _("withdrawn")
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("no", _("In force")), ("yes", _("Withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(withdrawn_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset


@admin.register(RiskNote)
class RiskNoteAdmin(ReadOnlyAdmin):
    list_display = ["party", "kind", "recorded_by", "recorded_at", "withdrawn_at"]
    list_filter = ["kind", ActiveFilter, "recorded_by__court"]
    search_fields = ["party__name", "note"]
    list_select_related = ["party", "recorded_by"]
    date_hierarchy = "recorded_at"
