from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from .exceptions import ApplicationError
from .models import Court, Job, JobKind

logger = logging.getLogger(__name__)


@shared_task(name="core.ping")
def ping() -> dict:
    """Proves a worker is alive and reaches the database: returns the number of courts it sees."""
    return {"pong": True, "courts": Court.objects.count()}


def _replayed_request(job: Job) -> HttpRequest:
    """The export's GET request again, as its user: path and query string as they were sent."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.params.get("path", "")
    request.GET = QueryDict(job.params.get("query", ""))
    request.META = {"SERVER_NAME": "jobs.internal", "SERVER_PORT": "80", "REQUEST_METHOD": "GET"}
    request.user = job.user
    return request


@shared_task(name="core.tasks.export_run", acks_late=True, reject_on_worker_lost=True)
def export_run(job_id: int) -> str:
    """Write a background export (``core.export``): replay the list view as the job's user with the job's sink
    in place. Safe to run twice: a finished job is left as it is, a half-written one is written again."""
    from .export import exporting_into
    from .jobs import fail_job

    job = Job.objects.select_related("user").filter(pk=job_id, kind=JobKind.EXPORT).first()
    if job is None or job.is_finished:
        return "skipped"
    if job.user is None or not job.user.is_active:
        fail_job(job=job, message=_("The user who asked for this export can no longer sign in."))
        return "failed"
    with translation.override(job.params.get("language") or None):
        try:
            match = resolve(job.params.get("path", ""))
        except Resolver404:
            fail_job(job=job, message=_("This list can no longer be exported."))
            return "failed"
        request = _replayed_request(job)
        try:
            with exporting_into(job) as sink:
                match.func(request, *match.args, **match.kwargs)
        except ApplicationError as error:
            fail_job(job=job, message=error.message)
            return "failed"
        except DjangoPermissionDenied:
            fail_job(job=job, message=_("You may no longer export this list."))
            return "failed"
        except Exception as error:
            logger.exception("export job %s failed", job.pk)
            fail_job(job=job, message=_("The export failed: %(error)s") % {"error": type(error).__name__})
            return "failed"
        if not sink.written:
            fail_job(job=job, message=_("You may no longer export this list."))
            return "failed"
    return "written"
