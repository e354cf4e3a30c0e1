"""Completion (执行完毕) after the payout: closing sends ``case_closed(kind=completed)`` and the proposed assets
receiver (``assets/receivers_completion.py``, connected here until the lead wires it in ``AssetsConfig``)
sends release orders for the case's live control measures; other closings leave them alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assets.choices import RequestKind
from assets.models import AgencyRequest, ControlMeasure
from assets.receivers_completion import release_when_completed
from enforcement.services.distribution import completion_offered, distribution_pay
from enforcement.services.lifecycle import case_close
from enforcement.signals import case_closed
from tests.assets.builders import make_agency
from tests.assets.test_controls import make_asset, order_confirmed
from tests.enforcement.builders import TODAY
from tests.enforcement.distribution_builders import approved, fund_case, ordinary

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_agency(db):
    agency, _key = make_agency("BANK-D3", kind="bank", categories=["deposit"])
    return agency


@pytest.fixture
def receiver():
    case_closed.connect(release_when_completed, dispatch_uid="test.release_when_completed")
    yield
    case_closed.disconnect(dispatch_uid="test.release_when_completed")


def _paid_out_case(court, officer, head, bank_agency):
    ec = fund_case(court, officer, person=False, amount="5000.00", received="0", extra_creditors=0)
    measure = order_confirmed(officer, ec, make_asset(ec, bank_agency))
    from tests.enforcement.distribution_builders import receive

    receive(ec, "5000.00", "R-sale")
    plan = approved(officer, head, ec, "5000.00", ordinary(ec, "5000.00", rule="control_order"), rule="control_order")
    distribution_pay(actor=officer, line=plan.lines.get(), amount=Decimal("5000.00"), reference="PAY-sale")
    ec.refresh_from_db()
    return ec, measure


def test_closing_as_completed_releases_the_live_measures(
    court, officer, division_head, bank_agency, receiver, django_capture_on_commit_callbacks
):
    ec, measure = _paid_out_case(court, officer, division_head, bank_agency)
    assert completion_offered(enforcement_case=ec)
    with django_capture_on_commit_callbacks(execute=True):
        case_close(actor=officer, enforcement_case=ec, kind="completed", reason="", on=TODAY)
    measure.refresh_from_db()
    assert measure.release_requested_at is not None
    assert AgencyRequest.objects.filter(measure=measure, kind=RequestKind.RELEASE).exists()


def test_another_closing_or_no_actor_releases_nothing(court, officer, division_head, bank_agency, receiver):
    ec, measure = _paid_out_case(court, officer, division_head, bank_agency)
    assert release_when_completed(None, enforcement_case=ec, kind="terminated", actor=officer) == []
    assert release_when_completed(None, enforcement_case=ec, kind="completed", actor=None) == []
    assert ControlMeasure.objects.get(pk=measure.pk).release_requested_at is None
