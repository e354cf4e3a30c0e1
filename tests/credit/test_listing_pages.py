"""The listing pages: the case partial, the action views (back to the case page; the form again with the
message on refusal), the decision download and the court list with its filters and export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credit.choices import ListingStatus, RemovalEvent
from credit.models import DishonestListing
from credit.services.removal import listing_removal_event
from tests.credit.listing_builders import (  # noqa: F401 - fixture
    _restriction_issue_available,
    debtor_of,
    listed,
    listing_case,
    nothing_written,
    propose,
)
from tests.enforcement.builders import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def ec(court, officer):
    return listing_case(court, officer)


def test_the_case_partial_shows_the_entries_and_the_propose_form(client_as, officer, ec):
    propose(officer, ec)
    response = client_as(officer).get(reverse("credit:case-listings", args=[ec.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "王小明" in html
    assert reverse("credit:listing-propose", args=[ec.pk]) in html
    assert reverse("credit:listing-decide", args=[ec.pk]) not in html  # an officer does not approve


def test_the_partial_offers_the_decision_to_a_head_who_did_not_propose(client_as, officer, division_head, ec):
    propose(officer, ec)
    html = client_as(division_head).get(reverse("credit:case-listings", args=[ec.pk])).content.decode()
    assert reverse("credit:listing-decide", args=[ec.pk]) in html


def test_another_courts_partial_is_not_found(client_as, other_officer, ec):
    assert client_as(other_officer).get(reverse("credit:case-listings", args=[ec.pk])).status_code == 404


def test_proposing_through_the_page_goes_back_to_the_case(client_as, officer, ec):
    data = {"debtor": debtor_of(ec).pk, "ground": "obstructs", "facts": "阻挠执行。"}
    response = client_as(officer).post(reverse("credit:listing-propose", args=[ec.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("enforcement:detail", args=[ec.pk])
    assert DishonestListing.objects.get().status == ListingStatus.PENDING


def test_a_refusal_shows_the_form_again_with_the_rule(client_as, court, officer):
    ec = listing_case(court, officer, notices=False)
    data = {"debtor": debtor_of(ec).pk, "ground": "obstructs", "facts": "阻挠执行。"}
    with nothing_written():
        response = client_as(officer).post(reverse("credit:listing-propose", args=[ec.pk]), data)
    assert response.status_code == 400
    assert "失信规定 art. 5" in response.content.decode()


def test_a_clerk_cannot_propose(client_as, clerk, ec):
    data = {"debtor": debtor_of(ec).pk, "ground": "obstructs", "facts": "阻挠执行。"}
    with nothing_written():
        assert client_as(clerk).post(reverse("credit:listing-propose", args=[ec.pk]), data).status_code == 403


def test_approving_through_the_page(client_as, officer, division_head, ec):
    listing = propose(officer, ec)
    data = {"listing": listing.pk, "approve": "1", "note": ""}
    response = client_as(division_head).post(reverse("credit:listing-decide", args=[ec.pk]), data)
    assert response.status_code == 302
    assert DishonestListing.objects.get(pk=listing.pk).status == ListingStatus.LISTED
    download = client_as(officer).get(reverse("credit:listing-decision", args=[listing.pk]))
    assert download.status_code == 200


def test_removing_on_the_applicants_request_through_the_page(client_as, officer, division_head, ec):
    listing = listed(officer, division_head, ec)
    data = {"listing": listing.pk, "kind": "applicant_request", "reason": "申请执行人书面申请。"}
    response = client_as(division_head).post(reverse("credit:listing-remove", args=[ec.pk]), data)
    assert response.status_code == 302
    assert DishonestListing.objects.get(pk=listing.pk).removal_event == RemovalEvent.APPLICANT_REQUEST


def test_the_court_list_highlights_overdue_removals_and_filters_them(client_as, officer, division_head, court):
    late = listed(officer, division_head, listing_case(court, officer))
    listing_removal_event(listing=late, event=RemovalEvent.PERFORMED, on=TODAY - dt.timedelta(days=20))
    listed(officer, division_head, listing_case(court, officer, debtors=None))
    client = client_as(officer)
    response = client.get(reverse("credit:listings"))
    assert response.status_code == 200
    assert "table-danger" in response.content.decode()
    overdue = client.get(reverse("credit:listings"), {"overdue": "true"})
    assert [x.pk for x in overdue.context["listings"]] == [late.pk]


def test_the_court_list_exports_csv(client_as, officer, division_head, ec):
    listed(officer, division_head, ec)
    response = client_as(officer).get(reverse("credit:listings"), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert "王小明".encode() in content
    assert debtor_of(ec).id_number.encode() not in content


def test_another_courts_decision_is_not_found(client_as, officer, division_head, other_officer, ec):
    listing = listed(officer, division_head, ec)
    assert client_as(other_officer).get(reverse("credit:listing-decision", args=[listing.pk])).status_code == 404


def test_the_court_lists_query_count_does_not_grow_with_rows(client_as, officer, division_head, court):
    for _ in range(3):
        listed(officer, division_head, listing_case(court, officer))
    client = client_as(officer)
    client.get(reverse("credit:listings"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("credit:listings"))
    for _ in range(3):
        listed(officer, division_head, listing_case(court, officer))
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("credit:listings"))
    assert len(more) == len(few)
