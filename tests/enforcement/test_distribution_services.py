"""The distribution services: proposing a plan that reconciles to the case fund, the division head's decision
(never the proposer's), objections, payouts per creditor (idempotent, never over the plan), the case-fund
ageing flags and completion (执行完毕) with credit's removal event. Every refusal names its rule and writes
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.choices import PartyRole
from cases.models import CaseParty
from core.exceptions import Conflict, InvalidInput, PermissionDenied, RuleViolation
from credit.choices import RemovalEvent
from enforcement.models import FundEntry, FundEntryKind
from enforcement.services.distribution import (
    completion_offered,
    distribution_decide,
    distribution_objection_decide,
    distribution_objection_record,
    distribution_pay,
    fund_ageing,
    paid_to_creditors,
)
from enforcement.services.ledger import fund_balance
from enforcement.services.lifecycle import case_close
from tests.enforcement.builders import TODAY
from tests.enforcement.distribution_builders import (
    approved,
    creditors,
    debtor_id,
    fund_case,
    nothing_written,
    ordinary,
    proposed,
    receive,
)
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def person_case(court, officer):
    return fund_case(court, officer, person=True, received="10000.00")


@pytest.fixture
def corporate_case(court, officer):
    return fund_case(court, officer, person=False, received="10000.00")


# ---- proposing --------------------------------------------------------------------------------------------------


def test_a_pro_rata_plan_pays_costs_first_then_the_creditors_in_proportion(officer, person_case):
    claims = [{"kind": "costs", "amount": "1000.00", "description": "执行费"}] + ordinary(person_case, "10000", "20000")
    plan = proposed(officer, person_case, "10000.00", claims)
    lines = list(plan.lines.order_by("position"))
    assert [(line.kind, line.allocated) for line in lines] == [
        ("costs", D("1000.00")),
        ("ordinary", D("3000.00")),
        ("ordinary", D("6000.00")),
    ]
    assert plan.status == "proposed"
    assert sum(line.allocated for line in lines) == plan.fund_total


def test_a_control_order_plan_pays_the_first_frozen_in_full(officer, corporate_case):
    claims = ordinary(corporate_case, "8000", "5000", rule="control_order")
    claims[0]["control_position"], claims[1]["control_position"] = 2, 1
    plan = proposed(officer, corporate_case, "10000.00", claims, rule="control_order")
    first, second = creditors(corporate_case)
    assert [(line.recipient_id, line.allocated) for line in plan.lines.order_by("position")] == [
        (second, D("5000.00")),
        (first, D("5000.00")),
    ]


def test_a_remainder_goes_back_to_the_debtor(officer, person_case):
    plan = proposed(officer, person_case, "10000.00", ordinary(person_case, "4000"))
    surplus = plan.lines.get(kind="surplus")
    assert surplus.allocated == D("6000.00")
    assert surplus.recipient_id == debtor_id(person_case)


def test_a_secured_claim_comes_before_ordinary_ones(officer, person_case):
    first, second = creditors(person_case)
    claims = [
        {"kind": "ordinary", "recipient": first, "amount": "50000"},
        {"kind": "secured", "recipient": second, "amount": "7000"},
    ]
    plan = proposed(officer, person_case, "10000.00", claims)
    assert plan.lines.get(kind="secured").allocated == D("7000.00")
    assert plan.lines.get(kind="ordinary").allocated == D("3000.00")


def test_a_plan_over_the_fund_balance_is_refused(officer, person_case):
    with nothing_written(), pytest.raises(RuleViolation) as error:
        proposed(officer, person_case, "10000.01", ordinary(person_case, "50000"))
    assert error.value.code == "distribution.over_fund"


def test_a_plan_over_the_balance_after_payouts_is_refused(officer, person_case):
    FundEntry.objects.create(
        enforcement_case=person_case, kind=FundEntryKind.PAYOUT, amount=D("500"), source="x", reference="P-x"
    )
    assert fund_balance(enforcement_case=person_case) == D("9500.00")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        proposed(officer, person_case, "10000.00", ordinary(person_case, "50000"))
    assert error.value.code == "distribution.over_fund"


@pytest.mark.parametrize(("person", "rule"), [(True, "control_order"), (False, "pro_rata")])
def test_the_order_must_fit_the_debtor(court, officer, person, rule):
    ec = fund_case(court, officer, person=person, received="100")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        proposed(officer, ec, "100", ordinary(ec, "100", rule=rule), rule=rule)
    assert error.value.code == "distribution.rule_mismatch"


def test_debtors_of_both_kinds_need_the_choice_explained(court, officer):
    ec = fund_case(court, officer, person=True, received="100")
    CaseParty.objects.create(case=ec.case, party=PartyFactory(organisation=True), role=PartyRole.DEBTOR)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        proposed(officer, ec, "100", ordinary(ec, "100"))
    assert error.value.code == "distribution.rule_mismatch"
    plan = proposed(officer, ec, "100", ordinary(ec, "100"), note="两名被执行人，按比例分配")
    assert plan.rule == "pro_rata"


@pytest.mark.parametrize(
    "claim",
    [
        {"kind": "ordinary", "recipient": None, "amount": "100"},
        {"kind": "ordinary", "recipient": "stranger", "amount": "100"},
        {"kind": "ordinary", "recipient": "creditor", "amount": "0"},
        {"kind": "ordinary", "recipient": "creditor", "amount": "abc"},
        {"kind": "bonus", "recipient": "creditor", "amount": "100"},
    ],
)
def test_bad_claims_are_refused(officer, person_case, claim):
    if claim["recipient"] == "stranger":
        claim = {**claim, "recipient": PartyFactory().pk}
    elif claim["recipient"] == "creditor":
        claim = {**claim, "recipient": creditors(person_case)[0]}
    with nothing_written(), pytest.raises(InvalidInput) as error:
        proposed(officer, person_case, "100", [claim])
    assert error.value.code == "distribution.invalid"


def test_an_empty_plan_and_a_missing_control_position_are_refused(officer, person_case, corporate_case):
    with nothing_written(), pytest.raises(InvalidInput):
        proposed(officer, person_case, "100", [])
    claims = ordinary(corporate_case, "100", rule="control_order")
    claims[0]["control_position"] = None
    with nothing_written(), pytest.raises(InvalidInput):
        proposed(officer, corporate_case, "100", claims, rule="control_order")


def test_one_open_plan_per_case(officer, person_case):
    proposed(officer, person_case, "100", ordinary(person_case, "100"))
    with nothing_written(), pytest.raises(RuleViolation) as error:
        proposed(officer, person_case, "100", ordinary(person_case, "100"))
    assert error.value.code == "distribution.open_plan"


def test_a_clerk_cannot_propose(court, person_case):
    clerk = UserFactory(clerk=True, court=court)
    with nothing_written(), pytest.raises(PermissionDenied):
        proposed(clerk, person_case, "100", ordinary(person_case, "100"))


# ---- deciding ---------------------------------------------------------------------------------------------------


def test_a_division_head_approves(officer, division_head, person_case):
    plan = approved(officer, division_head, person_case, "100", ordinary(person_case, "100"))
    assert plan.status == "approved"
    assert plan.decided_by == division_head


def test_the_proposer_cannot_approve_their_own_plan(division_head, person_case):
    plan = proposed(division_head, person_case, "100", ordinary(person_case, "100"))
    with nothing_written(), pytest.raises(RuleViolation) as error:
        distribution_decide(actor=division_head, plan=plan, approve=True)
    assert error.value.code == "distribution.self_approval"


def test_the_database_refuses_an_approval_by_the_proposer(division_head, person_case):
    plan = proposed(division_head, person_case, "100", ordinary(person_case, "100"))
    plan.status, plan.decided_by = "approved", division_head
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_an_officer_cannot_approve_and_a_refusal_needs_a_note(officer, other_officer, division_head, person_case):
    plan = proposed(officer, person_case, "100", ordinary(person_case, "100"))
    peer = UserFactory(officer=True, court=officer.court)
    with nothing_written(), pytest.raises(PermissionDenied):
        distribution_decide(actor=peer, plan=plan, approve=True)
    with nothing_written(), pytest.raises(InvalidInput):
        distribution_decide(actor=division_head, plan=plan, approve=False, note="")
    plan = distribution_decide(actor=division_head, plan=plan, approve=False, note="债权数额有误")
    assert plan.status == "refused"
    assert proposed(officer, person_case, "100", ordinary(person_case, "100")).status == "proposed"


# ---- objections -------------------------------------------------------------------------------------------------


def test_an_upheld_objection_sends_the_plan_back_to_draft(officer, division_head, person_case):
    plan = approved(officer, division_head, person_case, "100", ordinary(person_case, "100", "100"))
    party = PartyFactory()
    with nothing_written(), pytest.raises(InvalidInput):
        distribution_objection_record(actor=officer, plan=plan, party=party, text="异议", received_on=TODAY)
    objector = person_case.case.parties.get(pk=creditors(person_case)[1])
    objection = distribution_objection_record(
        actor=officer, plan=plan, party=objector, text="我的债权应为200元", received_on=TODAY
    )
    distribution_objection_decide(actor=officer, objection=objection, upheld=True, outcome="异议成立")
    plan.refresh_from_db()
    assert plan.status == "draft"
    with pytest.raises(RuleViolation):
        distribution_objection_decide(actor=officer, objection=objection, upheld=False, outcome="again")
    new = proposed(officer, person_case, "100", ordinary(person_case, "100", "200"))
    plan.refresh_from_db()
    assert plan.status == "superseded"
    assert new.status == "proposed"


def test_a_dismissed_objection_keeps_the_plan(officer, division_head, person_case):
    plan = approved(officer, division_head, person_case, "100", ordinary(person_case, "100"))
    objector = person_case.case.parties.get(pk=debtor_id(person_case))
    objection = distribution_objection_record(actor=officer, plan=plan, party=objector, text="异议", received_on=TODAY)
    objection = distribution_objection_decide(actor=officer, objection=objection, upheld=False, outcome="异议不成立")
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert objection.outcome.startswith("Dismissed")


# ---- payouts ----------------------------------------------------------------------------------------------------


def test_payouts_are_recorded_per_creditor_and_idempotent(officer, division_head, person_case):
    plan = approved(officer, division_head, person_case, "9000", ordinary(person_case, "10000", "20000"))
    first, second = plan.lines.order_by("position")
    entry = distribution_pay(actor=officer, line=first, amount=D("3000"), reference="PAY-1")
    again = distribution_pay(actor=officer, line=first, amount=D("3000"), reference="PAY-1")
    assert again.pk == entry.pk
    first.refresh_from_db()
    assert first.paid == D("3000.00")
    assert fund_balance(enforcement_case=person_case) == D("7000.00")
    distribution_pay(actor=officer, line=second, amount=D("2000"), reference="PAY-2")
    distribution_pay(actor=officer, line=second, amount=D("4000"), reference="PAY-3")
    plan.refresh_from_db()
    assert plan.status == "paid"
    assert FundEntry.objects.filter(kind=FundEntryKind.PAYOUT).count() == 3
    assert paid_to_creditors(enforcement_case=person_case) == D("9000.00")
    with pytest.raises(Conflict):
        distribution_pay(actor=officer, line=second, amount=D("1"), reference="PAY-1")


def test_a_payout_over_the_plan_is_refused(officer, division_head, person_case):
    plan = approved(officer, division_head, person_case, "100", ordinary(person_case, "100"))
    line = plan.lines.get()
    distribution_pay(actor=officer, line=line, amount=D("60"), reference="PAY-1")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        distribution_pay(actor=officer, line=line, amount=D("40.01"), reference="PAY-2")
    assert error.value.code == "distribution.over_plan"


def test_a_payout_on_a_plan_not_approved_is_refused(officer, person_case):
    plan = proposed(officer, person_case, "100", ordinary(person_case, "100"))
    with nothing_written(), pytest.raises(RuleViolation) as error:
        distribution_pay(actor=officer, line=plan.lines.get(), amount=D("1"), reference="PAY-1")
    assert error.value.code == "distribution.not_approved"


def test_the_fund_never_goes_negative(officer, division_head, person_case):
    plan = approved(officer, division_head, person_case, "10000", ordinary(person_case, "10000"))
    FundEntry.objects.create(
        enforcement_case=person_case, kind=FundEntryKind.PAYOUT, amount=D("9999"), source="x", reference="P-x"
    )
    with nothing_written(), pytest.raises(RuleViolation) as error:
        distribution_pay(actor=officer, line=plan.lines.get(), amount=D("2"), reference="PAY-1")
    assert error.value.code == "distribution.over_fund"


def test_a_plan_that_does_not_reconcile_is_refused_at_approval(officer, division_head, person_case):
    plan = proposed(officer, person_case, "100", ordinary(person_case, "100"))
    plan.lines.update(allocated=D("99"))
    with nothing_written(), pytest.raises(RuleViolation) as error:
        distribution_decide(actor=division_head, plan=plan, approve=True)
    assert error.value.code == "distribution.not_reconciling"


# ---- ageing -----------------------------------------------------------------------------------------------------


def _at(days_ago: int):
    return timezone.now() - dt.timedelta(days=days_ago)


@pytest.mark.parametrize(("days", "flag"), [(4, 0), (5, 5), (9, 5), (10, 10), (15, 15), (29, 15), (30, 30), (45, 30)])
def test_ageing_flags_a_receipt_held_5_10_15_30_days(court, officer, days, flag):
    ec = fund_case(court, officer, received="0")
    entry = receive(ec, "100", "R-1")
    FundEntry.objects.filter(pk=entry.pk).update(at=_at(days))
    (row,) = fund_ageing(user=officer, today=timezone.localdate(), enforcement_case=ec)
    assert (row.days, row.flag, row.paid_out) == (days, flag, False)


def test_ageing_matches_payouts_to_receipts_first_in_first_out(court, officer, other_officer):
    ec = fund_case(court, officer, received="0")
    first, second = receive(ec, "100", "R-1"), receive(ec, "100", "R-2")
    FundEntry.objects.filter(pk=first.pk).update(at=_at(20))
    FundEntry.objects.filter(pk=second.pk).update(at=_at(12))
    FundEntry.objects.create(
        enforcement_case=ec, kind=FundEntryKind.PAYOUT, amount=D("150"), source="x", reference="P-1", at=_at(8)
    )
    rows = fund_ageing(user=officer, today=timezone.localdate())
    assert [(r.days, r.paid_out, r.outstanding, r.flag) for r in rows] == [
        (12, True, D("0"), 10),
        (12, False, D("50"), 10),
    ]
    assert fund_ageing(user=other_officer, today=timezone.localdate()) == []


# ---- completion (执行完毕) ---------------------------------------------------------------------------------------


def test_closing_after_payout_records_credits_removal_event(
    court, officer, division_head, media_root, django_capture_on_commit_callbacks
):
    from tests.credit.listing_builders import listed, listing_case

    ec = listing_case(court, officer, amount="5000.00")
    listing = listed(officer, division_head, ec)
    receive(ec, "5000.00", "R-all")
    ec.refresh_from_db()
    claims = [{"kind": "ordinary", "recipient": creditors(ec)[0], "amount": "5000.00"}]
    plan = approved(officer, division_head, ec, "5000.00", claims)
    assert not completion_offered(enforcement_case=ec)  # received, but still held in the case fund
    distribution_pay(actor=officer, line=plan.lines.get(), amount=D("5000.00"), reference="PAY-all")
    assert paid_to_creditors(enforcement_case=ec) == D("5000.00")
    assert completion_offered(enforcement_case=ec)
    with django_capture_on_commit_callbacks(execute=True):
        case_close(actor=officer, enforcement_case=ec, kind="completed", reason="", on=TODAY)
    ec.refresh_from_db()
    assert ec.closing_kind == "completed"
    assert ec.performed_amount == D("5000.00")
    listing.refresh_from_db()
    assert listing.removal_event == RemovalEvent.PERFORMED
    assert not completion_offered(enforcement_case=ec)
