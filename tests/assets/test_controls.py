"""Control measures: the caps of 民诉法解释 2022 art. 485, 首封 and 轮候 promotion on release, renewal before
expiry, lapse at expiry, deductions within the frozen and owed amounts, and refusals that write nothing.

Also the helpers the other control tests import (``make_asset``, ``order_confirmed``, ``confirm``)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest

from assets.choices import ControlStatus, DeductionStatus, RequestKind, RequestStatus
from assets.models import AgencyRequest, Asset, ControlMeasure, Deduction, ExpiryReminder
from assets.services import (
    control_confirm,
    control_deduct,
    control_order,
    control_release,
    control_renew,
    controls_lapse_due,
)
from core.exceptions import Conflict, InvalidInput, RuleViolation
from core.models import AuditLog
from enforcement.choices import Status
from enforcement.models import EnforcementCase, FundEntry
from tests.enforcement.builders import case_in

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CONTROL_TABLES = (ControlMeasure, AgencyRequest, Deduction, FundEntry, ExpiryReminder, AuditLog)


def control_counts() -> dict:
    counts = {model.__name__: model.objects.count() for model in CONTROL_TABLES}
    counts["measures"] = sorted(
        ControlMeasure.objects.values_list("pk", "status", "expires_on", "release_requested_at")
    )
    counts["performed"] = sorted(EnforcementCase.objects.values_list("pk", "performed_amount"))
    return counts


@contextmanager
def nothing_controlled():
    before = control_counts()
    yield
    assert control_counts() == before


def make_asset(enforcement_case, agency, *, category="deposit", identifier="6222020200112233445", value="50000.00"):
    debtor = enforcement_case.case.party_links.filter(role="debtor").first().party
    return Asset.objects.create(
        case=enforcement_case.case,
        debtor=debtor,
        category=category,
        agency=agency,
        identifier=identifier,
        value=Decimal(value) if value else None,
    )


def request_of(measure, kind=None) -> AgencyRequest:
    queryset = AgencyRequest.objects.filter(measure=measure)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.latest("id")


def confirm(measure, *, kind=None, outcome="done", reference="CONF-1", now=NOW):
    request = request_of(measure, kind)
    control_confirm(agency=request.agency, request_id=request.pk, outcome=outcome, reference=reference, now=now)
    measure.refresh_from_db()
    return measure


def order_confirmed(officer, enforcement_case, asset, **kwargs):
    kwargs.setdefault("kind", "freeze")
    kwargs.setdefault("starts_on", START)
    if asset.category == "deposit":
        kwargs.setdefault("amount", Decimal("50000.00"))
    measure = control_order(actor=officer, enforcement_case=enforcement_case, asset=asset, now=NOW, **kwargs)
    return confirm(measure)


@pytest.fixture
def deposit(enforcement_case, bank):
    return make_asset(enforcement_case, bank[0])


# ---- caps (art. 485) ----------------------------------------------------------------------------------------

CAPS = [
    ("deposit", "freeze", 1),
    ("vehicle", "impound", 2),
    ("ship", "seal", 2),
    ("real_estate", "seal", 3),
    ("equity", "freeze", 3),
    ("securities", "freeze", 3),
]


@pytest.mark.parametrize(("category", "kind", "years"), CAPS)
def test_a_measure_may_last_exactly_the_cap_of_its_property_class(
    officer, enforcement_case, bank, category, kind, years
):
    asset = make_asset(enforcement_case, bank[0], category=category, identifier=f"X-{category}")
    expires_on = START.replace(year=START.year + years)
    measure = control_order(
        actor=officer,
        enforcement_case=enforcement_case,
        asset=asset,
        kind=kind,
        amount=Decimal("100.00"),
        starts_on=START,
        expires_on=expires_on,
        now=NOW,
    )
    assert (measure.status, measure.expires_on, measure.position) == (ControlStatus.ORDERED, expires_on, 1)
    request = request_of(measure)
    assert (request.kind, request.agency, request.status) == (kind, bank[0], RequestStatus.PENDING)
    assert request.payload["expires_on"] == expires_on.isoformat()


@pytest.mark.parametrize(("category", "kind", "years"), CAPS)
def test_a_measure_one_day_over_the_cap_is_refused_naming_article_485_and_nothing_is_written(
    officer, enforcement_case, bank, category, kind, years
):
    asset = make_asset(enforcement_case, bank[0], category=category, identifier=f"X-{category}")
    with nothing_controlled(), pytest.raises(InvalidInput) as refusal:
        control_order(
            actor=officer,
            enforcement_case=enforcement_case,
            asset=asset,
            kind=kind,
            amount=Decimal("100.00"),
            starts_on=START,
            expires_on=START.replace(year=START.year + years) + dt.timedelta(days=1),
        )
    assert refusal.value.code == "control.period_over_cap"
    assert "art. 485" in refusal.value.message
    assert f"at most {years} year(s)" in refusal.value.message


def test_the_period_defaults_to_the_cap(officer, enforcement_case, deposit):
    measure = control_order(
        actor=officer,
        enforcement_case=enforcement_case,
        asset=deposit,
        kind="freeze",
        amount=Decimal("10.00"),
        starts_on=START,
    )
    assert measure.expires_on == dt.date(2027, 3, 2)


def test_a_record_that_is_not_property_cannot_be_controlled(officer, enforcement_case, bank):
    asset = make_asset(enforcement_case, bank[0], category="tax", identifier="TAX-1", value=None)
    with nothing_controlled(), pytest.raises(RuleViolation) as refusal:
        control_order(actor=officer, enforcement_case=enforcement_case, asset=asset, kind="seal", starts_on=START)
    assert refusal.value.code == "control.not_controllable"


def test_a_deposit_freeze_names_its_amount(officer, enforcement_case, deposit):
    with nothing_controlled(), pytest.raises(InvalidInput) as refusal:
        control_order(actor=officer, enforcement_case=enforcement_case, asset=deposit, kind="freeze", starts_on=START)
    assert refusal.value.code == "control.amount_required"


@pytest.mark.parametrize("status", [Status.CLOSED, Status.SUSPENDED])
def test_a_control_order_on_a_closed_or_suspended_case_is_refused_and_nothing_is_written(
    officer, court, bank, debtors, status
):
    ec = case_in(status, court, debtors=debtors, officer=officer)
    asset = make_asset(ec, bank[0])
    with nothing_controlled(), pytest.raises(RuleViolation) as refusal:
        control_order(
            actor=officer, enforcement_case=ec, asset=asset, kind="freeze", amount=Decimal("1.00"), starts_on=START
        )
    assert refusal.value.code == "control.case_not_open"


def test_an_asset_of_another_case_is_refused(officer, court, enforcement_case, bank, debtors):
    other = case_in(Status.INVESTIGATING, court, debtors=debtors, officer=officer)
    asset = make_asset(other, bank[0])
    with nothing_controlled(), pytest.raises(InvalidInput) as refusal:
        control_order(
            actor=officer,
            enforcement_case=enforcement_case,
            asset=asset,
            kind="freeze",
            amount=Decimal("1"),
            starts_on=START,
        )
    assert refusal.value.code == "control.foreign_asset"


# ---- 首封 and 轮候 ---------------------------------------------------------------------------------------------


def test_the_first_confirmed_measure_is_primary_and_later_ones_wait_in_line(officer, enforcement_case, deposit):
    first, second, third = (order_confirmed(officer, enforcement_case, deposit) for _ in range(3))
    assert [(m.status, m.position) for m in (first, second, third)] == [
        (ControlStatus.ACTIVE, 1),
        (ControlStatus.WAITING, 2),
        (ControlStatus.WAITING, 3),
    ]
    assert first.confirmed_at == NOW and first.confirmation_reference == "CONF-1"


def test_release_takes_effect_on_confirmation_and_promotes_the_waiting_measures_in_order(
    officer, enforcement_case, deposit
):
    first, second, third = (order_confirmed(officer, enforcement_case, deposit) for _ in range(3))

    control_release(actor=officer, measure=first, reason="债务已履行", now=NOW)
    first.refresh_from_db()
    assert first.status == ControlStatus.ACTIVE and first.release_requested_at == NOW
    assert request_of(first, RequestKind.RELEASE).payload["reason"] == "债务已履行"

    released_on = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    confirm(first, kind=RequestKind.RELEASE, now=released_on)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, first.ended_on) == (ControlStatus.RELEASED, dt.date(2026, 6, 1))
    assert (second.status, third.status) == (ControlStatus.ACTIVE, ControlStatus.WAITING)
    # The promoted measure's period runs from the day it takes effect, as long as ordered (one year).
    assert (second.starts_on, second.expires_on) == (dt.date(2026, 6, 1), dt.date(2027, 6, 1))

    control_release(actor=officer, measure=second, reason="解除", now=released_on)
    confirm(second, kind=RequestKind.RELEASE, now=released_on)
    third.refresh_from_db()
    assert third.status == ControlStatus.ACTIVE


def test_releasing_a_waiting_measure_promotes_nothing(officer, enforcement_case, deposit):
    first, second, third = (order_confirmed(officer, enforcement_case, deposit) for _ in range(3))
    control_release(actor=officer, measure=second, reason="撤回", now=NOW)
    confirm(second, kind=RequestKind.RELEASE)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, second.status, third.status) == (
        ControlStatus.ACTIVE,
        ControlStatus.RELEASED,
        ControlStatus.WAITING,
    )


def test_a_release_cannot_be_sent_twice(officer, enforcement_case, deposit):
    measure = order_confirmed(officer, enforcement_case, deposit)
    control_release(actor=officer, measure=measure, reason="解除", now=NOW)
    with nothing_controlled(), pytest.raises(RuleViolation) as refusal:
        control_release(actor=officer, measure=measure, reason="解除", now=NOW)
    assert refusal.value.code == "control.release_pending"


def test_an_order_the_agency_refuses_holds_no_place(officer, enforcement_case, deposit):
    measure = control_order(
        actor=officer,
        enforcement_case=enforcement_case,
        asset=deposit,
        kind="freeze",
        amount=Decimal("1"),
        starts_on=START,
    )
    confirm(measure, outcome="refused")
    later = order_confirmed(officer, enforcement_case, deposit)
    assert (measure.status, later.status) == (ControlStatus.REFUSED, ControlStatus.ACTIVE)


# ---- renewal (续行) ------------------------------------------------------------------------------------------


def test_a_renewal_before_expiry_may_run_the_same_cap_from_the_old_expiry(officer, enforcement_case, deposit):
    measure = order_confirmed(officer, enforcement_case, deposit)  # until 2027-03-02
    before_expiry = dt.datetime(2027, 2, 20, 9, 0, tzinfo=dt.UTC)

    renewal = control_renew(actor=officer, measure=measure, expires_on=dt.date(2028, 3, 2), now=before_expiry)

    assert (renewal.status, renewal.starts_on, renewal.renewed_from) == (
        ControlStatus.ORDERED,
        dt.date(2027, 3, 2),
        measure,
    )
    assert request_of(renewal).kind == RequestKind.RENEW
    confirm(renewal, now=before_expiry)
    measure.refresh_from_db()
    assert (measure.status, renewal.status, renewal.position) == (ControlStatus.RENEWED, ControlStatus.ACTIVE, 1)


def test_a_renewal_over_the_same_cap_is_refused(officer, enforcement_case, deposit):
    measure = order_confirmed(officer, enforcement_case, deposit)
    with nothing_controlled(), pytest.raises(InvalidInput) as refusal:
        control_renew(
            actor=officer,
            measure=measure,
            expires_on=dt.date(2028, 3, 3),
            now=dt.datetime(2027, 2, 20, tzinfo=dt.UTC),
        )
    assert refusal.value.code == "control.period_over_cap"


def test_a_renewal_on_or_after_the_expiry_day_is_refused(officer, enforcement_case, deposit):
    measure = order_confirmed(officer, enforcement_case, deposit)
    with nothing_controlled(), pytest.raises(RuleViolation) as refusal:
        control_renew(
            actor=officer,
            measure=measure,
            expires_on=dt.date(2028, 1, 1),
            now=dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC),
        )
    assert refusal.value.code == "control.renewal_after_expiry"


# ---- lapse at expiry ------------------------------------------------------------------------------------------


def test_an_unrenewed_measure_lapses_at_expiry_and_the_next_one_takes_effect(officer, enforcement_case, deposit):
    first, second = (order_confirmed(officer, enforcement_case, deposit) for _ in range(2))

    assert controls_lapse_due(today=dt.date(2027, 3, 1)) == {"lapsed": 0, "promoted": 0}
    assert controls_lapse_due(today=dt.date(2027, 3, 2)) == {"lapsed": 1, "promoted": 1}

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.ended_on) == (ControlStatus.LAPSED, dt.date(2027, 3, 2))
    assert (second.status, second.starts_on, second.expires_on) == (
        ControlStatus.ACTIVE,
        dt.date(2027, 3, 2),
        dt.date(2028, 3, 2),
    )
    assert controls_lapse_due(today=dt.date(2027, 3, 2)) == {"lapsed": 0, "promoted": 0}


# ---- deductions (扣划) ---------------------------------------------------------------------------------------


def test_a_deduction_never_exceeds_the_amount_still_frozen(officer, enforcement_case, deposit):
    freeze = order_confirmed(officer, enforcement_case, deposit, amount=Decimal("50000.00"))
    control_deduct(actor=officer, measure=freeze, amount=Decimal("30000.00"), reference="D-1", now=NOW)

    with nothing_controlled(), pytest.raises(Conflict) as refusal:
        control_deduct(actor=officer, measure=freeze, amount=Decimal("20000.01"), reference="D-2", now=NOW)
    assert (refusal.value.status_code, refusal.value.code) == (409, "control.deduction_exceeds_frozen")
    assert refusal.value.extra == {"available": "20000.00"}
    control_deduct(actor=officer, measure=freeze, amount=Decimal("20000.00"), reference="D-3", now=NOW)


def test_a_deduction_never_exceeds_what_is_still_owed(officer, enforcement_case, deposit):
    # The case is for 100 000.00; the freeze is larger.
    freeze = order_confirmed(officer, enforcement_case, deposit, amount=Decimal("150000.00"))
    deduction = control_deduct(actor=officer, measure=freeze, amount=Decimal("60000.00"), reference="D-1", now=NOW)
    confirm(freeze, kind=RequestKind.DEDUCT)
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.CONFIRMED
    control_deduct(actor=officer, measure=freeze, amount=Decimal("30000.00"), reference="D-2", now=NOW)  # pending

    with nothing_controlled(), pytest.raises(Conflict) as refusal:
        control_deduct(actor=officer, measure=freeze, amount=Decimal("10000.01"), reference="D-3", now=NOW)
    assert refusal.value.code == "control.deduction_exceeds_owed"
    assert refusal.value.extra == {"owed": "10000.00"}


def test_a_confirmed_deduction_is_received_into_the_ledger_once(officer, enforcement_case, deposit):
    freeze = order_confirmed(officer, enforcement_case, deposit)
    deduction = control_deduct(actor=officer, measure=freeze, amount=Decimal("12345.67"), reference="D-1", now=NOW)
    request = deduction.request

    for _ in range(2):  # the agency confirms twice
        control_confirm(agency=request.agency, request_id=request.pk, outcome="done", reference="BANK-9")

    [entry] = FundEntry.objects.all()
    assert (entry.enforcement_case_id, entry.amount, entry.source, entry.reference) == (
        enforcement_case.pk,
        Decimal("12345.67"),
        "deduction",
        f"agency-request:{request.pk}",
    )
    enforcement_case.refresh_from_db()
    assert enforcement_case.performed_amount == Decimal("12345.67")


def test_a_refused_deduction_frees_the_frozen_amount_again(officer, enforcement_case, deposit):
    freeze = order_confirmed(officer, enforcement_case, deposit, amount=Decimal("100.00"))
    control_deduct(actor=officer, measure=freeze, amount=Decimal("100.00"), reference="D-1", now=NOW)
    confirm(freeze, kind=RequestKind.DEDUCT, outcome="refused")
    assert not FundEntry.objects.exists()
    control_deduct(actor=officer, measure=freeze, amount=Decimal("100.00"), reference="D-2", now=NOW)


def test_a_deduction_sent_again_with_its_reference_is_recorded_once(officer, enforcement_case, deposit):
    freeze = order_confirmed(officer, enforcement_case, deposit)
    first = control_deduct(actor=officer, measure=freeze, amount=Decimal("10.00"), reference="D-1", now=NOW)
    with nothing_controlled():
        again = control_deduct(actor=officer, measure=freeze, amount=Decimal("10.00"), reference="D-1", now=NOW)
    assert again == first
    with nothing_controlled(), pytest.raises(Conflict) as refusal:
        control_deduct(actor=officer, measure=freeze, amount=Decimal("11.00"), reference="D-1", now=NOW)
    assert refusal.value.code == "control.deduction_reference_reused"


def test_money_is_deducted_only_from_a_freeze_in_force(officer, enforcement_case, deposit):
    order_confirmed(officer, enforcement_case, deposit)
    waiting = order_confirmed(officer, enforcement_case, deposit)
    with nothing_controlled(), pytest.raises(RuleViolation) as refusal:
        control_deduct(actor=officer, measure=waiting, amount=Decimal("1.00"), reference="D-1", now=NOW)
    assert refusal.value.code == "control.not_an_active_freeze"


def test_another_courts_officer_cannot_touch_a_measure(officer, other_officer, enforcement_case, deposit):
    from core.exceptions import NotFound

    measure = order_confirmed(officer, enforcement_case, deposit)
    with nothing_controlled(), pytest.raises(NotFound):
        control_release(actor=other_officer, measure=measure, reason="x")
