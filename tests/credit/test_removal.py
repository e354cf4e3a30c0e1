"""Removal from the dishonest list (失信规定 2017 art. 10): every event from its receiver with its 3-working-day
deadline across 国庆 2026, the removal job removing what is due and nothing else, early removal, removal on the
applicant's request, revocation, and a removal without an event refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.signals import delisting_due
from core.exceptions import InvalidInput, PermissionDenied, RuleViolation
from credit.choices import FeedEventKind, ListingStatus, RemovalEvent
from credit.models import DishonestListing, FeedEvent
from credit.services.removal import (
    listing_removal_event,
    listing_remove_early,
    listing_remove_on_applicant_request,
    listing_revoke,
    listings_remove_due,
)
from credit.signals import listing_removed
from enforcement.models import EnforcementCase, Suspension
from enforcement.services.lifecycle import case_close, case_suspend
from enforcement.signals import case_closed
from tests.credit.listing_builders import (  # noqa: F401 - fixture
    _restriction_issue_available,
    listed,
    listing_case,
    national_day_2026,
    nothing_written,
)
from tests.enforcement.builders import TODAY
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

# 2026-09-30 is a Wednesday; 10-01..10-07 are holidays, Sat 10-10 is a make-up working day.
EVE = dt.date(2026, 9, 30)


@pytest.fixture
def calendar(db):
    national_day_2026()


@pytest.fixture
def listing(court, officer, division_head, media_root):
    return listed(officer, division_head, listing_case(court, officer), on=dt.date(2026, 3, 2))


def _send_closed(ec, kind):
    case_closed.send(sender=EnforcementCase, enforcement_case=ec, kind=kind, actor=None)


@pytest.mark.parametrize(
    ("kind", "event"),
    [
        ("completed", RemovalEvent.PERFORMED),
        ("settled", RemovalEvent.SETTLEMENT_PERFORMED),
        ("not_enforced", RemovalEvent.NOT_ENFORCED),
        ("terminated", RemovalEvent.TERMINATED),
    ],
)
def test_a_closing_records_its_event_due_three_working_days_later_across_national_day(calendar, listing, kind, event):
    ec = listing.enforcement_case
    EnforcementCase.objects.filter(pk=ec.pk).update(status="closed", closing_kind=kind, closed_on=EVE)
    ec.refresh_from_db()
    _send_closed(ec, kind)
    listing.refresh_from_db()
    assert listing.removal_event == event
    assert listing.event_on == EVE
    # 10-08 (Thu), 10-09 (Fri), 10-10 (make-up Saturday).
    assert listing.removal_due_on == dt.date(2026, 10, 10)


def test_closing_as_terminated_this_round_records_no_event(listing):
    _send_closed(listing.enforcement_case, "terminated_this_round")
    listing.refresh_from_db()
    assert listing.removal_event == ""


def test_closing_through_the_real_service_records_performed_after_commit(
    listing, division_head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_close(
            actor=division_head,
            enforcement_case=listing.enforcement_case,
            kind="completed",
            reason="全部履行",
            on=TODAY,
            performed_amount=listing.enforcement_case.case.amount,
        )
    listing.refresh_from_db()
    assert listing.removal_event == RemovalEvent.PERFORMED


@pytest.mark.parametrize(("ground", "recorded"), [("retrial", True), ("bankruptcy", True), ("party_died", False)])
def test_suspension_for_retrial_or_bankruptcy_records_the_event(
    listing, officer, django_capture_on_commit_callbacks, ground, recorded
):
    with django_capture_on_commit_callbacks(execute=True):
        case_suspend(actor=officer, enforcement_case=listing.enforcement_case, ground=ground, reason="中止", on=TODAY)
    assert Suspension.objects.filter(enforcement_case=listing.enforcement_case, ground=ground).exists()
    listing.refresh_from_db()
    assert (listing.removal_event == RemovalEvent.SUSPENDED) is recorded


def test_two_empty_tracking_queries_record_the_event(listing):
    delisting_due.send(sender=None, plan=None, enforcement_case=listing.enforcement_case)
    listing.refresh_from_db()
    assert listing.removal_event == RemovalEvent.EMPTY_TRACKING
    assert listing.event_on == TODAY


def test_an_event_is_recorded_on_every_listed_debtor_of_the_case(court, officer, division_head, media_root):
    first, second = PartyFactory(), PartyFactory()
    ec = listing_case(court, officer, debtors=[first, second])
    listed(officer, division_head, ec, debtor=first)
    listed(officer, division_head, ec, debtor=second)
    _send_closed(ec, "completed")
    assert set(DishonestListing.objects.values_list("removal_event", flat=True)) == {RemovalEvent.PERFORMED}


def test_a_removal_without_an_event_is_refused(listing):
    with nothing_written(), pytest.raises(RuleViolation) as error:
        listing_removal_event(listing=listing, event="", on=TODAY)
    assert error.value.code == "removal.event_required"


# ---- the removal job --------------------------------------------------------------------------------------------


def test_the_job_removes_entries_with_an_event_and_writes_the_feed(listing, django_capture_on_commit_callbacks):
    listing_removal_event(listing=listing, event=RemovalEvent.PERFORMED, on=TODAY)
    received = []
    listing_removed.connect(lambda sender, **kw: received.append(kw["event"]), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            counts = listings_remove_due(today=TODAY)
    finally:
        listing_removed.disconnect(dispatch_uid="t")
    listing.refresh_from_db()
    assert counts == {"removed": 1, "period_ended": 0, "overdue": 0}
    assert listing.status == ListingStatus.REMOVED
    assert listing.removed_on == TODAY
    removal = FeedEvent.objects.get(kind=FeedEventKind.REMOVED)
    assert removal.payload["event"] == RemovalEvent.PERFORMED
    assert received == [RemovalEvent.PERFORMED]
    assert listings_remove_due(today=TODAY) == {"removed": 0, "period_ended": 0, "overdue": 0}


def test_the_job_reports_an_entry_removed_after_its_deadline_as_overdue(listing):
    listing_removal_event(listing=listing, event=RemovalEvent.PERFORMED, on=TODAY - dt.timedelta(days=30))
    assert listings_remove_due(today=TODAY)["overdue"] == 1


def test_the_job_removes_an_ended_period_and_leaves_the_rest(court, officer, division_head, media_root, calendar):
    ended = listed(officer, division_head, listing_case(court, officer), on=dt.date(2024, 9, 30))
    running = listed(officer, division_head, listing_case(court, officer), on=dt.date(2024, 10, 1))
    no_term = listed(officer, division_head, listing_case(court, officer), ground="able_but_refuses")
    counts = listings_remove_due(today=dt.date(2026, 10, 1))
    assert counts == {"removed": 1, "period_ended": 1, "overdue": 0}
    ended.refresh_from_db()
    assert ended.status == ListingStatus.REMOVED
    assert ended.removal_event == RemovalEvent.PERIOD_ENDED
    assert ended.removal_due_on == dt.date(2026, 10, 10)
    assert DishonestListing.objects.get(pk=running.pk).status == ListingStatus.LISTED
    assert DishonestListing.objects.get(pk=no_term.pk).status == ListingStatus.LISTED


def _job_queries(today) -> int:
    with CaptureQueriesContext(connection) as queries:
        listings_remove_due(today=today)
    return len(queries)


def test_the_jobs_query_count_does_not_grow_with_entries_not_due(court, officer, division_head, media_root):
    due = listed(officer, division_head, listing_case(court, officer))
    listing_removal_event(listing=due, event=RemovalEvent.PERFORMED, on=TODAY)
    with CaptureQueriesContext(connection) as first:
        listings_remove_due(today=TODAY)
    for _ in range(4):
        listed(officer, division_head, listing_case(court, officer))
    again = listed(officer, division_head, listing_case(court, officer))
    listing_removal_event(listing=again, event=RemovalEvent.PERFORMED, on=TODAY)
    with CaptureQueriesContext(connection) as second:
        listings_remove_due(today=TODAY)
    assert len(second) == len(first)
    assert DishonestListing.objects.filter(status=ListingStatus.LISTED).count() == 4


# ---- removals decided by the court -----------------------------------------------------------------------------


def test_early_removal_needs_a_reason_and_removes_at_once(listing, division_head):
    with nothing_written(), pytest.raises(InvalidInput):
        listing_remove_early(actor=division_head, listing=listing, reason="")
    removed = listing_remove_early(actor=division_head, listing=listing, reason="主动履行")
    assert removed.status == ListingStatus.REMOVED
    assert removed.removal_event == RemovalEvent.EARLY


def test_removal_on_the_applicants_request_needs_a_division_head(listing, officer, division_head):
    with nothing_written(), pytest.raises(PermissionDenied):
        listing_remove_on_applicant_request(actor=officer, listing=listing, request_text="申请删除")
    removed = listing_remove_on_applicant_request(actor=division_head, listing=listing, request_text="申请删除")
    assert removed.removal_event == RemovalEvent.APPLICANT_REQUEST


def test_revoking_a_wrongful_listing(listing, judge):
    removed = listing_revoke(actor=judge, listing=listing, reason="错误纳入")
    assert removed.removal_event == RemovalEvent.WRONGFUL
    assert FeedEvent.objects.filter(kind=FeedEventKind.REMOVED, listing=listing).exists()


def test_a_removed_entry_cannot_be_removed_again(listing, division_head):
    listing_remove_early(actor=division_head, listing=listing, reason="主动履行")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        listing_revoke(actor=division_head, listing=listing, reason="错误纳入")
    assert error.value.code == "removal.not_listed"
