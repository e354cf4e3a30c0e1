"""The bankruptcy API (/api/v1/bankruptcy/…): 执转破 from the notice to the declaration through the API, each
refusal answered 4xx with its rule's code and nothing written, and what another court or an agency may see."""

import datetime as dt

import pytest

from bankruptcy.choices import BankruptcyStatus, ClaimKind, EffectKind, SuggestionStatus, TransferStatus
from bankruptcy.models import BankruptcyCase, Claim, Consent, Suggestion, Transfer
from bankruptcy.services import consent_record, transfer_decide, transfer_propose, transfer_rule
from cases.choices import PartyRole
from enforcement.choices import ClosingKind, Status
from tests.bankruptcy.builders import TODAY, company_in_three_courts
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/bankruptcy"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return company_in_three_courts()


def applicant_of(ec):
    return ec.case.party_links.get(role=PartyRole.CREDITOR).party


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def proposed(world) -> Transfer:
    return transfer_propose(
        actor=world.officer, debtor=world.company, receiving_court=world.chaoyang, grounds="资不抵债",
        on=TODAY - dt.timedelta(days=20),
    )  # fmt: skip


def transferred(world) -> Transfer:
    transfer = proposed(world)
    consent_record(
        actor=world.officer, transfer=transfer, party=applicant_of(world.cases["haidian"]), consents=True,
        answered_on=TODAY - dt.timedelta(days=15),
    )  # fmt: skip
    return transfer_rule(actor=world.head, transfer=transfer, on=TODAY - dt.timedelta(days=10))


def accepted(world, capture) -> BankruptcyCase:
    transfer = transferred(world)
    with capture(execute=True):
        transfer_decide(actor=world.judge, transfer=transfer, accept=True, on=TODAY - dt.timedelta(days=5))
    return BankruptcyCase.objects.get(debtor=world.company)


def user_of(court, role: str, name: str):
    return UserFactory(**{role: True}, court=court, username=name)


# ---- the happy path -------------------------------------------------------------------------------------------------


def test_a_transfer_goes_from_notice_to_declaration_through_the_api(world, api_as, django_capture_on_commit_callbacks):
    haidian_case = world.cases["haidian"]
    officer = api_as(world.officer)
    response = officer.post(
        f"{API}/transfers/",
        {"debtor": world.company.pk, "receiving_court": world.chaoyang.pk, "grounds": "三个法院均有执行案件",
         "on": days_ago(20)},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == TransferStatus.NOTIFYING
    assert [c["number"] for c in body["enforcement_cases"]] == [haidian_case.case.number]
    pk = body["id"]

    response = officer.post(
        f"{API}/transfers/{pk}/consents/",
        {"party": applicant_of(haidian_case).pk, "consents": True, "answered_on": days_ago(15)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "applicant"

    response = api_as(world.head).post(f"{API}/transfers/{pk}/rule/", {"on": days_ago(10)}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == TransferStatus.TRANSFERRED
    assert response.json()["decision_due_on"] == (TODAY + dt.timedelta(days=20)).isoformat()
    assert response.json()["overdue"] is False

    judge = api_as(world.judge)
    detail = judge.get(f"{API}/transfers/{pk}/").json()  # the receiving court sees the transfer
    assert [c["consents"] for c in detail["consents"]] == [True]
    with django_capture_on_commit_callbacks(execute=True):
        response = judge.post(
            f"{API}/transfers/{pk}/decide/", {"accept": True, "on": days_ago(5), "administrator": "某律师事务所"},
            format="json",
        )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == TransferStatus.ACCEPTED
    bc_id = response.json()["bankruptcy_case"]

    case = judge.get(f"{API}/cases/{bc_id}/").json()
    assert case["status"] == BankruptcyStatus.ACCEPTED and case["administrator"] == "某律师事务所"
    assert {e["enforcement_case"]: e["kind"] for e in case["effects"]} == {
        haidian_case.pk: EffectKind.ALREADY_SUSPENDED,
        world.cases["chaoyang"].pk: EffectKind.SUSPENDED,
        world.cases["pudong"].pk: EffectKind.SUSPENDED,
    }

    response = judge.post(f"{API}/cases/{bc_id}/declare/", {"on": TODAY.isoformat()}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == BankruptcyStatus.DECLARED
    for ec in world.cases.values():
        ec.refresh_from_db()
        assert (ec.status, ec.closing_kind) == (Status.CLOSED, ClosingKind.TERMINATED)


def test_claims_are_prefilled_filed_reviewed_and_distributed_with_money_as_strings(
    world, api_as, django_capture_on_commit_callbacks
):
    bc = accepted(world, django_capture_on_commit_callbacks)
    judge = api_as(world.judge)
    prefill = judge.get(f"{API}/cases/{bc.pk}/claim-prefill/").json()
    haidian_row = next(row for row in prefill if row["enforcement_case"] == world.cases["haidian"].pk)
    assert haidian_row["amount"] == "500000.00"

    response = judge.post(
        f"{API}/cases/{bc.pk}/claims/",
        {"creditor": haidian_row["creditor"], "kind": ClaimKind.ORDINARY, "amount": "500000.00",
         "on": TODAY.isoformat(), "enforcement_case": haidian_row["enforcement_case"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    claim_id = response.json()["id"]
    assert response.json()["amount"] == "500000.00"

    response = judge.post(
        f"{API}/claims/{claim_id}/review/", {"admitted_amount": "500000.00", "on": TODAY.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "admitted"

    assert judge.post(f"{API}/cases/{bc.pk}/declare/", {"on": TODAY.isoformat()}, format="json").status_code == 200
    response = judge.post(f"{API}/cases/{bc.pk}/distributions/", {"total": "1000.50", "on": TODAY.isoformat()},
                          format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["total"] == "1000.50"
    assert response.json()["shares"] == [{"claim": claim_id, "amount": "1000.50"}]

    response = judge.post(f"{API}/cases/{bc.pk}/close/", {"on": TODAY.isoformat(), "note": "分配完毕"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == BankruptcyStatus.CLOSED


def test_the_suggestions_of_the_court_are_listed_and_one_is_dismissed_with_a_note(world, api_as):
    suggestion = Suggestion.objects.create(debtor=world.company, score=80, reasons=["终本案件多"])
    suggestion.courts.set([world.haidian, world.pudong])
    assert api_as(world.judge).get(f"{API}/suggestions/").json()["results"] == []  # 朝阳 is not in its courts
    officer = api_as(world.officer)  # the same client, now logged in as the 海淀 officer
    listed = officer.get(f"{API}/suggestions/", {"status": "open"}).json()["results"]
    assert [row["id"] for row in listed] == [suggestion.pk]

    response = officer.post(f"{API}/suggestions/{suggestion.pk}/dismiss/", {"note": "正在和解"}, format="json")
    assert response.status_code == 200, response.json()
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.note) == (SuggestionStatus.DISMISSED, "正在和解")


# ---- refusals: 4xx with the rule's code, nothing written ------------------------------------------------------------


def test_a_natural_person_debtor_is_refused_and_nothing_is_written(world, api_as):
    person = PartyFactory()
    response = api_as(world.officer).post(
        f"{API}/transfers/", {"debtor": person.pk, "receiving_court": world.chaoyang.pk, "grounds": "资不抵债"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "bankruptcy.not_organisation"
    assert not Transfer.objects.exists()


def test_the_ruling_without_a_consent_is_refused_and_nothing_is_suspended(world, api_as):
    transfer = proposed(world)
    response = api_as(world.head).post(f"{API}/transfers/{transfer.pk}/rule/", {"on": days_ago(10)}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "bankruptcy.no_consent"
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.NOTIFYING and transfer.transferred_on is None
    world.cases["haidian"].refresh_from_db()
    assert world.cases["haidian"].status == Status.CONTROLLING


@pytest.mark.parametrize("where", ["haidian", "pudong"])
def test_only_the_receiving_court_decides_a_transfer(world, api_as, where):
    transfer = transferred(world)
    outsider = user_of(getattr(world, where), "judge", f"judge-2-{where}")
    response = api_as(outsider).post(
        f"{API}/transfers/{transfer.pk}/decide/", {"accept": True, "on": days_ago(5)}, format="json"
    )
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert response.json()["code"] == "bankruptcy.not_domicile_court"
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.TRANSFERRED and transfer.petition_case is None
    assert not BankruptcyCase.objects.exists()


def test_a_claim_above_the_enforcement_amount_without_documents_is_refused(
    world, api_as, django_capture_on_commit_callbacks
):
    bc = accepted(world, django_capture_on_commit_callbacks)
    haidian_case = world.cases["haidian"]
    response = api_as(world.judge).post(
        f"{API}/cases/{bc.pk}/claims/",
        {"creditor": applicant_of(haidian_case).pk, "kind": ClaimKind.ORDINARY, "amount": "600000.00",
         "on": TODAY.isoformat(), "enforcement_case": haidian_case.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "bankruptcy.claim_over_enforcement"
    assert not Claim.objects.exists()


def test_a_consent_from_someone_who_is_not_a_party_is_refused(world, api_as):
    transfer = proposed(world)
    response = api_as(world.officer).post(
        f"{API}/transfers/{transfer.pk}/consents/",
        {"party": PartyFactory().pk, "consents": True, "answered_on": days_ago(15)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bankruptcy.not_a_party"
    assert not Consent.objects.exists()


# ---- who sees what --------------------------------------------------------------------------------------------------


def test_an_agency_user_is_refused_everywhere(world, api_as, agency_user):
    client = api_as(agency_user)
    transfer = proposed(world)
    assert client.get(f"{API}/transfers/").status_code == 403
    assert client.get(f"{API}/transfers/{transfer.pk}/").status_code == 403
    assert client.get(f"{API}/debtors/{world.company.pk}/").status_code == 403
    response = client.post(
        f"{API}/transfers/", {"debtor": world.company.pk, "receiving_court": world.chaoyang.pk, "grounds": "x"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403
    assert Transfer.objects.count() == 1


def test_a_clerk_may_look_but_not_propose(world, api_as):
    clerk = user_of(world.haidian, "clerk", "clerk-hd")
    client = api_as(clerk)
    assert client.get(f"{API}/transfers/").status_code == 200
    response = client.post(
        f"{API}/transfers/", {"debtor": world.company.pk, "receiving_court": world.chaoyang.pk, "grounds": "x"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403
    assert not Transfer.objects.exists()


def test_a_court_with_no_part_in_the_transfer_does_not_see_it(world, api_as):
    transfer = proposed(world)
    pudong = api_as(user_of(world.pudong, "officer", "officer-2-pd"))
    assert pudong.get(f"{API}/transfers/{transfer.pk}/").status_code == 404
    assert pudong.get(f"{API}/transfers/").json()["results"] == []
    response = pudong.post(
        f"{API}/transfers/{transfer.pk}/consents/",
        {"party": world.company.pk, "consents": True, "answered_on": days_ago(15)},
        format="json",
    )
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_a_court_whose_case_was_suspended_sees_the_bankruptcy_case_but_cannot_act_on_it(
    world, api_as, django_capture_on_commit_callbacks
):
    bc = accepted(world, django_capture_on_commit_callbacks)
    pudong = api_as(user_of(world.pudong, "judge", "judge-2-pd"))
    assert [row["id"] for row in pudong.get(f"{API}/cases/").json()["results"]] == [bc.pk]
    assert pudong.get(f"{API}/cases/{bc.pk}/").status_code == 200
    response = pudong.post(f"{API}/cases/{bc.pk}/declare/", {"on": TODAY.isoformat()}, format="json")
    assert response.status_code == 404
    bc.refresh_from_db()
    assert bc.status == BankruptcyStatus.ACCEPTED


def test_the_debtor_page_shows_every_case_across_courts_to_a_court_with_a_case_and_404_to_others(
    world, api_as, django_capture_on_commit_callbacks
):
    bc = accepted(world, django_capture_on_commit_callbacks)
    pudong = api_as(user_of(world.pudong, "officer", "officer-2-pd"))
    response = pudong.get(f"{API}/debtors/{world.company.pk}/")
    assert response.status_code == 200, response.json()
    body = response.json()
    rows = {row["number"]: (row["court"], row["status"], row["bankruptcy_effect"]) for row in body["enforcement_cases"]}
    assert rows == {
        world.cases["haidian"].case.number: (world.haidian.pk, Status.SUSPENDED, EffectKind.ALREADY_SUSPENDED),
        world.cases["chaoyang"].case.number: (world.chaoyang.pk, Status.SUSPENDED, EffectKind.SUSPENDED),
        world.cases["pudong"].case.number: (world.pudong.pk, Status.SUSPENDED, EffectKind.SUSPENDED),
    }
    assert [t["status"] for t in body["transfers"]] == [TransferStatus.ACCEPTED]
    assert [c["id"] for c in body["bankruptcy_cases"]] == [bc.pk]

    elsewhere = CourtFactory(code="沪0104", name="上海市徐汇区人民法院", region_code="310104")
    stranger = api_as(user_of(elsewhere, "officer", "officer-xh"))
    assert stranger.get(f"{API}/debtors/{world.company.pk}/").status_code == 404
