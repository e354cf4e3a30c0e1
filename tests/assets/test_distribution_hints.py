"""What 查控 tells the distribution plan (assets.checks.distribution_claims, registered with enforcement): the
mortgages on the case's controlled property as secured claims, and the creditors of every case that controlled
the same property, in the order their first measure on it was registered (first frozen, first paid)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import AssetCategory, ControlKind, ControlStatus
from assets.models import Asset, ControlMeasure
from cases.choices import PartyRole
from enforcement.checks import distribution_claim_hints
from enforcement.choices import Status
from tests.enforcement.builders import case_in
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db
FLAT = "京(2024)朝阳区不动产权第0012345号"


def controlled(ec, registry, *, days_ago, status=ControlStatus.ACTIVE, details=None):
    agency, _key = registry
    debtor = ec.case.party_links.get(role=PartyRole.DEBTOR).party
    asset, _ = Asset.objects.get_or_create(
        case=ec.case,
        debtor=debtor,
        category=AssetCategory.REAL_ESTATE,
        agency=agency,
        identifier=FLAT,
        defaults={"description": "朝阳区某小区3号楼", "details": details or {}},
    )
    return ControlMeasure.objects.create(
        enforcement_case=ec,
        asset=asset,
        kind=ControlKind.SEAL,
        status=status,
        starts_on=dt.date.today() - dt.timedelta(days=days_ago),
        expires_on=dt.date.today() + dt.timedelta(days=900),
        created_at=timezone.now() - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def company():
    return PartyFactory(organisation=True, name="北京某某贸易有限公司")


def creditor_of(ec):
    return ec.case.party_links.get(role=PartyRole.CREDITOR).party_id


def test_creditors_are_hinted_in_the_order_their_cases_first_controlled_the_property(
    court, other_court, officer, local_registry, company
):
    ours = case_in(Status.INVESTIGATING, court, debtors=[company], officer=officer, amount="300000.00")
    earlier = case_in(Status.INVESTIGATING, other_court, debtors=[company], amount="200000.00")
    later = case_in(Status.INVESTIGATING, court, debtors=[company], amount="50000.00")
    controlled(ours, local_registry, days_ago=20)
    controlled(earlier, local_registry, days_ago=40)
    controlled(later, local_registry, days_ago=5, status=ControlStatus.WAITING)
    hints = [h for h in distribution_claim_hints(ours) if h.kind == "ordinary"]
    assert [(h.recipient, h.control_position) for h in hints] == [
        (creditor_of(earlier), 1),
        (creditor_of(ours), 2),
        (creditor_of(later), 3),
    ]
    assert hints[0].amount == Decimal("200000.00") and earlier.case.number in hints[0].source


def test_a_measure_the_agency_refused_takes_no_place_and_other_property_is_not_mixed_in(
    court, officer, local_registry, company
):
    ours = case_in(Status.INVESTIGATING, court, debtors=[company], officer=officer)
    refused = case_in(Status.INVESTIGATING, court, debtors=[company])
    controlled(ours, local_registry, days_ago=20)
    controlled(refused, local_registry, days_ago=30, status=ControlStatus.REFUSED)
    other_debtor = case_in(Status.INVESTIGATING, court)
    controlled(other_debtor, local_registry, days_ago=40)  # same identifier, another debtor's property
    hints = distribution_claim_hints(ours)
    assert [(h.recipient, h.control_position) for h in hints] == [(creditor_of(ours), 1)]


def test_mortgages_reported_on_the_property_come_first_as_secured_claims(court, officer, local_registry, company):
    ours = case_in(Status.INVESTIGATING, court, debtors=[company], officer=officer)
    controlled(
        ours,
        local_registry,
        days_ago=10,
        details={"mortgages": [{"creditor": "中国建设银行北京分行", "amount": "800000.00"}]},
    )
    hints = distribution_claim_hints(ours)
    assert [h.kind for h in hints] == ["secured", "ordinary"]
    assert hints[0].amount == Decimal("800000.00") and "中国建设银行北京分行" in hints[0].source
    assert hints[0].recipient is None


def test_a_case_without_controlled_property_has_no_hints(court, officer, company):
    ours = case_in(Status.INVESTIGATING, court, debtors=[company], officer=officer)
    assert distribution_claim_hints(ours) == []
