"""Celery tasks of bankruptcy (the "default" queue). Each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.tasks import single_run


@shared_task(name="bankruptcy.tasks.apply_effects", acks_late=True, reject_on_worker_lost=True)
def bankruptcy_apply_effects_task(bankruptcy_case_id: int) -> dict[str, int]:
    """The acceptance of a bankruptcy case, applied to every enforcement case against the debtor (one
    transaction; a second run finds it applied and does nothing)."""
    from .services import bankruptcy_apply_effects

    return bankruptcy_apply_effects(bankruptcy_case_id=bankruptcy_case_id)


@shared_task(name="bankruptcy.tasks.screen", acks_late=True, reject_on_worker_lost=True)
@single_run(24 * 60 * 60)
def bankruptcy_screen() -> dict[str, int]:
    """执转破 screening: corporate debtors that look insolvent (企业破产法 art. 2)."""
    from .services import suggestions_refresh

    return suggestions_refresh()


@shared_task(name="bankruptcy.tasks.report_overdue", acks_late=True, reject_on_worker_lost=True)
@single_run(24 * 60 * 60)
def bankruptcy_report_overdue() -> int:
    """Transfers past the 30 days of 解释 2022 art. 512, reported once to both courts' division heads."""
    from .services import transfers_report_overdue

    return transfers_report_overdue()
