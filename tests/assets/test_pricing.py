"""Reference price (参考价规定 2018): the order of the methods, negotiation, directed inquiry, the online inquiry
with its late, extended and objected answers, the commissioned valuation, and the one-year validity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assets.choices import AssetCategory, ControlStatus, PriceMethod, PriceStatus
from assets.models import PriceQuote, ReferencePrice
from assets.services import (
    price_appraisal_commission,
    price_appraisal_extend,
    price_appraisal_objection,
    price_appraisal_report,
    price_current,
    price_directed,
    price_inquiries_due,
    price_inquiry_close_round,
    price_inquiry_send,
    price_inquiry_settle,
    price_negotiated,
    price_objection,
    price_objection_reject,
    price_quote_answer,
    price_start,
)
from core.exceptions import InvalidInput, NotFound, PermissionDenied, RuleViolation
from tests.assets import pricing_builders
from tests.assets.pricing_builders import CONTROL_ON, controlled_asset, noon, nothing_priced
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
house, platforms, valuers = pricing_builders.house, pricing_builders.platforms, pricing_builders.valuers  # fixtures
DAY = CONTROL_ON + dt.timedelta(days=10)
SENT = noon(DAY)


def failed(officer, asset, method, **kwargs):
    price = price_start(actor=officer, asset=asset, method=method, on=DAY, **kwargs)
    ReferencePrice.objects.filter(pk=price.pk).update(status=PriceStatus.FAILED)
    return price


# -- order of the methods -----------------------------------------------------------------------------------


def test_negotiation_starts_first_and_records_the_control(officer, house):
    price = price_start(actor=officer, asset=house, method=PriceMethod.NEGOTIATION, on=DAY)
    assert price.status == PriceStatus.IN_PROGRESS
    assert price.details["control_on"] == CONTROL_ON.isoformat()
    assert "late_start" not in price.details


def test_a_start_after_30_days_is_recorded_late_not_refused(officer, house):
    price = price_start(
        actor=officer, asset=house, method=PriceMethod.NEGOTIATION, on=CONTROL_ON + dt.timedelta(days=31)
    )
    assert price.details["late_start"] is True


def test_a_later_method_is_refused_while_an_earlier_one_has_not_failed(officer, house):
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_start(actor=officer, asset=house, method=PriceMethod.DIRECTED, on=DAY)
    assert error.value.code == "price.method_order"
    assert "Agreed by the parties" in str(error.value.message)


def test_a_skip_reason_lets_a_later_method_start_and_is_stored(officer, house):
    price = price_start(
        actor=officer, asset=house, method=PriceMethod.DIRECTED, on=DAY, skip_reason="The debtor cannot be found."
    )
    assert price.details["skipped"] == ["negotiation"]
    assert price.details["skip_reason"] == "The debtor cannot be found."


def test_each_method_follows_the_failure_of_the_one_before(officer, house, platforms):
    failed(officer, house, PriceMethod.NEGOTIATION)
    failed(officer, house, PriceMethod.DIRECTED)
    with pytest.raises(RuleViolation) as error:
        price_start(actor=officer, asset=house, method=PriceMethod.APPRAISAL, on=DAY)
    assert error.value.code == "price.method_order"
    failed(officer, house, PriceMethod.ONLINE)
    price = price_start(actor=officer, asset=house, method=PriceMethod.APPRAISAL, on=DAY)
    assert "skipped" not in price.details


def test_no_online_inquiry_for_an_asset_needing_a_valuer(officer, enforcement_case, bank):
    equity = controlled_asset(enforcement_case, bank[0], category=AssetCategory.EQUITY, identifier="EQ-1")
    failed(officer, equity, PriceMethod.NEGOTIATION)
    failed(officer, equity, PriceMethod.DIRECTED)
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_start(actor=officer, asset=equity, method=PriceMethod.ONLINE, on=DAY)
    assert error.value.code == "price.online_not_applicable"
    # the online inquiry counts as skipped: the valuation follows the directed inquiry
    assert price_start(actor=officer, asset=equity, method=PriceMethod.APPRAISAL, on=DAY).method == "appraisal"


def test_an_asset_not_under_control_gets_no_price(officer, enforcement_case, local_registry):
    asset = controlled_asset(enforcement_case, local_registry[0], status=ControlStatus.RELEASED)
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_start(actor=officer, asset=asset, method=PriceMethod.NEGOTIATION, on=DAY)
    assert error.value.code == "price.not_controlled"


def test_one_price_in_progress_at_a_time(officer, house):
    price_start(actor=officer, asset=house, method=PriceMethod.NEGOTIATION, on=DAY)
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_start(actor=officer, asset=house, method=PriceMethod.NEGOTIATION, on=DAY)
    assert error.value.code == "price.in_progress"


def test_start_needs_the_capability_and_the_court(house, other_officer):
    with nothing_priced(), pytest.raises(PermissionDenied):
        price_start(actor=UserFactory(clerk=True), asset=house, method=PriceMethod.NEGOTIATION, on=DAY)
    with nothing_priced(), pytest.raises(NotFound):
        price_start(actor=other_officer, asset=house, method=PriceMethod.NEGOTIATION, on=DAY)


# -- negotiation, directed inquiry, validity ----------------------------------------------------------------


def test_equal_figures_determine_the_price_for_one_year(officer, house):
    price = price_start(actor=officer, asset=house, method=PriceMethod.NEGOTIATION, on=DAY)
    price = price_negotiated(
        actor=officer, price=price, creditor_figure="2800000", debtor_figure=Decimal("2800000.00"), on=DAY
    )
    assert (price.status, price.value) == (PriceStatus.DETERMINED, Decimal("2800000.00"))
    assert price.valid_until == dt.date(2027, 3, 12)
    assert price_current(house, dt.date(2027, 3, 12)) == price
    assert price_current(house, dt.date(2027, 3, 13)) is None
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_start(actor=officer, asset=house, method=PriceMethod.NEGOTIATION, on=DAY)
    assert error.value.code == "price.still_valid"


def test_different_figures_fail_the_negotiation(officer, house):
    price = price_start(actor=officer, asset=house, method=PriceMethod.NEGOTIATION, on=DAY)
    price = price_negotiated(actor=officer, price=price, creditor_figure="3000000", debtor_figure="2500000", on=DAY)
    assert price.status == PriceStatus.FAILED and price.value is None
    assert price_current(house, DAY) is None


def test_a_bad_figure_writes_nothing(officer, house):
    price = price_start(actor=officer, asset=house, method=PriceMethod.NEGOTIATION, on=DAY)
    with nothing_priced(), pytest.raises(InvalidInput):
        price_negotiated(actor=officer, price=price, creditor_figure="-1", debtor_figure="-1", on=DAY)
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_directed(actor=officer, price=price, value="1", source="税务局", on=DAY)
    assert error.value.code == "price.wrong_method"


def test_directed_inquiry_takes_the_bodys_figure_or_fails_with_a_reason(officer, house):
    price = price_start(actor=officer, asset=house, method=PriceMethod.DIRECTED, on=DAY, skip_reason="refused")
    with nothing_priced(), pytest.raises(InvalidInput):
        price_directed(actor=officer, price=price, on=DAY)
    price = price_directed(actor=officer, price=price, value="1234567.891", source="朝阳区税务局", on=DAY)
    assert price.value == Decimal("1234567.89") and price.details["source"] == "朝阳区税务局"


def test_directed_inquiry_failure(officer, house):
    price = price_start(actor=officer, asset=house, method=PriceMethod.DIRECTED, on=DAY, skip_reason="refused")
    price = price_directed(actor=officer, price=price, on=DAY, reason="No tax base price for this house.")
    assert price.status == PriceStatus.FAILED
    assert price.details["failure"] == "No tax base price for this house."


# -- online inquiry -----------------------------------------------------------------------------------------


@pytest.fixture
def inquiry(officer, house, platforms, django_capture_on_commit_callbacks):
    failed(officer, house, PriceMethod.NEGOTIATION)
    failed(officer, house, PriceMethod.DIRECTED)
    price = price_start(actor=officer, asset=house, method=PriceMethod.ONLINE, on=DAY)
    assert price_inquiry_send(price=price, now=SENT) == 3
    assert price_inquiry_send(price=price, now=SENT) == 0  # idempotent
    return price


def quotes(price):
    return list(PriceQuote.objects.filter(reference_price=price).select_related("agency").order_by("pk"))


def answer(quote, amount, hours=24):
    return price_quote_answer(
        agency=quote.agency, quote_id=quote.pk, amount=amount, now=SENT + dt.timedelta(hours=hours)
    )


DUE = SENT + dt.timedelta(days=3, minutes=1)
AFTER_OBJECTIONS = DUE + dt.timedelta(days=6)


def test_the_inquiry_goes_to_every_platform_due_in_three_days(inquiry, platforms):
    sent = quotes(inquiry)
    assert {q.agency_id for q in sent} == {a.pk for a, _key in platforms}
    assert all(q.due_at == SENT + dt.timedelta(days=3) for q in sent)


def test_all_on_time_average_of_all_rounded_to_the_fen(inquiry):
    a, b, c = quotes(inquiry)
    answer(a, "1000000.00")
    answer(b, "1000000.01")
    answer(c, "1000000.01")
    assert price_inquiry_close_round(price=inquiry, now=DUE) == "results_sent"
    with pytest.raises(RuleViolation) as error:
        price_inquiry_settle(price=inquiry, now=DUE)
    assert error.value.code == "price.objection_period_open"
    price = price_inquiry_settle(price=inquiry, now=AFTER_OBJECTIONS)
    # 3000000.02 / 3 = 1000000.00666… → 1000000.01 (half-up to the fen)
    assert price.value == Decimal("1000000.01")
    assert price.determined_on == AFTER_OBJECTIONS.date()


def test_a_late_platform_is_left_out(inquiry):
    a, b, c = quotes(inquiry)
    answer(a, "900000")
    answer(b, "1100000")
    assert price_inquiry_close_round(price=inquiry, now=DUE) == "results_sent"
    c.refresh_from_db()
    assert c.late is True
    with pytest.raises(RuleViolation) as error:
        answer(c, "5000000", hours=80)
    assert error.value.code == "price.inquiry_closed"
    assert price_inquiry_settle(price=inquiry, now=AFTER_OBJECTIONS).value == Decimal("1000000.00")


def test_nobody_on_time_every_platform_gets_one_extension(inquiry):
    assert price_inquiry_close_round(price=inquiry, now=DUE) == "extended"
    assert all(q.extensions == 1 and q.due_at == SENT + dt.timedelta(days=6) for q in quotes(inquiry))
    a, *_rest = quotes(inquiry)
    answer(a, "777777.77", hours=24 * 5)
    assert price_inquiry_close_round(price=inquiry, now=DUE + dt.timedelta(days=3)) == "results_sent"
    assert [q.late for q in quotes(inquiry)] == [False, True, True]


def test_an_answer_just_after_the_due_time_counts_when_everyone_gets_the_extension(inquiry):
    a, *_rest = quotes(inquiry)
    assert answer(a, "500000", hours=72 + 1).late is True
    assert price_inquiry_close_round(price=inquiry, now=DUE + dt.timedelta(hours=1)) == "extended"
    assert price_inquiry_close_round(price=inquiry, now=DUE + dt.timedelta(days=3)) == "results_sent"
    assert [q.late for q in quotes(inquiry)] == [False, True, True]
    assert price_inquiry_settle(price=inquiry, now=AFTER_OBJECTIONS + dt.timedelta(days=3)).value == Decimal(
        "500000.00"
    )


def test_nobody_even_after_the_extension_fails_the_inquiry(inquiry, officer, house):
    assert price_inquiry_close_round(price=inquiry, now=DUE) == "extended"
    assert price_inquiry_close_round(price=inquiry, now=DUE) == "not_due"
    assert price_inquiry_close_round(price=inquiry, now=DUE + dt.timedelta(days=3)) == "failed"
    inquiry.refresh_from_db()
    assert inquiry.status == PriceStatus.FAILED
    # the court turns to a valuation
    assert price_start(actor=officer, asset=house, method=PriceMethod.APPRAISAL, on=DAY).method == "appraisal"


def test_objected_results_are_left_out_of_the_average(inquiry, officer):
    a, b, c = quotes(inquiry)
    answer(a, "900000")
    answer(b, "1000000")
    answer(c, "2000000")
    price_inquiry_close_round(price=inquiry, now=DUE)
    inquiry.refresh_from_db()
    assert inquiry.details["results_sent_on"] == DUE.date().isoformat()
    price_objection(actor=officer, quote=c, text="Far above the market.", on=DUE.date() + dt.timedelta(days=5))
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_objection(actor=officer, quote=a, text="Too low.", on=DUE.date() + dt.timedelta(days=6))
    assert error.value.code == "price.objection_late"
    assert price_inquiry_settle(price=inquiry, now=AFTER_OBJECTIONS).value == Decimal("950000.00")


def test_all_objected_then_rejected_average_of_all(inquiry, officer):
    sent = quotes(inquiry)
    for quote, amount in zip(sent, ("900000", "1000000", "1100000"), strict=True):
        answer(quote, amount)
    price_inquiry_close_round(price=inquiry, now=DUE)
    for quote in sent:
        price_objection(actor=officer, quote=quote, text="Objected.", on=DUE.date())
    with pytest.raises(RuleViolation) as error:
        price_inquiry_settle(price=inquiry, now=AFTER_OBJECTIONS)
    assert error.value.code == "price.all_objected"
    assert price_inquiries_due(now=AFTER_OBJECTIONS) == {"waiting": 1}
    for quote in sent:
        price_objection_reject(actor=officer, quote=quote)
    assert price_inquiries_due(now=AFTER_OBJECTIONS) == {"settled": 1}
    inquiry.refresh_from_db()
    assert inquiry.value == Decimal("1000000.00")


def test_the_periodic_job_extends_then_sends_results_then_settles(inquiry):
    assert price_inquiries_due(now=SENT) == {}
    assert price_inquiries_due(now=DUE) == {"extended": 1}
    answer(quotes(inquiry)[1], "654321.00", hours=100)
    assert price_inquiries_due(now=DUE + dt.timedelta(days=3)) == {"results_sent": 1}
    assert price_inquiries_due(now=DUE + dt.timedelta(days=9)) == {"settled": 1}
    inquiry.refresh_from_db()
    assert inquiry.value == Decimal("654321.00")
    assert price_inquiries_due(now=DUE + dt.timedelta(days=9)) == {}


def test_the_due_job_reads_only_inquiries_whose_next_check_has_come(inquiry):
    inquiry.refresh_from_db()
    assert inquiry.next_check_at == max(q.due_at for q in inquiry.quotes.all())
    assert price_inquiries_due(now=inquiry.next_check_at - dt.timedelta(seconds=1)) == {}
    assert price_inquiries_due(now=inquiry.next_check_at) == {"extended": 1}
    inquiry.refresh_from_db()
    assert inquiry.next_check_at == max(q.due_at for q in inquiry.quotes.all())


def test_a_platform_answers_only_its_own_quote(inquiry, platforms):
    a, b, _c = quotes(inquiry)
    with nothing_priced(), pytest.raises(NotFound):
        price_quote_answer(agency=b.agency, quote_id=a.pk, amount="1", now=SENT)


# -- commissioned valuation ---------------------------------------------------------------------------------


@pytest.fixture
def appraisal(officer, house):
    return price_start(
        actor=officer, asset=house, method=PriceMethod.APPRAISAL, on=DAY, skip_reason="Both parties ask for it."
    )


def test_three_valuers_in_the_agreed_order_first_reports_in_30_days(officer, appraisal, valuers):
    ids = [valuers[2][0].pk, valuers[0][0].pk, valuers[1][0].pk]
    quote = price_appraisal_commission(actor=officer, price=appraisal, valuer_ids=ids, now=SENT)
    appraisal.refresh_from_db()
    assert appraisal.details["valuers"] == ids and appraisal.details["draw"] is None
    assert quote.agency_id == ids[0] and quote.due_at == SENT + dt.timedelta(days=30)


def test_valuers_drawn_by_lot_are_recorded(officer, appraisal, valuers):
    price_appraisal_commission(actor=officer, price=appraisal, now=SENT)
    appraisal.refresh_from_db()
    draw = appraisal.details["draw"]
    assert len(draw["drawn"]) == 3 and set(draw["drawn"]) <= set(draw["candidates"])
    assert len(draw["candidates"]) == 4 and appraisal.details["valuers"] == draw["drawn"]


def test_valuers_must_be_three_listed_and_different(officer, appraisal, valuers):
    with nothing_priced(), pytest.raises(InvalidInput):
        price_appraisal_commission(actor=officer, price=appraisal, valuer_ids=[valuers[0][0].pk] * 3)


def test_two_extensions_of_at_most_15_days_then_refused(officer, appraisal, valuers):
    price_appraisal_commission(actor=officer, price=appraisal, now=SENT)
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_appraisal_extend(actor=officer, price=appraisal, days=16)
    assert error.value.code == "price.extension_too_long"
    price_appraisal_extend(actor=officer, price=appraisal, days=15)
    quote = price_appraisal_extend(actor=officer, price=appraisal, days=10)
    assert quote.due_at == SENT + dt.timedelta(days=55) and quote.extensions == 2
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_appraisal_extend(actor=officer, price=appraisal, days=1)
    assert error.value.code == "price.too_many_extensions"


def test_the_report_determines_the_price_and_objections_run_5_days(officer, appraisal, valuers):
    price_appraisal_commission(actor=officer, price=appraisal, now=SENT)
    report_on = DAY + dt.timedelta(days=20)
    price = price_appraisal_report(actor=officer, price=appraisal, amount="2750000", on=report_on)
    assert (price.status, price.value, price.valid_until) == (
        PriceStatus.DETERMINED,
        Decimal("2750000.00"),
        dt.date(2027, 4, 1),
    )
    price_appraisal_objection(
        actor=officer, price=price, text="Ignores the renovation.", on=report_on + dt.timedelta(5)
    )
    price.refresh_from_db()
    assert price.details["objections"][0]["text"] == "Ignores the renovation."
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_appraisal_objection(actor=officer, price=price, text="Late.", on=report_on + dt.timedelta(days=6))
    assert error.value.code == "price.objection_late"


def test_an_online_inquiry_needs_a_listed_platform(officer, house):
    with nothing_priced(), pytest.raises(RuleViolation) as error:
        price_start(actor=officer, asset=house, method=PriceMethod.ONLINE, on=DAY, skip_reason="agreed")
    assert error.value.code == "price.no_platform"


def test_starting_an_online_inquiry_sends_it_after_commit(
    officer, house, platforms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        price = price_start(actor=officer, asset=house, method=PriceMethod.ONLINE, on=DAY, skip_reason="agreed")
    assert PriceQuote.objects.filter(reference_price=price).count() == 3


def test_the_periodic_task_runs_the_due_job(inquiry):
    from django.utils import timezone

    from assets.tasks import query_price_inquiries_due

    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    PriceQuote.objects.filter(reference_price=inquiry).update(due_at=an_hour_ago)
    ReferencePrice.objects.filter(pk=inquiry.pk).update(next_check_at=an_hour_ago)
    assert query_price_inquiries_due.run() == {"extended": 1}  # nobody answered in time
    assert query_price_inquiries_due.run() == {}  # the extension is not due yet
