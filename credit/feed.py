"""The credit feed's writes: every listing, removal, restriction and lifting records one ``FeedEvent`` in the
same transaction as the change, so the feed never shows a change that was rolled back and never misses one."""

from __future__ import annotations

from cases.models import Party

from .models import DishonestListing, FeedEvent, Restriction


def feed_record(
    *,
    kind: str,
    party: Party,
    listing: DishonestListing | None = None,
    restriction: Restriction | None = None,
    payload: dict | None = None,
) -> FeedEvent:
    """Append one event (``kind``: FeedEventKind). ``payload`` holds what an entitled agency needs to act: the
    case number, court, the party's name and full identifier, the ground or the restriction's items, dates."""
    event = FeedEvent(kind=kind, party=party, listing=listing, restriction=restriction, payload=payload or {})
    event.full_clean()
    event.save()
    return event
