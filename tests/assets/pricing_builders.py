"""Builders for the reference-price tests: a real-estate asset of the enforcement case under a seal in force,
three online-inquiry platforms and four valuers (agencies with API keys), and a snapshot of the tables the
pricing services write (to prove that a refusal wrote nothing)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory, ControlKind, ControlStatus
from assets.models import Asset, ControlMeasure, PriceQuote, ReferencePrice
from core.models import AuditLog
from tests.assets.builders import make_agency

CONTROL_ON = dt.date(2026, 3, 2)


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def price_counts() -> dict:
    return {
        "prices": sorted(ReferencePrice.objects.values_list("pk", "status", "value", "determined_on", "valid_until")),
        "details": sorted((p.pk, repr(p.details)) for p in ReferencePrice.objects.all()),
        "quotes": sorted(PriceQuote.objects.values_list("pk", "due_at", "extensions", "amount", "late", "objected")),
        "audit": AuditLog.objects.count(),
    }


@contextmanager
def nothing_priced():
    before = price_counts()
    yield
    assert price_counts() == before


def controlled_asset(enforcement_case, agency, *, category=AssetCategory.REAL_ESTATE, control_on=CONTROL_ON,
                     status=ControlStatus.ACTIVE, identifier="京(2020)朝阳区不动产权第0012345号"):  # fmt: skip
    debtor = enforcement_case.case.party_links.filter(role="debtor").first().party
    asset = Asset.objects.create(
        case=enforcement_case.case, debtor=debtor, category=category, agency=agency, identifier=identifier,
        value=Decimal("3000000.00"),
    )  # fmt: skip
    ControlMeasure.objects.create(
        enforcement_case=enforcement_case, asset=asset, kind=ControlKind.SEAL, status=status,
        starts_on=control_on, expires_on=control_on + dt.timedelta(days=3 * 365),
    )  # fmt: skip
    return asset


@pytest.fixture
def platforms(db):
    return [
        make_agency(f"inquiry-{n}", kind=AgencyKind.INQUIRY_PLATFORM, categories=[AssetCategory.REAL_ESTATE])
        for n in range(1, 4)
    ]


@pytest.fixture
def valuers(db):
    return [
        make_agency(f"valuer-{n}", kind=AgencyKind.VALUER, categories=[AssetCategory.REAL_ESTATE]) for n in range(1, 5)
    ]


@pytest.fixture
def house(enforcement_case, local_registry):
    return controlled_asset(enforcement_case, local_registry[0])
