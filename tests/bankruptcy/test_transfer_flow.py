"""执转破 from end to end through the services: a company with enforcement cases in three courts is notified,
an applicant consents, the enforcement court transfers it, the domicile court accepts — every case in every
court is suspended, the measures on the company's property are ordered released and its dishonest entries
flagged — and the declaration of bankruptcy ends them (解释 2022 arts. 511–513; 企业破产法 art. 19)."""

import datetime as dt

import pytest

from assets.choices import RequestKind
from assets.models import AgencyRequest, ControlMeasure
from bankruptcy.choices import BankruptcyStatus, EffectKind, TransferStatus
from bankruptcy.models import BankruptcyCase, Effect
from bankruptcy.services import (
    bankruptcy_declare,
    consent_record,
    transfer_decide,
    transfer_propose,
    transfer_rule,
)
from cases.choices import PartyRole
from enforcement.choices import ClosingKind, Status, SuspensionGround
from enforcement.selectors import case_timeline
from tests.bankruptcy.builders import TODAY, company_in_three_courts

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return company_in_three_courts()


def applicant_of(ec):
    return ec.case.party_links.get(role=PartyRole.CREDITOR).party


def test_the_whole_transfer_suspends_every_case_in_every_court_and_the_declaration_ends_them(
    world, django_capture_on_commit_callbacks
):
    haidian_case = world.cases["haidian"]
    transfer = transfer_propose(
        actor=world.officer, debtor=world.company, receiving_court=world.chaoyang,
        grounds="三个法院均有执行案件，财产不足以清偿", on=TODAY - dt.timedelta(days=20),
    )  # fmt: skip
    assert list(transfer.enforcement_cases.all()) == [haidian_case]
    assert transfer.notice_document.name.endswith(".docx")
    consent_record(
        actor=world.officer, transfer=transfer, party=applicant_of(haidian_case), consents=True,
        answered_on=TODAY - dt.timedelta(days=15),
    )  # fmt: skip
    transfer = transfer_rule(actor=world.head, transfer=transfer, on=TODAY - dt.timedelta(days=10))
    assert transfer.status == TransferStatus.TRANSFERRED
    assert transfer.decision_due_on == TODAY + dt.timedelta(days=20)
    haidian_case.refresh_from_db()
    assert haidian_case.status == Status.SUSPENDED

    with django_capture_on_commit_callbacks(execute=True):
        transfer = transfer_decide(actor=world.judge, transfer=transfer, accept=True, on=TODAY - dt.timedelta(days=5))
    assert transfer.status == TransferStatus.ACCEPTED and transfer.petition_case.case_type == "破申"
    bc = BankruptcyCase.objects.get(debtor=world.company)
    assert bc.case.court == world.chaoyang and bc.case.case_type == "破" and bc.effects_applied_at is not None
    kinds = dict(Effect.objects.filter(bankruptcy_case=bc).values_list("enforcement_case_id", "kind"))
    assert kinds == {
        haidian_case.pk: EffectKind.ALREADY_SUSPENDED,
        world.cases["chaoyang"].pk: EffectKind.SUSPENDED,
        world.cases["pudong"].pk: EffectKind.SUSPENDED,
    }
    for ec in world.cases.values():
        ec.refresh_from_db()
        assert ec.status == Status.SUSPENDED
    assert ec.suspensions.get().ground == SuspensionGround.BANKRUPTCY
    suspended_by = [e.actor for e in case_timeline(enforcement_case=ec) if e.details.get("transition") == "suspend"]
    assert suspended_by == [f"Acceptance of the bankruptcy case of 北京市朝阳区人民法院 in {bc.case.number}"]
    assert ControlMeasure.objects.filter(release_requested_at__isnull=False).count() == 3
    assert AgencyRequest.objects.filter(kind=RequestKind.RELEASE, agency=world.bank).count() == 3

    bc = bankruptcy_declare(actor=world.judge, bankruptcy_case=bc, on=TODAY)
    assert bc.status == BankruptcyStatus.DECLARED
    for ec in world.cases.values():
        ec.refresh_from_db()
        assert (ec.status, ec.closing_kind, ec.closing_ground) == (
            Status.CLOSED,
            ClosingKind.TERMINATED,
            "bankruptcy_declared",
        )
