"""The case-fund ledger (enforcement.services.ledger): receipts are idempotent on their reference, and what
is owed is the case amount less the receipts."""

from decimal import Decimal

import pytest

from core.exceptions import Conflict
from enforcement.models import FundEntry
from enforcement.services import fund_balance, fund_owed, fund_receive, fund_received

pytestmark = pytest.mark.django_db


def test_a_receipt_recorded_twice_under_one_reference_is_recorded_once(officer, enforcement_case):
    first, created = fund_receive(
        actor=officer, enforcement_case=enforcement_case, amount=Decimal("100.50"), source="deduction", reference="R-1"
    )
    again, created_again = fund_receive(
        actor=officer, enforcement_case=enforcement_case, amount=Decimal("100.50"), source="deduction", reference="R-1"
    )
    assert (created, created_again, again) == (True, False, first)
    assert FundEntry.objects.count() == 1
    enforcement_case.refresh_from_db()
    assert enforcement_case.performed_amount == Decimal("100.50")


def test_a_reference_reused_for_another_amount_is_a_conflict(officer, enforcement_case):
    fund_receive(actor=officer, enforcement_case=enforcement_case, amount=Decimal("1"), source="x", reference="R-1")
    with pytest.raises(Conflict) as refusal:
        fund_receive(actor=officer, enforcement_case=enforcement_case, amount=Decimal("2"), source="x", reference="R-1")
    assert refusal.value.code == "ledger.reference_reused"
    assert FundEntry.objects.count() == 1


def test_owed_is_the_case_amount_less_the_receipts_and_never_below_zero(officer, enforcement_case):
    assert fund_owed(enforcement_case=enforcement_case) == Decimal("100000.00")
    fund_receive(actor=officer, enforcement_case=enforcement_case, amount=Decimal("40000"), source="x", reference="a")
    assert fund_received(enforcement_case=enforcement_case) == Decimal("40000.00")
    assert fund_balance(enforcement_case=enforcement_case) == Decimal("40000.00")
    assert fund_owed(enforcement_case=enforcement_case) == Decimal("60000.00")
    fund_receive(actor=officer, enforcement_case=enforcement_case, amount=Decimal("70000"), source="x", reference="b")
    assert fund_owed(enforcement_case=enforcement_case) == Decimal("0.00")
