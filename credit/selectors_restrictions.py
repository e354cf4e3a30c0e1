"""Reads of restrictions (限制消费令, 限制出境), each scoped to the user's court (``core.access``)."""

from __future__ import annotations

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import get_visible_or_404, require_capability, scope_to_user
from core.models import User
from enforcement.models import EnforcementCase

from .choices import RestrictionKind, RestrictionStatus
from .models import Restriction

COURT_FIELD = "enforcement_case__case__court"
ORDERINGS = {
    "-issued_on": ("-issued_on", "-id"),
    "issued_on": ("issued_on", "id"),
    "debtor": ("debtor__name", "id"),
    "-debtor": ("-debtor__name", "-id"),
    "case": ("enforcement_case__case__number", "id"),
    "-case": ("-enforcement_case__case__number", "-id"),
    "lifted_on": ("lifted_on", "id"),
    "-lifted_on": ("-lifted_on", "-id"),
}


def _base() -> models.QuerySet[Restriction]:
    return Restriction.objects.select_related(
        "enforcement_case__case__court", "debtor", "issued_by", "lifted_by", "listing"
    ).prefetch_related("bound_persons", "permissions")


def restriction_get(*, user: User, pk: int) -> Restriction:
    """One restriction; ``NotFound`` alike whether missing or at another court."""
    require_capability(user, "credit.view")
    return get_visible_or_404(_base(), user, court_field=COURT_FIELD, pk=pk)


def restriction_list(*, user: User) -> models.QuerySet[Restriction]:
    """The restrictions of the user's court, newest first."""
    require_capability(user, "credit.view")
    return scope_to_user(_base(), user, court_field=COURT_FIELD)


def restrictions_of_case(*, user: User, enforcement_case: EnforcementCase) -> models.QuerySet[Restriction]:
    return restriction_list(user=user).filter(enforcement_case=enforcement_case)


def enforcement_case_for_restrictions(*, user: User, pk: int) -> EnforcementCase:
    """The case of the partial and the actions (capability credit.view; same 404 for another court's case)."""
    require_capability(user, "credit.view")
    queryset = EnforcementCase.objects.select_related("case__court")
    return get_visible_or_404(queryset, user, court_field="case__court", pk=pk)


class RestrictionFilter(django_filters.FilterSet):
    """The court list's filters: kind, status, debtor name, issued between, case number; ``ordering`` sorts."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RestrictionKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RestrictionStatus.choices)
    debtor = django_filters.CharFilter(label=_("Debtor name"), field_name="debtor__name", lookup_expr="icontains")
    case = django_filters.CharFilter(
        label=_("Case number"), field_name="enforcement_case__case__number", lookup_expr="icontains"
    )
    issued_from = django_filters.DateFilter(label=_("Issued from"), field_name="issued_on", lookup_expr="gte")
    issued_to = django_filters.DateFilter(label=_("Issued until"), field_name="issued_on", lookup_expr="lte")
    ordering = django_filters.ChoiceFilter(label=_("Sort"), choices=[(key, key) for key in ORDERINGS], method="order")

    class Meta:
        model = Restriction
        fields: list[str] = []

    def order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["-issued_on"]))
