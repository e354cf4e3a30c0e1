"""The API of the coercive measures and the debtor search: propose, the president's decision (403 for the officer),
execute, release; a debtor search with an attempt and its close; refusals name their rule (400, nothing
written); another court's records are 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from enforcement.choices import Status
from enforcement.models import CoerciveMeasure
from enforcement.services.coercion import (
    coercion_propose,
    debtor_search_attempt,
    debtor_search_start,
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


# ---- API ----------------------------------------------------------------------------------------------------------


def test_the_api_proposes_approves_executes_and_releases(api_as, officer, president, ec, person):
    api = api_as(officer)
    url = f"/api/v1/enforcement-cases/{ec.pk}/coercive-measures/"
    response = api.post(
        url,
        {"kind": "detention", "subject": person.pk, "ground": "violence", "facts": "殴打执行人员", "days": 15},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api.post(f"/api/v1/coercive-measures/{pk}/decide/", {"approve": True}, format="json").status_code == 403
    president_api = api_as(president)
    response = president_api.post(f"/api/v1/coercive-measures/{pk}/decide/", {"approve": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved" and response.json()["document_url"]
    api = api_as(officer)
    response = api.post(f"/api/v1/coercive-measures/{pk}/execute/", {"executed_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 200
    assert response.json()["ends_on"] == (TODAY + dt.timedelta(days=14)).isoformat()
    response = api.post(
        f"/api/v1/coercive-measures/{pk}/release/",
        {"released_on": TODAY.isoformat(), "reason": "具结悔过，经院长批准提前解除"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["released_on"] == TODAY.isoformat()
    listed = api.get(url).json()
    assert [m["id"] for m in listed] == [pk]


def test_the_api_refuses_over_the_cap_naming_the_rule(api_as, officer, ec, person):
    response = api_as(officer).post(
        f"/api/v1/enforcement-cases/{ec.pk}/coercive-measures/",
        {"kind": "fine", "subject": person.pk, "ground": "other", "facts": "x", "amount": "100000.01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "coercion.fine_cap"
    assert not CoerciveMeasure.objects.exists()


def test_the_api_debtor_search_happy_path(api_as, officer, ec, person):
    api = api_as(officer)
    url = f"/api/v1/enforcement-cases/{ec.pk}/debtor-searches/"
    response = api.post(url, {"debtor": person.pk, "on": TODAY.isoformat()}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.post(
        f"/api/v1/debtor-searches/{pk}/attempts/",
        {"on": TODAY.isoformat(), "kind": "agency", "where": "派出所", "result": "无登记"},
        format="json",
    )
    assert response.status_code == 201 and len(response.json()["attempts"]) == 1
    response = api.post(
        f"/api/v1/debtor-searches/{pk}/close/",
        {"found": True, "on": TODAY.isoformat(), "result": "已找到"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "found"
    assert [s["id"] for s in api.get(url).json()] == [pk]


def test_the_api_hides_another_courts_records(api_as, officer, other_officer, ec, person):
    measure = propose(officer, ec, person)
    search = debtor_search_start(actor=officer, enforcement_case=ec, debtor=person, on=TODAY)
    debtor_search_attempt(actor=officer, search=search, on=TODAY, kind="other", where="x", result="y")
    api = api_as(other_officer)
    assert api.get(f"/api/v1/enforcement-cases/{ec.pk}/coercive-measures/").status_code == 404
    assert api.get(f"/api/v1/enforcement-cases/{ec.pk}/debtor-searches/").status_code == 404
    response = api.post(f"/api/v1/coercive-measures/{measure.pk}/execute/", {"executed_on": TODAY.isoformat()})
    assert response.status_code == 404
    response = api.post(f"/api/v1/debtor-searches/{search.pk}/close/", {"found": True, "on": TODAY, "result": "x"})
    assert response.status_code == 404
