"""Celery tasks of 查控. Names start ``query_`` so that CELERY_TASK_ROUTES sends them to the "queries" queue.

Each takes ids, calls one service and is safe to run twice: the fan-out creates no duplicate request (unique
batch × agency × kind), the time-out job only moves what is due.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="assets.tasks.query_fan_out", acks_late=True, reject_on_worker_lost=True)
def query_fan_out(batch_id: int) -> int:
    """Fan a query batch out as one request per agency; returns how many requests this run created."""
    return len(services.batch_fan_out(batch_id=batch_id))


@shared_task(name="assets.tasks.query_time_out_due", acks_late=True, reject_on_worker_lost=True)
def query_time_out_due() -> dict[str, int]:
    """Periodic: time out overdue agency requests and re-issue those whose backoff has elapsed."""
    return services.requests_time_out_due()


@shared_task(name="assets.tasks.control_lapse_due", acks_late=True, reject_on_worker_lost=True)
def control_lapse_due() -> dict[str, int]:
    """Periodic (daily): unrenewed measures lapse at expiry; the next waiting ones take effect."""
    return services.controls_lapse_due()


@shared_task(name="assets.tasks.control_expiry_reminders", acks_late=True, reject_on_worker_lost=True)
def control_expiry_reminders() -> dict[int, int]:
    """Periodic (daily): remind officers of measures expiring within 30 and 7 days, once per threshold."""
    return services.reminders_record_due()
