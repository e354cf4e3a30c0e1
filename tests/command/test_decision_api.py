# ruff: noqa: F811 - the fixture imported from test_decision is a parameter of the tests
"""API of decision support: ``GET /api/v1/enforcement-cases/{id}/decision/`` — the panel's content as data, 404 for
another court's case, 403 without ``command.decision``, and in the OpenAPI schema."""

from __future__ import annotations

import pytest

from tests.command.test_decision import world  # noqa: F401 - fixture
from tests.factories import CourtFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(ec) -> str:
    return f"/api/v1/enforcement-cases/{ec.pk}/decision/"


def test_the_decision_of_a_case_as_data(world, api_as):
    response = api_as(world["officer"]).get(url(world["ec"]))
    assert response.status_code == 200
    body = response.json()
    assert body["enforcement_case"] == world["ec"].pk and body["case_number"] == world["ec"].case.number
    assert body["triage"]["stored"] is False and isinstance(body["triage"]["score"], int)
    assert [p["code"] for p in body["preservation"]] == [
        "control.order",
        "control.order",
        "control.renew",
        "clue.transfer",
    ]
    assert body["bankruptcy"] == [
        {
            "debtor_id": world["company"].pk,
            "debtor_name": "北京恒通商贸有限公司",
            "score": 70,
            "indicated": True,
            "reasons": ["2 enforcement cases ended as 终本."],
            "suggestion_id": world["suggestion"].pk,
        }
    ]
    assert [g["category"] for g in body["platforms"]] == ["real_estate", "vehicle"]
    assert body["platforms"][0]["recommendations"][0]["agency_code"] == "auction-a"
    assert body["similar"]["count"] == 0 and body["similar"]["step"] == 5 and body["similar"]["enough"] is False
    renew = next(a for a in body["articles"] if a["code"] == "control.renew")
    assert renew["citation"] == "《民事诉讼法解释》（2022）第四百八十五条"
    assert renew["rule"] == "2.1" and renew["confidence"] == "V-full" and renew["reason"]


def test_another_courts_case_is_not_found(world, api_as):
    stranger = UserFactory(officer=True, court=CourtFactory(haidian=True), username="officer-0108")
    response = api_as(stranger).get(url(world["ec"]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_clerk_is_refused(world, api_as):
    clerk = UserFactory(clerk=True, court=world["court"], username="clerk-0105")
    assert api_as(clerk).get(url(world["ec"])).status_code == 403


def test_anonymous_callers_are_refused(world, api_client):
    assert api_client.get(url(world["ec"])).status_code in (401, 403)


def test_the_endpoint_is_in_the_schema_with_its_decision_serializers(world, api_as):
    schema = api_as(world["officer"]).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/enforcement-cases/{id}/decision/"]["get"]
    assert operation["operationId"] == "enforcement_cases_decision_retrieve"
    assert {"Decision", "DecisionArticle", "DecisionSimilar"} <= set(schema["components"]["schemas"])
