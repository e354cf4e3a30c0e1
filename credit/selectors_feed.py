"""Reads of the credit feed (issue 6, item 6): what an agency is entitled to read, and the events after its
cursor. An agency (bank, airline, railway, credit bureau) reads the names and full identifiers of listed and
restricted debtors — personal data read by a non-public party — so every read is audited: who read
which range (an empty poll too: it shows the agency was reading, and when)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from assets.models import Agency
from core.audit import audit_record
from core.exceptions import InvalidInput, PermissionDenied, RuleViolation
from core.models import User

from .models import FeedEvent, FeedSubscription

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


@dataclass(frozen=True)
class FeedPage:
    events: list[FeedEvent]
    cursor: int
    next_cursor: int
    has_more: bool


def feed_subscription_of(agency: Agency) -> FeedSubscription:
    """The agency's active subscription with at least one kind; ``PermissionDenied`` (``feed.not_subscribed``)
    otherwise: an agency reads only the event kinds it is entitled to."""
    subscription = FeedSubscription.objects.filter(agency=agency, active=True).first()
    if subscription is None or not subscription.kinds:
        raise PermissionDenied(
            _(
                "Your agency has no active credit-feed subscription: an agency reads only the kinds of events it is "
                "entitled to (ask the court administrator for a feed subscription)."
            ),
            code="feed.not_subscribed",
        )
    return subscription


def feed_newest_id() -> int:
    """The newest event id (0 when the feed is empty): one look at the primary key's end."""
    return FeedEvent.objects.aggregate(newest=Max("id"))["newest"] or 0


def parse_cursor(value: str | None) -> int:
    """``?cursor=`` as a non-negative integer (missing: 0, the beginning); ``InvalidInput`` otherwise."""
    if value in (None, ""):
        return 0
    text = str(value).strip()
    if not text.isdigit() or len(text) > 19:
        raise InvalidInput(
            {"cursor": _("The cursor is the id of the last event you read: a whole number, 0 at the start.")},
            code="feed.cursor_malformed",
        )
    return int(text)


def parse_limit(value: str | None) -> int:
    """``?limit=`` between 1 and ``MAX_LIMIT`` (missing: ``DEFAULT_LIMIT``; above the maximum: the maximum)."""
    if value in (None, ""):
        return DEFAULT_LIMIT
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(
            {"limit": _("The limit is a whole number from 1 to %(max)d.") % {"max": MAX_LIMIT}},
            code="feed.limit_malformed",
        )
    return min(int(text), MAX_LIMIT)


def feed_read(*, user: User, agency: Agency, cursor: int, limit: int = DEFAULT_LIMIT) -> FeedPage:
    """The events after ``cursor`` of the kinds ``agency`` is entitled to, in id order, at most ``limit``.

    Refused: no active subscription (403 ``feed.not_subscribed``); a cursor beyond the newest event
    (``feed.cursor_from_the_future``: the agency's state is out of step with ours, nothing it could read is
    there). Two indexed queries: the newest id (the primary key) and the page (``id > cursor`` on the primary
    key, or ``feed_kind_cursor_idx`` per kind), plus one audit row."""
    subscription = feed_subscription_of(agency)
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor > 0 and cursor > feed_newest_id():
        raise RuleViolation(
            _(
                "The cursor %(cursor)d is beyond the newest event of the feed: resume from the last id you received "
                "(or 0 to read from the beginning)."
            )
            % {"cursor": cursor},
            code="feed.cursor_from_the_future",
        )
    rows = list(
        FeedEvent.objects.filter(id__gt=cursor, kind__in=subscription.kinds)
        .annotate(
            case_number=Coalesce(
                F("listing__enforcement_case__case__number"), F("restriction__enforcement_case__case__number")
            )
        )
        .order_by("id")[: limit + 1]
    )
    has_more = len(rows) > limit
    events = rows[:limit]
    next_cursor = events[-1].pk if events else cursor
    audit_record(
        actor=user,
        action="credit.feed_read",
        obj=subscription,
        reason=str(agency),
        changes={
            "agency": agency.code,
            "after": cursor,
            "through": next_cursor,
            "count": len(events),
            "kinds": sorted(subscription.kinds),
            "parties": sorted({event.party_id for event in events}),
        },
    )
    return FeedPage(events=events, cursor=cursor, next_cursor=next_cursor, has_more=has_more)
