"""Celery tasks of credit. Each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.tasks import single_run

from .services.removal import listings_remove_due as _listings_remove_due


@shared_task(name="credit.tasks.listings_remove_due", acks_late=True, reject_on_worker_lost=True)
@single_run(60 * 60)
def listings_remove_due() -> dict[str, int]:
    """Periodic (hourly): delete the dishonest-list entries that are due (失信规定 art. 10)."""
    return _listings_remove_due()
