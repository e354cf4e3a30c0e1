from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from assets.choices import AgencyKind, AgencyScope, AssetCategory
from assets.demo import AGENCIES
from assets.models import Agency
from core.models import ApiCredential
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_there_are_at_least_sixteen_asset_categories():
    assert len(AssetCategory.values) >= 16
    assert {"deposit", "real_estate", "vehicle", "securities", "online_funds", "ship", "fishing_vessel"} <= set(
        AssetCategory.values
    )


def test_the_demo_seed_covers_sixteen_categories_with_twelve_agencies(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO())
    agencies = Agency.objects.all()
    assert agencies.count() == len(AGENCIES) >= 12
    assert {c for a in agencies for c in a.categories} == set(AssetCategory.values)
    local = Agency.objects.get(code="bj-real-estate")
    assert local.scope == AgencyScope.LOCAL
    assert sorted(local.courts.values_list("code", flat=True)) == ["京0105", "京0108"]
    bank = Agency.objects.get(code="icbc")
    assert bank.client.username == "demo-bank"
    assert "agency" in ApiCredential.objects.get(prefix="demobank").scopes


def test_an_agency_refuses_unknown_categories():
    agency = Agency(code="x", name="X", kind=AgencyKind.BANK, categories=["deposit", "gold_bars"])
    with pytest.raises(ValidationError) as raised:
        agency.full_clean()
    assert raised.value.message_dict == {"categories": ["Unknown asset categories: gold_bars."]}


def test_an_agency_answers_through_an_agency_client_only(officer):
    agency = Agency(code="x", name="X", kind=AgencyKind.BANK, categories=["deposit"], client=officer)
    with pytest.raises(ValidationError) as raised:
        agency.full_clean()
    assert raised.value.message_dict == {"client": ["An agency answers through an agency client account."]}
    agency.client = UserFactory(agency=True)
    agency.full_clean()
