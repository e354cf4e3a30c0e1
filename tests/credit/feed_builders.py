"""Builders for the credit-feed, correction and alert tests (helper C4): dishonest listings and restrictions
written directly with the ORM (with their feed events, as the listing services write them), agencies with an
API key and a feed subscription, and a snapshot of the tables these services write."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest

from assets.choices import AgencyKind
from assets.models import Agency
from cases.models import Notification
from core.models import AuditLog
from core.services import credential_issue
from credit.choices import FeedEventKind, ListingGround, ListingStatus, RestrictionKind
from credit.feed import feed_record
from credit.models import CorrectionRequest, DishonestListing, FeedEvent, FeedSubscription, Restriction
from enforcement.choices import Status
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory, UserFactory

WATCHED = (CorrectionRequest, DishonestListing, FeedEvent, AuditLog, Notification)


def row_counts() -> dict:
    counts = {model.__name__: model.objects.count() for model in WATCHED}
    counts["corrections"] = sorted(
        CorrectionRequest.objects.values_list("pk", "status", "decided_on", "rejection_served_on", "corrected_on")
    )
    counts["listings"] = sorted(DishonestListing.objects.values_list("pk", "status"))
    return counts


@contextmanager
def nothing_written():
    before = row_counts()
    yield
    assert row_counts() == before


def listing_of(
    court,
    *,
    debtor=None,
    proposer=None,
    approver=None,
    status: str = ListingStatus.LISTED,
    listed_on: dt.date | None = None,
    enforcement_case=None,
    with_event: bool = True,
) -> DishonestListing:
    """A listed entry for a new (or the given) enforcement case of ``court``, written directly."""
    debtor = debtor or PartyFactory()
    ec = enforcement_case or case_in(Status.INVESTIGATING, court, debtors=[debtor])
    proposer = proposer or UserFactory(officer=True, court=court, username=f"proposer-{court.pk}")
    approver = approver or UserFactory(division_head=True, court=court, username=f"approver-{court.pk}")
    listed_on = listed_on or TODAY - dt.timedelta(days=30)
    listing = DishonestListing.objects.create(
        enforcement_case=ec,
        debtor=debtor,
        debtor_name=debtor.name,
        ground=ListingGround.ABLE_BUT_REFUSES,
        facts="有履行能力而拒不履行。",
        status=status,
        proposed_by=proposer,
        decided_by=approver if status != ListingStatus.PENDING else None,
        listed_on=listed_on if status in (ListingStatus.LISTED, ListingStatus.REMOVED) else None,
    )
    if with_event and status == ListingStatus.LISTED:
        feed_record(kind=FeedEventKind.LISTED, party=debtor, listing=listing, payload=payload_of(listing))
    return listing


def payload_of(listing: DishonestListing, **extra) -> dict:
    case = listing.enforcement_case.case
    return {
        "case_number": case.number,
        "court": case.court.name,
        "name": listing.debtor_name,
        "identifier": listing.debtor.id_number,
        "ground": listing.ground,
        **extra,
    }


def restriction_of(court, *, debtor=None, kind: str = RestrictionKind.CONSUMPTION, enforcement_case=None):
    debtor = debtor or PartyFactory()
    ec = enforcement_case or case_in(Status.INVESTIGATING, court, debtors=[debtor])
    issuer = UserFactory(officer=True, court=court, username=f"issuer-{court.pk}")
    restriction = Restriction.objects.create(
        kind=kind,
        enforcement_case=ec,
        debtor=debtor,
        reason="未按执行通知履行。",
        issued_on=TODAY - dt.timedelta(days=10),
        issued_by=issuer,
    )
    feed_record(
        kind=FeedEventKind.RESTRICTED,
        party=debtor,
        restriction=restriction,
        payload={"case_number": ec.case.number, "name": debtor.name, "identifier": debtor.id_number, "kind": kind},
    )
    return restriction


def feed_agency(code: str, *, kinds=(), active: bool = True, subscribed: bool = True, scopes=("agency",)):
    """An agency with an API client and key, subscribed to ``kinds``; returns (agency, key)."""
    client = UserFactory(agency=True, username=f"feed-{code}")
    _credential, key = credential_issue(actor=None, user=client, name=code, scopes=list(scopes))
    agency = Agency.objects.create(code=code, name=code.upper(), kind=AgencyKind.BANK, categories=[], client=client)
    if subscribed:
        FeedSubscription.objects.create(agency=agency, kinds=list(kinds), active=active)
    return agency, key


@pytest.fixture
def agency_api(api_client):
    """``agency_api(key)``: the API client sending ``Authorization: Api-Key <key>``."""

    def with_key(key: str):
        api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        return api_client

    return with_key
