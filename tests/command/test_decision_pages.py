# ruff: noqa: F811 - the fixture imported from test_decision is a parameter of the tests
"""The decision-support panel on the enforcement case page (command:case-decision): rendered for an officer with
every section and its reasons; 404 for another court's case; refused to a role without ``command.decision``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.command.test_decision import world  # noqa: F401 - fixture
from tests.factories import CourtFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(ec) -> str:
    return reverse("command:case-decision", args=[ec.pk])


def test_the_officer_sees_the_panel_with_each_suggestion_and_the_rules(world, client_as):
    response = client_as(world["officer"]).get(url(world["ec"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="case-decision"' in html and "<html" not in html  # a partial, swapped into the case page
    for section in ("triage", "preservation", "bankruptcy", "platforms", "similar", "articles"):
        assert f'id="decision-{section}"' in html
    assert "Renew the Impound (扣押) of 京A12345" in html
    assert "Verify the transfer of 朝阳区某小区2号楼202室 to 李梅" in html
    assert "《民事诉讼法解释》（2022）第四百八十五条" in html
    assert 'data-article="credit.dishonest"' in html
    assert 'href="/bankruptcy/"' in html
    assert "AUCTION-A" in html
    assert world["boss"].id_number not in html  # no identifier, masked or not, on the panel


def test_the_case_page_loads_the_panel_for_an_officer(world, client_as):
    page = client_as(world["officer"]).get(reverse("enforcement:detail", args=[world["ec"].pk]))
    assert page.status_code == 200
    assert f'hx-get="{url(world["ec"])}"' in page.content.decode()


def test_another_courts_case_is_not_found(world, client_as):
    stranger = UserFactory(officer=True, court=CourtFactory(haidian=True), username="officer-0108")
    assert client_as(stranger).get(url(world["ec"])).status_code == 404
    assert client_as(world["officer"]).get(reverse("command:case-decision", args=[999999])).status_code == 404


def test_a_clerk_is_refused_and_an_anonymous_visitor_sent_to_log_in(world, client, client_as):
    response = client.get(url(world["ec"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    clerk = UserFactory(clerk=True, court=world["court"], username="clerk-0105")
    assert client_as(clerk).get(url(world["ec"])).status_code == 403
