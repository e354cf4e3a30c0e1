"""Builders for the disposal tests: an asset under this case's primary seizure with a determined reference
price, an auction platform (with its API key), valid terms for each round, and a snapshot of the tables the
disposal services write."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory, ControlKind, ControlStatus, PriceMethod, PriceStatus
from assets.models import Asset, Auction, Bid, ControlMeasure, InKindSettlement, ReferencePrice
from core.models import AuditLog
from enforcement.models import FundEntry
from tests.assets.builders import make_agency

ANNOUNCED = dt.date(2026, 3, 2)
WATCHED = (Auction, Bid, InKindSettlement, FundEntry, AuditLog)


def counts() -> dict:
    snapshot = {model.__name__: model.objects.count() for model in WATCHED}
    snapshot["auctions"] = sorted(Auction.objects.values_list("pk", "status", "ends_at", "final_price"))
    return snapshot


@contextmanager
def nothing_written():
    before = counts()
    yield
    assert counts() == before


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def seized_asset(
    enforcement_case, agency, *, category=AssetCategory.VEHICLE, identifier="LSVAU2180N2183294", reference="100000.00"
):
    """An asset of the case under its primary seizure (首封), with a reference price determined a month before
    ``ANNOUNCED`` and valid for a year."""
    debtor = enforcement_case.case.party_links.filter(role="debtor").first().party
    asset = Asset.objects.create(
        case=enforcement_case.case, debtor=debtor, category=category, agency=agency, identifier=identifier
    )
    ControlMeasure.objects.create(
        enforcement_case=enforcement_case,
        asset=asset,
        kind=ControlKind.SEAL if category == AssetCategory.REAL_ESTATE else ControlKind.IMPOUND,
        status=ControlStatus.ACTIVE,
        starts_on=ANNOUNCED - dt.timedelta(days=60),
        expires_on=ANNOUNCED + dt.timedelta(days=600),
        position=1,
    )
    if reference:
        ReferencePrice.objects.create(
            enforcement_case=enforcement_case,
            asset=asset,
            method=PriceMethod.ONLINE,
            status=PriceStatus.DETERMINED,
            started_on=ANNOUNCED - dt.timedelta(days=40),
            value=Decimal(reference),
            determined_on=ANNOUNCED - dt.timedelta(days=30),
            valid_until=ANNOUNCED + dt.timedelta(days=335),
        )
    return asset


def terms(*, announced_on=ANNOUNCED, notice_days=15, hours=24, price="70000.00", deposit=None, increment="1000.00"):
    """Valid terms: parties told 3 days before, bidding ``notice_days`` after the announcement for ``hours``."""
    price = Decimal(price)
    starts = at(announced_on + dt.timedelta(days=notice_days))
    return {
        "starting_price": price,
        "deposit": Decimal(deposit) if deposit else (price * Decimal("0.10")).quantize(Decimal("0.01")),
        "increment": Decimal(increment),
        "announced_on": announced_on,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=hours),
        "parties_notified_on": announced_on - dt.timedelta(days=3),
    }


@pytest.fixture
def platform(db):
    return make_agency(
        "jd-auction",
        kind=AgencyKind.AUCTION_PLATFORM,
        categories=[AssetCategory.VEHICLE, AssetCategory.REAL_ESTATE],
        scopes=("agency",),
    )


@pytest.fixture
def other_platform(db):
    return make_agency(
        "taobao-auction",
        kind=AgencyKind.AUCTION_PLATFORM,
        categories=[AssetCategory.VEHICLE, AssetCategory.REAL_ESTATE],
        scopes=("agency",),
    )


@pytest.fixture
def vehicle(enforcement_case, vehicles):
    return seized_asset(enforcement_case, vehicles[0])


@pytest.fixture
def house(enforcement_case, local_registry):
    return seized_asset(
        enforcement_case,
        local_registry[0],
        category=AssetCategory.REAL_ESTATE,
        identifier="京(2024)朝阳区不动产权第0001234号",
        reference="2000000.00",
    )
