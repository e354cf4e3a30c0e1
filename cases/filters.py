import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import MultipleChoiceInFilter

from .choices import TYPES_BY_STAGE, CaseType, PartyRole, Stage
from .models import Case

FILING_DESK_DAYS = 30


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Case number, party or identifier"))
    case_type = MultipleChoiceInFilter(choices=CaseType.choices, label=_("Case type"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, method="filter_stage", label=_("Stage"))
    year = django_filters.NumberFilter(label=_("Year"))
    filed_from = django_filters.DateFilter(field_name="filing_date", lookup_expr="gte", label=_("Filed from"))
    filed_to = django_filters.DateFilter(field_name="filing_date", lookup_expr="lte", label=_("Filed to"))
    amount_min = django_filters.NumberFilter(field_name="amount", lookup_expr="gte", label=_("Amount from"))
    amount_max = django_filters.NumberFilter(field_name="amount", lookup_expr="lte", label=_("Amount to"))
    debtor = django_filters.CharFilter(method="filter_debtor", label=_("Debtor or defendant"))
    ordering = django_filters.OrderingFilter(
        fields=(("filing_date", "filing_date"), ("amount", "amount"), ("number", "number"), ("case_type", "case_type")),
        field_labels={
            "filing_date": _("Filing date"),
            "amount": _("Amount"),
            "number": _("Case number"),
            "case_type": _("Case type"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Case
        fields = ["q", "case_type", "stage", "year", "filed_from", "filed_to", "amount_min", "amount_max"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matching = Q(number__icontains=value) | Q(party_links__party__name__icontains=value)
        if len(value) == 18:
            matching |= Q(party_links__party__id_number=value.upper())
        return queryset.filter(pk__in=Case.objects.filter(matching).values("pk"))

    def filter_stage(self, queryset, name, value):
        """立 is the filing desk's view: everything registered in the last 30 days. The other stages are
        their case types (审 litigation and preservation review, 执 enforcement, 破 bankruptcy)."""
        if value == Stage.FILING:
            return queryset.filter(filing_date__gte=timezone.localdate() - dt.timedelta(days=FILING_DESK_DAYS))
        return queryset.filter(case_type__in=TYPES_BY_STAGE[value])

    def filter_debtor(self, queryset, name, value):
        opposing = [PartyRole.DEFENDANT, PartyRole.DEBTOR, PartyRole.RESPONDENT, PartyRole.APPELLEE]
        hits = Case.objects.filter(party_links__role__in=opposing, party_links__party__name__icontains=value.strip())
        return queryset.filter(pk__in=hits.values("pk"))
