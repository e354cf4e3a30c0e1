from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .exceptions import RuleViolation
from .models import (
    ApiCredential,
    AuditLog,
    CalendarDay,
    CaseNumberSequence,
    Court,
    CourtSigningKey,
    DocumentSignature,
    Job,
    User,
)
from .services import credential_revoke, credential_rotate


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin writes go into the audit log like every other write."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"admin.{'change' if change else 'add'}",
                obj=obj,
                changes={"fields": sorted(form.changed_data)} if form else {},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action="admin.delete", obj=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action="admin.delete", obj=obj)
            super().delete_queryset(request, queryset)


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Rows written only by the code that owns them (a service, an allocator, a job): the admin lists them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Court)
class CourtAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "parent", "region_code", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name", "region_code"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "court", "is_active", "last_login"]
    list_filter = ["role", "court", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email", "organisation"]
    autocomplete_fields = ["court"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Court"), {"fields": ("role", "court", "display_name", "organisation")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Court"), {"fields": ("role", "court", "display_name", "organisation")}),
    )


@admin.register(CaseNumberSequence)
class CaseNumberSequenceAdmin(ReadOnlyModelAdmin):
    """Serials are handed out by the allocator only."""

    list_display = ["court", "type_code", "year", "last_serial"]
    list_filter = ["type_code", "year"]
    search_fields = ["court__code", "court__name"]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "actor_name", "court", "action", "object_type", "object_repr", "request_id"]
    list_filter = ["action", "court", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id", "request_id", "reason"]
    date_hierarchy = "at"


@admin.register(ApiCredential)
class ApiCredentialAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username", "user__organisation"]
    readonly_fields = ["prefix", "secret_hash", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke", "rotate"]

    def has_add_permission(self, request):
        return False  # keys are issued with `manage.py issue_api_key`, which shows the secret once

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for credential in queryset.filter(revoked_at__isnull=True):
            credential_revoke(actor=request.user, credential=credential, reason="admin action")
        messages.success(request, _("Keys revoked."))

    @admin.action(description=_("Rotate the selected keys (the old keys keep working for 24 hours)"))
    def rotate(self, request, queryset):
        """Issue a successor to each usable key and show the new keys once, on this response only (never in a
        message, which would keep them in a cookie or the session). Keys the service refuses to rotate (revoked
        or expired) are skipped, and said so."""
        rotated, skipped = [], []
        for credential in queryset.select_related("user").order_by("pk"):
            try:
                new, key = credential_rotate(actor=request.user, credential=credential, overlap_hours=24)
            except RuleViolation:
                skipped.append(credential)
            else:
                rotated.append({"old": credential, "new": new, "key": key})
        context = {
            **self.admin_site.each_context(request),
            "title": _("New API keys"),
            "opts": self.model._meta,
            "rotated": rotated,
            "skipped": skipped,
        }
        response = TemplateResponse(request, "registration/api_keys_rotated.html", context)
        add_never_cache_headers(response)
        return response


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedModelAdmin):
    """The working-day calendar the court administrator keeps (``core.workdays``): public holidays on weekdays
    and make-up working days (调休) on weekends, for deadlines counted in working days."""

    list_display = ["date", "working", "note"]
    list_filter = ["working", "date"]
    search_fields = ["note"]
    date_hierarchy = "date"
    ordering = ["date"]


@admin.register(Job)
class JobAdmin(ReadOnlyModelAdmin):
    """Long jobs, read-only: they are written by the work they count (``core.jobs``)."""

    list_display = ["created_at", "kind", "title", "user", "court", "status", "done", "total", "finished_at"]
    list_filter = ["kind", "status", "court"]
    search_fields = ["title", "message", "user__username"]
    date_hierarchy = "created_at"


# Electronic seal (电子签章, core.signing): key material is read-only; keys are rotated, never edited.


@admin.register(CourtSigningKey)
class CourtSigningKeyAdmin(ReadOnlyModelAdmin):
    """A court's first key is made on first use, later ones by rotation; a deleted key would leave its signatures
    unverifiable."""

    list_display = ["key_id", "court", "algorithm", "activates_at", "retires_at", "revoked_at"]
    list_filter = ["court", "revoked_at"]
    search_fields = ["key_id", "court__code", "court__name"]
    fields = ["court", "key_id", "algorithm", "public_key", "created_at", "activates_at", "retires_at", "revoked_at"]
    readonly_fields = fields  # the encrypted private key is never shown
    actions = ["rotate", "revoke"]

    @admin.action(description=_("Rotate the keys of the selected keys' courts (the old key verifies 30 more days)"))
    def rotate(self, request, queryset):
        from .signing import rotate_court_key

        courts = Court.objects.filter(pk__in=queryset.values("court_id"))
        for court in courts:
            rotate_court_key(actor=request.user, court=court)
        messages.success(request, _("New signing keys made for %(count)d court(s).") % {"count": len(courts)})

    @admin.action(description=_("Revoke the selected signing keys"))
    def revoke(self, request, queryset):
        from .signing import signing_key_revoke

        for key in queryset.filter(revoked_at__isnull=True):
            signing_key_revoke(actor=request.user, key=key, reason="admin action")
        messages.success(request, _("Signing keys revoked."))


@admin.register(DocumentSignature)
class DocumentSignatureAdmin(ReadOnlyModelAdmin):
    list_display = ["number", "title", "reference", "court", "key_id", "signed_at"]
    list_filter = ["court"]
    search_fields = ["number", "reference", "title", "sha256"]
    date_hierarchy = "signed_at"
