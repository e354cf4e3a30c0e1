"""Admin of restrictions (限制消费令, 限制出境) with their bound persons and temporary permissions.

Written by services only (``credit.services.restrictions``: the rules, the order, the credit feed and the
audit row); the admin lists them for review, read-only."""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import BoundPerson, Restriction, TemporaryPermission


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BoundPersonInline(_ReadOnlyInline):
    model = BoundPerson
    fields = ["role", "name", "id_number", "party"]
    readonly_fields = fields


class TemporaryPermissionInline(_ReadOnlyInline):
    model = TemporaryPermission
    fields = ["purpose", "allowed", "valid_from", "valid_until", "granted_by", "granted_at"]
    readonly_fields = fields


@admin.register(Restriction)
class RestrictionAdmin(AuditedModelAdmin):
    list_display = ["order_number", "kind", "debtor", "enforcement_case", "status", "issued_on", "lifted_on"]
    list_filter = ["kind", "status", "lift_ground", "enforcement_case__case__court"]
    search_fields = ["order_number", "enforcement_case__case__number", "debtor__name", "debtor__id_number"]
    date_hierarchy = "issued_on"
    list_select_related = ["enforcement_case__case", "debtor"]
    readonly_fields = [f.name for f in Restriction._meta.fields]
    inlines = [BoundPersonInline, TemporaryPermissionInline]

    def has_add_permission(self, request):
        return False  # issued through restriction_issue (rules, order, feed event)

    def has_change_permission(self, request, obj=None):
        return False  # lifted through restriction_lift (the lifecycle fields are the service's)

    def has_delete_permission(self, request, obj=None):
        return False
