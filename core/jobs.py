"""Progress of long work (exports, bulk assignment, query batches, tracking runs) for the pages to show.

A job is started queued, marked running, advanced with ``job_progress`` and ended with ``finish_job`` or
``fail_job``. Where the progress is a fact of another app's rows (a query batch is done when its agencies have
answered), that app registers a *progress provider* with ``register_progress(kind, fn)`` in its
``AppConfig.ready()`` and the job's figures are computed from those rows when read (core never imports it).

Why the counter goes to the cache: the work being counted often runs inside one transaction (a bulk
assignment is all or nothing), and a row updated inside it is invisible to the page polling from another
connection until it commits — too late to show progress. The cache (Redis when ``REDIS_URL`` is set, shared by
the web and the workers) is outside any transaction, so every increment is seen at once; ``finish_job`` and
``fail_job`` fold it into the row. When ``job_progress`` is called outside a transaction it also writes the
row (autocommit), so the figure survives a cache flush or a per-process cache."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import File
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import NotFound
from .models import Job, JobKind, JobStatus, User

CACHE_TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class Progress:
    """What a progress provider reports: ``status`` one of JobStatus; ``message`` the summary when finished."""

    done: int
    total: int
    status: str
    message: str = ""


ProgressProvider = Callable[[Job], "Progress | None"]
_providers: dict[str, ProgressProvider] = {}
_court_capabilities: dict[str, str] = {}


def register_progress(kind: str, provider: ProgressProvider, *, capability: str | None = None) -> None:
    """Let an app compute the progress of its jobs of ``kind`` from its own rows (called in ``ready()``).
    ``capability``: who of the court sees the jobs of this kind that nobody started by hand (those who may open
    what they work on); without it, nobody but a superuser."""
    _providers[kind] = provider
    if capability:
        _court_capabilities[kind] = capability


def _key(job_id: int) -> str:
    return f"core.job.{job_id}.done"


# ---- services -----------------------------------------------------------------------------------------------


def start_job(
    *,
    kind: str,
    user: User | None,
    title: str,
    total: int = 0,
    court_id: int | None = None,
    obj: models.Model | None = None,
    url: str = "",
    params: dict | None = None,
) -> Job:
    """A queued job. ``court_id`` defaults to the user's court; ``obj`` is what the job works on (at most one
    job per kind and object: starting again returns the existing one)."""
    if court_id is None and user is not None:
        court_id = user.court_id
    fields = {
        "user": user,
        "court_id": court_id,
        "title": title,
        "total": total,
        "url": url,
        "params": params or {},
    }
    if obj is not None:
        return start_jobs(kind=kind, objects=[(obj, fields)])[0]
    job = _new_job(kind, fields)
    job.full_clean(exclude=["result"])
    job.save()
    cache.delete(_key(job.pk))  # a fresh job has no progress, whatever a cache outliving the table says
    return job


def start_jobs(*, kind: str, objects: Sequence[tuple[models.Model, dict]]) -> list[Job]:
    """``start_job`` for many objects of one model at once, each with its fields (``user``, ``court_id``,
    ``title``, ``total``, ``url``, ``params``): one query for the jobs that exist, one insert for the rest.
    Returns the jobs in the order of ``objects``."""
    if not objects:
        return []
    content_type = ContentType.objects.get_for_model(objects[0][0])
    of_kind = Job.objects.filter(kind=kind, content_type=content_type)
    pks = [obj.pk for obj, _fields in objects]
    existing = set(of_kind.filter(object_id__in=pks).values_list("object_id", flat=True))
    new = [
        _new_job(kind, fields, content_type=content_type, object_id=obj.pk)
        for obj, fields in objects
        if obj.pk not in existing
    ]
    if new:
        # ignore_conflicts: a job another process started meanwhile is kept (the unique constraint), not doubled
        Job.objects.bulk_create(new, ignore_conflicts=True)
    jobs = {job.object_id: job for job in of_kind.filter(object_id__in=pks)}
    # a fresh job has no progress, whatever a cache outliving the table says
    cache.delete_many([_key(job.pk) for pk, job in jobs.items() if pk not in existing])
    return [jobs[pk] for pk in pks]


def _new_job(kind: str, fields: dict, **more) -> Job:
    fields = {**fields, "title": str(fields.get("title", ""))[:200], "total": max(int(fields.get("total", 0)), 0)}
    return Job(kind=kind, **fields, **more)


def job_running(job: Job, *, total: int | None = None) -> Job:
    """Mark the job running (first call sets ``started_at``); a new ``total`` when the work knows it better."""
    job.status = JobStatus.RUNNING
    job.started_at = job.started_at or timezone.now()
    if total is not None:
        job.total = max(int(total), 0)
    Job.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at, total=job.total)
    return job


def job_progress(job: Job, *, step: int = 1, done: int | None = None) -> int:
    """Advance the job by ``step`` (or to ``done``) and publish the figure at once: to the cache always, to the
    row too when not inside a transaction (see the module docstring). Returns the new figure."""
    job.done = max(int(done), 0) if done is not None else job.done + step
    if job.total and job.done > job.total:
        job.done = job.total
    cache.set(_key(job.pk), job.done, CACHE_TIMEOUT)
    if not connection.in_atomic_block:
        Job.objects.filter(pk=job.pk).update(done=job.done)
    return job.done


def finish_job(
    *, job: Job, message: str = "", result: File | None = None, result_name: str = "", url: str | None = None
) -> Job:
    """The job succeeded: every step done, the summary ``message``, the file (an export) or the result page."""
    job.status = JobStatus.SUCCEEDED
    job.done = max(job.total, _cached_done(job) or 0, job.done)
    job.total = max(job.total, job.done)
    job.message = str(message)
    job.finished_at = timezone.now()
    job.started_at = job.started_at or job.finished_at
    if url is not None:
        job.url = url
    if result is not None:
        job.result_name = result_name or job.result_name
        job.result.save(job.result_name or "result", result, save=False)
    job.save()
    cache.delete(_key(job.pk))
    return job


def fail_job(*, job: Job, message: str, done: int | None = None) -> Job:
    """The job failed; ``message`` names the error (the rule's message when a rule refused the work).
    ``done``: the figure to keep (0 for all-or-nothing work, whose counted steps were rolled back)."""
    job.status = JobStatus.FAILED
    job.done = done if done is not None else max(job.done, _cached_done(job) or 0)
    job.message = str(message)
    job.finished_at = timezone.now()
    job.started_at = job.started_at or job.finished_at
    job.save(update_fields=["status", "done", "message", "finished_at", "started_at"])
    cache.delete(_key(job.pk))
    return job


# ---- reads --------------------------------------------------------------------------------------------------


def _cached_done(job: Job) -> int | None:
    value = cache.get(_key(job.pk))
    return int(value) if value is not None else None


def job_state(job: Job) -> Job:
    """The job with its live figures: the cache counter while it runs, or what its provider computes (a
    provider's finished answer is folded into the row, so it is computed only until then)."""
    if job.is_finished:
        return job
    provider = _providers.get(job.kind)
    if provider is not None:
        progress = provider(job)
        if progress is not None:
            job.done, job.total = progress.done, progress.total
            if progress.status == JobStatus.SUCCEEDED:
                return finish_job(job=job, message=progress.message)
            if progress.status == JobStatus.FAILED:
                return fail_job(job=job, message=progress.message)
            if progress.status == JobStatus.RUNNING and job.status == JobStatus.QUEUED:
                job_running(job)
            return job
    cached = _cached_done(job)
    if cached is not None and cached > job.done:
        job.done = min(cached, job.total) if job.total else cached
    return job


def jobs_of(user: User) -> models.QuerySet[Job]:
    """A user's own jobs, and the jobs of their court that nobody started by hand (the tracking runs) of the
    kinds the user may open (``register_progress(capability=…)``); a superuser sees every job. Newest first."""
    jobs = Job.objects.select_related("user", "court")
    if user.is_superuser:
        return jobs
    if not user.is_authenticated:
        return jobs.none()
    mine = models.Q(user=user)
    kinds = [kind for kind, capability in _court_capabilities.items() if user.can(capability)]
    if user.court_id and kinds:
        mine |= models.Q(user__isnull=True, court_id=user.court_id, kind__in=kinds)
    return jobs.filter(mine)


def job_get(*, user: User, pk: int) -> Job:
    """One of ``jobs_of(user)`` with its live figures; the same "not found" for a missing job and for
    another user's."""
    job = jobs_of(user).filter(pk=pk).first()
    if job is None:
        raise NotFound(_("No such job."), code="job.not_found")
    return job_state(job)


def job_for(*, kind: str, obj: models.Model) -> Job | None:
    """The job of ``kind`` working on ``obj``, if any (for a page that shows the object)."""
    return Job.objects.filter(kind=kind, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).first()


__all__ = [
    "JobKind",
    "JobStatus",
    "Progress",
    "fail_job",
    "finish_job",
    "job_for",
    "job_get",
    "job_progress",
    "job_running",
    "job_state",
    "jobs_of",
    "register_progress",
    "start_job",
    "start_jobs",
]
