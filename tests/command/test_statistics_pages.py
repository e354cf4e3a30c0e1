# ruff: noqa: F811 - the fixture imported from test_statistics is a parameter of the tests
"""The statistics page: the court's figures with their charts' data, one officer's for those who oversee them,
the exports, and nothing of another court."""

import csv
import io
import json

import pytest

from tests.command.test_statistics import FROM, TO, world  # noqa: F401 - fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/command/statistics/"
PERIOD = {"date_from": FROM.isoformat(), "date_to": TO.isoformat()}


def test_the_page_shows_the_courts_figures_and_the_chart_data(client_as, world):
    court, li, wang, cases = world
    response = client_as(li).get(URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="statistics-figures"' in html and "33.3%" in html and "26.7%" in html
    data = response.context["chart_data"]
    assert data["months"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert sum(k["value"] for k in data["kinds"]) == 3
    assert json.loads(html.split('id="statistics-data" type="application/json">')[1].split("</script>")[0]) == data


def test_an_officer_can_only_pick_himself(client_as, world):
    court, li, wang, cases = world
    page = client_as(li).get(URL, PERIOD)
    assert [pk for pk, _name in page.context["form"].fields["officer"].choices if pk] == [li.pk]
    head = UserFactory(division_head=True, court=court, username="head-page")
    response = client_as(head).get(URL, {**PERIOD, "officer": wang.pk})
    assert response.status_code == 200 and response.context["stats"].scope.officer == wang


def test_the_figures_export_as_csv_and_excel(client_as, world):
    court, li, wang, cases = world
    response = client_as(li).get(URL, {**PERIOD, "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Cases received", "4"] in rows and ["Cases closed", "3"] in rows
    xlsx = client_as(li).get(URL, {**PERIOD, "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_bad_period_is_a_form_error_not_a_crash(client_as, world):
    court, li, wang, cases = world
    response = client_as(li).get(URL, {"date_from": "2026-07-01", "date_to": "2026-01-01"})
    assert response.status_code == 200 and response.context["form"].errors


def test_a_clerk_may_not_open_the_statistics(client_as, world):
    court, li, wang, cases = world
    assert client_as(UserFactory(clerk=True, court=court, username="clerk-page")).get(URL).status_code == 403


def test_a_superuser_of_no_court_picks_the_court_whose_figures_to_see(client_as, world):
    court, li, wang, cases = world
    root = UserFactory(username="root-stats", superuser=True)
    first = client_as(root).get(URL)
    assert first.status_code == 200 and "court" in first.context["form"].fields
    response = client_as(root).get(URL, {**PERIOD, "court": court.code})
    assert response.status_code == 200 and response.context["stats"].scope.court == court
    assert "33.3%" in response.content.decode()
