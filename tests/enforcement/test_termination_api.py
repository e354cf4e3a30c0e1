"""The 终本 and settlement API: the live checklist, proposing (refused with every unmet condition, nothing
written), the approval queue scoped to the court, deciding (self-approval refused), withdrawing, the ruling
download, and settlements that let a case close as 和解结案."""

import datetime as dt
import io

import pytest
from docx import Document

from enforcement.choices import ProposalStatus, Status
from enforcement.models import Settlement, TerminationProposal
from tests.enforcement.builders import TODAY, case_in
from tests.enforcement.termination_builders import (
    install_facts,
    nothing_written,
    proposal_fields,
    ready_case,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(monkeypatch):
    """The facts of the apps to the right (network query, restrictions), controlled by the test."""
    return install_facts(monkeypatch)


CASES = "/api/v1/enforcement-cases/"
PROPOSALS = "/api/v1/termination-proposals/"


def body_of(**overrides) -> dict:
    return {k: (str(v) if isinstance(v, dt.date) else v) for k, v in proposal_fields(**overrides).items()}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    return body


def test_the_checklist_is_evaluated_on_the_day_asked(api_as, officer, court, facts):
    ec = ready_case(court, officer, filing_date=TODAY - dt.timedelta(days=100))
    body = api_as(officer).get(f"{CASES}{ec.pk}/termination-checklist/").json()
    assert body["on"] == str(TODAY) and body["met"] is False
    met = {item["code"]: item["met"] for item in body["items"]}
    assert met["termination.notices"] and met["termination.investigation"] and met["termination.three_months"]
    assert not met["termination.applicant_heard"]
    early = str(TODAY - dt.timedelta(days=20))
    body = api_as(officer).get(f"{CASES}{ec.pk}/termination-checklist/?on={early}").json()
    assert {item["code"]: item["met"] for item in body["items"]}["termination.three_months"] is False
    assert_error(api_as(officer).get(f"{CASES}{ec.pk}/termination-checklist/?on=x"), 400, "termination.invalid")


def test_a_proposal_with_conditions_unmet_is_refused_listing_them_and_nothing_is_written(api_as, officer, court, facts):
    facts.no_query()
    ec = ready_case(court, officer)
    with nothing_written():
        response = api_as(officer).post(
            f"{CASES}{ec.pk}/termination-proposals/", body_of(applicant_opinion=""), format="json"
        )
    body = assert_error(response, 400, "termination.checklist_unmet")
    assert body["extra"]["unmet"] == ["termination.investigation", "termination.applicant_heard"]
    assert len(body["extra"]["checklist"]) == 7


def test_propose_decide_and_download_the_ruling(api_as, officer, division_head, court, facts, media_root):
    ec = ready_case(court, officer)
    response = api_as(officer).post(f"{CASES}{ec.pk}/termination-proposals/", body_of(), format="json")
    assert response.status_code == 201, response.content
    proposal = response.json()
    assert (proposal["status"], proposal["ruling_url"]) == ("pending", None)
    with nothing_written():
        response = api_as(officer).post(f"{PROPOSALS}{proposal['id']}/decide/", {"approve": True}, format="json")
    assert response.status_code == 403
    queue = api_as(division_head).get(f"{PROPOSALS}?status=pending").json()
    assert [row["id"] for row in queue["results"]] == [proposal["id"]]
    response = api_as(division_head).post(f"{PROPOSALS}{proposal['id']}/decide/", {"approve": True}, format="json")
    assert response.status_code == 200, response.content
    decided = response.json()
    assert (decided["status"], decided["follow_up"]) == ("approved", "restore_when_property")
    response = api_as(officer).get(decided["ruling_url"])
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert "终结本次执行程序" in text or "本次执行程序" in text
    ec.refresh_from_db()
    assert ec.status == Status.CLOSED


def test_self_approval_over_rest_is_refused_and_nothing_is_written(api_as, court, facts):
    head = UserFactory(division_head=True, court=court, username="head-self")
    ec = ready_case(court, head)
    proposal = api_as(head).post(f"{CASES}{ec.pk}/termination-proposals/", body_of(), format="json").json()
    with nothing_written():
        response = api_as(head).post(f"{PROPOSALS}{proposal['id']}/decide/", {"approve": True}, format="json")
    assert_error(response, 400, "termination.self_approval")


def test_a_refusal_without_a_note_is_refused(api_as, officer, division_head, court, facts):
    ec = ready_case(court, officer)
    proposal = api_as(officer).post(f"{CASES}{ec.pk}/termination-proposals/", body_of(), format="json").json()
    with nothing_written():
        response = api_as(division_head).post(f"{PROPOSALS}{proposal['id']}/decide/", {"approve": False}, format="json")
    assert_error(response, 400, "termination.invalid")
    response = api_as(division_head).post(
        f"{PROPOSALS}{proposal['id']}/decide/", {"approve": False, "note": "补充实地调查"}, format="json"
    )
    assert response.json()["status"] == "refused"


def test_the_proposer_withdraws_over_rest(api_as, officer, court, facts):
    ec = ready_case(court, officer)
    proposal = api_as(officer).post(f"{CASES}{ec.pk}/termination-proposals/", body_of(), format="json").json()
    response = api_as(officer).post(f"{PROPOSALS}{proposal['id']}/withdraw/", format="json")
    assert response.json()["status"] == ProposalStatus.WITHDRAWN


def test_proposals_of_another_court_are_not_found(api_as, officer, other_officer, court, facts):
    ec = ready_case(court, officer)
    proposal = api_as(officer).post(f"{CASES}{ec.pk}/termination-proposals/", body_of(), format="json").json()
    client = api_as(other_officer)
    assert client.get(PROPOSALS).json()["results"] == []
    assert client.post(f"{PROPOSALS}{proposal['id']}/withdraw/").status_code == 404
    assert client.get(f"{PROPOSALS}{proposal['id']}/ruling/").status_code == 404
    assert client.get(f"{CASES}{ec.pk}/termination-checklist/").status_code == 404
    assert TerminationProposal.objects.get().status == ProposalStatus.PENDING


def test_settlements_over_rest_then_close_as_settled(api_as, officer, court):
    ec = case_in(Status.INVESTIGATING, court)
    client = api_as(officer)
    response = client.post(
        f"{CASES}{ec.pk}/settlements/",
        {"agreed_on": str(TODAY - dt.timedelta(days=2)), "terms": "分期付款", "amount": "50000.00"},
        format="json",
    )
    assert response.status_code == 201, response.content
    settlement = response.json()
    with nothing_written():
        response = client.post(f"{CASES}{ec.pk}/close/", {"kind": "settled", "reason": "和解", "on": str(TODAY)})
    assert_error(response, 400, "closing.settlement_not_performed")
    response = client.post(f"/api/v1/settlements/{settlement['id']}/performed/", {"on": str(TODAY)}, format="json")
    assert response.json()["performed_on"] == str(TODAY)
    body = client.post(f"{CASES}{ec.pk}/close/", {"kind": "settled", "reason": "和解", "on": str(TODAY)}).json()
    assert body["closing_kind"] == "settled"
    with nothing_written():
        response = client.post(f"{CASES}{ec.pk}/settlements/", {"agreed_on": "2020-01-01", "terms": ""})
    assert response.status_code == 400
    assert Settlement.objects.count() == 1
