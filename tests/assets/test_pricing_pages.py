"""The reference-price partial of the enforcement case page: the controlled assets with their price attempts
and quotes, the forms for each step; 403 without the capability, 404 for another court."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assets.choices import PriceMethod, PriceStatus
from assets.models import PriceQuote, ReferencePrice
from assets.services import price_inquiry_send, price_start
from tests.assets import pricing_builders
from tests.assets.pricing_builders import CONTROL_ON, nothing_priced
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
house, platforms, valuers = pricing_builders.house, pricing_builders.platforms, pricing_builders.valuers  # fixtures
DAY = CONTROL_ON + dt.timedelta(days=3)


def url(enforcement_case) -> str:
    return reverse("assets:case-pricing", args=[enforcement_case.pk])


def test_the_partial_lists_the_controlled_asset_and_the_start_form(client_as, officer, enforcement_case, house):
    response = client_as(officer).get(url(enforcement_case))
    assert response.status_code == 200
    body = response.content.decode()
    assert house.identifier in body and 'value="start"' in body


def test_start_then_record_the_negotiation(client_as, officer, enforcement_case, house):
    client = client_as(officer)
    response = client.post(
        url(enforcement_case), {"action": "start", "asset": house.pk, "method": "negotiation", "on": str(DAY)}
    )
    assert response.status_code == 200 and 'value="negotiated"' in response.content.decode()
    price = ReferencePrice.objects.get()
    response = client.post(
        url(enforcement_case),
        {"action": "negotiated", "price": price.pk, "creditor_figure": "100", "debtor_figure": "100", "on": str(DAY)},
    )
    assert response.status_code == 200
    price.refresh_from_db()
    assert price.status == PriceStatus.DETERMINED
    assert "valid until" in response.content.decode()


def test_a_refusal_shows_the_rule_and_writes_nothing(client_as, officer, enforcement_case, house):
    with nothing_priced():
        response = client_as(officer).post(
            url(enforcement_case), {"action": "start", "asset": house.pk, "method": "online"}
        )
    assert response.status_code == 400
    assert "The methods are tried in order" in response.content.decode()


def test_the_quotes_show_late_and_objected_marks(client_as, officer, enforcement_case, house, platforms):
    price = price_start(actor=officer, asset=house, method=PriceMethod.ONLINE, on=DAY, skip_reason="agreed")
    price_inquiry_send(price=price)
    first, second, _third = PriceQuote.objects.order_by("pk")
    PriceQuote.objects.filter(pk=first.pk).update(amount=100, answered_at=first.requested_at, objected=True)
    PriceQuote.objects.filter(pk=second.pk).update(late=True)
    price.details = {**price.details, "results_sent_on": str(DAY)}
    price.save()
    body = client_as(officer).get(url(enforcement_case)).content.decode()
    assert "Late: not counted" in body and "Objected" in body and "Reject the objection" in body


def test_forbidden_without_the_capability_and_not_found_elsewhere(client_as, other_officer, enforcement_case, house):
    clerk = UserFactory(clerk=True, court=enforcement_case.case.court)
    assert client_as(clerk).get(url(enforcement_case)).status_code == 200
    with nothing_priced():
        response = client_as(clerk).post(url(enforcement_case), {"action": "start", "asset": house.pk})
    assert response.status_code == 403
    assert client_as(other_officer).get(url(enforcement_case)).status_code == 404
    assert client_as(UserFactory(agency=True)).get(url(enforcement_case)).status_code == 403


def test_the_admin_shows_a_price_with_its_quotes(client_as, officer, house, platforms):
    price = price_start(actor=officer, asset=house, method=PriceMethod.ONLINE, on=DAY, skip_reason="agreed")
    price_inquiry_send(price=price)
    admin = UserFactory(superuser=True)
    response = client_as(admin).get(reverse("admin:assets_referenceprice_change", args=[price.pk]))
    assert response.status_code == 200 and "INQUIRY-1" in response.content.decode()
