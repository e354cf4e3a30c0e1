"""Removal from the dishonest list (失信规定 2017 art. 10): an event of art. 10(1) recorded on a listed entry
sets the day it must be deleted by (3 working days later, ``core.workdays``); the removal job deletes every
entry with an event and every fixed-term entry whose period has ended (art. 10(2)), records why, writes the
feed event and sends ``listing_removed``. Early deletion (art. 2(3)), removal on the applicant's request
(art. 10(1)(3)) and revocation of a wrongful listing (art. 9) remove at once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.models import User
from core.workdays import add_working_days
from enforcement.services.lifecycle import lock_case

from ..choices import FeedEventKind, ListingStatus, RemovalEvent
from ..feed import feed_record
from ..models import DishonestListing
from ..signals import listing_removed
from .listing import _lock_listing, feed_payload

REMOVE_WITHIN_WORKING_DAYS = 3  # art. 10: 三个工作日内删除


def removal_due_on(on: dt.date) -> dt.date:
    return add_working_days(on, REMOVE_WITHIN_WORKING_DAYS)


def _event_required() -> RuleViolation:
    return RuleViolation(
        _("An entry is removed only on an event of 失信规定 art. 10 (or art. 2(3), art. 9): name the event."),
        code="removal.event_required",
    )


@transaction.atomic
def listing_removal_event(
    *, listing: DishonestListing, event: str, on: dt.date, reason: str = "", actor: User | None = None
) -> DishonestListing:
    """Record removal event ``event`` (RemovalEvent) that happened ``on`` on a listed entry: it is to be
    deleted within 3 working days (``removal_due_on``). The first event recorded stands; a later one is
    ignored (the entry is already due). Refuses ``removal.event_required`` without a valid event."""
    if event not in RemovalEvent.values:
        raise _event_required()
    listing = _lock_listing(listing)
    if listing.status != ListingStatus.LISTED:
        raise RuleViolation(_("Only a listed entry can be removed."), code="removal.not_listed")
    if listing.removal_event:
        return listing
    listing.removal_event = event
    listing.removal_reason = (reason or "").strip() or str(RemovalEvent(event).label)
    listing.event_on = on
    listing.removal_due_on = removal_due_on(on)
    listing.full_clean()
    listing.save(update_fields=["removal_event", "removal_reason", "event_on", "removal_due_on"])
    audit_record(
        actor=actor,
        action="credit.listing_removal_event",
        obj=listing,
        reason=listing.removal_reason,
        changes={"event": event, "on": on.isoformat(), "due_on": listing.removal_due_on.isoformat()},
    )
    return listing


def _remove(*, listing: DishonestListing, actor: User | None, on: dt.date) -> DishonestListing:
    """Delete a listed entry whose event is recorded (caller holds the row lock)."""
    if not listing.removal_event:
        raise _event_required()
    listing.status = ListingStatus.REMOVED
    listing.removed_on = on
    listing.removed_by = actor if actor is not None and actor.pk else None
    listing.full_clean()
    listing.save()
    payload = {**feed_payload(listing), "removed_on": on.isoformat(), "event": listing.removal_event}
    feed_record(kind=FeedEventKind.REMOVED, party=listing.debtor, listing=listing, payload=payload)
    audit_record(
        actor=actor,
        action="credit.listing_remove",
        obj=listing,
        reason=listing.removal_reason,
        changes={"event": listing.removal_event, "removed_on": on.isoformat()},
    )
    event = listing.removal_event
    transaction.on_commit(lambda: listing_removed.send(sender=DishonestListing, listing=listing, event=event))
    return listing


def due_for_removal(*, today: dt.date):
    """Listed entries with an event recorded, or whose fixed period has ended: two range scans of the partial
    indexes ``listing_removal_due_idx`` and ``listing_expiry_idx`` (only listed rows are in them)."""
    return DishonestListing.objects.filter(
        Q(removal_due_on__isnull=False) | Q(expires_on__lt=today), status=ListingStatus.LISTED
    )


def listings_remove_due(*, today: dt.date | None = None) -> dict[str, int]:
    """The removal job: removes every listed entry with an event recorded (as soon as the job runs, well within
    the 3 working days) and every fixed-term entry whose ``expires_on`` has passed (event PERIOD_ENDED, due 3
    working days after the end). Each entry in its own transaction; safe to run twice. Returns counts:
    ``removed``, ``period_ended``, ``overdue`` (removed after their ``removal_due_on``)."""
    today = today or timezone.localdate()
    counts = {"removed": 0, "period_ended": 0, "overdue": 0}
    ids = list(due_for_removal(today=today).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            listing = (
                DishonestListing.objects.select_for_update(of=("self",))
                .select_related("debtor", "enforcement_case__case__court")
                .filter(pk=pk, status=ListingStatus.LISTED)
                .first()
            )
            if listing is None:
                continue
            if not listing.removal_event:
                if listing.expires_on is None or listing.expires_on >= today:
                    continue
                listing.removal_event = RemovalEvent.PERIOD_ENDED
                listing.removal_reason = str(RemovalEvent.PERIOD_ENDED.label)
                listing.event_on = listing.expires_on
                listing.removal_due_on = removal_due_on(listing.expires_on)
                counts["period_ended"] += 1
            if listing.removal_due_on < today:
                counts["overdue"] += 1
            _remove(listing=listing, actor=None, on=today)
            counts["removed"] += 1
    return counts


def _remove_now(*, actor: User, listing: DishonestListing, event: str, reason: str, field: str) -> DishonestListing:
    ec = lock_case(actor=actor, enforcement_case=listing.enforcement_case)  # court scope: NotFound elsewhere
    listing = _lock_listing(listing)
    if listing.enforcement_case_id != ec.pk:  # pragma: no cover - defensive
        raise RuleViolation(_("Not found."), code="not_found")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({field: [_("Give the reason.")]}, code="removal.invalid")
    if listing.status != ListingStatus.LISTED:
        raise RuleViolation(_("Only a listed entry can be removed."), code="removal.not_listed")
    today = timezone.localdate()
    listing.removal_event = event
    listing.removal_reason = reason
    listing.event_on = today
    listing.removal_due_on = removal_due_on(today)
    return _remove(listing=listing, actor=actor, on=today)


@transaction.atomic
def listing_remove_early(*, actor: User, listing: DishonestListing, reason: str) -> DishonestListing:
    """Delete early (art. 2(3)): the debtor performed actively or corrected the conduct."""
    require_capability(actor, "credit.approve")
    return _remove_now(actor=actor, listing=listing, event=RemovalEvent.EARLY, reason=reason, field="reason")


@transaction.atomic
def listing_remove_on_applicant_request(
    *, actor: User, listing: DishonestListing, request_text: str
) -> DishonestListing:
    """The applicant asked in writing and the court agrees (art. 10(1)(3)); starts the 6-month block on
    re-listing at their request."""
    require_capability(actor, "credit.approve")
    return _remove_now(
        actor=actor,
        listing=listing,
        event=RemovalEvent.APPLICANT_REQUEST,
        reason=request_text,
        field="request_text",
    )


@transaction.atomic
def listing_revoke(*, actor: User, listing: DishonestListing, reason: str) -> DishonestListing:
    """Revoke a wrongful listing (art. 9, or a correction upheld, art. 12): a division head, or a reviewer of
    corrections (``credit.correct``)."""
    if not (actor.is_authenticated and (actor.is_superuser or actor.can("credit.correct"))):
        require_capability(actor, "credit.approve")
    return _remove_now(actor=actor, listing=listing, event=RemovalEvent.WRONGFUL, reason=reason, field="reason")
