# ruff: noqa: F811 - the fixtures imported from auction_builders are parameters of the tests
"""A third-party objection (案外人异议, 民诉法 2023 art. 238) on an asset stops its disposal while under review;
upheld, the control measures on the asset are released; dismissed, the disposal goes on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assets.choices import AuctionKind
from assets.models import ControlMeasure
from assets.receivers_objections import RELEASE_REASON
from assets.services import (
    auction_announce,
    auction_bid,
    auction_close,
    auction_second_round,
    in_kind_settlement_record,
    sale_start,
)
from core.exceptions import InvalidInput, RuleViolation
from enforcement.models import Objection
from enforcement.services.objections import objection_decide, objection_file
from tests.assets.auction_builders import (  # noqa: F401 - fixtures
    nothing_written,
    platform,
    terms,
    vehicle,
)
from tests.enforcement.builders import TODAY
from tests.enforcement.test_objections import nothing_written as no_objection_written
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def judge(court):
    return UserFactory(judge=True, court=court, username="judge-0105")


def third_party_objection(officer, enforcement_case, asset, *, name="赵案外"):
    return objection_file(
        actor=officer,
        enforcement_case=enforcement_case,
        kind="third_party",
        objector=PartyFactory(name=name),
        grounds="该车辆系本人所有，登记在被执行人名下",
        filed_on=TODAY,
        asset_id=asset.pk,
    )


def decide(judge, objection, *, upheld, capture):
    with capture(execute=True):
        objection_decide(actor=judge, objection=objection, upheld=upheld, on=TODAY, ruling="裁定")


def refused_as_pending(call):
    with nothing_written(), pytest.raises(RuleViolation) as caught:
        call()
    assert caught.value.code == "auction.objection_pending"
    assert "art. 238" in caught.value.message


def announce(officer, asset, platform, **kwargs):
    return auction_announce(actor=officer, asset=asset, platform=platform[0], **terms(**kwargs))


def close_failed(auction):
    return auction_close(auction=auction, now=auction.ends_at)


def next_terms(previous, *, days_after=10, notice_days=7, price="56000.00"):
    return terms(announced_on=previous.closed_at.date() + dt.timedelta(days=days_after), notice_days=notice_days,
                 price=price)  # fmt: skip


def test_a_third_party_objection_names_the_asset_and_is_filed_as_a_zhiyi_case(officer, enforcement_case, vehicle):
    objection = third_party_objection(officer, enforcement_case, vehicle)
    assert objection.asset_id == vehicle.pk and vehicle.identifier in objection.asset_label
    roles = sorted(objection.case.party_links.values_list("role", flat=True))
    assert roles.count("third_party") == 1 and "creditor" in roles and "debtor" in roles


def test_an_asset_of_another_case_cannot_be_objected_to_here(officer, enforcement_case, vehicle, court, debtors):
    from tests.enforcement.builders import case_in

    other = case_in("investigating", court, debtors=[PartyFactory(organisation=True)], officer=officer)
    outsider = PartyFactory()
    with no_objection_written(), pytest.raises(InvalidInput) as refusal:
        objection_file(
            actor=officer, enforcement_case=other, kind="third_party", objector=outsider, grounds="本人所有",
            filed_on=TODAY, asset_id=vehicle.pk,
        )  # fmt: skip
    assert refusal.value.code == "objection.asset"
    assert not Objection.objects.exists()


def test_the_first_auction_is_refused_while_a_third_party_objection_is_pending(
    officer, enforcement_case, vehicle, platform
):
    third_party_objection(officer, enforcement_case, vehicle)
    refused_as_pending(lambda: announce(officer, vehicle, platform))


def test_upheld_the_objection_releases_the_measures_on_the_asset(
    officer, judge, enforcement_case, vehicle, django_capture_on_commit_callbacks
):
    objection = third_party_objection(officer, enforcement_case, vehicle)
    decide(judge, objection, upheld=True, capture=django_capture_on_commit_callbacks)
    measure = ControlMeasure.objects.get(asset=vehicle)
    assert measure.release_requested_at is not None
    assert measure.release_reason == RELEASE_REASON


def test_dismissed_the_objection_leaves_the_measures_and_the_disposal_goes_on(
    officer, judge, enforcement_case, vehicle, platform, django_capture_on_commit_callbacks
):
    objection = third_party_objection(officer, enforcement_case, vehicle)
    decide(judge, objection, upheld=False, capture=django_capture_on_commit_callbacks)
    measure = ControlMeasure.objects.get(asset=vehicle)
    assert measure.release_requested_at is None
    assert announce(officer, vehicle, platform).round == 1


def test_the_second_round_the_sale_and_settlement_in_kind_wait_for_a_pending_objection(
    officer, judge, enforcement_case, vehicle, platform, django_capture_on_commit_callbacks
):
    first = close_failed(announce(officer, vehicle, platform))
    pending = third_party_objection(officer, enforcement_case, vehicle, name="赵一")
    refused_as_pending(lambda: auction_second_round(actor=officer, previous=first, **next_terms(first)))
    decide(judge, pending, upheld=False, capture=django_capture_on_commit_callbacks)
    second = close_failed(auction_second_round(actor=officer, previous=first, **next_terms(first)))

    sale_terms = next_terms(second, days_after=5)
    sale_terms["price"] = sale_terms.pop("starting_price")
    pending = third_party_objection(officer, enforcement_case, vehicle, name="赵二")
    refused_as_pending(lambda: sale_start(actor=officer, previous=second, **sale_terms))
    decide(judge, pending, upheld=False, capture=django_capture_on_commit_callbacks)
    sale = close_failed(sale_start(actor=officer, previous=second, **sale_terms))
    assert sale.kind == AuctionKind.SALE

    creditor = enforcement_case.case.party_links.get(role="creditor").party
    pending = third_party_objection(officer, enforcement_case, vehicle, name="赵三")
    refused_as_pending(
        lambda: in_kind_settlement_record(actor=officer, asset=vehicle, creditor=creditor, accepted_on=TODAY)
    )
    decide(judge, pending, upheld=False, capture=django_capture_on_commit_callbacks)
    assert in_kind_settlement_record(actor=officer, asset=vehicle, creditor=creditor, accepted_on=TODAY).pk


def test_a_third_party_objection_on_an_asset_already_sold_is_refused_as_late(
    officer, enforcement_case, vehicle, platform
):
    auction = announce(officer, vehicle, platform)
    auction_bid(auction=auction, bidder="A", amount="70000", at=auction.starts_at)
    auction_close(auction=auction, now=auction.ends_at)
    outsider = PartyFactory()
    with no_objection_written(), pytest.raises(RuleViolation) as refusal:
        objection_file(
            actor=officer, enforcement_case=enforcement_case, kind="third_party", objector=outsider,
            grounds="本人所有", filed_on=TODAY, asset_id=vehicle.pk,
        )  # fmt: skip
    assert refusal.value.code == "objection.late"
    assert "art. 462" in refusal.value.message
    assert not Objection.objects.exists()


def test_the_disposal_panel_says_the_asset_waits_for_a_pending_third_party_objection(
    client_as, officer, enforcement_case, vehicle
):
    third_party_objection(officer, enforcement_case, vehicle)
    html = client_as(officer).get(reverse("assets:case-disposal", args=[enforcement_case.pk])).content.decode()
    assert f'id="objection-block-{vehicle.pk}"' in html and "art. 238" in html
