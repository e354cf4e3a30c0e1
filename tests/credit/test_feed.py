"""The credit feed for agencies (/api/v1/credit-feed/): an agency's API key, its entitled kinds only, cursor
paging in id order, the future cursor refused, an audit row per read, and a removal seen at the next poll."""

import pytest

from core.models import AuditLog
from credit.choices import FeedEventKind, ListingStatus
from credit.feed import feed_record
from credit.models import FeedEvent
from tests.credit import feed_builders
from tests.credit.feed_builders import (
    feed_agency,
    listing_of,
    nothing_written,
    payload_of,
    restriction_of,
)

pytestmark = pytest.mark.django_db
agency_api = feed_builders.agency_api  # the fixture

FEED = "/api/v1/credit-feed/"
STATUS = "/api/v1/credit-feed/status/"
LISTINGS_ONLY = [FeedEventKind.LISTED, FeedEventKind.REMOVED]


@pytest.fixture
def events(court):
    """Two listings and a restriction, in that order."""
    first = listing_of(court)
    restriction = restriction_of(court)
    second = listing_of(court)
    return first, restriction, second


def ids(response):
    return [event["id"] for event in response.json()["events"]]


def test_an_agency_reads_only_the_kinds_it_is_entitled_to(events, agency_api):
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    response = agency_api(key).get(FEED)
    assert response.status_code == 200
    body = response.json()
    assert [e["kind"] for e in body["events"]] == ["listing.published", "listing.published"]
    first, _restriction, second = events
    event = body["events"][0]
    assert event["case_number"] == first.enforcement_case.case.number
    assert event["payload"]["identifier"] == first.debtor.id_number  # agencies are entitled to the full identifier
    assert event["payload"]["name"] == first.debtor_name
    assert set(event) == {"id", "kind", "at", "payload", "case_number"}
    assert body["has_more"] is False
    assert body["next_cursor"] == body["events"][-1]["id"]


def test_the_restriction_events_go_to_an_agency_subscribed_to_them(events, agency_api):
    _airline, key = feed_agency("airline", kinds=[FeedEventKind.RESTRICTED, FeedEventKind.LIFTED])
    body = agency_api(key).get(FEED).json()
    assert [e["kind"] for e in body["events"]] == ["restriction.issued"]
    assert body["events"][0]["case_number"] == events[1].enforcement_case.case.number


def test_the_cursor_pages_through_in_id_order_with_has_more(court, agency_api):
    for _ in range(5):
        listing_of(court)
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    client = agency_api(key)
    all_ids = list(FeedEvent.objects.order_by("id").values_list("id", flat=True))

    first = client.get(FEED, {"limit": 2}).json()
    assert [e["id"] for e in first["events"]] == all_ids[:2]
    assert (first["next_cursor"], first["has_more"]) == (all_ids[1], True)
    second = client.get(FEED, {"cursor": first["next_cursor"], "limit": 2}).json()
    assert [e["id"] for e in second["events"]] == all_ids[2:4]
    third = client.get(FEED, {"cursor": second["next_cursor"], "limit": 2}).json()
    assert [e["id"] for e in third["events"]] == all_ids[4:]
    assert third["has_more"] is False
    empty = client.get(FEED, {"cursor": third["next_cursor"]}).json()
    assert empty["events"] == [] and empty["next_cursor"] == third["next_cursor"] and empty["has_more"] is False


def test_the_limit_defaults_to_500_and_is_capped_at_1000(court, agency_api):
    listing_of(court)
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    client = agency_api(key)
    assert len(client.get(FEED, {"limit": 5000}).json()["events"]) == 1
    assert client.get(FEED, {"limit": 0}).json()["code"] == "feed.limit_malformed"


def test_a_cursor_from_the_future_is_refused_and_nothing_written(events, agency_api):
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    newest = FeedEvent.objects.order_by("-id").first().pk
    with nothing_written():
        response = agency_api(key).get(FEED, {"cursor": newest + 1})
    assert response.status_code == 400
    assert response.json()["code"] == "feed.cursor_from_the_future"
    assert response.json()["message"] == (
        f"The cursor {newest + 1} is beyond the newest event of the feed: resume from the last id you received "
        "(or 0 to read from the beginning)."
    )


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5"])
def test_a_malformed_cursor_is_refused(events, agency_api, cursor):
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    with nothing_written():
        response = agency_api(key).get(FEED, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "feed.cursor_malformed"


@pytest.mark.parametrize("setup", [{"subscribed": False}, {"active": False}, {"kinds": []}])
def test_an_agency_without_an_active_subscription_gets_403_naming_the_rule(events, agency_api, setup):
    kinds = setup.pop("kinds", LISTINGS_ONLY)
    _bank, key = feed_agency("bank", kinds=kinds, **setup)
    with nothing_written():
        response = agency_api(key).get(FEED)
    assert response.status_code == 403
    assert response.json()["code"] == "feed.not_subscribed"
    assert response.json()["message"].startswith("Your agency has no active credit-feed subscription")
    assert agency_api(key).get(STATUS).status_code == 403


def test_a_staff_session_is_not_an_agency(events, api_as, officer, superuser):
    assert api_as(officer).get(FEED).status_code in (401, 403)
    assert api_as(superuser).get(FEED).status_code in (401, 403)


def test_a_key_without_the_agency_scope_is_refused(events, agency_api):
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY, scopes=())
    assert agency_api(key).get(FEED).status_code == 403


def test_every_read_is_audited_with_the_range(events, agency_api):
    bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    client = agency_api(key)
    body = client.get(FEED).json()
    client.get(FEED, {"cursor": body["next_cursor"]})
    reads = list(AuditLog.objects.filter(action="credit.feed_read").order_by("id"))
    assert len(reads) == 2
    assert reads[0].actor == bank.client
    assert reads[0].changes["agency"] == "bank"
    assert (reads[0].changes["after"], reads[0].changes["through"], reads[0].changes["count"]) == (
        0,
        body["next_cursor"],
        2,
    )
    assert reads[1].changes["count"] == 0


def test_a_removal_is_seen_at_the_next_poll(court, agency_api):
    listing = listing_of(court)
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    client = agency_api(key)
    cursor = client.get(FEED).json()["next_cursor"]

    listing.status = ListingStatus.REMOVED
    listing.save()
    feed_record(
        kind=FeedEventKind.REMOVED,
        party=listing.debtor,
        listing=listing,
        payload=payload_of(listing, event="performed"),
    )

    body = client.get(FEED, {"cursor": cursor}).json()
    assert [e["kind"] for e in body["events"]] == ["listing.removed"]
    assert body["events"][0]["payload"]["event"] == "performed"


def test_the_status_names_the_newest_id_and_the_kinds(events, agency_api):
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    body = agency_api(key).get(STATUS).json()
    assert body == {
        "newest_id": FeedEvent.objects.order_by("-id").first().pk,
        "kinds": ["listing.published", "listing.removed"],
        "active": True,
    }


def test_a_page_is_read_in_a_fixed_number_of_queries(court, agency_api, django_assert_max_num_queries):
    for _ in range(6):
        listing_of(court)
    _bank, key = feed_agency("bank", kinds=LISTINGS_ONLY)
    client = agency_api(key)
    # key lookup + last_used_at, agency, subscription, newest id, the page, the audit row
    with django_assert_max_num_queries(8):
        assert len(client.get(FEED, {"cursor": 1}).json()["events"]) >= 5
