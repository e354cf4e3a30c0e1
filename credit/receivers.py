"""How credit reacts to the events of enforcement and assets (they cannot import credit: architecture.md):
each art. 10 event records the removal event on every listed entry of the case, and the removal job deletes
it within 3 working days (``credit.services.removal``)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone

from assets.signals import delisting_due
from enforcement.choices import ClosingKind, SuspensionGround
from enforcement.models import Suspension
from enforcement.signals import case_closed, case_transitioned

from .choices import ListingStatus, RemovalEvent
from .models import DishonestListing

CLOSING_EVENTS = {
    ClosingKind.COMPLETED: RemovalEvent.PERFORMED,
    ClosingKind.SETTLED: RemovalEvent.SETTLEMENT_PERFORMED,
    ClosingKind.NOT_ENFORCED: RemovalEvent.NOT_ENFORCED,
    ClosingKind.TERMINATED: RemovalEvent.TERMINATED,
}
SUSPENSION_EVENTS = {SuspensionGround.RETRIAL, SuspensionGround.BANKRUPTCY}


def record_event_on_case(*, enforcement_case, event: str, on, reason: str = "", actor=None) -> int:
    """Record ``event`` on every listed entry of the case that has none yet; how many were marked."""
    from .services.removal import listing_removal_event

    marked = 0
    listings = DishonestListing.objects.filter(
        enforcement_case=enforcement_case, status=ListingStatus.LISTED, removal_event=""
    )
    for listing in listings:
        listing_removal_event(listing=listing, event=event, on=on, reason=reason, actor=actor)
        marked += 1
    return marked


@receiver(case_closed, dispatch_uid="credit.listing_on_case_closed")
def listing_on_case_closed(sender, enforcement_case, kind, actor=None, **kwargs):
    event = CLOSING_EVENTS.get(kind)
    if event is not None:
        on = enforcement_case.closed_on or timezone.localdate()
        record_event_on_case(enforcement_case=enforcement_case, event=event, on=on, actor=actor)


@receiver(case_closed, dispatch_uid="credit.restrictions_on_case_performed")
def restrictions_on_case_performed(sender, enforcement_case, kind, actor=None, **kwargs):
    """A performed case's restrictions are lifted at once (限制消费规定 art. 9: must be lifted when performed); the
    listing itself goes through its removal event above and the removal job."""
    if kind == ClosingKind.COMPLETED:
        from .services.restrictions import restrictions_lift_for_performed_case

        restrictions_lift_for_performed_case(
            enforcement_case=enforcement_case, on=enforcement_case.closed_on or timezone.localdate(), actor=actor
        )


@receiver(case_transitioned, dispatch_uid="credit.listing_on_case_suspended")
def listing_on_case_suspended(sender, enforcement_case, transition, actor=None, **kwargs):
    if transition != "suspend":
        return
    suspension = (
        Suspension.objects.filter(enforcement_case=enforcement_case, ended_on__isnull=True)
        .order_by("-started_on", "-id")
        .first()
    )
    if suspension is not None and suspension.ground in SUSPENSION_EVENTS:
        record_event_on_case(
            enforcement_case=enforcement_case,
            event=RemovalEvent.SUSPENDED,
            on=suspension.started_on,
            reason=str(RemovalEvent.SUSPENDED.label),
            actor=actor,
        )


@receiver(delisting_due, dispatch_uid="credit.listing_on_delisting_due")
def listing_on_delisting_due(sender, enforcement_case, plan=None, **kwargs):
    record_event_on_case(enforcement_case=enforcement_case, event=RemovalEvent.EMPTY_TRACKING, on=timezone.localdate())
