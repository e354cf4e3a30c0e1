"""The listing API: a case's entries and proposing, the court list, deciding, extending, removing, the
decision (.docx); 403 without the capability, 404 for another court, nothing written on refusal."""

from __future__ import annotations

import pytest

from credit.choices import ListingStatus
from credit.models import DishonestListing
from tests.credit.listing_builders import (  # noqa: F401 - fixture
    _restriction_issue_available,
    debtor_of,
    listed,
    listing_case,
    nothing_written,
    propose,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def ec(court, officer):
    return listing_case(court, officer)


def _propose(api, ec, **overrides):
    body = {"debtor": debtor_of(ec).pk, "ground": "obstructs", "facts": "以暴力方法阻挠执行。"}
    body.update(overrides)
    return api.post(f"/api/v1/enforcement-cases/{ec.pk}/dishonest-listings/", body, format="json")


def test_proposing_answers_201_with_a_masked_identifier(api_as, officer, ec):
    response = _propose(api_as(officer), ec)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == ListingStatus.PENDING
    assert body["debtor_identifier"] != debtor_of(ec).id_number
    assert "*" in body["debtor_identifier"]


def test_a_refused_proposal_names_its_rule_and_writes_nothing(api_as, officer, court):
    ec = listing_case(court, officer, notices=False)
    with nothing_written():
        response = _propose(api_as(officer), ec)
    assert response.status_code == 400
    assert response.json()["code"] == "listing.notice_not_served"


def test_a_clerk_may_read_but_not_propose(api_as, clerk, ec):
    api = api_as(clerk)
    assert api.get(f"/api/v1/enforcement-cases/{ec.pk}/dishonest-listings/").status_code == 200
    with nothing_written():
        assert _propose(api, ec).status_code == 403


def test_another_courts_case_is_not_found(api_as, other_officer, ec):
    api = api_as(other_officer)
    assert api.get(f"/api/v1/enforcement-cases/{ec.pk}/dishonest-listings/").status_code == 404
    with nothing_written():
        assert _propose(api, ec).status_code == 404


def test_deciding_extending_and_removing(api_as, officer, division_head, ec):
    listing = propose(officer, ec)
    api = api_as(division_head)
    response = api.post(f"/api/v1/dishonest-listings/{listing.pk}/decide/", {"approve": True}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == ListingStatus.LISTED
    response = api.post(
        f"/api/v1/dishonest-listings/{listing.pk}/extend/", {"years": 2, "reason": "仍未履行"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["extension_years"] == 2
    with nothing_written():
        response = api.post(
            f"/api/v1/dishonest-listings/{listing.pk}/extend/", {"years": 2, "reason": "再延"}, format="json"
        )
    assert response.status_code == 400
    decision = api.get(f"/api/v1/dishonest-listings/{listing.pk}/decision/")
    assert decision.status_code == 200
    assert decision["Content-Type"].startswith("application/vnd.openxmlformats")
    response = api.post(
        f"/api/v1/dishonest-listings/{listing.pk}/remove/", {"kind": "early", "reason": "主动履行"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["removal_event"] == "early"


def test_the_proposer_cannot_decide_through_the_api(api_as, division_head, court):
    ec = listing_case(court, division_head)
    listing = propose(division_head, ec)
    with nothing_written():
        response = api_as(division_head).post(
            f"/api/v1/dishonest-listings/{listing.pk}/decide/", {"approve": True}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["code"] == "listing.self_approval"
    assert DishonestListing.objects.get(pk=listing.pk).status == ListingStatus.PENDING


def test_an_officer_cannot_decide(api_as, officer, ec):
    listing = propose(officer, ec)
    with nothing_written():
        response = api_as(officer).post(f"/api/v1/dishonest-listings/{listing.pk}/decide/", {"approve": True})
    assert response.status_code == 403


def test_the_court_list_is_scoped_and_filtered(api_as, officer, division_head, other_officer, ec, court):
    listed(officer, division_head, ec)
    propose(officer, listing_case(court, officer))
    api = api_as(officer)
    body = api.get("/api/v1/dishonest-listings/", {"status": "listed"}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["status"] for row in rows] == ["listed"]
    other = api_as(other_officer).get("/api/v1/dishonest-listings/").json()
    assert (other["results"] if isinstance(other, dict) else other) == []
