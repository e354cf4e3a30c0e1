"""Reads of credit, each scoped to what the user may see: the dishonest list (listing)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import get_visible_or_404, require_capability, scope_to_user
from core.filters import DaysAheadFilter, days_ahead
from core.models import User
from enforcement.models import EnforcementCase

from .choices import ListingGround, ListingStatus
from .models import DishonestListing

COURT_FIELD = "enforcement_case__case__court"
LISTING_ORDERINGS = {
    "-listed_on": ("-listed_on", "-id"),
    "listed_on": ("listed_on", "id"),
    "-proposed_at": ("-proposed_at", "-id"),
    "removal_due_on": ("removal_due_on", "id"),
    "expires_on": ("expires_on", "id"),
    "debtor": ("debtor_name", "id"),
    "case": ("enforcement_case__case__number", "id"),
}


def _listings() -> models.QuerySet[DishonestListing]:
    return DishonestListing.objects.select_related(
        "enforcement_case__case__court", "debtor", "proposed_by", "decided_by", "removed_by"
    )


def listing_list(*, user: User) -> models.QuerySet[DishonestListing]:
    """The dishonest-list entries of the user's court (every status), newest first."""
    require_capability(user, "credit.view")
    return scope_to_user(_listings(), user, court_field=COURT_FIELD)


def listing_get(*, user: User, pk: int) -> DishonestListing:
    """One entry; ``NotFound`` alike whether missing or at another court."""
    require_capability(user, "credit.view")
    return get_visible_or_404(_listings(), user, court_field=COURT_FIELD, pk=pk)


def listings_of_case(*, user: User, enforcement_case: EnforcementCase) -> models.QuerySet[DishonestListing]:
    return listing_list(user=user).filter(enforcement_case=enforcement_case).order_by("-proposed_at", "-id")


def enforcement_case_for_listing(*, user: User, pk: int) -> EnforcementCase:
    """The case of the partial and the actions (capability credit.view; same 404 for another court's case)."""
    require_capability(user, "credit.view")
    return get_visible_or_404(
        EnforcementCase.objects.select_related("case__court"), user, court_field="case__court", pk=pk
    )


def overdue_q(today: dt.date) -> models.Q:
    """Listed entries still not removed after the day they had to go (an event recorded, the deadline passed)."""
    return models.Q(status=ListingStatus.LISTED, removal_due_on__lt=today)


class ListingFilter(django_filters.FilterSet):
    """The court list's filters: status, ground, debtor name, case number, removal overdue, removal due within
    N days; ``ordering`` sorts."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ListingStatus.choices)
    ground = django_filters.ChoiceFilter(label=pgettext_lazy("credit", "Ground"), choices=ListingGround.choices)
    debtor = django_filters.CharFilter(label=_("Debtor name"), field_name="debtor_name", lookup_expr="icontains")
    case = django_filters.CharFilter(
        label=_("Case number"), field_name="enforcement_case__case__number", lookup_expr="icontains"
    )
    overdue = django_filters.BooleanFilter(label=_("Removal overdue"), method="filter_overdue")
    due_within = DaysAheadFilter(label=_("Removal due within (days)"), method="filter_due_within")
    ordering = django_filters.ChoiceFilter(
        label=_("Sort"), choices=[(key, key) for key in LISTING_ORDERINGS], method="order"
    )

    class Meta:
        model = DishonestListing
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(overdue_q(today)) if value else queryset.exclude(overdue_q(today))

    def filter_due_within(self, queryset, name, value):
        return queryset.filter(status=ListingStatus.LISTED, removal_due_on__lte=days_ahead(value))

    def order(self, queryset, name, value):
        return queryset.order_by(*LISTING_ORDERINGS.get(value, LISTING_ORDERINGS["-listed_on"]))
