"""The on-site tasks and risk notes API (/api/v1/onsite-tasks/, /api/v1/risk-notes/): scoped to the user's court,
each refusal a 4xx whose code names the rule, with nothing written."""

import datetime as dt

import pytest
from django.utils import timezone

from command.models import OnSiteTask, RiskNote
from command.services import plan_onsite_task, record_risk_note
from core.models import AuditLog
from enforcement.choices import Status
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
TASKS, NOTES = "/api/v1/onsite-tasks/", "/api/v1/risk-notes/"


@pytest.fixture
def api_world():
    court, other = CourtFactory(chaoyang=True), CourtFactory(haidian=True)
    officer = UserFactory(officer=True, court=court, username="li")
    stranger = UserFactory(officer=True, court=other, username="zhou")
    debtor = PartyFactory(name="孙某某")
    ec = case_in(Status.INVESTIGATING, court, officer=officer, debtors=[debtor])
    elsewhere = case_in(Status.INVESTIGATING, other, officer=stranger)
    return officer, stranger, debtor, ec, elsewhere


def later(hours: int) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def test_an_officer_plans_lists_and_completes_a_task(api_as, api_world):
    officer, stranger, debtor, ec, elsewhere = api_world
    api = api_as(officer)
    record_risk_note(actor=officer, enforcement_case=ec, party=debtor, kind="dog")
    created = api.post(
        TASKS,
        {"case": ec.pk, "purpose": "search", "address": "某地", "scheduled_at": later(5), "officers": [officer.pk]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["case_number"], body["status"], [o["username"] for o in body["officers"]]) == (
        ec.case.number, "planned", ["li"]
    )  # fmt: skip
    assert [r["kind"] for r in body["risks"]] == ["dog"]
    listed = api.get(TASKS, {"status": "planned"}).json()
    assert [t["id"] for t in listed["results"]] == [body["id"]]
    done = api.post(f"{TASKS}{body['id']}/complete/", {"outcome": "absent", "outcome_notes": "无人"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["outcome"] == "absent"
    again = api.post(f"{TASKS}{body['id']}/cancel/", {"reason": "x"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "onsite.already_done"


def test_a_refused_plan_names_the_rule_and_writes_nothing(api_as, api_world):
    officer, stranger, debtor, ec, elsewhere = api_world
    audits = AuditLog.objects.count()
    past = api_as(officer).post(
        TASKS,
        {"case": ec.pk, "purpose": "search", "address": "某地", "scheduled_at": later(-5), "officers": [officer.pk]},
        format="json",
    )
    assert past.status_code == 400 and past.json()["code"] == "onsite.in_the_past"
    foreign = api_as(officer).post(
        TASKS,
        {"case": ec.pk, "purpose": "search", "address": "某地", "scheduled_at": later(5), "officers": [stranger.pk]},
        format="json",
    )
    assert foreign.status_code == 400 and foreign.json()["code"] == "onsite.officer_court"
    assert "active officers of the case's court" in foreign.json()["message"]
    other_case = api_as(officer).post(
        TASKS,
        {
            "case": elsewhere.pk,
            "purpose": "search",
            "address": "某地",
            "scheduled_at": later(5),
            "officers": [officer.pk],
        },
        format="json",
    )
    assert other_case.status_code == 404
    assert not OnSiteTask.objects.exists() and AuditLog.objects.count() == audits


def test_each_court_sees_only_its_own_tasks(api_as, api_world):
    officer, stranger, debtor, ec, elsewhere = api_world
    mine = plan_onsite_task(
        actor=officer, enforcement_case=ec, purpose="search", address="某地",
        scheduled_at=timezone.now() + dt.timedelta(hours=5), officers=[officer],
    )  # fmt: skip
    assert api_as(stranger).get(TASKS).json()["results"] == []
    assert api_as(stranger).post(f"{TASKS}{mine.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    head = UserFactory(president=True, court=ec.case.court, username="president")
    assert [t["id"] for t in api_as(head).get(TASKS).json()["results"]] == [mine.pk]  # reads with command.division
    refused = api_as(head).post(f"{TASKS}{mine.pk}/cancel/", {"reason": "x"}, format="json")
    assert refused.status_code == 403


def test_risk_notes_are_recorded_listed_and_withdrawn(api_as, api_world):
    officer, stranger, debtor, ec, elsewhere = api_world
    api = api_as(officer)
    created = api.post(NOTES, {"case": ec.pk, "party": debtor.pk, "kind": "violence", "note": "曾持械"}, format="json")
    assert created.status_code == 201 and created.json()["active"] is True
    stranger_party = api.post(NOTES, {"case": ec.pk, "party": PartyFactory().pk, "kind": "dog"}, format="json")
    assert stranger_party.status_code == 400 and stranger_party.json()["code"] == "risk.not_a_party"
    assert [n["party_name"] for n in api.get(NOTES, {"case": ec.pk, "active": "true"}).json()["results"]] == ["孙某某"]
    assert api_as(stranger).get(NOTES).json()["results"] == []  # the debtor has no case at 京0108
    api = api_as(officer)  # the one client, signed in as the officer again
    note_id = created.json()["id"]
    blank = api.post(f"{NOTES}{note_id}/withdraw/", {"reason": ""}, format="json")
    assert blank.status_code == 400 and blank.json()["code"] == "risk.invalid"
    done = api.post(f"{NOTES}{note_id}/withdraw/", {"reason": "已搬离"}, format="json")
    assert done.status_code == 200 and done.json()["active"] is False
    assert RiskNote.objects.get().withdrawn_at is not None


def test_anonymous_users_and_clerks_are_refused(api_client, api_as, api_world):
    officer, stranger, debtor, ec, elsewhere = api_world
    assert api_client.get(TASKS).status_code in (401, 403)
    clerk = UserFactory(clerk=True, court=ec.case.court, username="clerk")
    assert api_as(clerk).get(NOTES).status_code == 403
