# ruff: noqa: F811 - the fixture imported from test_statistics is a parameter of the tests
"""The statistics over the API: the same figures as the service, for the user's court only; another officer's
figures only for those who oversee officers."""

import pytest

from tests.command.test_statistics import FROM, TO, world  # noqa: F401 - fixture
from tests.factories import CourtFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/statistics/"
PERIOD = {"from": FROM.isoformat(), "to": TO.isoformat()}


def test_an_officer_reads_his_courts_figures(api_as, world):
    court, li, wang, cases = world
    body = api_as(li).get(URL, PERIOD).json()
    assert (body["court"], body["received"], body["closed"]) == ("京0105", 4, 3)
    assert body["closed_by_kind"] == {"completed": 1, "terminated_this_round": 1, "settled": 1}
    assert (body["completion_rate"], body["realisation_rate"], body["p90_days"]) == ("0.3333", "0.2667", 180)
    assert body["queries"][0]["sent"] == 2 and body["paid_out"] == "1900.00"


def test_an_officer_reads_his_own_figures_but_not_a_colleagues(api_as, world):
    court, li, wang, cases = world
    own = api_as(wang).get(URL, {**PERIOD, "officer": wang.pk})
    assert own.status_code == 200 and own.json()["closed"] == 1
    assert api_as(li).get(URL, {**PERIOD, "officer": wang.pk}).status_code == 404


def test_a_division_head_reads_any_officers_figures_of_his_court(api_as, world):
    court, li, wang, cases = world
    head = UserFactory(division_head=True, court=court, username="head-stats")
    assert api_as(head).get(URL, {**PERIOD, "officer": wang.pk}).json()["officer"] == wang.pk


def test_another_courts_figures_are_not_found(api_as, world):
    court, li, wang, cases = world
    CourtFactory(haidian=True)
    response = api_as(li).get(URL, {**PERIOD, "court": "京0108"})
    assert response.status_code == 404


def test_a_clerk_and_an_agency_may_not_read_statistics(api_as, world):
    court, li, wang, cases = world
    assert api_as(UserFactory(clerk=True, court=court, username="clerk-stats")).get(URL).status_code == 403
    assert api_as(UserFactory(agency=True, username="agency-stats")).get(URL).status_code == 403


def test_a_bad_period_is_refused_with_the_field_named(api_as, world):
    court, li, wang, cases = world
    response = api_as(li).get(URL, {"from": "2026-07-01", "to": "2026-01-01"})
    assert response.status_code == 400 and "date_from" in response.json()["extra"]["fields"]
    assert api_as(li).get(URL, {"from": "yesterday"}).status_code == 400
