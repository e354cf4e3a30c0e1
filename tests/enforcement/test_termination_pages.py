"""The 终本 pages: the panel on the case page (checklist ✓/✗, the propose form, the approval by a division head
who did not propose, the ruling download), settlements, the close form (grounds, no 终本), the approval queue
and the court's list of 终本 cases (filters, export), and who may see what."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from enforcement.choices import ClosingKind, FollowUp, ProposalStatus, Status
from enforcement.models import Settlement, TerminationProposal
from enforcement.services import termination_decide, termination_propose
from tests.enforcement.builders import TODAY, case_in
from tests.enforcement.termination_builders import (
    install_facts,
    nothing_written,
    proposal_fields,
    ready_case,
)
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(monkeypatch):
    """The facts of the apps to the right (network query, restrictions), controlled by the test."""
    return install_facts(monkeypatch)


def page(ec) -> str:
    return f"/enforcement/{ec.pk}/"


def form_of(**overrides) -> dict:
    data = {}
    for key, value in proposal_fields(**overrides).items():
        if value is True:
            data[key] = "on"
        elif value is False or value is None:
            continue
        else:
            data[key] = str(value)
    return data


def test_the_case_page_shows_the_checklist_and_the_propose_form(client_as, officer, court, facts):
    ec = ready_case(court, officer)
    response = client_as(officer).get(page(ec))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="termination-checklist"' in html
    assert "✓" in html and "✗" in html  # notices met; applicant not heard yet
    assert "Propose 终本" in html
    assert "To terminate this round (终本), use the 终本 proposal" in html
    assert 'value="terminated_this_round"' not in html.split('id="action-close"')[-1].split("</details>")[0]


def test_an_officer_proposes_on_the_page_and_a_refusal_shows_the_rule(client_as, officer, court, facts):
    ec = ready_case(court, officer)
    with nothing_written():
        response = client_as(officer).post(f"/enforcement/{ec.pk}/termination/", form_of(applicant_signed=False))
    assert response.status_code == 400
    assert "name the collegial panel that decided" in response.content.decode()
    response = client_as(officer).post(f"/enforcement/{ec.pk}/termination/", form_of())
    assert response.status_code == 302
    assert TerminationProposal.objects.get().status == ProposalStatus.PENDING
    html = client_as(officer).get(page(ec)).content.decode()
    assert "You proposed it: a division head other than you approves it" in html
    assert "Withdraw the proposal" in html


def test_a_division_head_approves_from_the_queue_and_the_ruling_downloads(
    client_as, officer, division_head, court, facts, media_root
):
    ec = ready_case(court, officer)
    termination_propose(actor=officer, enforcement_case=ec, **proposal_fields())
    client = client_as(division_head)
    response = client.get("/enforcement/terminations/")
    assert response.status_code == 200
    assert ec.case.number in response.content.decode()
    response = client.post(
        f"/enforcement/{ec.pk}/termination/decide/",
        {"decision": "approve", "note": "", "next": "/enforcement/terminations/"},
    )
    assert response.status_code == 302 and response["Location"] == "/enforcement/terminations/"
    proposal = TerminationProposal.objects.get()
    assert proposal.status == ProposalStatus.APPROVED
    html = client.get(page(ec)).content.decode()
    assert proposal.ruling_number in html and "Download the ruling (.docx)" in html
    assert "Track the debtor; restore when property appears" in html
    response = client.get(f"/enforcement/terminations/{proposal.pk}/ruling/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_the_queue_is_for_division_heads_and_the_proposer_cannot_decide(client_as, officer, court, facts):
    assert client_as(officer).get("/enforcement/terminations/").status_code == 403
    head = UserFactory(division_head=True, court=court, username="head-own")
    ec = ready_case(court, head)
    termination_propose(actor=head, enforcement_case=ec, **proposal_fields())
    html = client_as(head).get("/enforcement/terminations/").content.decode()
    assert "Your own proposal: another division head decides." in html
    with nothing_written():
        response = client_as(head).post(f"/enforcement/{ec.pk}/termination/decide/", {"decision": "approve"})
    assert response.status_code == 400
    assert "approved by someone other than the one who proposed it" in response.content.decode()


def test_a_refusal_on_the_page_needs_a_note(client_as, officer, division_head, court, facts):
    ec = ready_case(court, officer)
    termination_propose(actor=officer, enforcement_case=ec, **proposal_fields())
    with nothing_written():
        response = client_as(division_head).post(f"/enforcement/{ec.pk}/termination/decide/", {"decision": "refuse"})
    assert response.status_code == 400
    response = client_as(division_head).post(
        f"/enforcement/{ec.pk}/termination/decide/", {"decision": "refuse", "note": "补充调查"}
    )
    assert response.status_code == 302
    assert TerminationProposal.objects.get().status == ProposalStatus.REFUSED


def test_the_proposer_withdraws_on_the_page(client_as, officer, court, facts):
    ec = ready_case(court, officer)
    termination_propose(actor=officer, enforcement_case=ec, **proposal_fields())
    assert client_as(officer).post(f"/enforcement/{ec.pk}/termination/withdraw/").status_code == 302
    assert TerminationProposal.objects.get().status == ProposalStatus.WITHDRAWN


def test_settlements_on_the_page_then_close_as_settled_with_the_form(client_as, officer, court):
    ec = case_in(Status.INVESTIGATING, court, officer=officer)
    client = client_as(officer)
    response = client.post(
        f"/enforcement/{ec.pk}/settlements/",
        {"agreed_on": str(TODAY - dt.timedelta(days=1)), "terms": "分两期付清", "amount": "50000"},
    )
    assert response.status_code == 302
    settlement = Settlement.objects.get()
    assert "Record as performed" in client.get(page(ec)).content.decode()
    response = client.post(
        f"/enforcement/{ec.pk}/settlements/performed/", {"settlement": settlement.pk, "on": str(TODAY)}
    )
    assert response.status_code == 302
    response = client.post(
        f"/enforcement/{ec.pk}/close/", {"kind": "settled", "reason": "和解履行完毕", "on": str(TODAY), "ground": ""}
    )
    assert response.status_code == 302
    ec.refresh_from_db()
    assert ec.closing_kind == ClosingKind.SETTLED


def test_the_close_form_takes_a_ground_and_refuses_without_it(client_as, officer, court):
    ec = case_in(Status.INVESTIGATING, court, officer=officer, debtors=[PartyFactory()])
    client = client_as(officer)
    with nothing_written():
        response = client.post(
            f"/enforcement/{ec.pk}/close/", {"kind": "terminated", "reason": "死亡", "on": str(TODAY)}
        )
    assert response.status_code == 400
    assert "Choose the ground on which enforcement is terminated" in response.content.decode()
    response = client.post(
        f"/enforcement/{ec.pk}/close/",
        {"kind": "terminated", "reason": "死亡", "on": str(TODAY), "ground": "debtor_died_no_estate"},
    )
    assert response.status_code == 302


def test_the_terminated_list_filters_sorts_and_exports(client_as, officer, division_head, court, facts, media_root):
    company = PartyFactory(organisation=True, name="北京某某有限公司")
    case_in(Status.CLOSED, court, debtors=[company], closing_kind=ClosingKind.TERMINATED_THIS_ROUND)
    ec = ready_case(court, officer, debtors=[company])
    proposal = termination_propose(actor=officer, enforcement_case=ec, **proposal_fields())
    termination_decide(actor=division_head, proposal=proposal, approve=True)
    client = client_as(officer)
    response = client.get("/enforcement/terminated/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ec.case.number in html and "Consider transfer to bankruptcy" in html
    response = client.get(f"/enforcement/terminated/?follow_up={FollowUp.RESTORE_WHEN_PROPERTY}")
    assert ec.case.number not in response.content.decode()
    response = client.get("/enforcement/terminated/?ordering=-outstanding")
    assert response.status_code == 200
    response = client_as(division_head).get("/enforcement/terminated/?export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][0] == "Case number"


def test_pages_of_another_court_are_not_found(
    client_as, officer, other_officer, division_head, court, facts, media_root
):
    ec = ready_case(court, officer)
    proposal = termination_propose(actor=officer, enforcement_case=ec, **proposal_fields())
    client = client_as(other_officer)
    assert client.get(f"/enforcement/terminations/{proposal.pk}/ruling/").status_code == 404
    with nothing_written():
        assert client.post(f"/enforcement/{ec.pk}/termination/withdraw/").status_code == 404
    assert ec.case.number not in client.get("/enforcement/terminated/").content.decode()
    clerk = UserFactory(clerk=True, court=court, username="clerk-p")
    with nothing_written():
        assert client_as(clerk).post(f"/enforcement/{ec.pk}/termination/", form_of()).status_code == 403
