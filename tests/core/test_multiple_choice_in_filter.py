"""``core.filters.MultipleChoiceInFilter``: the values chosen as one ``IN`` list, where django-filter ORs an
equality per value. It finds exactly the rows django-filter's filter finds, and leaves to it what an ``IN`` list
cannot say (the null choice, a conjoined filter)."""

import django_filters
import pytest
from django.http import QueryDict

from core.filters import MultipleChoiceInFilter
from enforcement.choices import Status
from enforcement.filters import EnforcementCaseFilter
from enforcement.models import EnforcementCase
from tests.enforcement.builders import case_in

pytestmark = pytest.mark.django_db


class Ored(EnforcementCaseFilter):
    """The same filter set with django-filter's own filter for the status (an equality per value, ORed)."""

    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)


@pytest.fixture
def cases(court):
    statuses = [Status.INVESTIGATING, Status.CONTROLLING, Status.CONTROLLING, Status.DISPOSING, Status.CLOSED]
    return [case_in(status, court) for status in statuses]


def _ids(filter_set_class, query: str) -> list[int]:
    filter_set = filter_set_class(QueryDict(query), EnforcementCase.objects.all())
    assert filter_set.is_valid(), filter_set.errors
    return sorted(filter_set.qs.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "query",
    [
        "status=controlling",
        "status=investigating&status=controlling",
        "status=controlling&status=controlling&status=closed",
        "status=investigating&status=controlling&status=disposing&status=distributing",
        "status=suspended",
        "",
    ],
)
def test_it_finds_the_rows_django_filters_own_filter_finds(query, cases):
    assert _ids(EnforcementCaseFilter, query) == _ids(Ored, query)


def test_the_values_chosen_are_one_in_list_without_distinct(cases):
    query = EnforcementCaseFilter(QueryDict("status=disposing&status=controlling"), EnforcementCase.objects.all()).qs

    sql = str(query.query)
    assert '"status" IN (controlling, disposing)' in sql  # str() of a query shows its parameters unquoted
    assert " OR " not in sql and "DISTINCT" not in sql
    assert sorted(query.values_list("status", flat=True)) == ["controlling", "controlling", "disposing"]


def test_a_conjoined_filter_is_left_to_django_filter():
    class Conjoined(django_filters.FilterSet):
        status = MultipleChoiceInFilter(choices=Status.choices, conjoined=True)

        class Meta:
            model = EnforcementCase
            fields = []

    sql = str(Conjoined(QueryDict("status=closed&status=controlling"), EnforcementCase.objects.all()).qs.query)

    assert " IN " not in sql and sql.count('"status" =') == 2  # every value required: no row has two statuses


def test_the_null_choice_is_left_to_django_filter():
    class WithNull(django_filters.FilterSet):
        closing_kind = MultipleChoiceInFilter(choices=[("performed", "performed")], null_value="null")

        class Meta:
            model = EnforcementCase
            fields = []

    filter_set = WithNull(QueryDict("closing_kind=null&closing_kind=performed"), EnforcementCase.objects.all())
    filter_set.form.fields["closing_kind"].choices = [("null", "none"), ("performed", "performed")]

    sql = str(filter_set.qs.query)
    assert "IS NULL" in sql and " OR " in sql
