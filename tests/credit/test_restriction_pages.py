"""The restrictions partial on the enforcement case page, its action views, the order download and the
court's list (200 / 403 / 404; IDs masked; refusals write nothing)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from credit.models import Restriction
from credit.services.restrictions import restriction_issue
from tests.credit.restriction_builders import (
    LEGAL_REP_ID,
    debtor_of,
    legal_rep,
    nothing_written,
    restriction_case,
)
from tests.enforcement.builders import TODAY

pytestmark = pytest.mark.usefixtures("media_root")
FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


@pytest.fixture
def ec(court, officer):
    return restriction_case(court, officer)


@pytest.fixture
def restriction(ec, officer):
    return restriction_issue(
        actor=officer,
        enforcement_case=ec,
        debtor=debtor_of(ec),
        kind="consumption",
        reason="未履行。",
        bound_persons=[legal_rep()],
    )


def issue_data(ec, **overrides) -> dict:
    data = {
        "debtor": debtor_of(ec).pk,
        "kind": "consumption",
        "reason": "被执行人未按执行通知书履行义务。",
        "prohibited": ["flights", "travel"],
        "legal_representative_name": "王建国",
        "legal_representative_id": LEGAL_REP_ID,
    }
    data.update(overrides)
    return data


def test_the_partial_shows_the_restriction_with_masked_ids_and_the_forms(client_as, officer, ec, restriction):
    response = client_as(officer).get(reverse("credit:case-restrictions", args=[ec.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert restriction.order_number in html
    assert "王建国" in html
    assert LEGAL_REP_ID not in html and not FULL_ID.search(html)
    assert reverse("credit:restriction-order", args=[restriction.pk]) in html
    assert reverse("credit:restriction-lift", args=[ec.pk]) in html
    assert reverse("credit:restriction-issue", args=[ec.pk]) in html


def test_a_clerk_sees_the_partial_without_forms(client_as, clerk, ec, restriction):
    response = client_as(clerk).get(reverse("credit:case-restrictions", args=[ec.pk]))
    assert response.status_code == 200
    assert reverse("credit:restriction-lift", args=[ec.pk]) not in response.content.decode()


def test_another_courts_case_is_not_found(client_as, other_officer, ec):
    assert client_as(other_officer).get(reverse("credit:case-restrictions", args=[ec.pk])).status_code == 404


def test_issuing_from_the_page_goes_back_to_the_case(client_as, officer, ec):
    response = client_as(officer).post(reverse("credit:restriction-issue", args=[ec.pk]), issue_data(ec))
    assert response.status_code == 302
    assert response["Location"] == reverse("enforcement:detail", args=[ec.pk])
    restriction = Restriction.objects.get()
    assert restriction.prohibited == ["flights", "travel"]
    assert restriction.bound_persons.get().id_number == LEGAL_REP_ID


def test_a_refused_issue_shows_the_form_again_and_writes_nothing(client_as, officer, ec):
    with nothing_written():
        response = client_as(officer).post(
            reverse("credit:restriction-issue", args=[ec.pk]),
            issue_data(ec, legal_representative_name="", legal_representative_id=""),
        )
    assert response.status_code == 400
    assert "binds at least its legal representative" in response.content.decode()


def test_a_clerk_may_not_issue(client_as, clerk, ec):
    with nothing_written():
        response = client_as(clerk).post(reverse("credit:restriction-issue", args=[ec.pk]), issue_data(ec))
    assert response.status_code == 403


def test_lifting_and_permission_from_the_page(client_as, officer, ec, restriction):
    client = client_as(officer)
    response = client.post(
        reverse("credit:restriction-permission", args=[ec.pk]),
        {
            "restriction": restriction.pk,
            "purpose": "就医。",
            "allowed": ["flights"],
            "valid_from": TODAY.isoformat(),
            "valid_until": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert restriction.permissions.count() == 1
    with nothing_written():
        response = client.post(
            reverse("credit:restriction-lift", args=[ec.pk]), {"restriction": restriction.pk, "ground": "security"}
        )
    assert response.status_code == 400
    response = client.post(
        reverse("credit:restriction-lift", args=[ec.pk]),
        {"restriction": restriction.pk, "ground": "security", "reason": "提供房产担保。"},
    )
    assert response.status_code == 302
    restriction.refresh_from_db()
    assert restriction.status == "lifted"


def test_a_restriction_of_another_case_is_not_found_through_this_case(client_as, court, officer, restriction):
    other = restriction_case(court, officer)
    with nothing_written():
        response = client_as(officer).post(
            reverse("credit:restriction-lift", args=[other.pk]),
            {"restriction": restriction.pk, "ground": "security", "reason": "x"},
        )
    assert response.status_code == 404


def test_the_order_downloads_for_the_court_only(client_as, officer, other_officer, restriction):
    url = reverse("credit:restriction-order", args=[restriction.pk])
    response = client_as(officer).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert client_as(other_officer).get(url).status_code == 404


def test_the_court_list_filters_sorts_and_masks(client_as, officer, other_officer, restriction):
    url = reverse("credit:restrictions")
    response = client_as(officer).get(url, {"kind": "consumption", "status": "active", "ordering": "-issued_on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert restriction.order_number in html
    assert not FULL_ID.search(html)
    assert restriction.order_number not in client_as(officer).get(url, {"kind": "exit"}).content.decode()
    assert restriction.order_number not in client_as(other_officer).get(url).content.decode()


def test_the_court_list_exports(client_as, officer, division_head, restriction):
    response = client_as(division_head).get(reverse("credit:restrictions"), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert restriction.order_number in body
    assert LEGAL_REP_ID not in body


def test_the_list_needs_a_login(client):
    response = client.get(reverse("credit:restrictions"))
    assert response.status_code == 302


def test_a_refused_permission_shows_its_form_again(client_as, officer, ec, restriction):
    with nothing_written():
        response = client_as(officer).post(
            reverse("credit:restriction-permission", args=[ec.pk]),
            {
                "restriction": restriction.pk,
                "purpose": "就医。",
                "allowed": ["flights"],
                "valid_from": TODAY.isoformat(),
                "valid_until": "2020-01-01",
            },
        )
    assert response.status_code == 400
    assert "The permission ends on or after the day it starts." in response.content.decode()
