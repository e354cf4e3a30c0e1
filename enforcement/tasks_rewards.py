"""Celery task of the reward notices (悬赏公告): the daily expiry of notices past their last day. Safe to run
twice: only published notices whose ``expires_on`` has passed are moved."""

from __future__ import annotations

from celery import shared_task

from core.tasks import single_run

from .services.rewards import rewards_expire_due as _expire


@shared_task(name="enforcement.tasks.rewards_expire_due", acks_late=True, reject_on_worker_lost=True)
@single_run(24 * 60 * 60)
def rewards_expire_due() -> int:
    """Periodic (daily): expire the published reward notices past their last day; returns how many."""
    return _expire()
