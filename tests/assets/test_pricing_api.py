"""The reference-price API: officers start and record each step (403 without the capability, 404 for another
court, nothing written on refusal); platforms see and answer only their own inquiries; the simulator answers
them; the endpoints are in the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator

from assets.choices import PriceMethod, PriceStatus
from assets.models import PriceQuote, ReferencePrice
from assets.services import price_inquiry_send, price_start
from assets.simulator import AgencySimulator, DjangoClientTransport
from tests.assets import pricing_builders
from tests.assets.pricing_builders import CONTROL_ON, noon, nothing_priced
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
house, platforms, valuers = pricing_builders.house, pricing_builders.platforms, pricing_builders.valuers  # fixtures
DAY = CONTROL_ON + dt.timedelta(days=5)


@pytest.fixture
def api_as(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def prices_url(enforcement_case) -> str:
    return f"/api/v1/enforcement-cases/{enforcement_case.pk}/prices/"


def test_an_officer_starts_a_negotiation_and_records_equal_figures(api_as, officer, enforcement_case, house):
    client = api_as(officer)
    response = client.post(
        prices_url(enforcement_case), {"asset": house.pk, "method": "negotiation", "on": str(DAY)}, format="json"
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(
        f"/api/v1/prices/{pk}/negotiated/",
        {"creditor_figure": "2500000.00", "debtor_figure": "2500000.00", "on": str(DAY)},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["value"], body["valid_until"]) == ("determined", "2500000.00", "2027-03-07")
    listed = client.get(prices_url(enforcement_case)).json()
    assert [p["id"] for p in listed["results"]] == [pk]


def test_a_skipped_method_without_reason_is_refused_and_writes_nothing(api_as, officer, enforcement_case, house):
    with nothing_priced():
        response = api_as(officer).post(
            prices_url(enforcement_case), {"asset": house.pk, "method": "directed"}, format="json"
        )
    assert response.status_code == 400
    assert "The methods are tried in order" in response.json()["message"]
    assert response.json()["code"] == "price.method_order"


def test_without_the_capability_403_and_another_court_404(api_as, other_officer, enforcement_case, house):
    clerk = UserFactory(clerk=True, court=enforcement_case.case.court)
    with nothing_priced():
        refused = api_as(clerk).post(prices_url(enforcement_case), {"asset": house.pk, "method": "negotiation"})
    assert refused.status_code == 403
    assert api_as(clerk).get(prices_url(enforcement_case)).status_code == 200
    assert api_as(other_officer).get(prices_url(enforcement_case)).status_code == 404
    price = ReferencePrice.objects.create(
        enforcement_case=enforcement_case, asset=house, method=PriceMethod.NEGOTIATION, started_on=DAY
    )
    with nothing_priced():
        response = api_as(other_officer).post(
            f"/api/v1/prices/{price.pk}/negotiated/",
            {"creditor_figure": "1", "debtor_figure": "1", "on": str(DAY)},
            format="json",
        )
    assert response.status_code == 404


def test_the_valuation_steps(api_as, officer, enforcement_case, house, valuers):
    client = api_as(officer)
    price = price_start(actor=officer, asset=house, method=PriceMethod.APPRAISAL, on=DAY, skip_reason="law")
    ids = [v.pk for v, _key in valuers[:3]]
    response = client.post(f"/api/v1/prices/{price.pk}/commission/", {"valuer_ids": ids}, format="json")
    assert response.status_code == 200, response.content
    assert client.post(f"/api/v1/prices/{price.pk}/extend/", {"days": 15}, format="json").status_code == 200
    with nothing_priced():
        assert client.post(f"/api/v1/prices/{price.pk}/extend/", {"days": 20}, format="json").status_code == 400
    response = client.post(f"/api/v1/prices/{price.pk}/report/", {"amount": "2600000", "on": str(DAY)}, format="json")
    assert response.json()["value"] == "2600000.00"
    response = client.post(f"/api/v1/prices/{price.pk}/objection/", {"text": "Too low.", "on": str(DAY)}, format="json")
    assert response.status_code == 200 and response.json()["details"]["objections"][0]["text"] == "Too low."


@pytest.fixture
def inquiry(officer, house, platforms):
    price = price_start(
        actor=officer, asset=house, method=PriceMethod.ONLINE, on=DAY, skip_reason="Both parties agree."
    )
    price_inquiry_send(price=price)
    return price


def test_a_platform_sees_and_answers_only_its_own_inquiries(agency_api, inquiry, platforms):
    (first, first_key), (second, _key), _third = platforms
    client = agency_api(first_key)
    listed = client.get("/api/v1/agency/price-inquiries/?status=pending")
    assert listed.status_code == 200
    results = listed.json()["results"]
    assert len(results) == 1 and results[0]["reported_value"] == "3000000.00"
    mine = PriceQuote.objects.get(agency=first)
    assert results[0]["id"] == mine.pk
    other = PriceQuote.objects.get(agency=second)
    with nothing_priced():
        assert client.post(f"/api/v1/agency/price-inquiries/{other.pk}/answer/", {"amount": "1"}).status_code == 404
    answered = client.post(f"/api/v1/agency/price-inquiries/{mine.pk}/answer/", {"amount": "2900000.00"})
    assert answered.status_code == 200 and answered.json()["amount"] == "2900000.00"
    assert client.get("/api/v1/agency/price-inquiries/?status=pending").json()["results"] == []


def test_a_session_user_cannot_use_the_agency_endpoint(api_as, officer, inquiry):
    assert api_as(officer).get("/api/v1/agency/price-inquiries/").status_code in (401, 403)


def test_an_officer_records_an_objection_to_one_result(api_as, officer, inquiry):
    quote = PriceQuote.objects.filter(reference_price=inquiry).first()
    PriceQuote.objects.filter(pk=quote.pk).update(amount=Decimal("100.00"), answered_at=quote.requested_at)
    inquiry.details = {**inquiry.details, "results_sent_on": str(DAY)}
    inquiry.save()
    client = api_as(officer)
    response = client.post(
        f"/api/v1/price-quotes/{quote.pk}/objection/", {"text": "Odd.", "on": str(DAY)}, format="json"
    )
    assert response.status_code == 200 and response.json()["objected"] is True
    response = client.post(f"/api/v1/price-quotes/{quote.pk}/objection/reject/")
    assert response.status_code == 200 and response.json()["objected"] is False


def test_the_simulator_answers_price_inquiries_around_the_value(inquiry, platforms):
    for agency, key in platforms:
        stats = AgencySimulator(DjangoClientTransport(key), agency=agency.code, seed=3).poll_once()
        assert stats.requests_answered == 1 and not stats.errors
    amounts = [q.amount for q in PriceQuote.objects.filter(reference_price=inquiry)]
    assert all(Decimal("2700000") <= a <= Decimal("3300000") for a in amounts)
    again = [
        AgencySimulator(DjangoClientTransport(key), agency=agency.code, seed=3).poll_once().requests_seen
        for agency, key in platforms
    ]
    assert again == [0, 0, 0]


def test_the_endpoints_are_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["paths"]["/api/v1/agency/price-inquiries/"]["get"]["security"] == [{"ApiKey": []}]
    assert "/api/v1/enforcement-cases/{id}/prices/" in schema["paths"]
    assert "/api/v1/prices/{id}/commission/" in schema["paths"]


def test_settle_through_the_api(api_as, officer, inquiry):
    for quote in PriceQuote.objects.filter(reference_price=inquiry):
        PriceQuote.objects.filter(pk=quote.pk).update(amount=Decimal("1000.00"), answered_at=quote.requested_at)
    inquiry.details = {**inquiry.details, "results_sent_on": "2026-01-01"}
    inquiry.save()
    response = api_as(officer).post(f"/api/v1/prices/{inquiry.pk}/settle/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == PriceStatus.DETERMINED and response.json()["value"] == "1000.00"
    assert noon(DAY)  # builders in use
