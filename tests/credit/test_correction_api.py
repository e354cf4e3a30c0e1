"""API of the correction requests: staff file against an entry, list the court's requests, and record each
step; errors carry the rule's code and nothing is written on refusal."""

import datetime as dt

import pytest

from credit.choices import CorrectionGround, CorrectionStatus
from credit.models import CorrectionRequest
from tests.credit.feed_builders import listing_of, nothing_written
from tests.enforcement.builders import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(court):
    return listing_of(court)


def file_through_api(client, listing, **overrides):
    body = {
        "applicant_name": listing.debtor.name,
        "applicant_id_number": listing.debtor.id_number,
        "ground": CorrectionGround.SHOULD_BE_DELETED,
        "statement": "已履行完毕。",
        "on": (TODAY - dt.timedelta(days=20)).isoformat(),
    }
    body.update(overrides)
    return client.post(f"/api/v1/dishonest-listings/{listing.pk}/corrections/", body, format="json")


def test_staff_file_and_the_review_is_due_in_15_days(api_as, clerk, listing):
    response = file_through_api(api_as(clerk), listing)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["review_due_on"] == (TODAY - dt.timedelta(days=5)).isoformat()
    assert body["next_due_on"] == body["review_due_on"]
    assert body["case_number"] == listing.enforcement_case.case.number


def test_another_courts_entry_is_not_found(api_as, other_clerk, listing):
    with nothing_written():
        response = file_through_api(api_as(other_clerk), listing)
    assert response.status_code == 404


def test_the_list_is_the_courts_with_the_overdue_first(api_as, clerk, other_clerk, court, listing):
    client = api_as(clerk)
    file_through_api(client, listing)
    file_through_api(client, listing_of(court), on=TODAY.isoformat())
    body = client.get("/api/v1/corrections/").json()
    assert [r["review_due_on"] for r in body["results"]] == sorted(r["review_due_on"] for r in body["results"])
    assert len(client.get("/api/v1/corrections/", {"due": "overdue"}).json()["results"]) == 1
    assert api_as(other_clerk).get("/api/v1/corrections/").json()["results"] == []


def test_the_steps_through_the_api(api_as, clerk, division_head, listing):
    pk = file_through_api(api_as(clerk), listing).json()["id"]
    client = api_as(division_head)
    base = f"/api/v1/corrections/{pk}"
    with nothing_written():
        refused = client.post(f"{base}/decide/", {"uphold": False}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "correction.note_required"
    decided = client.post(f"{base}/decide/", {"uphold": False, "note": "不成立。"}, format="json").json()
    assert decided["status"] == "rejected"
    served = client.post(f"{base}/rejection-served/", {"on": TODAY.isoformat()}, format="json").json()
    assert served["reconsideration_due_on"] == (TODAY + dt.timedelta(days=10)).isoformat()
    asked = client.post(f"{base}/reconsideration/", {"on": TODAY.isoformat()}, format="json").json()
    assert asked["status"] == "reconsideration"
    assert asked["reconsideration_decision_due_on"] == (TODAY + dt.timedelta(days=15)).isoformat()
    done = client.post(f"{base}/reconsideration/", {"result": "驳回。", "on": TODAY.isoformat()}, format="json")
    assert done.json()["status"] == "reconsidered"


def test_a_clerk_cannot_decide(api_as, clerk, listing):
    pk = file_through_api(api_as(clerk), listing).json()["id"]
    with nothing_written():
        response = api_as(clerk).post(f"/api/v1/corrections/{pk}/decide/", {"uphold": True}, format="json")
    assert response.status_code == 403
    assert CorrectionRequest.objects.get().status == CorrectionStatus.PENDING


def test_upheld_and_corrected_through_the_api_revokes_the_entry(api_as, clerk, division_head, listing):
    pk = file_through_api(api_as(clerk), listing).json()["id"]
    client = api_as(division_head)
    assert client.post(f"/api/v1/corrections/{pk}/decide/", {"uphold": True}, format="json").status_code == 200
    response = client.post(f"/api/v1/corrections/{pk}/corrected/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "corrected"
    listing.refresh_from_db()
    assert listing.status == "removed"


def test_the_admin_lists_corrections_subscriptions_and_feed_events(client_as, superuser, listing):
    client = client_as(superuser)
    for url in (
        "/admin/credit/correctionrequest/",
        "/admin/credit/feedsubscription/",
        "/admin/credit/feedsubscription/add/",
        "/admin/credit/feedevent/",
        "/admin/credit/feedevent/?kind=listing.published",
    ):
        assert client.get(url).status_code == 200, url


def test_a_subscription_is_saved_from_the_admin_checkboxes(client_as, superuser, db):
    from tests.credit.feed_builders import feed_agency

    agency, _key = feed_agency("rail", subscribed=False)
    response = client_as(superuser).post(
        "/admin/credit/feedsubscription/add/",
        {"agency": agency.pk, "kinds": ["listing.published", "restriction.issued"], "active": "on"},
    )
    assert response.status_code == 302
    assert agency.feed.kinds == ["listing.published", "restriction.issued"]


def test_the_applicants_identifier_is_answered_masked_with_whether_it_is_the_listed_persons(api_as, clerk, listing):
    body = file_through_api(api_as(clerk), listing).json()
    assert body["applicant_id_number"] == listing.debtor.id_number[:6] + "********" + listing.debtor.id_number[-4:]
    assert body["applicant_is_listed_person"] is True
    agent = file_through_api(api_as(clerk), listing_of(listing.enforcement_case.case.court), applicant_id_number="X")
    assert agent.json()["applicant_is_listed_person"] is False
