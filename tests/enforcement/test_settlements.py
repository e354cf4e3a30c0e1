"""Settlement agreements (执行和解): recorded while the case is open, marked performed once, dates checked."""

import datetime as dt
from decimal import Decimal

import pytest

from core.exceptions import InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import ClosingKind, Status
from enforcement.services import case_close, settlement_mark_performed, settlement_record
from tests.enforcement.builders import TODAY, case_in
from tests.enforcement.termination_builders import nothing_written
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def record(actor, ec, **kwargs):
    kwargs.setdefault("agreed_on", TODAY - dt.timedelta(days=3))
    kwargs.setdefault("terms", "被执行人分两期支付五万元，申请执行人放弃其余请求。")
    return settlement_record(actor=actor, enforcement_case=ec, **kwargs)


def test_a_settlement_recorded_and_performed_lets_the_case_close_as_settled(court, officer):
    ec = case_in(Status.INVESTIGATING, court)
    settlement = record(officer, ec, amount=Decimal("50000.00"))
    assert (settlement.recorded_by, settlement.performed_on) == (officer, None)
    settlement = settlement_mark_performed(actor=officer, settlement=settlement, on=TODAY)
    assert (settlement.performed_on, settlement.performance_recorded_by) == (TODAY, officer)
    assert AuditLog.objects.filter(action__startswith="enforcement.settlement_").count() == 2
    after = case_close(actor=officer, enforcement_case=ec, kind=ClosingKind.SETTLED, reason="和解履行完毕", on=TODAY)
    assert after.closing_kind == ClosingKind.SETTLED


def test_dates_are_not_in_the_future_nor_before_filing_or_agreement(court, officer):
    ec = case_in(Status.INVESTIGATING, court, filing_date=TODAY - dt.timedelta(days=30))
    for day in (TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=31)):
        with nothing_written(), pytest.raises(InvalidInput) as caught:
            record(officer, ec, agreed_on=day)
        assert caught.value.code == "settlement.invalid" and "agreed_on" in caught.value.fields
    settlement = record(officer, ec, agreed_on=TODAY - dt.timedelta(days=3))
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        settlement_mark_performed(actor=officer, settlement=settlement, on=TODAY - dt.timedelta(days=4))
    assert caught.value.fields == {"on": [f"The date cannot be before {TODAY - dt.timedelta(days=3)}."]}


def test_terms_are_needed_and_an_amount_is_positive(court, officer):
    ec = case_in(Status.INVESTIGATING, court)
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        record(officer, ec, terms=" ", amount=Decimal("0"))
    assert set(caught.value.fields) == {"terms", "amount"}


def test_a_settlement_is_marked_performed_once_and_only_while_the_case_is_open(court, officer):
    ec = case_in(Status.INVESTIGATING, court)
    settlement = settlement_mark_performed(actor=officer, settlement=record(officer, ec), on=TODAY)
    with nothing_written(), pytest.raises(RuleViolation) as caught:
        settlement_mark_performed(actor=officer, settlement=settlement, on=TODAY)
    assert caught.value.code == "settlement.already_performed"
    closed = case_in(Status.CLOSED, court, closing_kind=ClosingKind.COMPLETED)
    with nothing_written(), pytest.raises(RuleViolation) as caught:
        record(officer, closed)
    assert caught.value.code == "settlement.case_closed"


def test_only_an_officer_of_the_court_records_a_settlement(court, officer, other_officer):
    ec = case_in(Status.INVESTIGATING, court)
    with nothing_written(), pytest.raises(NotFound):
        record(other_officer, ec)
    clerk = UserFactory(clerk=True, court=court, username="clerk-s")
    with nothing_written(), pytest.raises(PermissionDenied):
        record(clerk, ec)
