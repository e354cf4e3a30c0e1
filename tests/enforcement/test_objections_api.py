# ruff: noqa: F811 - the ``ec`` fixture imported from test_objections is a parameter of the tests
"""The objections API (执异/执复): file, rule, serve, reconsideration at the higher court with its one extension,
the objector's withdrawal, and the refusals and court scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from enforcement.models import Objection
from tests.enforcement.builders import TODAY
from tests.enforcement.test_objections import (  # noqa: F401 - the ``ec`` fixture
    ec,
    file_act_objection,
    higher_court_of,
    nothing_written,
    parties,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_happy_path_through_the_api(api_as, court, ec, officer, judge):
    higher = higher_court_of(court)
    creditor, debtor = parties(ec)
    act = ec.status_changes.first()
    api = api_as(officer)
    answer = api.post(
        f"/api/v1/enforcement-cases/{ec.pk}/objections/",
        {"kind": "act", "objector": debtor.pk, "act": act.pk, "grounds": "工资账户", "filed_on": TODAY.isoformat()},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    pk = answer.json()["id"]
    assert answer.json()["review_due_on"] == (TODAY + dt.timedelta(days=15)).isoformat()
    assert answer.json()["case_number"].startswith(f"（{TODAY.year}）京0105执异")

    answer = api_as(judge).post(
        f"/api/v1/objections/{pk}/decide/", {"upheld": False, "on": TODAY.isoformat(), "ruling": "驳回"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "dismissed"
    api = api_as(officer)
    answer = api.post(f"/api/v1/objections/{pk}/serve/", {"served_on": TODAY.isoformat()}, format="json")
    assert answer.json()["reconsideration_window_ends_on"] == (TODAY + dt.timedelta(days=10)).isoformat()
    answer = api.post(
        f"/api/v1/objections/{pk}/reconsideration/",
        {"applicant": debtor.pk, "grounds": "不服", "filed_on": TODAY.isoformat()},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    rec = answer.json()
    assert rec["court"] == higher.pk and rec["decision_due_on"] == (TODAY + dt.timedelta(days=30)).isoformat()

    president = UserFactory(president=True, court=higher, username="president-03")
    answer = api_as(president).post(
        f"/api/v1/reconsiderations/{rec['id']}/extend/", {"reason": "案情复杂"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["decision_due_on"] == (TODAY + dt.timedelta(days=60)).isoformat()
    answer = api_as(president).post(f"/api/v1/reconsiderations/{rec['id']}/extend/", {"reason": "再次"}, format="json")
    assert answer.status_code == 400

    higher_judge = UserFactory(judge=True, court=higher, username="judge-03")
    answer = api_as(higher_judge).post(
        f"/api/v1/reconsiderations/{rec['id']}/decide/",
        {"upheld": False, "on": TODAY.isoformat(), "ruling": "驳回复议申请"},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "dismissed"
    listing = api_as(officer).get(f"/api/v1/enforcement-cases/{ec.pk}/objections/").json()
    assert listing[0]["reconsideration"]["status"] == "dismissed"


def test_the_api_refuses_a_late_objection_and_other_courts(api_as, court, ec, officer, other_officer):
    assert api_as(other_officer).get(f"/api/v1/enforcement-cases/{ec.pk}/objections/").status_code == 404
    creditor, _ = parties(ec)
    with nothing_written():
        answer = api_as(officer).post(
            f"/api/v1/enforcement-cases/{ec.pk}/objections/",
            {"kind": "third_party", "objector": creditor.pk, "asset_id": 1, "grounds": "x",
             "filed_on": TODAY.isoformat()},
            format="json",
        )  # fmt: skip
    assert answer.status_code == 400
    assert not Objection.objects.exists()


def test_the_objector_withdraws_through_the_api_once(api_as, ec, officer):
    creditor, debtor = parties(ec)
    api = api_as(officer)
    answer = api.post(
        f"/api/v1/enforcement-cases/{ec.pk}/objections/",
        {"kind": "act", "objector": debtor.pk, "act_description": "冻结", "grounds": "工资账户",
         "filed_on": TODAY.isoformat()},
        format="json",
    )  # fmt: skip
    pk = answer.json()["id"]
    answer = api.post(
        f"/api/v1/objections/{pk}/withdraw/", {"on": TODAY.isoformat(), "reason": "已和解"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "withdrawn" and answer.json()["decided_on"] == TODAY.isoformat()
    with nothing_written():
        again = api.post(f"/api/v1/objections/{pk}/withdraw/", {"on": TODAY.isoformat(), "reason": "再"}, format="json")
        missing = api.post(f"/api/v1/objections/{pk}/withdraw/", {"on": TODAY.isoformat()}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "objection.not_pending"
    assert missing.status_code == 400


def test_another_court_cannot_withdraw_an_objection(api_as, ec, officer, other_officer):
    objection = file_act_objection(ec, officer)
    with nothing_written():
        answer = api_as(other_officer).post(
            f"/api/v1/objections/{objection.pk}/withdraw/", {"on": TODAY.isoformat(), "reason": "撤回"}, format="json"
        )
    assert answer.status_code == 404
