# ruff: noqa: F811 - the ``ec`` fixture imported from test_objections is a parameter of the tests
"""The objections panel on the enforcement case page (执异/执复): the deadlines (review due in red when overdue,
served, the reconsideration window, the reconsideration due), the actions (file, rule, withdraw, serve, reconsideration)
posted back to the panel, a refusal answered with the panel and its message writing nothing, 404 for another
court."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from enforcement.choices import ObjectionStatus
from enforcement.models import Objection, Reconsideration
from tests.enforcement.builders import TODAY
from tests.enforcement.test_objections import (  # noqa: F401 - the ``ec`` fixture
    ec,
    file_act_objection,
    higher_court_of,
    nothing_written,
    parties,
    served_ruling,
)

pytestmark = pytest.mark.django_db


def panel(ec) -> str:
    return reverse("enforcement:case-objections", args=[ec.pk])


def test_the_panel_renders_for_the_officer_with_the_review_due_date(client_as, ec, officer):
    objection = file_act_objection(ec, officer, filed_on=TODAY - dt.timedelta(days=3))
    page = client_as(officer).get(panel(ec))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="case-objections"' in html
    assert objection.case.number in html
    assert objection.review_due_on.isoformat() in html
    assert "Overdue" not in html
    assert "File the objection" in html


def test_an_objection_past_its_15_days_shows_overdue_in_red(client_as, ec, officer):
    file_act_objection(ec, officer, filed_on=TODAY - dt.timedelta(days=16))
    html = client_as(officer).get(panel(ec)).content.decode()
    assert "text-danger" in html and "Overdue" in html


def test_the_panel_is_not_found_for_another_court(client_as, ec, other_officer):
    assert client_as(other_officer).get(panel(ec)).status_code == 404


def test_the_officer_files_an_act_objection_from_the_panel(client_as, ec, officer):
    creditor, debtor = parties(ec)
    act = ec.status_changes.first()
    page = client_as(officer).post(
        panel(ec),
        {"action": "file", "kind": "act", "objector": debtor.pk, "act": act.pk, "grounds": "工资账户",
         "filed_on": TODAY.isoformat()},
    )  # fmt: skip
    assert page.status_code == 200, page.content.decode()[:500]
    objection = Objection.objects.get()
    assert objection.objector == debtor and objection.act == act


def test_an_outsider_is_registered_and_files_from_the_panel(client_as, ec, officer):
    from tests.factories import _person_id

    page = client_as(officer).post(
        panel(ec),
        {"action": "file", "kind": "act", "outsider_name": "王利害", "outsider_kind": "person",
         "outsider_id_number": _person_id(4242), "act_description": "评估", "grounds": "利害关系",
         "filed_on": TODAY.isoformat()},
    )  # fmt: skip
    assert page.status_code == 200, page.content.decode()[:800]
    assert Objection.objects.get().objector.name == "王利害"


def test_a_refused_filing_answers_400_with_the_panel_and_writes_nothing(client_as, ec, officer):
    creditor, debtor = parties(ec)
    with nothing_written():
        page = client_as(officer).post(
            panel(ec),
            {"action": "file", "kind": "third_party", "objector": creditor.pk, "asset_id": 1, "grounds": "x",
             "filed_on": TODAY.isoformat()},
        )  # fmt: skip
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="case-objections"' in html and "art. 236" in html


def test_the_judge_rules_the_officer_serves_and_records_the_reconsideration(client_as, court, ec, officer, judge):
    higher_court_of(court)
    objection = file_act_objection(ec, officer)
    page = client_as(judge).post(
        panel(ec),
        {"action": "decide", "objection": objection.pk, "upheld": "0", "on": TODAY.isoformat(), "ruling": "驳回"},
    )
    assert page.status_code == 200
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    client = client_as(officer)
    page = client.post(panel(ec), {"action": "serve", "objection": objection.pk, "served_on": TODAY.isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert (TODAY + dt.timedelta(days=10)).isoformat() in html  # the window's end
    assert "Record the application for reconsideration" in html
    page = client.post(
        panel(ec),
        {"action": "reconsider", "objection": objection.pk, "applicant": parties(ec)[1].pk, "grounds": "不服",
         "filed_on": TODAY.isoformat()},
    )  # fmt: skip
    assert page.status_code == 200
    rec = Reconsideration.objects.get()
    assert (TODAY + dt.timedelta(days=30)).isoformat() in page.content.decode()
    assert rec.court == court.parent


def test_a_late_reconsideration_is_refused_on_the_panel(client_as, court, ec, officer, judge):
    higher_court_of(court)
    day = TODAY - dt.timedelta(days=12)
    objection = served_ruling(ec, officer, judge, filed_on=day, decided_on=day, served_on=day)
    with nothing_written():
        page = client_as(officer).post(
            panel(ec),
            {"action": "reconsider", "objection": objection.pk, "applicant": parties(ec)[1].pk, "grounds": "不服",
             "filed_on": TODAY.isoformat()},
        )  # fmt: skip
    assert page.status_code == 400
    assert "10 days" in page.content.decode()


def test_the_officer_records_the_withdrawal_from_the_panel_and_the_forms_go(client_as, ec, officer):
    objection = file_act_objection(ec, officer)
    client = client_as(officer)
    assert "Withdraw the objection" in client.get(panel(ec)).content.decode()
    page = client.post(
        panel(ec), {"action": "withdraw", "objection": objection.pk, "on": TODAY.isoformat(), "reason": "已和解"}
    )
    assert page.status_code == 200, page.content.decode()[:500]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.WITHDRAWN and objection.ruling == "已和解"
    html = page.content.decode()
    assert "Withdrawn" in html
    assert "Withdraw the objection" not in html and "Record the service of the ruling" not in html


def test_a_withdrawal_without_a_reason_or_of_a_ruled_objection_answers_400_and_writes_nothing(
    client_as, ec, officer, judge
):
    objection = file_act_objection(ec, officer)
    client = client_as(officer)
    with nothing_written():
        page = client.post(panel(ec), {"action": "withdraw", "objection": objection.pk, "on": TODAY.isoformat()})
    assert page.status_code == 400 and 'id="case-objections"' in page.content.decode()
    served_ruling(ec, officer, judge, filed_on=TODAY, decided_on=TODAY, served_on=TODAY)
    ruled = Objection.objects.exclude(pk=objection.pk).get()
    with nothing_written():
        page = client.post(
            panel(ec), {"action": "withdraw", "objection": ruled.pk, "on": TODAY.isoformat(), "reason": "撤回"}
        )
    assert page.status_code == 400
    assert "Only a pending objection can be withdrawn." in page.content.decode()
