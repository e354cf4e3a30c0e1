"""Admin of restoration requests and public 终本 entries (issue 5).

Both are written by services only: restoration requests are recorded and decided on the case page or the
API; entries are published at the 终本 approval and masked when enforcement ends. The admin lists them for
review; an administrator corrects the public database by masking an entry with a reason (``entry_mask``).
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import DateField, ExpressionWrapper, F
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin
from core.exceptions import ApplicationError

from .models import RestorationRequest, TerminatedCaseEntry
from .services.publication import PUBLICATION_DAYS, entry_is_late, entry_mask


@admin.register(RestorationRequest)
class RestorationRequestAdmin(AuditedModelAdmin):
    list_display = ["enforcement_case", "applicant", "received_on", "status", "recorded_by", "decided_by", "decided_at"]
    list_filter = ["status", "enforcement_case__case__court"]
    search_fields = ["enforcement_case__case__number", "applicant__name", "lead"]
    date_hierarchy = "received_on"
    list_select_related = ["enforcement_case__case", "applicant", "recorded_by", "decided_by"]
    readonly_fields = [f.name for f in RestorationRequest._meta.fields]

    def has_add_permission(self, request):
        return False  # recorded through restoration_request_record (the 终本 state, the creditor, the dates)

    def has_change_permission(self, request, obj=None):
        return False  # decided through restoration_request_decide (which restores the case)

    def has_delete_permission(self, request, obj=None):
        return False


def _late_cutoff():
    return ExpressionWrapper(F("ruled_on") + dt.timedelta(days=PUBLICATION_DAYS), output_field=DateField())


class LatePublicationFilter(admin.SimpleListFilter):
    """Entries published more than 7 days after the ruling (终本规定 art. 12), or on time."""

    title = _("published within 7 days")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("yes", _("Late (more than 7 days)")), ("no", _("On time"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        queryset = queryset.filter(published_on__isnull=False).annotate(_cutoff=_late_cutoff())
        if self.value() == "yes":
            return queryset.filter(published_on__gt=F("_cutoff"))
        return queryset.filter(published_on__lte=F("_cutoff"))


class PublicStateFilter(admin.SimpleListFilter):
    title = _("public")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", _("Public")), ("masked", _("Masked")), ("unpublished", _("Not published"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(published_on__isnull=False, masked_on__isnull=True)
        if self.value() == "masked":
            return queryset.filter(masked_on__isnull=False)
        if self.value() == "unpublished":
            return queryset.filter(published_on__isnull=True)
        return queryset


class MaskForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(TerminatedCaseEntry)
class TerminatedCaseEntryAdmin(AuditedModelAdmin):
    list_display = [
        "case_number",
        "court_name",
        "debtor_names",
        "unperformed_amount",
        "ruled_on",
        "published_on",
        "published_late",
        "masked_on",
        "mask_reason",
    ]
    list_filter = [PublicStateFilter, LatePublicationFilter, "court_name"]
    search_fields = ["case_number", "debtor_names"]
    date_hierarchy = "ruled_on"
    readonly_fields = [f.name for f in TerminatedCaseEntry._meta.fields]
    actions = ["mask"]

    def has_add_permission(self, request):
        return False  # published by entry_publish at the 终本 approval (or `manage.py publish_terminated_cases`)

    def has_change_permission(self, request, obj=None):
        return False  # a snapshot: corrected by masking it (the action), never edited

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description=_("late"))
    def published_late(self, entry):
        return entry_is_late(entry)

    @admin.action(description=_("Mask the selected entries (correction, 终本规定 arts. 14, 18)"))
    def mask(self, request, queryset):
        form = MaskForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Mask entries of the 终本 database"),
                "entries": queryset,
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            }
            return render(request, "enforcement/restoration/admin_mask_entries.html", context)
        masked = 0
        for entry in queryset:
            try:
                entry_mask(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
            except ApplicationError as error:
                self.message_user(request, f"{entry.case_number}: {error.message}", messages.ERROR)
            else:
                masked += 1
        if masked:
            self.message_user(request, _("%(count)d entries masked.") % {"count": masked}, messages.SUCCESS)
        return None
