"""``core.filters.HotFilterSet``: django-filter's filter set with each request's filters copied shallowly. It
filters exactly as django-filter's own (deep-copying) one does, and no request's filters leak into another's."""

import django_filters
import pytest
from django.http import QueryDict

from enforcement.filters import EnforcementCaseFilter
from enforcement.models import EnforcementCase

pytestmark = pytest.mark.django_db


class DeepCopying(EnforcementCaseFilter):
    """The same filters with django-filter's own ``__init__`` (``copy.deepcopy`` of every filter)."""

    __init__ = django_filters.FilterSet.__init__


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=investigating&status=controlling&ordering=deadline_on",
        "q=王&overdue=true&ordering=-amount",
        "track=simple&deadline_before=2026-12-31&deadline_after=2026-01-01&overdue=false",
        "court=京0105&ordering=filing_date",
        "status=nonsense",
    ],
)
def test_it_filters_exactly_as_django_filters_own_filter_set(query, court):
    data = QueryDict(query)
    hot, deep = (
        EnforcementCaseFilter(data, EnforcementCase.objects.all()),
        DeepCopying(data, EnforcementCase.objects.all()),
    )

    assert hot.is_valid() == deep.is_valid()
    assert hot.errors == deep.errors
    if hot.is_valid():
        assert str(hot.qs.query) == str(deep.qs.query)


def test_each_filter_set_has_its_own_filters_and_the_class_keeps_none_of_a_requests_state():
    first = EnforcementCaseFilter(QueryDict("q=张"), EnforcementCase.objects.all())
    second = EnforcementCaseFilter(QueryDict("q=李"), EnforcementCase.objects.all())

    for name, filter_ in first.filters.items():
        assert filter_ is not second.filters[name]
        assert filter_.extra is not second.filters[name].extra
        assert (filter_.parent, second.filters[name].parent) == (first, second)
        assert not hasattr(EnforcementCaseFilter.base_filters[name], "parent")
    assert first.filters["q"].filter.f is first.filters["q"]  # the method is called through this request's copy


def test_a_method_filter_calls_the_method_of_its_own_filter_set(monkeypatch):
    seen = []

    def recording(self, queryset, name, value):
        seen.append((self, value))
        return queryset

    monkeypatch.setattr(EnforcementCaseFilter, "filter_q", recording)
    first = EnforcementCaseFilter(QueryDict("q=张"), EnforcementCase.objects.all())
    second = EnforcementCaseFilter(QueryDict("q=李"), EnforcementCase.objects.all())
    first.qs, second.qs  # noqa: B018 - filtering is what is tested

    assert seen == [(first, "张"), (second, "李")]


def test_an_invalid_date_is_a_form_error_as_before():
    data = QueryDict("deadline_before=2026-13-01")
    filter_set = EnforcementCaseFilter(data, EnforcementCase.objects.all())
    assert not filter_set.is_valid()
    assert "deadline_before" in filter_set.errors
