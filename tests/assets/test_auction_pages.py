# ruff: noqa: F811 - the fixtures imported from auction_builders are parameters of the tests
"""The disposal partial of an enforcement case, the officers' disposal API and the platforms' API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from assets.choices import AuctionStatus
from assets.models import Auction
from assets.services import auction_announce
from enforcement.models import FundEntry
from tests.assets.auction_builders import (  # noqa: F401 - fixtures
    ANNOUNCED,
    nothing_written,
    other_platform,
    platform,
    terms,
    vehicle,
)
from tests.core.conftest import api_as  # noqa: F401 - fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def partial(enforcement_case) -> str:
    return reverse("assets:case-disposal", args=[enforcement_case.pk])


def form(values: dict) -> dict:
    data = {key: (value.isoformat() if hasattr(value, "isoformat") else str(value)) for key, value in values.items()}
    for key in ("starts_at", "ends_at"):
        data[key] = values[key].strftime("%Y-%m-%dT%H:%M")
    return data


def test_the_partial_shows_the_recommendation_and_is_not_found_elsewhere(
    client_as, officer, other_officer, enforcement_case, vehicle, platform
):
    response = client_as(officer).get(partial(enforcement_case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Announce the first auction" in body and "JD-AUCTION" in body
    assert "No finished auction" in body  # the reasons beside the choice
    assert "art. 27" in body  # the reference price's expiry is a deadline
    assert client_as(other_officer).get(partial(enforcement_case)).status_code == 404


def test_an_officer_announces_from_the_partial_and_a_refusal_writes_nothing(
    client_as, officer, enforcement_case, vehicle, platform
):
    client = client_as(officer)
    data = {"action": "announce", "asset": vehicle.pk, "platform": platform[0].pk, **form(terms())}
    with nothing_written():
        response = client.post(partial(enforcement_case), {**data, "starting_price": "60000", "deposit": "6000"})
    assert response.status_code == 400
    assert "art. 10" in response.content.decode()
    response = client.post(partial(enforcement_case), data)
    assert response.status_code == 200, response.content.decode()
    auction = Auction.objects.get()
    assert auction.starting_price == Decimal("70000.00")
    response = client.post(partial(enforcement_case), {"action": "withdraw", "auction": auction.pk, "reason": "paid"})
    assert response.status_code == 200
    auction.refresh_from_db()
    assert auction.status == AuctionStatus.WITHDRAWN


def test_a_clerk_without_the_capability_is_refused(client_as, officer, enforcement_case, vehicle, platform):
    clerk = UserFactory(clerk=True, court=officer.court, username="clerk-0105")
    data = {"action": "announce", "asset": vehicle.pk, "platform": platform[0].pk, **form(terms())}
    with nothing_written():
        response = client_as(clerk).post(partial(enforcement_case), data)
    assert response.status_code in (403, 404)


def test_staff_api_announce_timeline_and_scope(api_as, officer, other_officer, enforcement_case, vehicle, platform):
    api = api_as(officer)
    values = terms()
    payload = {
        "asset": vehicle.pk,
        "platform": platform[0].code,
        **{k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in values.items()},
    }
    url = reverse("api-auction-announce", args=[enforcement_case.pk])
    with nothing_written():
        refused = api.post(url, {**payload, "starting_price": "60000.00", "deposit": "6000.00"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "auction.below_floor"
    created = api.post(url, payload, format="json")
    assert created.status_code == 201, created.json()
    disposal = api.get(reverse("api-case-disposal", args=[enforcement_case.pk]))
    assert disposal.status_code == 200 and disposal.json()["auctions"][0]["id"] == created.json()["id"]
    other = api_as(other_officer)
    assert other.get(reverse("api-case-disposal", args=[enforcement_case.pk])).status_code == 404
    assert other.post(reverse("api-auction-withdraw", args=[created.json()["id"]]), {"reason": "x"}).status_code == 404
    recommendation = api_as(officer).get(reverse("api-auction-recommendations"), {"category": "vehicle"})
    assert recommendation.status_code == 200 and recommendation.json()[0]["agency"] == "jd-auction"


def test_platform_api_lists_bids_and_closes_its_own_auctions_only(
    agency_api, officer, enforcement_case, vehicle, platform, other_platform, vehicles
):
    auction = auction_announce(actor=officer, asset=vehicle, platform=platform[0], **terms())
    own = agency_api(platform[1])
    listed = own.get(reverse("api-platform-auction-list"))
    assert listed.status_code == 200 and [a["id"] for a in listed.json()] == [auction.pk]
    bid_url = reverse("api-platform-auction-bid", args=[auction.pk])
    late = auction.ends_at - dt.timedelta(minutes=2)
    response = own.post(bid_url, {"bidder": "买受人甲", "amount": "70000.00", "at": late.isoformat()}, format="json")
    assert response.status_code == 201, response.json()
    auction.refresh_from_db()
    assert auction.ends_at == late + dt.timedelta(minutes=5)
    low = own.post(bid_url, {"bidder": "乙", "amount": "70500.00", "at": late.isoformat()}, format="json")
    assert low.status_code == 400 and low.json()["code"] == "auction.bid_too_low"
    # another platform, and a registry that is no platform, see nothing
    assert agency_api(other_platform[1]).post(bid_url, {"bidder": "x", "amount": "80000"}).status_code == 404
    assert agency_api(other_platform[1]).get(reverse("api-platform-auction-list")).json() == []
    assert agency_api(vehicles[1]).get(reverse("api-platform-auction-list")).status_code == 404
    close_url = reverse("api-platform-auction-close", args=[auction.pk])
    closed = agency_api(platform[1]).post(close_url, {"at": auction.ends_at.isoformat()}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == AuctionStatus.SOLD
    assert FundEntry.objects.get(reference=f"auction-{auction.pk}").amount == Decimal("70000.00")
    again = agency_api(platform[1]).post(close_url, {"at": auction.ends_at.isoformat()}, format="json")
    assert again.status_code == 409
    assert FundEntry.objects.count() == 1


def test_platform_api_needs_an_agency_key(api_as, officer, enforcement_case, vehicle, platform):
    assert api_as(officer).get(reverse("api-platform-auction-list")).status_code in (401, 403)
    assert ANNOUNCED


def test_the_partial_offers_the_next_step_after_each_failure(client_as, officer, enforcement_case, vehicle, platform):
    from assets.services import auction_close, sale_start

    first = auction_announce(actor=officer, asset=vehicle, platform=platform[0], **terms())
    first = auction_close(auction=first, now=first.ends_at)
    client = client_as(officer)
    body = client.get(partial(enforcement_case)).content.decode()
    assert "Announce the second auction on the same platform" in body and "Announce the second auction by" in body
    second_on = first.closed_at.date() + dt.timedelta(days=3)
    data = {
        "action": "second_round",
        "auction": first.pk,
        **form(terms(announced_on=second_on, notice_days=7, price="56000")),
    }
    response = client.post(partial(enforcement_case), data)
    assert response.status_code == 200, response.content.decode()
    second = Auction.objects.get(round=2)
    second = auction_close(auction=second, now=second.ends_at)
    assert "Start the sale" in client.get(partial(enforcement_case)).content.decode()
    sale_terms = terms(announced_on=second.closed_at.date() + dt.timedelta(days=2), notice_days=7, price="56000")
    sale_terms["price"] = sale_terms.pop("starting_price")
    sale = sale_start(actor=officer, previous=second, **sale_terms)
    auction_close(auction=sale, now=sale.ends_at)
    body = client.get(partial(enforcement_case)).content.decode()
    assert "Settlement in kind (以物抵债) of" in body
    creditor = enforcement_case.case.party_links.get(role="creditor").party
    response = client.post(
        partial(enforcement_case),
        {"action": "in_kind", "asset": vehicle.pk, "creditor": creditor.pk, "accepted_on": "2026-06-01"},
    )
    assert response.status_code == 200 and "Settled in kind" in response.content.decode()
