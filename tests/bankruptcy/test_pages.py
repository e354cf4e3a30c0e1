"""The bankruptcy pages through the Django test client: the 执转破 screening list, proposing a transfer, the
transfer's page (consents, ruling, the receiving court's decision), the bankruptcy case's page and the debtor's
page across courts — each for the roles and courts that may see it, a refusal shown on the form with nothing
written, and the whole path from the proposal to the declaration."""

import datetime as dt
from decimal import Decimal

import pytest

from bankruptcy.choices import BankruptcyStatus, SuggestionStatus, TransferStatus
from bankruptcy.models import BankruptcyCase, Consent, Suggestion, Transfer
from bankruptcy.services import consent_record, transfer_decide, transfer_propose, transfer_rule
from cases.choices import PartyRole
from enforcement.choices import ClosingKind, Status
from tests.bankruptcy.builders import TODAY, company_in_three_courts
from tests.factories import CourtFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return company_in_three_courts()


@pytest.fixture
def users(world):
    return users_of(world)


def applicant_of(ec):
    return ec.case.party_links.get(role=PartyRole.CREDITOR).party


def proposed(world):
    return transfer_propose(
        actor=world.officer, debtor=world.company, receiving_court=world.chaoyang, grounds="资不抵债", on=TODAY
    )


def transferred(world):
    transfer = proposed(world)
    consent_record(
        actor=world.officer, transfer=transfer, party=applicant_of(world.cases["haidian"]), consents=True,
        answered_on=TODAY,
    )  # fmt: skip
    return transfer_rule(actor=world.head, transfer=transfer, on=TODAY)


def accepted(world, capture):
    transfer = transferred(world)
    with capture(execute=True):
        transfer_decide(actor=world.judge, transfer=transfer, accept=True, on=TODAY)
    return BankruptcyCase.objects.get(debtor=world.company)


def a_suggestion(world, *courts):
    suggestion = Suggestion.objects.create(debtor=world.company, score=80, reasons=["3 个终本案件"])
    suggestion.courts.set(courts)
    return suggestion


# ---- the screening list -------------------------------------------------------------------------------------------


def test_the_screening_list_shows_the_courts_open_suggestions_with_their_reasons(client_as, world, users):
    a_suggestion(world, world.haidian)
    page = client_as(world.officer).get("/bankruptcy/")
    assert page.status_code == 200
    body = page.content.decode()
    assert world.company.name in body and "3 个终本案件" in body
    assert f"/bankruptcy/transfers/new/?debtor={world.company.pk}" in body


def test_another_courts_suggestion_is_not_on_the_list(client_as, world, users):
    a_suggestion(world, world.haidian)
    body = client_as(users["officer-pd"]).get("/bankruptcy/").content.decode()
    assert world.company.name not in body


def test_the_list_shows_a_transfer_received_with_its_deadline_and_flags_it_overdue(client_as, world):
    transfer = transferred(world)
    Transfer.objects.filter(pk=transfer.pk).update(decision_due_on=TODAY - dt.timedelta(days=1))
    page = client_as(world.judge).get("/bankruptcy/")
    body = page.content.decode()
    assert page.status_code == 200
    assert f"/bankruptcy/transfers/{transfer.pk}/" in body
    assert (TODAY - dt.timedelta(days=1)).isoformat() in body and "table-danger" in body


def test_a_division_head_refreshes_the_screening_but_an_officer_may_not(client_as, world, users):
    assert client_as(world.officer).post("/bankruptcy/refresh/").status_code == 403
    response = client_as(world.head).post("/bankruptcy/refresh/")
    assert response.status_code == 302 and response.url == "/bankruptcy/"


def test_a_dismissal_without_a_reason_is_refused_on_the_form_and_nothing_changes(client_as, world):
    suggestion = a_suggestion(world, world.haidian)
    response = client_as(world.officer).post(f"/bankruptcy/suggestions/{suggestion.pk}/dismiss/", {"note": ""})
    assert response.status_code == 400
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


def test_the_officer_dismisses_a_suggestion_with_a_note(client_as, world):
    suggestion = a_suggestion(world, world.haidian)
    response = client_as(world.officer).post(
        f"/bankruptcy/suggestions/{suggestion.pk}/dismiss/", {"note": "债务人正在履行和解协议"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.note) == (SuggestionStatus.DISMISSED, "债务人正在履行和解协议")


def test_another_court_cannot_dismiss_a_suggestion_it_does_not_see(client_as, world, users):
    suggestion = a_suggestion(world, world.haidian)
    response = client_as(users["officer-pd"]).post(f"/bankruptcy/suggestions/{suggestion.pk}/dismiss/", {"note": "x"})
    assert response.status_code == 404


# ---- proposing -------------------------------------------------------------------------------------------------------


def test_the_propose_form_offers_only_the_debtors_domicile_court(client_as, world):
    page = client_as(world.officer).get(f"/bankruptcy/transfers/new/?debtor={world.company.pk}")
    assert page.status_code == 200
    choices = list(page.context["form"].fields["receiving_court"].queryset)
    assert choices == [world.chaoyang]


def test_the_propose_form_is_404_to_a_court_with_no_case_against_the_debtor_and_403_to_a_clerk(client_as, world):
    stranger = UserFactory(officer=True, court=CourtFactory(code="沪0104", region_code="310104"), username="o-xh")
    assert client_as(stranger).get(f"/bankruptcy/transfers/new/?debtor={world.company.pk}").status_code == 404
    clerk = UserFactory(clerk=True, court=world.haidian, username="clerk-hd")
    assert client_as(clerk).get(f"/bankruptcy/transfers/new/?debtor={world.company.pk}").status_code == 403


def test_a_second_proposal_while_one_is_live_is_refused_on_the_form(client_as, world):
    proposed(world)
    response = client_as(world.officer).post(
        f"/bankruptcy/transfers/new/?debtor={world.company.pk}",
        {"receiving_court": world.chaoyang.pk, "grounds": "再次", "on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert "already under way" in response.content.decode()
    assert Transfer.objects.count() == 1


# ---- the transfer ---------------------------------------------------------------------------------------------------


def test_the_transfer_page_is_seen_by_both_courts_and_404_to_a_third(client_as, world, users):
    transfer = proposed(world)
    url = f"/bankruptcy/transfers/{transfer.pk}/"
    page = client_as(world.officer).get(url)
    assert page.status_code == 200
    assert f"/bankruptcy/transfers/{transfer.pk}/notice/" in page.content.decode()
    assert page.context["can_consent"] and not page.context["can_decide"]
    assert client_as(world.judge).get(url).status_code == 200
    assert client_as(users["officer-pd"]).get(url).status_code == 404


def test_the_notice_downloads_as_a_docx(client_as, world):
    transfer = proposed(world)
    response = client_as(world.officer).get(f"/bankruptcy/transfers/{transfer.pk}/notice/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_ruling_without_a_consent_shows_the_no_consent_refusal_and_nothing_is_written(client_as, world):
    transfer = proposed(world)
    response = client_as(world.head).post(f"/bankruptcy/transfers/{transfer.pk}/rule/", {"on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "No consent" in response.content.decode()
    assert response.context["rule_form"].non_field_errors()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.NOTIFYING and transfer.transferred_on is None
    world.cases["haidian"].refresh_from_db()
    assert world.cases["haidian"].status == Status.CONTROLLING


def test_an_officer_cannot_rule_and_a_head_of_another_court_finds_nothing(client_as, world, users):
    transfer = proposed(world)
    url = f"/bankruptcy/transfers/{transfer.pk}/rule/"
    assert client_as(world.officer).post(url, {"on": TODAY.isoformat()}).status_code == 403
    assert client_as(users["head-pd"]).post(url, {"on": TODAY.isoformat()}).status_code == 404


def test_a_consent_from_someone_not_a_party_of_the_cases_is_refused_on_the_form(client_as, world):
    transfer = proposed(world)
    outsider = applicant_of(world.cases["pudong"])
    response = client_as(world.officer).post(
        f"/bankruptcy/transfers/{transfer.pk}/consent/",
        {"party": outsider.pk, "consents": "yes", "answered_on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert not Consent.objects.exists()


def test_only_the_receiving_courts_judge_sees_the_decision_form(client_as, world):
    transfer = transferred(world)
    url = f"/bankruptcy/transfers/{transfer.pk}/"
    assert client_as(world.judge).get(url).context["can_decide"]
    assert not client_as(world.head).get(url).context["can_decide"]
    response = client_as(world.head).post(f"{url}decide/", {"decision": "accept", "on": TODAY.isoformat()})
    assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.TRANSFERRED


def test_a_refusal_without_reasons_is_refused_on_the_form(client_as, world):
    transfer = transferred(world)
    response = client_as(world.judge).post(
        f"/bankruptcy/transfers/{transfer.pk}/decide/", {"decision": "refuse", "on": TODAY.isoformat(), "reason": ""}
    )
    assert response.status_code == 400
    assert response.context["decide_form"].errors["reason"]
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.TRANSFERRED and transfer.petition_case is None


def test_the_officer_withdraws_a_transfer_with_a_reason(client_as, world):
    transfer = proposed(world)
    response = client_as(world.officer).post(f"/bankruptcy/transfers/{transfer.pk}/withdraw/", {"reason": "无人同意"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.WITHDRAWN


# ---- the whole path through the forms ----------------------------------------------------------------------------


def test_the_whole_path_through_the_pages_from_the_proposal_to_the_declaration(
    client, world, django_capture_on_commit_callbacks
):
    today = TODAY.isoformat()
    client.force_login(world.officer)
    response = client.post(
        f"/bankruptcy/transfers/new/?debtor={world.company.pk}",
        {"receiving_court": world.chaoyang.pk, "grounds": "三个法院均有执行案件，财产不足以清偿", "on": today},
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response.url == f"/bankruptcy/transfers/{transfer.pk}/"

    response = client.post(
        f"/bankruptcy/transfers/{transfer.pk}/consent/",
        {"party": applicant_of(world.cases["haidian"]).pk, "consents": "yes", "answered_on": today, "note": "同意"},
    )
    assert response.status_code == 302 and Consent.objects.get().consents is True

    client.force_login(world.head)
    response = client.post(f"/bankruptcy/transfers/{transfer.pk}/rule/", {"on": today})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.TRANSFERRED

    client.force_login(world.judge)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bankruptcy/transfers/{transfer.pk}/decide/",
            {"decision": "accept", "on": today, "reason": "", "administrator": "北京某律师事务所"},
        )
    assert response.status_code == 302
    bc = BankruptcyCase.objects.get(debtor=world.company)
    assert bc.effects_applied_at is not None and bc.administrator == "北京某律师事务所"

    page = client.get(f"/bankruptcy/cases/{bc.pk}/")
    assert page.status_code == 200
    assert len(page.context["effects"]) == 3 and page.context["prefill_rows"]
    assert world.cases["pudong"].case.number in page.content.decode()

    response = client.post(f"/bankruptcy/cases/{bc.pk}/declare/", {"on": today})
    assert response.status_code == 302
    bc.refresh_from_db()
    assert bc.status == BankruptcyStatus.DECLARED
    for ec in world.cases.values():
        ec.refresh_from_db()
        assert (ec.status, ec.closing_kind) == (Status.CLOSED, ClosingKind.TERMINATED)


# ---- the bankruptcy case ---------------------------------------------------------------------------------------------


def test_the_case_page_is_read_only_to_a_court_whose_case_it_suspended_and_404_to_a_stranger(
    client_as, world, django_capture_on_commit_callbacks
):
    bc = accepted(world, django_capture_on_commit_callbacks)
    page = client_as(world.officer).get(f"/bankruptcy/cases/{bc.pk}/")
    assert page.status_code == 200 and not page.context["can_act"] and not page.context["can_declare"]
    assert (
        client_as(world.head).post(f"/bankruptcy/cases/{bc.pk}/declare/", {"on": TODAY.isoformat()}).status_code == 404
    )
    stranger = UserFactory(judge=True, court=CourtFactory(code="沪0104", region_code="310104"), username="j-xh")
    assert client_as(stranger).get(f"/bankruptcy/cases/{bc.pk}/").status_code == 404


def test_a_clerk_of_the_bankruptcy_court_sees_the_case_but_cannot_declare(
    client_as, world, django_capture_on_commit_callbacks
):
    bc = accepted(world, django_capture_on_commit_callbacks)
    clerk = UserFactory(clerk=True, court=world.chaoyang, username="clerk-cy")
    assert client_as(clerk).get(f"/bankruptcy/cases/{bc.pk}/").status_code == 200
    assert client_as(clerk).post(f"/bankruptcy/cases/{bc.pk}/declare/", {"on": TODAY.isoformat()}).status_code == 403
    bc.refresh_from_db()
    assert bc.status == BankruptcyStatus.ACCEPTED


def test_a_claim_is_filed_from_its_prefill_and_reviewed(client_as, world, django_capture_on_commit_callbacks):
    bc = accepted(world, django_capture_on_commit_callbacks)
    client = client_as(world.judge)
    row = client.get(f"/bankruptcy/cases/{bc.pk}/").context["prefill_rows"][0]
    data = {
        "creditor": row["creditor"].pk, "enforcement_case": row["enforcement_case"].pk, "kind": "ordinary",
        "amount": str(row["amount"]), "on": TODAY.isoformat(), "documents": "",
    }  # fmt: skip
    assert client.post(f"/bankruptcy/cases/{bc.pk}/claims/", data).status_code == 302
    claim = bc.claims.get()
    assert claim.amount == row["amount"]
    response = client.post(
        f"/bankruptcy/cases/{bc.pk}/claims/review/",
        {"claim": claim.pk, "admitted_amount": str(claim.amount), "on": TODAY.isoformat(), "note": ""},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "admitted"


def test_a_claim_above_the_enforcement_case_without_documents_is_refused_on_the_form(
    client_as, world, django_capture_on_commit_callbacks
):
    bc = accepted(world, django_capture_on_commit_callbacks)
    client = client_as(world.judge)
    row = client.get(f"/bankruptcy/cases/{bc.pk}/").context["prefill_rows"][0]
    response = client.post(
        f"/bankruptcy/cases/{bc.pk}/claims/",
        {
            "creditor": row["creditor"].pk, "enforcement_case": row["enforcement_case"].pk, "kind": "ordinary",
            "amount": str(row["amount"] + 1), "on": TODAY.isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "art. 49" in str(response.context["claim_form"].non_field_errors())
    assert not bc.claims.exists()


# ---- the debtor ---------------------------------------------------------------------------------------------------


def test_the_debtors_page_lists_its_cases_in_every_court_to_any_court_with_a_case(client_as, world, users):
    transfer = proposed(world)
    page = client_as(users["officer-pd"]).get(f"/bankruptcy/debtors/{world.company.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    for ec in world.cases.values():
        assert ec.case.number in body
    assert [t.visible for t in page.context["transfers"]] == [False]
    assert client_as(world.officer).get(f"/bankruptcy/debtors/{world.company.pk}/").context["transfers"][0].visible
    assert transfer.pk


def test_the_debtors_page_is_404_to_a_court_without_a_case_against_it(client_as, world):
    stranger = UserFactory(officer=True, court=CourtFactory(code="沪0104", region_code="310104"), username="o-xh")
    assert client_as(stranger).get(f"/bankruptcy/debtors/{world.company.pk}/").status_code == 404
    assert client_as(stranger).get("/bankruptcy/debtors/999999/").status_code == 404


def test_after_the_declaration_the_estate_is_distributed_and_the_case_closed_through_the_page(
    client_as, world, django_capture_on_commit_callbacks
):
    bc = accepted(world, django_capture_on_commit_callbacks)
    client = client_as(world.judge)
    row = client.get(f"/bankruptcy/cases/{bc.pk}/").context["prefill_rows"][0]
    client.post(
        f"/bankruptcy/cases/{bc.pk}/claims/",
        {
            "creditor": row["creditor"].pk, "enforcement_case": row["enforcement_case"].pk, "kind": "ordinary",
            "amount": "1000.00", "on": TODAY.isoformat(),
        },
    )  # fmt: skip
    claim = bc.claims.get()
    client.post(
        f"/bankruptcy/cases/{bc.pk}/claims/review/",
        {"claim": claim.pk, "admitted_amount": "1000.00", "on": TODAY.isoformat()},
    )
    assert client.post(f"/bankruptcy/cases/{bc.pk}/declare/", {"on": TODAY.isoformat()}).status_code == 302
    page = client.get(f"/bankruptcy/cases/{bc.pk}/")
    assert page.context["can_distribute"] and page.context["can_close"]
    too_much = client.post(f"/bankruptcy/cases/{bc.pk}/distributions/", {"total": "5000.00", "on": TODAY.isoformat()})
    assert too_much.status_code == 400 and not bc.distributions.exists()
    assert (
        client.post(
            f"/bankruptcy/cases/{bc.pk}/distributions/", {"total": "400.00", "on": TODAY.isoformat()}
        ).status_code
        == 302
    )
    assert claim.shares.get().amount == Decimal("400.00")
    assert (
        client.post(f"/bankruptcy/cases/{bc.pk}/close/", {"on": TODAY.isoformat(), "note": "财产分配完毕"}).status_code
        == 302
    )
    bc.refresh_from_db()
    assert bc.status == BankruptcyStatus.CLOSED
    page = client.get(f"/bankruptcy/cases/{bc.pk}/")
    assert page.status_code == 200 and not page.context["can_act"]
    assert "400.00" in page.content.decode()
    transfer_page = client.get(f"/bankruptcy/transfers/{bc.transfer_id}/")
    assert f"/bankruptcy/cases/{bc.pk}/" in transfer_page.content.decode()
    debtor_page = client_as(users_of(world)["officer-pd"]).get(f"/bankruptcy/debtors/{world.company.pk}/")
    assert "Ended by the declaration" in debtor_page.content.decode()


def users_of(world):
    from core.models import User

    return {u.username: u for u in User.objects.all()}
