# ruff: noqa: F811 - the fixture imported from test_workspace is a parameter of the tests
"""GET /api/v1/workspace/: the counts of the signed-in case worker's workspace as JSON, the same as the page's."""

import pytest

from tests.command.test_workspace import desk  # noqa: F401 - fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/workspace/"


def test_the_api_gives_the_officers_counts(api_as, desk):
    court, li, head, zhou, cases = desk
    response = api_as(li).get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "overdue": 2,
        "due_today": 2,
        "due_soon": 2,
        "deadlines": 6,
        "expiring_30": 2,
        "expiring_7": 1,
        "new_answers": 1,
        "new_finds": 1,
        "alerts": 1,
        "approvals": 2,
        "funds_cases": 1,
        "funds_held": "3000.00",
        "payouts_waiting": 1,
        "payouts_amount": "1200.00",
        "onsite_today": 1,
    }


def test_another_courts_officer_gets_only_his_own_counts(api_as, desk):
    court, li, head, zhou, cases = desk
    cases["soon"].case.filing_alerts.all().delete()  # this court's desk changes; the other court's does not
    assert api_as(zhou).get(URL).json()["alerts"] == 1
    assert api_as(li).get(URL).json()["alerts"] == 0


def test_a_user_without_cases_gets_zeros(api_as, desk):
    court, li, head, zhou, cases = desk
    body = api_as(UserFactory(judge=True, court=court, username="ws-api-judge")).get(URL).json()
    assert body["deadlines"] == 0 and body["funds_held"] == "0.00" and body["approvals"] == 0


def test_the_api_is_for_case_workers_only(api_client, api_as, desk):
    court, li, head, zhou, cases = desk
    assert api_client.get(URL).status_code in (401, 403)
    response = api_as(UserFactory(clerk=True, court=court, username="ws-api-clerk")).get(URL)
    assert response.status_code == 403


def test_the_schema_documents_the_workspace_endpoint(api_as, desk):
    court, li, head, zhou, cases = desk
    schema = api_as(li).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/workspace/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/WorkspaceCounts")
    assert "funds_held" in schema["components"]["schemas"]["WorkspaceCounts"]["properties"]
