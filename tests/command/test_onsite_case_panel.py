"""The on-site panel of a case (command:case-onsite), loaded by htmx into the case page: its tasks with the debtors'
risks, planning, recording and withdrawing risks from it, and nothing of another court or case."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from command.models import OnSiteTask, RiskNote
from command.services import plan_onsite_task, record_risk_note
from enforcement.choices import Status
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def panel():
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="li")
    debtor = PartyFactory(name="孙某某", address="北京市朝阳区某小区3号楼")
    ec = case_in(Status.INVESTIGATING, court, officer=officer, debtors=[debtor])
    return court, officer, debtor, ec, reverse("command:case-onsite", args=[ec.pk])


def when(hours: int) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_the_panel_is_a_fragment_with_the_tasks_and_the_debtors_risks(client_as, panel):
    court, officer, debtor, ec, url = panel
    record_risk_note(actor=officer, enforcement_case=ec, party=debtor, kind="violence", note="曾持械威胁")
    task = plan_onsite_task(
        actor=officer, enforcement_case=ec, purpose="search", address="某地",
        scheduled_at=timezone.now() + dt.timedelta(hours=5), officers=[officer],
    )  # fmt: skip
    response = client_as(officer).get(url, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="case-onsite"' in html
    assert f'id="task-{task.pk}"' in html and 'data-risk="violence"' in html
    assert response.context["plan_form"]["address"].value() == "北京市朝阳区某小区3号楼"  # the debtor's address
    assert "<html" in client_as(officer).get(url).content.decode()  # opened directly: a page of its own


def test_planning_from_the_panel_swaps_the_panel_back(client_as, panel):
    court, officer, debtor, ec, url = panel
    data = {
        "action": "plan",
        "prefix": "caseplan",
        "caseplan-purpose": "service",
        "caseplan-address": "北京市朝阳区某小区3号楼",
        "caseplan-scheduled_at": when(24),
        "caseplan-officers": [officer.pk],
    }
    response = client_as(officer).post(url, data, **HTMX)
    assert response.status_code == 200 and 'id="case-onsite"' in response.content.decode()
    assert OnSiteTask.objects.get().case == ec
    refused = client_as(officer).post(url, {**data, "caseplan-scheduled_at": when(-24)}, **HTMX)
    assert refused.status_code == 400 and "planned for a time to come" in refused.content.decode()
    assert OnSiteTask.objects.count() == 1


def test_a_risk_is_recorded_and_withdrawn_from_the_panel(client_as, panel):
    court, officer, debtor, ec, url = panel
    client = client_as(officer)
    response = client.post(
        url,
        {"action": "risk", "prefix": "caserisk", "caserisk-party": debtor.pk, "caserisk-kind": "dog",
         "caserisk-note": "两条大型犬"},
        **HTMX,
    )  # fmt: skip
    assert response.status_code == 200 and 'data-risk="dog"' in response.content.decode()
    note = RiskNote.objects.get()
    response = client.post(
        url,
        {"action": "withdraw", "risk_note": note.pk, "prefix": f"cw{note.pk}", f"cw{note.pk}-reason": "犬已送走"},
        **HTMX,
    )
    assert response.status_code == 200 and 'data-risk="dog"' not in response.content.decode()
    note.refresh_from_db()
    assert note.withdrawn_at is not None


def test_a_task_of_another_case_cannot_be_reached_through_this_panel(client_as, panel):
    court, officer, debtor, ec, url = panel
    another = case_in(Status.INVESTIGATING, court, officer=officer)
    task = plan_onsite_task(
        actor=officer, enforcement_case=another, purpose="search", address="某地",
        scheduled_at=timezone.now() + dt.timedelta(hours=5), officers=[officer],
    )  # fmt: skip
    response = client_as(officer).post(
        url, {"action": "cancel", "task": task.pk, "prefix": f"cancel{task.pk}", f"cancel{task.pk}-reason": "x"}, **HTMX
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == "planned"


def test_another_court_gets_not_found_and_a_clerk_is_refused(client_as, panel):
    court, officer, debtor, ec, url = panel
    stranger = UserFactory(officer=True, court=CourtFactory(haidian=True), username="zhou")
    assert client_as(stranger).get(url, **HTMX).status_code == 404
    assert client_as(UserFactory(clerk=True, court=court, username="clerk")).get(url, **HTMX).status_code == 403
    president = UserFactory(president=True, court=court, username="president")
    response = client_as(president).get(url, **HTMX)
    assert response.status_code == 200 and "caseplan-purpose" not in response.content.decode()  # reads, no forms
    assert client_as(president).post(url, {"action": "risk"}, **HTMX).status_code == 403
