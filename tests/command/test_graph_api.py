# ruff: noqa: F811 - the fixture imported from test_graph is a parameter of the tests
"""GET /api/v1/parties/{id}/graph/: the nodes and links of the page, staff only, the same scoping and audit,
a bad depth refused with the rule named, and the endpoint in the OpenAPI schema."""

import json

import pytest

from core.models import AuditLog
from tests.command.test_graph import world  # noqa: F401 - fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(party):
    return f"/api/v1/parties/{party.pk}/graph/"


def test_an_officer_reads_the_nodes_and_links_of_a_debtor(api_as, world):
    response = api_as(world.officer).get(url(world.debtor))
    assert response.status_code == 200
    body = response.json()
    assert body["centre"] == f"party-{world.debtor.pk}" and body["depth"] == 2 and body["truncated"] is False
    nodes = {n["id"]: n for n in body["nodes"]}
    assert nodes[f"party-{world.debtor.pk}"]["category_key"] == "debtor"
    lawsuit = nodes[f"case-{world.lawsuit.pk}"]
    assert lawsuit["url"] == "" and lawsuit["detail"] == {
        "number": world.lawsuit.number,
        "court": "北京市海淀区人民法院",
        "status": "Trial",
        "own_court": False,
    }
    flat = next(link for link in body["links"] if link["kind"] == "transfer" and link["detail"]["date"] == "2026-04-01")
    assert flat["clue"]["score"] == 95 and flat["clue"]["level"] == "high" and len(flat["clue"]["reasons"]) == 3
    assert nodes[f"party-{world.spouse.pk}"]["clue"]["score"] == 95
    assert world.debtor.id_number not in json.dumps(body, ensure_ascii=False)


def test_the_depth_is_a_query_parameter(api_as, world):
    body = api_as(world.officer).get(url(world.debtor), {"depth": 3}).json()
    assert body["depth"] == 3 and f"party-{world.affiliate.pk}" in {n["id"] for n in body["nodes"]}


def test_a_bad_depth_is_refused_with_the_rule_named_and_nothing_audited(api_as, world):
    response = api_as(world.officer).get(url(world.debtor), {"depth": "9"})
    assert response.status_code == 400
    assert response.json()["code"] == "graph.depth"
    assert response.json()["extra"]["fields"] == {"depth": ["The depth is 1, 2 or 3 hops."]}
    assert not AuditLog.objects.filter(action="party.read_graph").exists()


def test_reading_the_graph_is_audited(api_as, world):
    api_as(world.officer).get(url(world.debtor), {"depth": 1})
    entry = AuditLog.objects.get(action="party.read_graph")
    assert entry.actor == world.officer and entry.changes["depth"] == 1


def test_a_party_seen_only_at_another_court_is_not_found(api_as, world):
    assert api_as(world.other_officer).get(url(world.creditor)).status_code == 404
    assert api_as(world.officer).get("/api/v1/parties/999999/graph/").status_code == 404


def test_a_clerk_an_agency_and_a_visitor_may_not_read_the_graph(api_client, api_as, world):
    assert api_client.get(url(world.debtor)).status_code in (401, 403)
    clerk = UserFactory(clerk=True, court=world.court, username="graph-api-clerk")
    assert api_as(clerk).get(url(world.debtor)).status_code == 403
    agency = UserFactory(agency=True, username="graph-api-agency")
    assert api_as(agency).get(url(world.debtor)).status_code == 403


def test_the_endpoint_is_in_the_schema_with_its_serializers(api_as, world):
    response = api_as(world.officer).get("/api/schema/", {"format": "json"})
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/parties/{id}/graph/"]["get"]
    assert operation["operationId"] == "party_graph"
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["depth"]
    assert {"Graph", "GraphNode", "GraphLink", "GraphClueMark"} <= set(schema["components"]["schemas"])
