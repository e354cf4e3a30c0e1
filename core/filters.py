import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditLog


class AuditLogFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Object, actor or request id"))
    action = django_filters.CharFilter(lookup_expr="startswith", label=_("Action"))
    at_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    at_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = AuditLog
        fields = ["q", "action", "at_from", "at_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(object_repr__icontains=value) | Q(actor_name__icontains=value) | Q(request_id=value) | Q(object_id=value)
        )
