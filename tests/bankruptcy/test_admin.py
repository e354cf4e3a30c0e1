"""The bankruptcy admin: every list and change page renders for a superuser, and nothing can be added or edited
there (the services write)."""

import pytest

from bankruptcy.models import BankruptcyCase, Claim, Consent, Distribution, Effect, Suggestion, Transfer
from bankruptcy.services import (
    bankruptcy_declare,
    claim_file,
    claim_review,
    consent_record,
    distribution_record,
    transfer_decide,
    transfer_propose,
    transfer_rule,
)
from cases.choices import PartyRole
from tests.bankruptcy.builders import TODAY, company_in_three_courts

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_root(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def full_world(django_capture_on_commit_callbacks):
    world = company_in_three_courts()
    suggestion = Suggestion.objects.create(debtor=world.company, score=70, reasons=["多个终本"])
    suggestion.courts.set([world.haidian])
    transfer = transfer_propose(
        actor=world.officer, debtor=world.company, receiving_court=world.chaoyang, grounds="资不抵债", on=TODAY
    )
    applicant = world.cases["haidian"].case.party_links.get(role=PartyRole.CREDITOR).party
    consent_record(actor=world.officer, transfer=transfer, party=applicant, consents=True, answered_on=TODAY)
    transfer_rule(actor=world.head, transfer=transfer, on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        transfer_decide(actor=world.judge, transfer=transfer, accept=True, on=TODAY)
    bc = BankruptcyCase.objects.get()
    claim = claim_file(
        actor=world.judge, bankruptcy_case=bc, creditor=applicant, kind="ordinary", amount="1000.00", on=TODAY,
    )  # fmt: skip
    claim_review(actor=world.judge, claim=claim, admitted_amount="1000.00", on=TODAY)
    bankruptcy_declare(actor=world.judge, bankruptcy_case=bc, on=TODAY)
    distribution_record(actor=world.judge, bankruptcy_case=bc, total="500.00", on=TODAY)
    return world


def test_every_bankruptcy_admin_list_and_change_page_renders(admin_client_root, full_world):
    for model in (Suggestion, Transfer, Consent, BankruptcyCase, Effect, Claim, Distribution):
        name = model._meta.model_name
        assert admin_client_root.get(f"/admin/bankruptcy/{name}/").status_code == 200, name
        obj = model.objects.first()
        assert admin_client_root.get(f"/admin/bankruptcy/{name}/{obj.pk}/change/").status_code == 200, name
    assert admin_client_root.get("/admin/bankruptcy/transfer/?q=北京某某").status_code == 200


def test_nothing_can_be_added_or_edited_in_the_bankruptcy_admin(admin_client_root, full_world):
    assert admin_client_root.get("/admin/bankruptcy/transfer/add/").status_code == 403
    transfer = Transfer.objects.get()
    admin_client_root.post(f"/admin/bankruptcy/transfer/{transfer.pk}/change/", {"status": "withdrawn"})
    transfer.refresh_from_db()
    assert transfer.status == "accepted"
