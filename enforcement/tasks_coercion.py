"""Celery task of the coercive measures: the daily reminder of detentions whose term has come (民诉法 2023
art. 118: detention up to 15 days; nobody is held past the term). Safe to run twice: one notification per
measure per day."""

from __future__ import annotations

from celery import shared_task

from core.tasks import single_run

from .services.coercion import detention_ends_notify


@shared_task(name="enforcement.tasks.coercion_detention_ends", acks_late=True, reject_on_worker_lost=True)
@single_run(24 * 60 * 60)
def coercion_detention_ends() -> int:
    """Periodic (daily): tell the case officer of each detention ending today or past and not released."""
    return detention_ends_notify()
