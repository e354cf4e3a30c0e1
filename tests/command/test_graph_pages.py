# ruff: noqa: F811 - the fixture imported from test_graph is a parameter of the tests
"""The relation graph page: the ECharts data as json_script, the same nodes and links as tables (cases across
courts, assets, relations and transfers, parties), the clue list with reasons, the depth selector, who may open
it, and that no identity number and no inline script appear."""

import json
import re

import pytest

from core.models import AuditLog
from tests.command.test_graph import world  # noqa: F401 - fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(party, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return f"/command/graph/{party.pk}/{suffix}"


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</table>", start)] if "<table" in html[start - 60 : start] else html[start:]


def test_the_page_draws_the_graph_from_json_script_data(client_as, world):
    response = client_as(world.officer).get(url(world.debtor))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-graph-source="graph-data"' in html and "js/graph.js" in html and "echarts.min.js" in html
    data = json.loads(html.split('id="graph-data" type="application/json">')[1].split("</script>")[0])
    assert data == response.context["graph_data"]
    assert data["centre"] == f"party-{world.debtor.pk}" and data["depth"] == 2
    assert [c["name"] for c in data["categories"]] == ["Debtors", "People", "Companies", "Cases", "Assets"]
    clue_links = [link for link in data["links"] if link["clue"]]
    assert len(clue_links) == 2 and all(link["kind"] == "transfer" for link in clue_links)


def test_the_related_cases_across_courts_table_links_only_the_users_court(client_as, world):
    html = client_as(world.officer).get(url(world.debtor)).content.decode()
    cases = section(html, "graph-cases")
    assert world.lawsuit.number in cases and "北京市海淀区人民法院" in cases and "Other court" in cases
    assert f'href="/enforcement/{world.ec.pk}/"' in cases
    assert f'href="/cases/{world.lawsuit.pk}/"' not in cases
    assert "张三 (Defendant (被告))" in cases


def test_the_tables_list_the_relations_transfers_assets_and_parties(client_as, world):
    html = client_as(world.officer).get(url(world.debtor)).content.decode()
    relations = section(html, "graph-relations")
    assert "Shareholder (股东) 80%" in relations and "Same address (同一地址)" in relations
    assert relations.count('class="table-danger"') == 2 and "Clue, severity 95" in relations
    assets = section(html, "graph-assets")
    assert "活期储蓄" in assets and "¥5,000.00" in assets and "海淀查到的车辆" not in assets
    parties = section(html, "graph-parties")
    assert "Received property, severity 95" in parties and "Not on a case of your court" in parties


def test_the_clue_list_gives_each_clue_with_its_reasons(client_as, world):
    html = client_as(world.officer).get(url(world.debtor)).content.decode()
    clues = html[html.index('id="graph-clues"') :]
    assert f'data-clue="{world.flat.pk}"' in clues and f'data-clue="{world.equity.pk}"' in clues
    assert "Transferred 61 days before filing. (+25)" in clues
    assert "Severity 95" in clues and world.case.number in clues


def test_the_depth_selector_redraws_at_another_depth(client_as, world):
    response = client_as(world.officer).get(url(world.debtor, depth=3))
    assert response.context["graph"].depth == 3
    assert f"party-{world.affiliate.pk}" in {n["id"] for n in response.context["graph_data"]["nodes"]}
    assert '<option value="3" selected>' in response.content.decode()


def test_a_bad_depth_is_a_form_error_and_the_default_is_drawn(client_as, world):
    response = client_as(world.officer).get(url(world.debtor, depth=9))
    assert response.status_code == 200 and response.context["form"].errors["depth"]
    assert response.context["graph"].depth == 2


def test_no_identity_number_and_no_inline_script_on_the_page(client_as, world):
    html = client_as(world.officer).get(url(world.debtor)).content.decode()
    for someone in (world.debtor, world.spouse, world.company, world.neighbour, world.stranger):
        assert someone.id_number not in html and someone.masked_id_number not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert " onclick=" not in html


def test_each_opening_of_the_page_is_audited(client_as, world):
    client = client_as(world.officer)
    client.get(url(world.debtor))
    client.get(url(world.debtor, depth=1))
    assert AuditLog.objects.filter(action="party.read_graph", object_id=str(world.debtor.pk)).count() == 2


def test_the_page_is_not_found_for_a_party_seen_only_at_another_court(client_as, world):
    assert client_as(world.other_officer).get(url(world.creditor)).status_code == 404
    assert client_as(world.officer).get("/command/graph/999999/").status_code == 404
    assert not AuditLog.objects.filter(action="party.read_graph").exists()


def test_a_clerk_may_not_open_the_graph_and_a_visitor_is_sent_to_log_in(client, client_as, world):
    assert client.get(url(world.debtor)).status_code == 302
    clerk = UserFactory(clerk=True, court=world.court, username="graph-clerk")
    assert client_as(clerk).get(url(world.debtor)).status_code == 403


def test_a_large_graph_says_that_it_was_cut(client_as, world, monkeypatch):
    import command.graph

    monkeypatch.setattr(command.graph, "MAX_NODES", 3)
    html = client_as(world.officer).get(url(world.debtor)).content.decode()
    assert 'id="graph-truncated"' in html and "The graph is cut at 3 nodes" in html
