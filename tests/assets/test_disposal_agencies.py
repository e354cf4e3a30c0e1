"""Price-inquiry platforms, valuers and auction platforms are agencies, but they price and sell: a network asset
query never asks them."""

import pytest

from assets.choices import AgencyKind, AssetCategory
from assets.services.queries import agencies_for
from tests.assets.builders import make_agency

pytestmark = pytest.mark.django_db


def test_the_query_fan_out_leaves_out_platforms_and_valuers(court):
    registry, _key = make_agency(
        "registry", kind=AgencyKind.REAL_ESTATE_REGISTRY, categories=[AssetCategory.REAL_ESTATE]
    )
    for code, kind in (
        ("inquiry", AgencyKind.INQUIRY_PLATFORM),
        ("valuer", AgencyKind.VALUER),
        ("auction", AgencyKind.AUCTION_PLATFORM),
    ):
        make_agency(code, kind=kind, categories=[AssetCategory.REAL_ESTATE])
    assert agencies_for(court_id=court.pk, categories=[AssetCategory.REAL_ESTATE]) == [registry]
