"""The control-measures partial of an enforcement case and the division's list of live measures."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assets.choices import ControlStatus
from assets.models import ControlMeasure
from tests.assets.test_controls import make_asset, nothing_controlled, order_confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit(enforcement_case, bank):
    return make_asset(enforcement_case, bank[0])


def partial(enforcement_case) -> str:
    return reverse("assets:case-measures", args=[enforcement_case.pk])


def test_the_partial_lists_the_cases_measures_for_an_officer_and_is_not_found_elsewhere(
    client_as, officer, other_officer, enforcement_case, deposit
):
    order_confirmed(officer, enforcement_case, deposit)
    response = client_as(officer).get(partial(enforcement_case))
    assert response.status_code == 200
    assert deposit.identifier in response.content.decode()
    assert client_as(other_officer).get(partial(enforcement_case)).status_code == 404


def test_an_officer_orders_from_the_partial_and_a_refusal_is_shown_with_nothing_written(
    client_as, officer, enforcement_case, deposit
):
    client = client_as(officer)
    response = client.post(
        partial(enforcement_case),
        {"action": "order", "asset": deposit.pk, "kind": "freeze", "amount": "1000", "starts_on": "2026-03-02"},
    )
    assert response.status_code == 200
    measure = ControlMeasure.objects.get()
    assert (measure.status, measure.amount) == (ControlStatus.ORDERED, Decimal("1000.00"))
    with nothing_controlled():
        response = client.post(
            partial(enforcement_case),
            {
                "action": "order",
                "asset": deposit.pk,
                "kind": "freeze",
                "amount": "1",
                "starts_on": "2026-03-02",
                "expires_on": "2027-03-03",
            },
        )
    assert response.status_code == 400
    assert "art. 485" in response.content.decode()


def test_the_division_list_shows_the_courts_live_measures_by_expiry_and_exports_them(
    client_as, officer, other_officer, enforcement_case, deposit
):
    order_confirmed(officer, enforcement_case, deposit)
    url = reverse("assets:measure-list")
    response = client_as(officer).get(url)
    assert response.status_code == 200
    assert enforcement_case.case.number in response.content.decode()
    export = client_as(officer).get(url, {"export": "csv"})
    assert export.status_code == 200
    assert deposit.identifier in b"".join(export.streaming_content).decode("utf-8-sig")
    other = client_as(other_officer).get(url)
    assert other.status_code == 200
    assert enforcement_case.case.number not in other.content.decode()
