# ruff: noqa: F811 - the fixtures imported from auction_builders are parameters of the tests
"""Online judicial auctions (网拍规定 2016), the sale (变卖) and settlement in kind (以物抵债): the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.choices import AuctionKind, AuctionStatus, ControlStatus, PriceStatus
from assets.models import Auction, ControlMeasure, InKindSettlement, ReferencePrice
from assets.services import (
    auction_announce,
    auction_bid,
    auction_close,
    auction_default,
    auction_second_round,
    auction_suspend,
    auction_withdraw,
    auctions_close_due,
    disposal_timeline,
    in_kind_settlement_record,
    sale_start,
)
from core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.models import FundEntry, FundEntryKind
from enforcement.services import fund_received
from tests.assets.auction_builders import (  # noqa: F401 - fixtures
    ANNOUNCED,
    at,
    house,
    nothing_written,
    other_platform,
    platform,
    terms,
    vehicle,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def announce(officer, asset, platform, **kwargs):
    return auction_announce(actor=officer, asset=asset, platform=platform[0], **terms(**kwargs))


def refused(code, call):
    with nothing_written(), pytest.raises(RuleViolation) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def close_failed(auction):
    return auction_close(auction=auction, now=auction.ends_at)


# ---- round 1 ---------------------------------------------------------------------------------------------------


def test_announce_records_the_auction_and_audits(officer, vehicle, platform):
    auction = announce(officer, vehicle, platform)
    assert auction.status == AuctionStatus.ANNOUNCED and auction.round == 1 and auction.kind == AuctionKind.AUCTION
    assert auction.reference_price.value == Decimal("100000.00")
    assert AuditLog.objects.filter(action="auction.announce").count() == 1


def test_starting_price_floor_is_70_per_cent_of_the_reference_price(officer, vehicle, platform):
    error = refused("auction.below_floor", lambda: announce(officer, vehicle, platform, price="69999.99"))
    assert "art. 10" in str(error) and "70000.00" in str(error)
    assert announce(officer, vehicle, platform, price="70000.00").starting_price == Decimal("70000.00")


@pytest.mark.parametrize(
    "deposit, ok", [("3499.99", False), ("3500.00", True), ("14000.00", True), ("14000.01", False)]
)
def test_deposit_is_5_to_20_per_cent(officer, vehicle, platform, deposit, ok):
    if ok:
        assert announce(officer, vehicle, platform, deposit=deposit).deposit == Decimal(deposit)
    else:
        assert "art. 17" in str(
            refused("auction.deposit", lambda: announce(officer, vehicle, platform, deposit=deposit))
        )


def test_round_one_notice_is_15_days_for_movables(officer, vehicle, platform):
    assert "art. 12" in str(refused("auction.notice", lambda: announce(officer, vehicle, platform, notice_days=14)))
    announce(officer, vehicle, platform, notice_days=15)


def test_round_one_notice_is_30_days_for_real_estate(officer, house, platform):
    price = "1400000.00"
    refused("auction.notice", lambda: announce(officer, house, platform, price=price, notice_days=29))
    assert announce(officer, house, platform, price=price, notice_days=30).pk


def test_parties_notified_three_days_before_the_announcement(officer, vehicle, platform):
    values = terms()
    values["parties_notified_on"] = ANNOUNCED - dt.timedelta(days=2)
    call = lambda: auction_announce(actor=officer, asset=vehicle, platform=platform[0], **values)  # noqa: E731
    assert "art. 16" in str(refused("auction.parties_notice", call))
    values["parties_notified_on"] = None
    refused("auction.parties_notice", call)


def test_bidding_lasts_at_least_24_hours(officer, vehicle, platform):
    assert "art. 20" in str(refused("auction.bidding_length", lambda: announce(officer, vehicle, platform, hours=23)))


def test_not_under_primary_seizure_is_refused(officer, vehicle, platform):
    ControlMeasure.objects.filter(asset=vehicle).update(position=2, status=ControlStatus.WAITING)
    error = refused("auction.not_primary", lambda: announce(officer, vehicle, platform))
    assert "primary seizure" in str(error)


def test_no_valid_reference_price_is_refused(officer, vehicle, platform):
    ReferencePrice.objects.filter(asset=vehicle).update(valid_until=ANNOUNCED - dt.timedelta(days=1))
    refused("auction.no_reference_price", lambda: announce(officer, vehicle, platform))
    ReferencePrice.objects.filter(asset=vehicle).update(valid_until=ANNOUNCED, status=PriceStatus.FAILED)
    refused("auction.no_reference_price", lambda: announce(officer, vehicle, platform))


def test_platform_must_be_an_active_auction_platform(officer, vehicle, platform, vehicles):
    refused("auction.platform", lambda: announce(officer, vehicle, vehicles))
    platform[0].active = False
    platform[0].save()
    refused("auction.platform", lambda: announce(officer, vehicle, platform))


def test_one_live_auction_per_asset(officer, vehicle, platform):
    announce(officer, vehicle, platform)
    with nothing_written(), pytest.raises(Conflict):
        announce(officer, vehicle, platform)


def test_capability_and_court_scope(officer, other_officer, vehicle, platform):
    clerk = UserFactory(clerk=True, court=officer.court, username="clerk-0105")
    with nothing_written(), pytest.raises(PermissionDenied):
        announce(clerk, vehicle, platform)
    with nothing_written(), pytest.raises(NotFound):
        announce(other_officer, vehicle, platform)


# ---- bidding and closing --------------------------------------------------------------------------------------


def test_bids_rise_by_the_increment_during_bidding_only(officer, vehicle, platform):
    auction = announce(officer, vehicle, platform)
    refused(
        "auction.not_bidding",
        lambda: auction_bid(
            auction=auction, bidder="A", amount="70000", at=auction.starts_at - dt.timedelta(minutes=1)
        ),
    )
    refused(
        "auction.bid_too_low", lambda: auction_bid(auction=auction, bidder="A", amount="69999", at=auction.starts_at)
    )
    auction_bid(auction=auction, bidder="A", amount="70000", at=auction.starts_at)
    refused(
        "auction.bid_too_low", lambda: auction_bid(auction=auction, bidder="B", amount="70999", at=auction.starts_at)
    )
    auction_bid(auction=auction, bidder="B", amount="71000", at=auction.starts_at + dt.timedelta(hours=1))
    auction.refresh_from_db()
    assert auction.status == AuctionStatus.BIDDING
    refused("auction.not_bidding", lambda: auction_bid(auction=auction, bidder="C", amount="90000", at=auction.ends_at))


def test_a_bid_in_the_last_five_minutes_extends_bidding(officer, vehicle, platform):
    auction = announce(officer, vehicle, platform)
    original = auction.ends_at
    auction_bid(auction=auction, bidder="A", amount="70000", at=original - dt.timedelta(minutes=6))
    auction.refresh_from_db()
    assert auction.ends_at == original  # not in the last five minutes
    first = original - dt.timedelta(minutes=2)
    auction_bid(auction=auction, bidder="B", amount="71000", at=first)
    auction.refresh_from_db()
    assert auction.ends_at == first + dt.timedelta(minutes=5)
    second = auction.ends_at - dt.timedelta(seconds=30)  # again, in the extended period
    auction_bid(auction=auction, bidder="A", amount="72000", at=second)
    auction.refresh_from_db()
    assert auction.ends_at == second + dt.timedelta(minutes=5)
    with pytest.raises(RuleViolation):
        auction_close(auction=auction, now=original + dt.timedelta(minutes=1))


def test_close_with_bids_sells_and_the_proceeds_enter_the_fund_once(officer, vehicle, platform, enforcement_case):
    auction = announce(officer, vehicle, platform)
    auction_bid(auction=auction, bidder="A", amount="70000", at=auction.starts_at)
    auction_bid(auction=auction, bidder="B", amount="75000", at=auction.starts_at + dt.timedelta(hours=2))
    closed = auction_close(auction=auction, now=auction.ends_at)
    assert (closed.status, closed.final_price, closed.buyer) == (AuctionStatus.SOLD, Decimal("75000.00"), "B")
    entry = FundEntry.objects.get(reference=f"auction-{auction.pk}")
    assert entry.amount == Decimal("75000.00") and entry.source == "auction"
    with nothing_written(), pytest.raises(Conflict):
        auction_close(auction=auction, now=auction.ends_at)
    assert FundEntry.objects.filter(enforcement_case=enforcement_case).count() == 1
    enforcement_case.refresh_from_db()
    assert enforcement_case.performed_amount == Decimal("75000.00")


def test_close_without_bids_fails(officer, vehicle, platform):
    auction = announce(officer, vehicle, platform)
    assert close_failed(auction).status == AuctionStatus.FAILED
    assert not FundEntry.objects.exists()


def test_the_periodic_job_closes_due_auctions_only(officer, vehicle, house, platform):
    due = announce(officer, vehicle, platform)
    later = announce(officer, house, platform, price="1400000.00", notice_days=30)
    assert auctions_close_due(now=due.ends_at) == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (AuctionStatus.FAILED, AuctionStatus.ANNOUNCED)
    assert auctions_close_due(now=due.ends_at) == 0


def test_default_forfeits_the_deposit(officer, vehicle, platform):
    auction = announce(officer, vehicle, platform)
    refused("auction.not_sold", lambda: auction_default(actor=officer, auction=auction))
    auction_bid(auction=auction, bidder="A", amount="70000", at=auction.starts_at)
    auction_close(auction=auction, now=auction.ends_at)
    defaulted = auction_default(actor=officer, auction=auction, reason="balance unpaid")
    assert defaulted.status == AuctionStatus.DEFAULTED
    log = AuditLog.objects.get(action="auction.default")
    assert log.changes["deposit_forfeited"] == "7000.00"


def test_a_default_reverses_the_sale_in_the_case_fund_and_keeps_the_deposit(officer, vehicle, platform):
    auction = announce(officer, vehicle, platform)
    auction_bid(auction=auction, bidder="A", amount="80000", at=auction.starts_at)
    auction_close(auction=auction, now=auction.ends_at)
    ec = auction.enforcement_case
    assert fund_received(enforcement_case=ec) == Decimal("80000.00")
    auction_default(actor=officer, auction=auction, reason="balance unpaid")
    entries = {e.reference: (e.kind, e.amount) for e in FundEntry.objects.filter(enforcement_case=ec)}
    assert entries == {
        f"auction-{auction.pk}": (FundEntryKind.RECEIPT, Decimal("80000.00")),
        f"auction-{auction.pk}:reversed": (FundEntryKind.REVERSAL, Decimal("80000.00")),
        f"auction-{auction.pk}-deposit": (FundEntryKind.RECEIPT, Decimal("7000.00")),
    }
    ec.refresh_from_db()
    assert fund_received(enforcement_case=ec) == ec.performed_amount == Decimal("7000.00")


def test_an_announcement_dated_before_the_price_was_determined_has_no_reference_price(officer, vehicle, platform):
    price = vehicle.reference_prices.get()
    refused(
        "auction.no_reference_price",
        lambda: announce(officer, vehicle, platform, announced_on=price.determined_on - dt.timedelta(days=1)),
    )


def test_a_sold_asset_is_not_announced_again_unless_the_buyer_defaults(officer, vehicle, platform):
    auction = announce(officer, vehicle, platform)
    auction_bid(auction=auction, bidder="A", amount="70000", at=auction.starts_at)
    auction_close(auction=auction, now=auction.ends_at)
    refused("auction.sold", lambda: announce(officer, vehicle, platform))
    auction_default(actor=officer, auction=auction)
    assert announce(officer, vehicle, platform).status == AuctionStatus.ANNOUNCED


def test_withdraw_and_suspend_need_a_reason_and_a_live_auction(officer, vehicle, house, platform):
    auction = announce(officer, vehicle, platform)
    with nothing_written(), pytest.raises(InvalidInput):
        auction_withdraw(actor=officer, auction=auction, reason=" ")
    assert auction_withdraw(actor=officer, auction=auction, reason="debt paid").status == AuctionStatus.WITHDRAWN
    refused("auction.not_live", lambda: auction_suspend(actor=officer, auction=auction, reason="objection"))
    other = announce(officer, house, platform, price="1400000.00", notice_days=30)
    assert auction_suspend(actor=officer, auction=other, reason="案外人异议").status == AuctionStatus.SUSPENDED


# ---- the path: round 1 → round 2 → sale → settlement in kind --------------------------------------------------


def second_terms(first, *, days_after=10, notice_days=7, price="56000.00"):
    values = terms(
        announced_on=first.closed_at.date() + dt.timedelta(days=days_after), notice_days=notice_days, price=price
    )
    return values


def test_the_whole_path(officer, vehicle, platform, enforcement_case):
    first = close_failed(announce(officer, vehicle, platform))
    # ≤ 20 % cut: 56000 is exactly 20 % off 70000; 21 % is refused
    refused(
        "auction.cut_too_deep",
        lambda: auction_second_round(actor=officer, previous=first, **second_terms(first, price="55300.00")),
    )
    # within 30 days of the failure
    refused(
        "auction.second_round_late",
        lambda: auction_second_round(actor=officer, previous=first, **second_terms(first, days_after=31)),
    )
    # notice of 7 days for a movable
    refused(
        "auction.notice",
        lambda: auction_second_round(actor=officer, previous=first, **second_terms(first, notice_days=6)),
    )
    # no sale before the second round
    refused("auction.sale_order", lambda: sale_start(actor=officer, previous=first, **_sale(second_terms(first))))
    second = auction_second_round(actor=officer, previous=first, **second_terms(first, days_after=30))
    assert (second.round, second.platform_id, second.previous_id) == (2, first.platform_id, first.pk)
    second = close_failed(second)

    creditor = enforcement_case.case.party_links.get(role="creditor").party
    refused(
        "auction.in_kind_order",
        lambda: in_kind_settlement_record(actor=officer, asset=vehicle, creditor=creditor, accepted_on=ANNOUNCED),
    )

    sale_terms = _sale(
        terms(announced_on=second.closed_at.date() + dt.timedelta(days=5), notice_days=7, price="56000.00")
    )
    refused(
        "auction.sale_above",
        lambda: sale_start(actor=officer, previous=second, **{**sale_terms, "price": Decimal("56000.01")}),
    )
    below_half = {**sale_terms, "price": Decimal("49999.99"), "deposit": Decimal("5000.00")}
    refused("auction.sale_below_half", lambda: sale_start(actor=officer, previous=second, **below_half))
    sale = sale_start(actor=officer, previous=second, **sale_terms)
    assert (sale.kind, sale.round, sale.platform_id) == (AuctionKind.SALE, 3, first.platform_id)
    sale = close_failed(sale)

    debtor = enforcement_case.case.party_links.filter(role="debtor").first().party
    refused(
        "auction.in_kind_creditor",
        lambda: in_kind_settlement_record(actor=officer, asset=vehicle, creditor=debtor, accepted_on=ANNOUNCED),
    )
    refused(
        "auction.in_kind_value",
        lambda: in_kind_settlement_record(
            actor=officer, asset=vehicle, creditor=creditor, value="50000", accepted_on=ANNOUNCED
        ),
    )
    settlement = in_kind_settlement_record(actor=officer, asset=vehicle, creditor=creditor, accepted_on=ANNOUNCED)
    assert settlement.value == Decimal("56000.00") and InKindSettlement.objects.count() == 1
    with nothing_written(), pytest.raises(Conflict):
        in_kind_settlement_record(actor=officer, asset=vehicle, creditor=creditor, accepted_on=ANNOUNCED)


def _sale(values):
    values = dict(values)
    values["price"] = values.pop("starting_price")
    return values


def test_second_round_notice_is_15_days_for_real_estate(officer, house, platform):
    first = close_failed(announce(officer, house, platform, price="1400000.00", notice_days=30))
    call = lambda days: auction_second_round(  # noqa: E731
        actor=officer, previous=first, **second_terms(first, notice_days=days, price="1120000.00")
    )
    refused("auction.notice", lambda: call(14))
    assert call(15).round == 2


def test_a_defaulted_first_round_may_be_followed_by_a_second(officer, vehicle, platform):
    first = announce(officer, vehicle, platform)
    auction_bid(auction=first, bidder="A", amount="70000", at=first.starts_at)
    first = auction_close(auction=first, now=first.ends_at)
    auction_default(actor=officer, auction=first)
    assert auction_second_round(actor=officer, previous=first, **second_terms(first)).round == 2
    with nothing_written(), pytest.raises(Conflict):
        auction_second_round(actor=officer, previous=first, **second_terms(first))


def test_the_timeline_lists_the_next_deadline(officer, vehicle, house, platform, enforcement_case):
    first = close_failed(announce(officer, vehicle, platform))
    entries = disposal_timeline(enforcement_case, today=first.closed_at.date())
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    due = [e for e in entries if e["status"] == "pending"]
    by = first.closed_at.date() + dt.timedelta(days=30)
    assert any(e["date"] == by and "art. 26" in e["rule"] for e in due)
    # the house has no auction yet: its reference price's expiry is the deadline
    assert any(e["asset"] == house and "art. 27" in e["rule"] for e in due)
    late = disposal_timeline(enforcement_case, today=by + dt.timedelta(days=1))
    assert any(e["date"] == by and e["status"] == "overdue" for e in late)
    assert Auction.objects.count() == 1


def test_the_periodic_task_is_scheduled_and_closes(officer, vehicle, platform, monkeypatch):
    from assets.tasks import auction_close_due
    from config.celery import app

    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "assets.tasks.auction_close_due" in entries
    auction = announce(officer, vehicle, platform)
    monkeypatch.setattr("django.utils.timezone.now", lambda: auction.ends_at + dt.timedelta(seconds=1))
    assert auction_close_due() == 1
    auction.refresh_from_db()
    assert auction.status == AuctionStatus.FAILED


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offsets=st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=6))
def test_bidding_never_ends_within_five_minutes_of_the_last_bid(officer, vehicle, platform, offsets):
    """Whatever the bids' times (seconds before the current end), bidding ends no earlier than the original end
    and at least 5 minutes after any bid made in the last 5 minutes."""
    Auction.objects.all().delete()
    auction = announce(officer, vehicle, platform)
    original, amount = auction.ends_at, Decimal("70000")
    for offset in offsets:
        auction.refresh_from_db()
        moment = auction.ends_at - dt.timedelta(seconds=offset)
        auction_bid(auction=auction, bidder="A", amount=amount, at=moment)
        amount += 1000
        auction.refresh_from_db()
        assert auction.ends_at >= original
        assert auction.ends_at >= moment + dt.timedelta(minutes=5) or offset > 300


def test_a_suspended_case_disposes_of_nothing(officer, vehicle, platform, enforcement_case):
    from enforcement.choices import Status

    type(enforcement_case).objects.filter(pk=enforcement_case.pk).update(
        status=Status.SUSPENDED, status_before_suspension=Status.INVESTIGATING
    )
    refused("auction.case_not_open", lambda: announce(officer, vehicle, platform))
