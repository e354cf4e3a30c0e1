"""The bankruptcy services one rule at a time: what each refuses (with its code, writing nothing), the 30-day
decision period of 解释 2022 art. 512, the refusal that resumes enforcement (art. 513), the effects of the
acceptance on every enforcement case against the debtor (企业破产法 art. 19), the declaration that ends them, and
the claims and their distribution (企业破产法 arts. 49, 113)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.choices import ControlStatus
from assets.models import AgencyRequest
from bankruptcy.choices import BankruptcyStatus, ClaimKind, ClaimStatus, EffectKind, SuggestionStatus, TransferStatus
from bankruptcy.models import BankruptcyCase, Claim, Consent, Effect, Share, Suggestion, Transfer
from bankruptcy.services import (
    bankruptcy_accept,
    bankruptcy_apply_effects,
    bankruptcy_declare,
    claim_file,
    claim_prefill,
    claim_review,
    consent_record,
    distribution_record,
    transfer_decide,
    transfer_propose,
    transfer_rule,
    transfers_overdue,
    transfers_report_overdue,
)
from cases.choices import PartyRole
from cases.models import Notification
from core.exceptions import Conflict, InvalidInput, NotFound, RuleViolation
from core.models import AuditLog, User
from credit.models import DishonestListing
from enforcement.choices import ClosingKind, Status, SuspensionGround
from enforcement.models import StatusChange
from tests.bankruptcy.builders import TODAY, company_in_three_courts, controlled
from tests.credit.feed_builders import listing_of
from tests.enforcement.builders import case_in
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

WATCHED = (Transfer, Consent, BankruptcyCase, Effect, Claim, StatusChange, AgencyRequest, AuditLog)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WATCHED}


def refused(call, error=RuleViolation, code: str | None = None):
    before = row_counts()
    with pytest.raises(error) as info:
        call()
    if code is not None:
        assert info.value.code == code
    assert row_counts() == before, "a refusal wrote something"
    return info.value


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return company_in_three_courts()


TAGS = {"haidian": "hd", "chaoyang": "cy", "pudong": "pd"}


def user(username: str) -> User:
    return User.objects.get(username=username)


def applicant_of(ec):
    return ec.case.party_links.get(role=PartyRole.CREDITOR).party


def proposed(world, on=None):
    return transfer_propose(
        actor=world.officer, debtor=world.company, receiving_court=world.chaoyang,
        grounds="财产不足以清偿全部债务", on=on or TODAY - dt.timedelta(days=20),
    )  # fmt: skip


def transferred(world):
    transfer = proposed(world)
    consent_record(
        actor=world.officer, transfer=transfer, party=applicant_of(world.cases["haidian"]), consents=True,
        answered_on=TODAY - dt.timedelta(days=15),
    )  # fmt: skip
    return transfer_rule(actor=world.head, transfer=transfer, on=TODAY - dt.timedelta(days=10))


def accepted(world, capture, on=None) -> BankruptcyCase:
    with capture(execute=True):
        bc = bankruptcy_accept(actor=world.judge, debtor=world.company, on=on or TODAY - dt.timedelta(days=5))
    bc.refresh_from_db()
    assert bc.effects_applied_at is not None
    return bc


# ---- refusals ---------------------------------------------------------------------------------------------------


def test_a_natural_person_debtor_cannot_be_transferred_to_bankruptcy_review(world):
    person = PartyFactory()
    case_in(Status.INVESTIGATING, world.haidian, debtors=[person], officer=world.officer)
    refused(
        lambda: transfer_propose(
            actor=world.officer, debtor=person, receiving_court=world.chaoyang, grounds="资不抵债"
        ),
        code="bankruptcy.not_organisation",
    )


def test_the_receiving_court_must_be_the_court_of_the_debtors_domicile(world):
    refused(
        lambda: transfer_propose(
            actor=world.officer, debtor=world.company, receiving_court=world.pudong, grounds="资不抵债"
        ),
        code="bankruptcy.not_domicile_court",
    )


def test_the_transfer_is_not_ruled_without_a_consent(world):
    transfer = proposed(world)
    refused(lambda: transfer_rule(actor=world.head, transfer=transfer, on=TODAY), code="bankruptcy.no_consent")


def test_a_recorded_refusal_to_consent_is_no_consent(world):
    transfer = proposed(world)
    consent_record(
        actor=world.officer, transfer=transfer, party=applicant_of(world.cases["haidian"]), consents=False,
        answered_on=TODAY - dt.timedelta(days=15),
    )  # fmt: skip
    refused(lambda: transfer_rule(actor=world.head, transfer=transfer, on=TODAY), code="bankruptcy.no_consent")
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.NOTIFYING


def test_the_head_who_proposed_the_transfer_does_not_rule_on_it(world):
    transfer = transfer_propose(
        actor=world.head, debtor=world.company, receiving_court=world.chaoyang, grounds="资不抵债",
        on=TODAY - dt.timedelta(days=20),
    )  # fmt: skip
    consent_record(
        actor=world.officer, transfer=transfer, party=world.company, consents=True,
        answered_on=TODAY - dt.timedelta(days=15),
    )  # fmt: skip
    refused(lambda: transfer_rule(actor=world.head, transfer=transfer, on=TODAY), code="bankruptcy.own_proposal")


def test_only_an_applicant_or_the_debtor_answers_the_notice(world):
    transfer = proposed(world)
    stranger = applicant_of(world.cases["pudong"])  # a creditor, but of a case the transfer does not cover
    refused(
        lambda: consent_record(
            actor=world.officer, transfer=transfer, party=stranger, consents=True, answered_on=TODAY
        ),
        code="bankruptcy.not_a_party",
    )


def test_a_judge_of_another_court_does_not_even_see_the_transfer(world):
    transfer = transferred(world)
    refused(lambda: transfer_decide(actor=user("judge-pd"), transfer=transfer, accept=True, on=TODAY), error=NotFound)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.TRANSFERRED


def test_a_court_that_is_not_the_domicile_court_cannot_accept_the_bankruptcy_case(world):
    refused(
        lambda: bankruptcy_accept(actor=user("judge-hd"), debtor=world.company, on=TODAY),
        code="bankruptcy.not_domicile_court",
    )


def test_a_second_open_bankruptcy_case_against_the_debtor_is_refused(world, django_capture_on_commit_callbacks):
    accepted(world, django_capture_on_commit_callbacks)
    refused(lambda: bankruptcy_accept(actor=world.judge, debtor=world.company, on=TODAY), error=Conflict)


def test_a_claim_above_what_the_enforcement_case_awards_needs_its_documents(world, django_capture_on_commit_callbacks):
    bc = accepted(world, django_capture_on_commit_callbacks)
    ec = world.cases["haidian"]
    creditor = applicant_of(ec)

    def file(documents=""):
        return claim_file(
            actor=world.judge, bankruptcy_case=bc, creditor=creditor, kind=ClaimKind.ORDINARY,
            amount="520000.00", on=TODAY, enforcement_case=ec, documents=documents,
        )  # fmt: skip

    refused(file, code="bankruptcy.claim_over_enforcement")
    claim = file(documents="借款合同及利息计算表")
    assert (claim.amount, claim.status, claim.documents) == (
        Decimal("520000.00"),
        ClaimStatus.FILED,
        "借款合同及利息计算表",
    )


# ---- the 30 days of art. 512 ---------------------------------------------------------------------------------------


def test_the_decision_is_due_thirty_days_after_the_transfer_and_overdue_only_after_that_day(world):
    transfer = transferred(world)
    assert transfer.decision_due_on == transfer.transferred_on + dt.timedelta(days=30)
    due = transfer.decision_due_on
    assert list(transfers_overdue(today=due)) == []
    assert list(transfers_overdue(today=due + dt.timedelta(days=1))) == [transfer]


def test_an_overdue_transfer_is_reported_once_to_the_division_heads_of_both_courts(world):
    transfer = transferred(world)
    late = transfer.decision_due_on + dt.timedelta(days=1)
    assert transfers_report_overdue(today=late) == 1
    notes = Notification.objects.filter(kind="bankruptcy_transfer_overdue")
    assert {n.recipient_user.username for n in notes} == {"head-hd", "head-cy"}
    assert notes.count() == 2
    assert transfers_report_overdue(today=late + dt.timedelta(days=1)) == 0
    assert Notification.objects.filter(kind="bankruptcy_transfer_overdue").count() == 2


# ---- refusal to accept -------------------------------------------------------------------------------------------


def test_a_refused_transfer_resumes_the_cases_it_suspended_and_is_recorded_in_a_petition_case(world):
    ec = world.cases["haidian"]
    assert ec.status == Status.CONTROLLING
    transfer = transferred(world)
    ec.refresh_from_db()
    assert ec.status == Status.SUSPENDED
    transfer = transfer_decide(
        actor=world.judge, transfer=transfer, accept=False, on=TODAY, reason="债务人尚有可供执行的财产"
    )
    assert transfer.status == TransferStatus.REFUSED
    assert (transfer.petition_case.case_type, transfer.petition_case.court) == ("破申", world.chaoyang)
    ec.refresh_from_db()
    assert ec.status == Status.CONTROLLING
    assert not BankruptcyCase.objects.exists()


# ---- the acceptance's effects -------------------------------------------------------------------------------------


def test_the_acceptance_releases_the_measures_of_a_terminated_case_and_notes_it_closed_before(
    world, django_capture_on_commit_callbacks
):
    old = case_in(Status.CLOSED, world.pudong, debtors=[world.company], filing_date=TODAY - dt.timedelta(days=400))
    assert old.closing_kind == ClosingKind.TERMINATED_THIS_ROUND
    measure = controlled(old, world.bank, world.company, "6222-old")
    bc = accepted(world, django_capture_on_commit_callbacks)
    effect = Effect.objects.get(bankruptcy_case=bc, enforcement_case=old)
    assert (effect.kind, effect.measures_released) == (EffectKind.CLOSED_BEFORE, 1)
    old.refresh_from_db()
    assert old.status == Status.CLOSED
    measure.refresh_from_db()
    assert measure.release_requested_at is not None


def test_a_case_with_another_debtor_goes_on_but_the_companys_measures_are_released(
    world, django_capture_on_commit_callbacks
):
    partner = PartyFactory(organisation=True, name="北京另一家有限公司")
    joint = case_in(Status.INVESTIGATING, world.pudong, debtors=[world.company, partner])
    companys = controlled(joint, world.bank, world.company, "6222-joint-company")
    partners = controlled(joint, world.bank, partner, "6222-joint-partner")
    bc = accepted(world, django_capture_on_commit_callbacks)
    effect = Effect.objects.get(bankruptcy_case=bc, enforcement_case=joint)
    assert (effect.kind, effect.measures_released) == (EffectKind.OTHER_DEBTORS, 1)
    joint.refresh_from_db()
    assert joint.status == Status.INVESTIGATING
    companys.refresh_from_db()
    partners.refresh_from_db()
    assert companys.release_requested_at is not None
    assert partners.release_requested_at is None and partners.status == ControlStatus.ACTIVE


def test_the_acceptance_flags_the_dishonest_entries_of_the_cases_and_a_second_run_writes_nothing(
    world, django_capture_on_commit_callbacks
):
    listings = [
        listing_of(
            ec.case.court,
            debtor=world.company,
            enforcement_case=ec,
            proposer=UserFactory(officer=True, court=ec.case.court, username=f"lister-{name}"),
            approver=user(f"head-{TAGS[name]}"),
        )
        for name, ec in world.cases.items()
    ]
    bc = accepted(world, django_capture_on_commit_callbacks)
    for listing in listings:
        listing.refresh_from_db()
        assert listing.removal_event == "suspended"
    assert {e.kind for e in bc.effects.all()} == {EffectKind.SUSPENDED}
    assert AgencyRequest.objects.count() == 3

    before = row_counts()
    assert bankruptcy_apply_effects(bankruptcy_case_id=bc.pk) == {}
    assert row_counts() == before
    assert list(DishonestListing.objects.order_by("pk").values_list("removal_event", flat=True)) == ["suspended"] * 3


# ---- declaration ------------------------------------------------------------------------------------------------


def test_the_declaration_ends_the_suspended_cases_as_terminated_for_bankruptcy(
    world, django_capture_on_commit_callbacks
):
    listing = listing_of(
        world.pudong, debtor=world.company, enforcement_case=world.cases["pudong"],
        proposer=UserFactory(officer=True, court=world.pudong, username="lister-pd"), approver=user("head-pd"),
    )  # fmt: skip
    bc = accepted(world, django_capture_on_commit_callbacks)
    bc = bankruptcy_declare(actor=world.judge, bankruptcy_case=bc, on=TODAY)
    assert bc.status == BankruptcyStatus.DECLARED and bc.declared_on == TODAY
    for ec in world.cases.values():
        ec.refresh_from_db()
        assert (ec.status, ec.closing_kind, ec.closing_ground) == (
            Status.CLOSED,
            ClosingKind.TERMINATED,
            "bankruptcy_declared",
        )
    assert Effect.objects.filter(bankruptcy_case=bc, kind=EffectKind.TERMINATED).count() == 3
    listing.refresh_from_db()
    assert listing.removal_event  # flagged for removal (失信规定 art. 10(1)(5))


# ---- claims ------------------------------------------------------------------------------------------------------


def test_the_claims_form_starts_from_what_each_enforcement_case_still_awards(world, django_capture_on_commit_callbacks):
    ec = world.cases["chaoyang"]
    ec.performed_amount = Decimal("100000.00")
    ec.save(update_fields=["performed_amount"])
    bc = accepted(world, django_capture_on_commit_callbacks)
    rows = {(r["creditor"].pk, r["enforcement_case"].pk): r["amount"] for r in claim_prefill(bc)}
    assert rows == {
        (applicant_of(world.cases["haidian"]).pk, world.cases["haidian"].pk): Decimal("500000.00"),
        (applicant_of(ec).pk, ec.pk): Decimal("200000.00"),
        (applicant_of(world.cases["pudong"]).pk, world.cases["pudong"].pk): Decimal("200000.00"),
    }


def test_a_claim_is_admitted_in_full_in_part_or_rejected(world, django_capture_on_commit_callbacks):
    bc = accepted(world, django_capture_on_commit_callbacks)
    claims = [
        claim_file(actor=world.judge, bankruptcy_case=bc, creditor=PartyFactory(), kind=ClaimKind.ORDINARY,
                   amount="1000.00", on=TODAY)
        for _ in range(3)
    ]  # fmt: skip
    full = claim_review(actor=world.judge, claim=claims[0], admitted_amount="1000.00", on=TODAY)
    part = claim_review(actor=world.judge, claim=claims[1], admitted_amount="400.00", on=TODAY, note="利息部分不予确认")
    none = claim_review(actor=world.judge, claim=claims[2], admitted_amount="0", on=TODAY, note="已经清偿")
    assert (full.status, full.admitted_amount) == (ClaimStatus.ADMITTED, Decimal("1000.00"))
    assert (part.status, part.admitted_amount) == (ClaimStatus.PARTLY, Decimal("400.00"))
    assert (none.status, none.admitted_amount) == (ClaimStatus.REJECTED, Decimal("0.00"))


@pytest.fixture
def declared(world, django_capture_on_commit_callbacks):
    bc = accepted(world, django_capture_on_commit_callbacks)
    return bankruptcy_declare(actor=world.judge, bankruptcy_case=bc, on=TODAY)


def admitted(bc, kind, amount) -> Claim:
    return Claim.objects.create(
        bankruptcy_case=bc, creditor=PartyFactory(), kind=kind, amount=Decimal(amount), filed_on=TODAY,
        filed_by=bc.accepted_by, status=ClaimStatus.ADMITTED, admitted_amount=Decimal(amount), reviewed_on=TODAY,
    )  # fmt: skip


def test_the_estate_is_distributed_class_by_class_and_pro_rata_within_a_class(world, declared):
    secured = admitted(declared, ClaimKind.SECURED, "100.00")
    employee = admitted(declared, ClaimKind.EMPLOYEE, "50.00")
    big, small = admitted(declared, ClaimKind.ORDINARY, "300.00"), admitted(declared, ClaimKind.ORDINARY, "100.00")
    distribution = distribution_record(actor=world.judge, bankruptcy_case=declared, total="250.00", on=TODAY)
    shares = dict(distribution.shares.values_list("claim_id", "amount"))
    assert shares == {
        secured.pk: Decimal("100.00"),
        employee.pk: Decimal("50.00"),
        big.pk: Decimal("75.00"),
        small.pk: Decimal("25.00"),
    }


def test_a_distribution_above_what_the_admitted_claims_await_is_refused(world, declared):
    admitted(declared, ClaimKind.ORDINARY, "300.00")
    refused(
        lambda: distribution_record(actor=world.judge, bankruptcy_case=declared, total="300.01", on=TODAY),
        code="bankruptcy.over_claims",
    )


def test_nothing_is_distributed_before_the_declaration(world, django_capture_on_commit_callbacks):
    bc = accepted(world, django_capture_on_commit_callbacks)
    admitted(bc, ClaimKind.ORDINARY, "300.00")
    refused(
        lambda: distribution_record(actor=world.judge, bankruptcy_case=bc, total="100.00", on=TODAY),
        code="bankruptcy.not_declared",
    )


cents = st.integers(min_value=1, max_value=5_000_000)
claim_lists = st.lists(st.tuples(st.sampled_from(list(ClaimKind)), cents), min_size=1, max_size=7)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), claims=claim_lists)
def test_the_shares_always_add_up_to_the_total_to_the_fen_in_class_order(world, declared, data, claims):
    with transaction.atomic():
        rows = [admitted(declared, kind, Decimal(c) / 100) for kind, c in claims]
        awaiting = sum(c for _k, c in claims)
        total = Decimal(data.draw(st.integers(min_value=1, max_value=awaiting))) / 100
        distribution = distribution_record(actor=world.judge, bankruptcy_case=declared, total=total, on=TODAY)
        paid = {s.claim_id: s.amount for s in Share.objects.filter(distribution=distribution)}
        assert sum(paid.values(), Decimal("0")) == total
        order = list(ClaimKind)  # the statutory order: secured, employee, tax, ordinary
        for claim in rows:
            share = paid.get(claim.pk, Decimal("0"))
            assert Decimal("0") <= share <= claim.admitted_amount
            assert share == share.quantize(Decimal("0.01"))
            if share:  # a class is paid only once every class before it is paid in full
                for earlier in rows:
                    if order.index(earlier.kind) < order.index(claim.kind):
                        assert paid.get(earlier.pk) == earlier.admitted_amount
        transaction.set_rollback(True)


def test_a_refused_transfer_leaves_suspended_a_case_that_was_suspended_before_it(world):
    from enforcement.services import case_suspend

    earlier = case_in(
        Status.INVESTIGATING, world.haidian, debtors=[world.company], officer=world.officer,
        filing_date=TODAY - dt.timedelta(days=90),
    )  # fmt: skip
    case_suspend(
        actor=world.officer, enforcement_case=earlier, ground=SuspensionGround.RETRIAL, reason="再审审查中",
        on=TODAY - dt.timedelta(days=30),
    )  # fmt: skip
    transfer = transferred(world)
    assert set(transfer.enforcement_cases.all()) == {world.cases["haidian"], earlier}
    transfer_decide(actor=world.judge, transfer=transfer, accept=False, on=TODAY, reason="债务人尚有可供执行的财产")
    earlier.refresh_from_db()
    assert earlier.status == Status.SUSPENDED
    assert earlier.suspensions.get(ended_on__isnull=True).ground == SuspensionGround.RETRIAL
    world.cases["haidian"].refresh_from_db()
    assert world.cases["haidian"].status == Status.CONTROLLING


def test_a_bankruptcy_case_is_not_accepted_against_a_natural_person(world):
    refused(
        lambda: bankruptcy_accept(actor=world.judge, debtor=PartyFactory(), on=TODAY),
        code="bankruptcy.not_organisation",
    )


def test_a_transfer_overtaken_by_a_direct_acceptance_is_closed_and_cannot_be_decided_again(
    world, django_capture_on_commit_callbacks
):
    transfer = transferred(world)
    bc = accepted(world, django_capture_on_commit_callbacks)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and bc.case.number in transfer.decision_reason
    assert not transfers_overdue(today=transfer.decision_due_on + dt.timedelta(days=1)).filter(pk=transfer.pk).exists()
    cases_before = world.company.case_links.count()
    refused(
        lambda: transfer_decide(actor=world.judge, transfer=transfer, accept=True, on=TODAY),
        code="bankruptcy.not_transferred",
    )
    assert transfer.petition_case is None
    assert world.company.case_links.count() == cases_before  # no 破申 case filed


def test_a_second_bankruptcy_case_against_the_debtor_is_refused(world, django_capture_on_commit_callbacks):
    accepted(world, django_capture_on_commit_callbacks)
    refused(lambda: bankruptcy_accept(actor=world.judge, debtor=world.company, on=TODAY), error=Conflict)


def test_a_transfer_does_not_close_the_suggestion_of_another_debtor(world):
    other = PartyFactory(organisation=True, name="北京无关有限公司")
    suggestion = Suggestion.objects.create(debtor=other, score=70, reasons=[], figures={}, computed_at=timezone.now())
    error = refused(
        lambda: transfer_propose(
            actor=world.officer,
            debtor=world.company,
            receiving_court=world.chaoyang,
            grounds="资不抵债",
            suggestion=suggestion,
        ),  # fmt: skip
        error=InvalidInput,
    )
    assert "suggestion" in error.fields
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
