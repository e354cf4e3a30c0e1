"""Celery task of a bulk assignment too large to run in the request (``BulkAssignView``): the cases are
assigned by ``cases_assign_bulk`` — all or nothing, in one transaction — while the job (``core.jobs``) counts
them for the page. Re-exported by ``enforcement.tasks`` for autodiscovery."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.exceptions import ApplicationError
from core.jobs import fail_job, finish_job, job_progress, job_running
from core.models import Job, JobKind, User

from .selectors import enforcement_case_list
from .services.assignment import cases_assign_bulk

__all__ = ["assignment_queue", "assignment_run", "assignment_start"]

ASYNC_ASSIGN_CASES = 20


def assignment_queue(*, actor: User, case_ids: list[int], officer: User | None) -> Job | None:
    """For more than ``ZHIXING_ASYNC_ASSIGN_CASES`` (default 20) cases: the job assigning them in the background,
    ``assignment_run`` queued once it commits. ``None`` for fewer: the caller assigns them in the request."""
    if len(case_ids) <= getattr(settings, "ZHIXING_ASYNC_ASSIGN_CASES", ASYNC_ASSIGN_CASES):
        return None
    with transaction.atomic():
        job = assignment_start(actor=actor, case_ids=case_ids, officer=officer)
        transaction.on_commit(lambda: assignment_run.delay(job.pk))
    return job


def assignment_start(*, actor: User, case_ids: list[int], officer: User | None) -> Job:
    """A queued bulk-assignment job for ``case_ids`` (to ``officer``, or automatically); ``assignment_queue``
    queues ``assignment_run`` for it."""
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.translation import get_language

    from core.jobs import start_job

    title = (
        _("Assign %(count)s cases to %(officer)s") % {"count": len(case_ids), "officer": officer}
        if officer is not None
        else _("Assign %(count)s cases automatically") % {"count": len(case_ids)}
    )
    result_query = {"scope": "court", "status": "assigned"}
    if officer is not None:
        result_query["officer"] = officer.pk
    return start_job(
        kind=JobKind.BULK_ASSIGNMENT,
        user=actor,
        title=title,
        total=len(case_ids),
        # The result: the court's cases now assigned (to the chosen officer).
        url=f"{reverse('enforcement:list')}?{urlencode(result_query)}",
        params={
            "cases": [int(pk) for pk in case_ids],
            "officer": officer.pk if officer is not None else None,
            "language": get_language() or "",
        },
    )


@shared_task(name="enforcement.tasks.assignment_run", acks_late=True, reject_on_worker_lost=True)
def assignment_run(job_id: int) -> str:
    """Assign the job's cases as the job's user. Safe to run twice: a finished job is left alone, and an
    interrupted run rolled back as a whole, so it is simply run again. A refusal fails the job with the
    rule's message and changes no case."""
    job = Job.objects.select_related("user").filter(pk=job_id, kind=JobKind.BULK_ASSIGNMENT).first()
    if job is None or job.is_finished:
        return "skipped"
    with override(job.params.get("language") or None):
        actor = job.user
        if actor is None or not actor.is_active:
            fail_job(job=job, message=_("The user who started this assignment can no longer sign in."))
            return "failed"
        ids = job.params.get("cases", [])
        job_running(job, total=len(ids))
        job_progress(job, done=0)
        try:
            cases = list(
                enforcement_case_list(user=actor, filters=None).filter(pk__in=ids).select_related("case", "case__court")
            )
            if len(cases) != len(set(ids)):
                fail_job(
                    job=job, message=_("Some of the chosen cases are no longer visible to you; nothing was assigned.")
                )
                return "failed"
            officer = None
            if job.params.get("officer"):
                officer = User.objects.filter(pk=job.params["officer"]).first()
                if officer is None:
                    fail_job(job=job, message=_("The chosen officer no longer exists; nothing was assigned."))
                    return "failed"
            done = cases_assign_bulk(
                actor=actor,
                enforcement_cases=cases,
                officer=officer,
                progress=lambda count: job_progress(job, done=count),
            )
        except ApplicationError as error:
            fail_job(job=job, message=f"{error.message} {_('No case was changed.')}", done=0)
            return "failed"
        finish_job(job=job, message=_("%(count)s cases assigned.") % {"count": len(done)})
    return "assigned"
