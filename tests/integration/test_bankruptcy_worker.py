"""执转破 end to end with a real Celery worker (queues "default" and "queries"), Redis and PostgreSQL: a company
with enforcement cases in three courts is found by the screening, notified, consents and is transferred; the
domicile court accepts, and the acceptance is applied ON THE WORKER (bankruptcy.tasks.apply_effects) to every
case in every court — suspended, the measures on the company's property ordered released, which the agency
simulator carries out through the API, the dishonest entries flagged — and the declaration ends the cases
(解释 2022 arts. 511–513; 企业破产法 art. 19; 失信规定 art. 10(1)(5))."""

import datetime as dt
import time

import pytest

from assets.choices import ControlStatus, RequestKind
from assets.models import AgencyRequest, ControlMeasure
from assets.simulator import AgencySimulator, DjangoClientTransport
from bankruptcy.choices import BankruptcyStatus, EffectKind, SuggestionStatus, TransferStatus
from bankruptcy.models import BankruptcyCase, Effect, Suggestion
from bankruptcy.services import (
    bankruptcy_declare,
    consent_record,
    suggestions_refresh,
    transfer_decide,
    transfer_propose,
    transfer_rule,
)
from cases.choices import PartyRole
from cases.models import Notification
from core.models import User
from core.services import credential_issue
from credit.models import DishonestListing
from enforcement.choices import ClosingKind, Status, SuspensionGround
from tests.bankruptcy.builders import TODAY, company_in_three_courts
from tests.credit.feed_builders import listing_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 60


@pytest.fixture
def worker(start_worker, settings, tmp_path):
    """`celery worker -Q default,queries`, pointed at the test database; yields the process."""
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.MEDIA_ROOT = tmp_path
    return start_worker("default,queries", env={"MEDIA_ROOT": str(tmp_path)}).process


def _wait_for(condition, what: str, worker) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline or worker.poll() is not None:
            output = worker.stdout.read() if worker.poll() is not None else ""
            raise AssertionError(f"{what} did not happen within {WAIT} s. {output[-2000:]}")
        time.sleep(0.2)


def test_a_company_screened_transferred_and_accepted_has_every_case_suspended_and_released_by_the_worker(worker):
    world = company_in_three_courts()
    cases = world.cases
    tags = {"haidian": "hd", "chaoyang": "cy", "pudong": "pd"}
    listings = {
        name: listing_of(
            ec.case.court,
            debtor=world.company,
            enforcement_case=ec,
            proposer=UserFactory(officer=True, court=ec.case.court, username=f"lister-{tags[name]}"),
            approver=User.objects.get(username=f"head-{tags[name]}"),
        )
        for name, ec in cases.items()
    }

    # Screening: three creditors, 1 000 000 unpaid against 30 000 of known property.
    assert suggestions_refresh()["new"] == 1
    suggestion = Suggestion.objects.get(debtor=world.company, status=SuggestionStatus.OPEN)
    assert set(suggestion.courts.all()) == {world.haidian, world.chaoyang, world.pudong}

    transfer = transfer_propose(
        actor=world.officer, debtor=world.company, receiving_court=world.chaoyang,
        grounds="三个法院均有执行案件，财产不足以清偿", on=TODAY - dt.timedelta(days=20), suggestion=suggestion,
    )  # fmt: skip
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.TRANSFERRED
    applicant = cases["haidian"].case.party_links.get(role=PartyRole.CREDITOR).party
    assert {n.recipient_party for n in Notification.objects.filter(kind="bankruptcy_transfer_notice")} == {
        applicant,
        world.company,
    }
    consent_record(
        actor=world.officer, transfer=transfer, party=applicant, consents=True,
        answered_on=TODAY - dt.timedelta(days=15),
    )  # fmt: skip
    transfer = transfer_rule(actor=world.head, transfer=transfer, on=TODAY - dt.timedelta(days=10))
    assert transfer.status == TransferStatus.TRANSFERRED

    # The acceptance commits; its effects are applied by the worker.
    transfer = transfer_decide(actor=world.judge, transfer=transfer, accept=True, on=TODAY - dt.timedelta(days=5))
    assert transfer.status == TransferStatus.ACCEPTED
    bc = BankruptcyCase.objects.get(debtor=world.company)
    _wait_for(
        lambda: BankruptcyCase.objects.get(pk=bc.pk).effects_applied_at is not None,
        "the acceptance's effects on the worker",
        worker,
    )
    assert dict(Effect.objects.filter(bankruptcy_case=bc).values_list("enforcement_case_id", "kind")) == {
        cases["haidian"].pk: EffectKind.ALREADY_SUSPENDED,
        cases["chaoyang"].pk: EffectKind.SUSPENDED,
        cases["pudong"].pk: EffectKind.SUSPENDED,
    }
    for ec in cases.values():
        ec.refresh_from_db()
        assert ec.status == Status.SUSPENDED
    for name in ("chaoyang", "pudong"):
        assert cases[name].suspensions.get().ground == SuspensionGround.BANKRUPTCY
    assert AgencyRequest.objects.filter(kind=RequestKind.RELEASE, agency=world.bank).count() == 3
    for listing in listings.values():
        listing.refresh_from_db()
        assert listing.removal_event == "suspended"

    # The bank carries out the release orders through the API.
    _credential, key = credential_issue(
        actor=None, user=world.bank.client, name="bankruptcy-bank-sim", scopes=["agency"]
    )
    simulator = AgencySimulator(DjangoClientTransport(key), agency=world.bank.code, seed=5)
    stats = simulator.poll_once()
    assert stats.requests_answered == 3 and not stats.errors
    measures = ControlMeasure.objects.filter(asset__debtor=world.company)
    assert measures.count() == 3
    assert set(measures.values_list("status", flat=True)) == {ControlStatus.RELEASED}

    # The declaration ends every case it suspended.
    bc = bankruptcy_declare(actor=world.judge, bankruptcy_case=bc, on=TODAY)
    assert bc.status == BankruptcyStatus.DECLARED
    for ec in cases.values():
        ec.refresh_from_db()
        assert (ec.status, ec.closing_kind, ec.closing_ground) == (
            Status.CLOSED,
            ClosingKind.TERMINATED,
            "bankruptcy_declared",
        )
    assert DishonestListing.objects.filter(debtor=world.company).exclude(removal_event="").count() == 3
