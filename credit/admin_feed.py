"""Admin of the credit feed: what each agency is entitled to read (``FeedSubscription``, its kinds as
checkboxes) and the events themselves, read only (they are written with each change, ``credit.feed``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin

from .choices import FeedEventKind
from .models import FeedEvent, FeedSubscription


class FeedSubscriptionForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("event kinds"),
        choices=FeedEventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of events this agency may read from the feed."),
    )

    class Meta:
        model = FeedSubscription
        fields = ["agency", "kinds", "active"]


@admin.register(FeedSubscription)
class FeedSubscriptionAdmin(AuditedModelAdmin):
    form = FeedSubscriptionForm
    list_display = ["agency", "kind_labels", "active"]
    list_filter = ["active"]
    search_fields = ["agency__code", "agency__name"]
    raw_id_fields = ["agency"]

    @admin.display(description=_("event kinds"))
    def kind_labels(self, subscription):
        labels = dict(FeedEventKind.choices)
        return "，".join(str(labels.get(kind, kind)) for kind in subscription.kinds)


@admin.register(FeedEvent)
class FeedEventAdmin(admin.ModelAdmin):
    """Read only: the feed is an append-only log written in the transaction of each change."""

    list_display = ["id", "kind", "party", "listing", "restriction", "created_at"]
    list_filter = ["kind"]
    search_fields = ["=id", "party__name"]
    list_select_related = ["party"]
    readonly_fields = [f.name for f in FeedEvent._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
