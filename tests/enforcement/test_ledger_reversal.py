"""Reversing a receipt (冲销) in the case-fund ledger: the money of a receipt that never arrived — a buyer at
auction who defaulted — is taken back out with a reversal entry, once, and only while the fund still holds it
free of payouts and open distribution plans."""

from decimal import Decimal

import pytest

from core.exceptions import InvalidInput, RuleViolation
from core.models import AuditLog
from enforcement.models import FundEntry, FundEntryKind
from enforcement.services import fund_balance, fund_owed, fund_received, fund_reverse
from enforcement.services.distribution import distribution_pay, fund_ageing
from tests.enforcement.distribution_builders import (
    approved,
    fund_case,
    nothing_written,
    ordinary,
    proposed,
    receive,
)

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_reversal_takes_the_receipt_out_of_what_was_received_and_what_is_held(court, officer):
    ec = fund_case(court, officer, amount="100000.00", received="30000.00")
    sale = receive(ec, "50000.00", "auction-1")
    reversal = fund_reverse(actor=officer, receipt=sale, reason="the buyer did not pay")
    ec.refresh_from_db()
    assert (reversal.kind, reversal.amount, reversal.reverses) == (FundEntryKind.REVERSAL, D("50000.00"), sale)
    assert fund_received(enforcement_case=ec) == D("30000.00")
    assert fund_balance(enforcement_case=ec) == D("30000.00")
    assert fund_owed(enforcement_case=ec) == D("70000.00")
    assert ec.performed_amount == D("30000.00")
    log = AuditLog.objects.get(action="fund.reverse")
    assert log.reason == "the buyer did not pay" and log.changes["reference"] == "auction-1"


def test_a_receipt_is_reversed_once(court, officer):
    ec = fund_case(court, officer)
    sale = receive(ec, "500.00", "auction-2")
    first = fund_reverse(actor=officer, receipt=sale, reason="default")
    with nothing_written():
        again = fund_reverse(actor=officer, receipt=sale, reason="default")
    assert again == first
    assert fund_received(enforcement_case=ec) == D("0.00")


def test_a_reversal_needs_a_reason_and_a_receipt(court, officer):
    ec = fund_case(court, officer, received="100.00")
    receipt = FundEntry.objects.get(enforcement_case=ec)
    with nothing_written(), pytest.raises(InvalidInput):
        fund_reverse(actor=officer, receipt=receipt, reason="  ")
    reversal = fund_reverse(actor=officer, receipt=receipt, reason="bounced")
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        fund_reverse(actor=officer, receipt=reversal, reason="again")
    assert refusal.value.code == "ledger.not_receipt"


def test_money_promised_in_an_open_plan_is_not_reversed(court, officer, division_head):
    ec = fund_case(court, officer, extra_creditors=0, received="1000.00")
    sale = receive(ec, "2000.00", "auction-3")
    proposed(officer, ec, "3000.00", ordinary(ec, "3000.00"))
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        fund_reverse(actor=officer, receipt=sale, reason="default")
    assert refusal.value.code == "ledger.reversal_exceeds_fund"
    assert "distribution plan" in str(refusal.value)


def test_money_already_paid_out_is_not_reversed(court, officer, division_head):
    ec = fund_case(court, officer, extra_creditors=0)
    sale = receive(ec, "2000.00", "auction-4")
    plan = approved(officer, division_head, ec, "2000.00", ordinary(ec, "2000.00"))
    distribution_pay(actor=officer, line=plan.lines.get(), amount=D("2000.00"), reference="PAY-1")
    with nothing_written(), pytest.raises(RuleViolation):
        fund_reverse(actor=officer, receipt=sale, reason="default")


def test_fund_ageing_leaves_out_a_reversed_receipt(court, officer):
    import datetime as dt

    ec = fund_case(court, officer, received="100.00")
    sale = receive(ec, "900.00", "auction-5")
    fund_reverse(actor=officer, receipt=sale, reason="default")
    rows = fund_ageing(user=officer, today=dt.date.today(), enforcement_case=ec)
    assert [row.entry.reference for row in rows] == [f"R-initial-{ec.pk}"]
