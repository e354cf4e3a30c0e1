"""Celery tasks of 查控. Names start ``query_`` (sent to the "queries" queue) or ``tracking_`` (the "tracking"
queue) by CELERY_TASK_ROUTES.

Each takes ids, calls one service and is safe to run twice: the fan-out creates no duplicate request (unique
batch × agency × kind), the time-out job only moves what is due.
"""

from __future__ import annotations

from celery import shared_task

from core.tasks import single_run

from . import services


@shared_task(name="assets.tasks.query_fan_out", acks_late=True, reject_on_worker_lost=True)
def query_fan_out(batch_id: int) -> int:
    """Fan a query batch out as one request per agency; returns how many requests this run created."""
    return len(services.batch_fan_out(batch_id=batch_id))


@shared_task(name="assets.tasks.query_answers_drain", acks_late=True, reject_on_worker_lost=True)
def query_answers_drain() -> dict[str, int]:
    """Ingest the agencies' answers waiting (``Prefer: respond-async``), a group per transaction; queued when an
    answer is received. Safe on many workers at once (each takes answers no other holds)."""
    return services.answers_drain()


@shared_task(name="assets.tasks.query_answers_drain_due", acks_late=True, reject_on_worker_lost=True)
@single_run(60)
def query_answers_drain_due() -> dict[str, int]:
    """Periodic: the same drain, for answers whose drain message the broker lost."""
    return services.answers_drain()


@shared_task(name="assets.tasks.query_time_out_due", acks_late=True, reject_on_worker_lost=True)
@single_run(60)
def query_time_out_due() -> dict[str, int]:
    """Periodic: time out overdue agency requests and re-issue those whose backoff has elapsed."""
    return services.requests_time_out_due()


@shared_task(name="assets.tasks.query_requeue_stale", acks_late=True, reject_on_worker_lost=True)
@single_run(60)
def query_requeue_stale() -> int:
    """Periodic (every minute): queue again the fan-out of batches still "ordered" after five minutes (the broker
    lost their task); fanning out is idempotent. Returns how many were queued."""
    from django.db import transaction

    from .choices import BatchPurpose

    stale = services.batches_stale()
    for batch_id, purpose in stale:
        task = tracking_fan_out if purpose == BatchPurpose.TRACKING else query_fan_out
        transaction.on_commit(lambda task=task, batch_id=batch_id: task.delay(batch_id))
    return len(stale)


@shared_task(name="assets.tasks.control_lapse_due", acks_late=True, reject_on_worker_lost=True)
@single_run(24 * 60 * 60)
def control_lapse_due() -> dict[str, int]:
    """Periodic (daily): unrenewed measures lapse at expiry; the next waiting ones take effect."""
    return services.controls_lapse_due()


@shared_task(name="assets.tasks.control_expiry_reminders", acks_late=True, reject_on_worker_lost=True)
@single_run(24 * 60 * 60)
def control_expiry_reminders() -> dict[int, int]:
    """Periodic (daily): remind officers of measures expiring within 30 and 7 days, once per threshold."""
    return services.reminders_record_due()


# Post-termination tracking: names start ``tracking_`` so that CELERY_TASK_ROUTES sends them to the "tracking"
# queue, where the bulk periodic re-queries never delay the officers' interactive ones.


@shared_task(name="assets.tasks.tracking_dispatch_due", acks_late=True, reject_on_worker_lost=True)
@single_run(10 * 60)
def tracking_dispatch_due() -> dict[str, int]:
    """Periodic (every 10 minutes): send the tracking queries that are due, within each agency's daily quota."""
    return services.tracking_dispatch_due()


@shared_task(name="assets.tasks.tracking_fan_out", acks_late=True, reject_on_worker_lost=True)
def tracking_fan_out(batch_id: int) -> int:
    """Fan a tracking batch out as one request per agency (idempotent). A batch nobody could be asked is
    complete at once: it is evaluated straight away."""
    created = services.batch_fan_out(batch_id=batch_id)
    from .choices import BatchStatus
    from .models import QueryBatch

    if not created and QueryBatch.objects.filter(pk=batch_id, status=BatchStatus.COMPLETE).exists():
        services.tracking_evaluate(batch_id=batch_id)
    return len(created)


@shared_task(name="assets.tasks.tracking_evaluate", acks_late=True, reject_on_worker_lost=True)
def tracking_evaluate(batch_id: int) -> str | None:
    """Evaluate the run of a completed tracking batch and tell the applicant (idempotent); its outcome."""
    run = services.tracking_evaluate(batch_id=batch_id)
    return run.outcome if run is not None else None


# Reference price (参考价规定 2018): the online inquiry to every platform, and its due-time rules.


@shared_task(name="assets.tasks.query_price_inquiry_fan_out", acks_late=True, reject_on_worker_lost=True)
def query_price_inquiry_fan_out(price_id: int) -> int:
    """Send an online price inquiry to every listed platform (art. 10); sends nothing twice."""
    from .models import ReferencePrice

    price = ReferencePrice.objects.filter(pk=price_id).first()
    return services.price_inquiry_send(price=price) if price is not None else 0


@shared_task(name="assets.tasks.query_price_inquiries_due", acks_late=True, reject_on_worker_lost=True)
@single_run(10 * 60)
def query_price_inquiries_due() -> dict[str, int]:
    """Extensions, late platforms and settlement of the online inquiries that are due (arts. 11, 13)."""
    return services.price_inquiries_due()


# Disposal (网拍规定 2016 art. 20): bidding that has ended is closed (sold or failed), the proceeds recorded.


@shared_task(name="assets.tasks.auction_close_due", acks_late=True, reject_on_worker_lost=True)
@single_run(60)
def auction_close_due() -> int:
    """Periodic (every minute): close the auctions whose bidding has ended (index auction_due_idx); returns how
    many were closed. Safe to run twice: a closed auction is no longer live."""
    return services.auctions_close_due()
