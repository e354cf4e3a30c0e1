"""The control API: officers order, release, renew and deduct; agencies pull control orders and confirm
them, never another agency's."""

from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import ControlStatus, RequestKind
from assets.models import AgencyRequest, ControlMeasure
from assets.services.controls import add_years
from tests.assets.test_controls import NOW, make_asset, nothing_controlled, order_confirmed, request_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def controls_url(enforcement_case) -> str:
    return f"/api/v1/enforcement-cases/{enforcement_case.pk}/controls/"


@pytest.fixture
def deposit(enforcement_case, bank):
    return make_asset(enforcement_case, bank[0])


@pytest.fixture
def api_as(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def test_an_officer_orders_a_freeze_defaulting_to_the_cap(api_as, officer, enforcement_case, deposit):
    response = api_as(officer).post(
        controls_url(enforcement_case),
        {"asset": deposit.pk, "kind": "freeze", "amount": "50000.00", "starts_on": "2026-03-02"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["expires_on"], body["amount"], body["position"]) == (
        "ordered",
        "2027-03-02",
        "50000.00",
        1,
    )
    listed = api_as(officer).get(controls_url(enforcement_case)).json()
    assert [m["id"] for m in listed["results"]] == [body["id"]]


def test_an_order_over_the_cap_is_a_400_naming_the_article_and_writes_nothing(
    api_as, officer, enforcement_case, deposit
):
    with nothing_controlled():
        response = api_as(officer).post(
            controls_url(enforcement_case),
            {
                "asset": deposit.pk,
                "kind": "freeze",
                "amount": "1",
                "starts_on": "2026-03-02",
                "expires_on": "2027-03-03",
            },
            format="json",
        )
    assert response.status_code == 400
    assert response.json()["code"] == "control.period_over_cap"
    assert "art. 485" in response.json()["message"]


def test_an_order_on_a_suspended_case_is_refused_and_writes_nothing(api_as, officer, enforcement_case, deposit):
    enforcement_case.__class__.objects.filter(pk=enforcement_case.pk).update(status="suspended")
    with nothing_controlled():
        response = api_as(officer).post(
            controls_url(enforcement_case),
            {"asset": deposit.pk, "kind": "freeze", "amount": "1", "starts_on": "2026-03-02"},
            format="json",
        )
    assert (response.status_code, response.json()["code"]) == (400, "control.case_not_open")


def test_a_clerk_may_not_order_and_another_court_sees_nothing(
    api_as, officer, other_officer, court, enforcement_case, deposit
):
    clerk = UserFactory(clerk=True, court=court)
    with nothing_controlled():
        response = api_as(clerk).post(
            controls_url(enforcement_case),
            {"asset": deposit.pk, "kind": "freeze", "amount": "1", "starts_on": "2026-03-02"},
            format="json",
        )
    assert response.status_code == 403
    measure = order_confirmed(officer, enforcement_case, deposit)
    assert api_as(other_officer).get(controls_url(enforcement_case)).status_code == 404
    with nothing_controlled():
        response = api_as(other_officer).post(f"/api/v1/controls/{measure.pk}/release/", {"reason": "x"})
    assert response.status_code == 404


def test_a_deduction_over_the_frozen_amount_is_a_409_and_writes_nothing(api_as, officer, enforcement_case, deposit):
    measure = order_confirmed(officer, enforcement_case, deposit, amount=Decimal("100.00"))
    url = f"/api/v1/controls/{measure.pk}/deduct/"
    assert api_as(officer).post(url, {"amount": "60.00", "reference": "D-1"}, format="json").status_code == 201
    with nothing_controlled():
        response = api_as(officer).post(url, {"amount": "40.01", "reference": "D-2"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "control.deduction_exceeds_frozen")


def test_release_and_renew_endpoints(api_as, officer, enforcement_case, deposit):
    measure = order_confirmed(officer, enforcement_case, deposit, starts_on=timezone.localdate())
    new_expiry = add_years(measure.expires_on, 1)
    response = api_as(officer).post(f"/api/v1/controls/{measure.pk}/renew/", {"expires_on": new_expiry.isoformat()})
    assert response.status_code == 201, response.json()
    assert response.json()["renewed_from"] == measure.pk
    response = api_as(officer).post(f"/api/v1/controls/{measure.pk}/release/", {"reason": "履行完毕"})
    assert response.status_code == 200
    assert response.json()["release_requested_at"] is not None


def test_an_agency_pulls_its_control_order_and_confirms_it(agency_api, bank, officer, enforcement_case, deposit):
    from assets.services import control_order

    measure = control_order(
        actor=officer,
        enforcement_case=enforcement_case,
        asset=deposit,
        kind="freeze",
        amount=Decimal("500.00"),
        starts_on=NOW.date(),
    )
    agency, key = bank
    client = agency_api(key)
    [item] = client.get("/api/v1/agency/requests/", {"status": "pending"}).json()["results"]
    assert (item["kind"], item["items"], item["order"]["measure"], item["order"]["amount"]) == (
        "freeze",
        [],
        measure.pk,
        "500.00",
    )
    assert item["order"]["asset"]["identifier"] == deposit.identifier

    url = f"/api/v1/agency/requests/{item['id']}/confirm/"
    response = client.post(url, {"outcome": "done", "reference": "ICBC-7788"}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "answered")
    measure.refresh_from_db()
    assert (measure.status, measure.confirmation_reference) == (ControlStatus.ACTIVE, "ICBC-7788")
    with nothing_controlled():
        assert client.post(url, {"outcome": "refused"}, format="json").status_code == 200


def test_an_agency_confirming_another_agencys_order_is_not_found_and_changes_nothing(
    agency_api, bank, vehicles, officer, enforcement_case, deposit
):
    from assets.services import control_order

    measure = control_order(
        actor=officer,
        enforcement_case=enforcement_case,
        asset=deposit,
        kind="freeze",
        amount=Decimal("5"),
        starts_on=NOW.date(),
    )
    request = request_of(measure)
    _agency, other_key = vehicles
    with nothing_controlled():
        response = agency_api(other_key).post(
            f"/api/v1/agency/requests/{request.pk}/confirm/", {"outcome": "done"}, format="json"
        )
    assert response.status_code == 404
    assert ControlMeasure.objects.get(pk=measure.pk).status == ControlStatus.ORDERED
    assert AgencyRequest.objects.get(pk=request.pk).answered_at is None


def test_a_query_request_cannot_be_confirmed_as_a_control_order(agency_api, bank, order, officer, enforcement_case):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    agency, key = bank
    request = batch.requests.get(agency=agency)
    response = agency_api(key).post(
        f"/api/v1/agency/requests/{request.pk}/confirm/", {"outcome": "done"}, format="json"
    )
    assert response.status_code == 404
    assert request.kind == RequestKind.QUERY
