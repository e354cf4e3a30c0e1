"""The coercion panel of the case page (``enforcement:case-coercion``): the officer sees the measures
and proposes, the president decides (the proposer never sees the decision form), the officer executes and
releases, detention ends highlighted, the decision downloaded; debtor searches with their attempts and the
exit-restriction link; 404 for another court; a refusal answers 400 with the panel and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from enforcement.choices import Status
from enforcement.models import CoerciveMeasure, DebtorSearch
from enforcement.services.coercion import (
    coercion_decide,
    coercion_propose,
)
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


@pytest.fixture
def president(court):
    return UserFactory(president=True, court=court, username="president-0105")


@pytest.fixture
def person():
    return PartyFactory(name="张三")


@pytest.fixture
def ec(court, officer, person):
    return case_in(Status.CONTROLLING, court, officer=officer, debtors=[person])


def panel(ec) -> str:
    return reverse("enforcement:case-coercion", args=[ec.pk])


def propose(officer, ec, person, **kwargs):
    kwargs.setdefault("kind", "fine")
    kwargs.setdefault("amount", Decimal("30000"))
    return coercion_propose(
        actor=officer, enforcement_case=ec, subject=person, ground="refusing_report", facts="拒不报告财产", **kwargs
    )


# ---- pages --------------------------------------------------------------------------------------------------------


def test_the_officer_proposes_a_fine_and_sees_it_waiting(client_as, officer, ec, person):
    client = client_as(officer)
    page = client.get(panel(ec))
    assert page.status_code == 200
    assert b"Propose a coercive measure" in page.content
    response = client.post(
        panel(ec),
        {
            "action": "propose",
            "kind": "fine",
            "subject": person.pk,
            "ground": "refusing_report",
            "facts": "拒不报告财产",
            "amount": "30000",
        },
    )
    assert response.status_code == 200
    measure = CoerciveMeasure.objects.get()
    assert measure.status == "proposed" and measure.proposed_by == officer
    assert "Proposed, awaiting the president" in response.content.decode()
    assert 'value="decide"' not in response.content.decode()  # the officer does not decide


def test_a_fine_over_the_cap_answers_400_with_the_rule_and_writes_nothing(client_as, officer, ec, person):
    response = client_as(officer).post(
        panel(ec),
        {
            "action": "propose",
            "kind": "fine",
            "subject": person.pk,
            "ground": "refusing_report",
            "facts": "拒不报告财产",
            "amount": "100000.01",
        },
    )
    assert response.status_code == 400
    assert "art. 118" in response.content.decode()
    assert not CoerciveMeasure.objects.exists()


def test_the_president_sees_the_decision_form_and_approves(client_as, officer, president, ec, person):
    measure = propose(officer, ec, person)
    client = client_as(president)
    page = client.get(panel(ec)).content.decode()
    assert 'value="decide"' in page and f'name="measure" value="{measure.pk}"' in page
    assert "Propose a coercive measure" not in page  # the president decides, does not propose
    response = client.post(panel(ec), {"action": "decide", "measure": measure.pk, "decision": "approve"})
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.status == "approved" and measure.order_number == f"{ec.case.number}之一"
    assert reverse("enforcement:coercion-document", args=[measure.pk]) in response.content.decode()


def test_the_decision_is_downloaded_at_its_court_only(client_as, officer, president, other_officer, ec, person):
    measure = coercion_decide(actor=president, measure=propose(officer, ec, person), approve=True, on=TODAY)
    url = reverse("enforcement:coercion-document", args=[measure.pk])
    response = client_as(officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a .docx (zip)
    assert client_as(other_officer).get(url).status_code == 404


def test_the_officer_executes_and_a_detention_ending_is_highlighted(client_as, officer, president, ec, person):
    measure = propose(officer, ec, person, kind="detention", days=2, amount=None)
    coercion_decide(actor=president, measure=measure, approve=True, on=TODAY)
    client = client_as(officer)
    response = client.post(panel(ec), {"action": "execute", "measure": measure.pk, "executed_on": TODAY.isoformat()})
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.ends_on == TODAY + dt.timedelta(days=1)
    page = response.content.decode()
    assert "Ending soon" in page and 'value="release"' in page
    CoerciveMeasure.objects.filter(pk=measure.pk).update(
        executed_on=TODAY - dt.timedelta(days=1), ends_on=TODAY, approved_at=measure.approved_at - dt.timedelta(days=1)
    )
    assert "Ended: release" in client.get(panel(ec)).content.decode()
    response = client.post(panel(ec), {"action": "release", "measure": measure.pk, "released_on": TODAY.isoformat()})
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.released_on == TODAY


def test_a_search_without_its_warrant_is_refused_on_the_page(client_as, officer, ec, person):
    measure = propose(officer, ec, person, kind="search", search_place="某处", amount=None)
    response = client_as(officer).post(
        panel(ec), {"action": "execute", "measure": measure.pk, "executed_on": TODAY.isoformat()}
    )
    assert response.status_code == 400
    assert "art. 255" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == "proposed" and measure.executed_on is None


def test_the_debtor_search_on_the_page_offers_exit_restriction_after_an_attempt(client_as, officer, ec, person):
    client = client_as(officer)
    response = client.post(panel(ec), {"action": "search_start", "debtor": person.pk, "on": TODAY.isoformat()})
    assert response.status_code == 200
    search = DebtorSearch.objects.get()
    exit_link = reverse("credit:restriction-issue", args=[ec.pk])
    assert exit_link not in response.content.decode()
    response = client.post(
        panel(ec),
        {
            "action": "search_attempt",
            "search": search.pk,
            "on": TODAY.isoformat(),
            "kind": "relatives",
            "where": "其母亲",
            "result": "称不知去向",
        },
    )
    page = response.content.decode()
    assert "其母亲" in page and "称不知去向" in page
    assert f"{exit_link}?kind=exit&amp;debtor={person.pk}" in page
    assert reverse("credit:case-restrictions", args=[ec.pk]) in page
    response = client.post(
        panel(ec),
        {"action": "search_close", "search": search.pk, "found": "0", "on": TODAY.isoformat(), "result": "未果"},
    )
    assert response.status_code == 200
    search.refresh_from_db()
    assert search.status == "closed"


def test_another_court_gets_404_and_an_unknown_action_400(client_as, officer, other_officer, ec):
    assert client_as(other_officer).get(panel(ec)).status_code == 404
    assert client_as(other_officer).post(panel(ec), {"action": "propose"}).status_code == 404
    assert client_as(officer).post(panel(ec), {"action": "nonsense"}).status_code == 400


def test_a_closed_case_offers_no_forms(client_as, court, officer, person):
    closed = case_in(Status.CLOSED, court, officer=officer, debtors=[person])
    page = client_as(officer).get(panel(closed)).content.decode()
    assert "Propose a coercive measure" not in page and "Start a debtor search" not in page
