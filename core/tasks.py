from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from celery import current_task, shared_task
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .exceptions import ApplicationError
from .models import Court, Job, JobKind

logger = logging.getLogger(__name__)

SKIPPED = None  # what a guarded periodic task returns when another run has done, or is doing, its period's work


def _from_a_message() -> bool:
    """Whether the running task was taken from the broker by a worker (where a second beat or a redelivered
    message can run it twice). A direct call, ``.run()`` or an eager run (tests, ``make run`` without a broker)
    does what it is asked: there is no second beat in that process."""
    if not current_task:  # a proxy: false when no task is running
        return False
    request = current_task.request
    return not (request.called_directly or request.is_eager)


def period_key(period: int, *, now: float | None = None) -> int:
    """The number of the ``period``-second slot ``now`` falls in, slots aligned on local midnight (so a daily
    job's slot is the local day, an hourly job's the hour)."""
    now = time.time() if now is None else now
    offset = timezone.localtime(dt.datetime.fromtimestamp(now, tz=dt.UTC)).utcoffset()
    return int((now + (offset.total_seconds() if offset else 0)) // period)


def single_run(period: int, *, name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Guard a periodic task so that its work is done once per ``period``-second slot, however many messages
    for the slot arrive (two beats running, a message redelivered after a worker died, a beat restarted).

    Put it under ``@shared_task``. In the cache (Redis in production: ``SET NX EX``) it takes the slot's lock
    for the period (at most 30 minutes) and, once the work is done, marks the slot done until it ends. A message
    finding the slot locked or done returns ``SKIPPED`` without running. If the work raises, the lock is released
    and the slot stays open (a retry may run it); if the worker dies, the lock expires and a redelivered message
    runs it. Only runs taken from the broker are guarded (``_from_a_message``). The guarded jobs are also safe to
    run twice (each reads what is due): the guard saves the duplicate work and the duplicate notices of a
    concurrent second run. If the cache cannot be reached, the job runs unguarded rather than not at all.

    Neither Celery nor django-celery-beat has such a guard (beat assumes it runs once; ``acks_late`` redelivers
    by design), hence this one, on the cache's atomic ``add``."""
    lock_ttl = min(period, 1800)

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        task_name = name or f"{func.__module__}.{func.__name__}"

        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not _from_a_message():
                return func(*args, **kwargs)
            slot = period_key(period)
            base = f"single-run:{task_name}:{period}:{slot}"
            token = uuid.uuid4().hex
            try:
                if cache.get(f"{base}:done"):
                    logger.info("%s: slot %s already done, skipped", task_name, slot)
                    return SKIPPED
                if not cache.add(f"{base}:lock", token, timeout=lock_ttl):
                    logger.info("%s: slot %s is running elsewhere, skipped", task_name, slot)
                    return SKIPPED
            except Exception:
                # The cache is unreachable: run unguarded (every guarded job is safe to run twice) rather than
                # miss the period.
                logger.warning("%s: no lock (cache unreachable), running unguarded", task_name, exc_info=True)
                return func(*args, **kwargs)
            try:
                result = func(*args, **kwargs)
                remaining = max(1, (slot + 1) * period - period_key(1))  # seconds left in the slot
                with contextlib.suppress(Exception):  # the work is done; only a later duplicate is not saved
                    cache.set(f"{base}:done", 1, timeout=remaining + 60)
                return result
            finally:
                with contextlib.suppress(Exception):  # else the lock expires after lock_ttl
                    if cache.get(f"{base}:lock") == token:
                        cache.delete(f"{base}:lock")

        guarded.single_run = {"period": period, "ttl": lock_ttl, "name": task_name}
        return guarded

    return decorator


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
