# ruff: noqa: F811 - the fixtures imported from auction_builders are parameters of the tests
"""Platform and valuer scoring from a crafted history, with human-readable reasons and the fallback to every
category."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assets.choices import AgencyKind, AssetCategory, AuctionStatus, PriceMethod, PriceStatus
from assets.models import Auction, PriceQuote, ReferencePrice
from assets.recommendation import recommend_platforms
from tests.assets.auction_builders import (  # noqa: F401 - fixtures
    ANNOUNCED,
    at,
    house,
    other_platform,
    platform,
    vehicle,
)
from tests.assets.builders import make_agency

pytestmark = pytest.mark.django_db


def history(asset, agency, *, sold: int, failed: int, premium: str = "0.12", days: int = 20):
    reference = asset.reference_prices.first()
    start = Decimal("10000.00")
    for number in range(sold + failed):
        is_sold = number < sold
        Auction.objects.create(
            enforcement_case=reference.enforcement_case,
            asset=asset,
            reference_price=reference,
            platform=agency,
            starting_price=start,
            deposit=Decimal("1000.00"),
            increment=Decimal("100.00"),
            announced_on=ANNOUNCED,
            starts_at=at(ANNOUNCED + dt.timedelta(days=15)),
            ends_at=at(ANNOUNCED + dt.timedelta(days=16)),
            status=AuctionStatus.SOLD if is_sold else AuctionStatus.FAILED,
            final_price=(start * (1 + Decimal(premium))).quantize(Decimal("0.01")) if is_sold else None,
            closed_at=at(ANNOUNCED + dt.timedelta(days=days)),
        )


def test_platforms_ranked_with_figures_and_reasons(vehicle, platform, other_platform):
    history(vehicle, platform[0], sold=8, failed=2)
    history(vehicle, other_platform[0], sold=1, failed=4, premium="0.02")
    idle, _key = make_agency("idle-auction", kind=AgencyKind.AUCTION_PLATFORM, categories=[AssetCategory.VEHICLE])
    ranked = recommend_platforms(category=AssetCategory.VEHICLE, kind=AgencyKind.AUCTION_PLATFORM)
    assert [entry.agency for entry in ranked] == [platform[0], other_platform[0], idle]
    best = ranked[0]
    assert (best.volume, best.finished, best.sold) == (10, 10, 8)
    assert best.success_rate == Decimal("0.8") and best.average_premium == Decimal("0.12")
    assert best.average_days_to_sale == Decimal("20.0") and not best.all_categories
    assert best.reasons[0] == "Sold 8 of 10 Vehicles (车辆), average premium 12 %."
    assert "No finished auction" in ranked[2].reasons[0]


def test_little_history_falls_back_to_every_category_and_says_so(vehicle, house, platform, other_platform):
    history(vehicle, platform[0], sold=2, failed=4)
    history(house, other_platform[0], sold=1, failed=0)
    ranked = recommend_platforms(category=AssetCategory.REAL_ESTATE, kind=AgencyKind.AUCTION_PLATFORM)
    assert all(entry.all_categories for entry in ranked)
    assert ranked[0].agency == other_platform[0]  # 1 of 1 beats 2 of 6 over every category
    assert any("Little history on Real estate (不动产) (1 recorded)" in r for r in ranked[0].reasons)
    assert ranked[1].reasons[0] == "Sold 2 of 6 assets of every kind, average premium 12 %."


def test_valuers_scored_on_objections(vehicle, enforcement_case):
    careful, _ = make_agency("careful-valuer", kind=AgencyKind.VALUER, categories=[AssetCategory.VEHICLE])
    sloppy, _ = make_agency("sloppy-valuer", kind=AgencyKind.VALUER, categories=[AssetCategory.VEHICLE])
    for number in range(6):
        price = ReferencePrice.objects.create(
            enforcement_case=enforcement_case,
            asset=vehicle,
            method=PriceMethod.APPRAISAL,
            status=PriceStatus.FAILED,
            started_on=ANNOUNCED,
        )
        for agency, objected in ((careful, number == 0), (sloppy, number < 3)):
            PriceQuote.objects.create(
                reference_price=price,
                agency=agency,
                due_at=at(ANNOUNCED),
                answered_at=at(ANNOUNCED),
                amount=Decimal("9000.00"),
                objected=objected,
                late=agency == sloppy and number == 5,
            )
    ranked = recommend_platforms(category=AssetCategory.VEHICLE, kind=AgencyKind.VALUER)
    assert [entry.agency for entry in ranked] == [careful, sloppy]
    assert ranked[0].objection_rate == Decimal(1) / Decimal(6)
    assert ranked[1].reasons[0] == "3 of 6 reports on Vehicles (车辆) objected to (50 %), 83 % on time."


def test_other_kinds_are_not_scored():
    with pytest.raises(ValueError):
        recommend_platforms(category=None, kind=AgencyKind.BANK)
