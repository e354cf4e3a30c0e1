"""Progress of the asset app's long work, for ``core.jobs``: a query batch (its agencies' answers) and a
post-termination tracking run (its batch's answers, then the evaluation). The figures are computed from the
requests' rows when the page reads the job — nothing is counted twice and nothing has to remember to advance
a counter. ``register()`` is called from ``AssetsConfig.ready()``.

A job is started for each batch an officer orders (``post_save`` of ``QueryBatch``) and, by
``tracking_runs_started``, for the tracking runs the dispatcher creates (it uses ``bulk_create``, which sends
no signal)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from core.jobs import Progress, register_progress, start_job, start_jobs
from core.models import Job, JobKind, JobStatus

from .choices import AWAITING_STATUSES, BatchPurpose, BatchStatus, RequestStatus, TrackingOutcome
from .models import AgencyRequest, QueryBatch, TrackingRun


def _request_counts(batch_id: int) -> dict[str, int]:
    return dict(
        AgencyRequest.objects.filter(batch_id=batch_id)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def _summary(counts: dict[str, int]) -> str:
    return _("%(answered)s answered, %(partly)s partly answered, %(failed)s failed, %(late)s timed out.") % {
        "answered": counts.get(RequestStatus.ANSWERED, 0),
        "partly": counts.get(RequestStatus.PARTIALLY_ANSWERED, 0),
        "failed": counts.get(RequestStatus.FAILED, 0),
        "late": counts.get(RequestStatus.TIMED_OUT, 0),
    }


def _batch_figures(batch: QueryBatch) -> tuple[int, int, dict[str, int]]:
    """(done, total, counts): one step per agency request; a request is done once answered, failed or timed
    out (a timed-out one may still be re-issued, and the figure goes back)."""
    counts = _request_counts(batch.pk)
    total = sum(counts.values())
    done = total - sum(counts.get(status, 0) for status in AWAITING_STATUSES)
    return done, total, counts


def query_batch_progress(job: Job) -> Progress | None:
    """A query batch: queued until sent to the agencies, done when complete (every request ended)."""
    batch = QueryBatch.objects.filter(pk=job.object_id).first()
    if batch is None:
        return None
    done, total, counts = _batch_figures(batch)
    if batch.status == BatchStatus.COMPLETE:
        if not total:
            return Progress(0, 0, JobStatus.SUCCEEDED, _("No agency answers these categories for this court."))
        return Progress(done, total, JobStatus.SUCCEEDED, _summary(counts))
    status = JobStatus.RUNNING if batch.sent_at else JobStatus.QUEUED
    return Progress(done, total, status)


def tracking_run_progress(job: Job) -> Progress | None:
    """A tracking run: its batch's requests, done when the run is evaluated (new property found or not)."""
    run = TrackingRun.objects.select_related("batch").filter(pk=job.object_id).first()
    if run is None:
        return None
    done, total, counts = _batch_figures(run.batch)
    if run.outcome != TrackingOutcome.PENDING:
        message = run.get_outcome_display()
        if run.new_assets:
            message = f"{message}: {len(run.new_assets)}"
        return Progress(done, total, JobStatus.SUCCEEDED, f"{message}. {_summary(counts)}")
    status = JobStatus.RUNNING if run.batch.sent_at else JobStatus.QUEUED
    return Progress(done, total, status)


def batch_ordered(sender, instance: QueryBatch, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` of a batch an officer ordered: its job, in the same transaction as the batch."""
    if not created or raw or instance.purpose != BatchPurpose.CASE:
        return
    case = instance.enforcement_case
    start_job(
        kind=JobKind.QUERY_BATCH,
        user=instance.ordered_by,
        court_id=case.case.court_id,
        title=_("Network query of %(case)s") % {"case": case.case.number},
        obj=instance,
        url=reverse("enforcement:detail", args=[case.pk]),
    )


def tracking_runs_started(runs: Iterable[TrackingRun]) -> list[Job]:
    """Jobs for tracking runs just created (the dispatcher's ``bulk_create`` sends no signal), started together
    (``start_jobs``: two queries and one insert however many runs): each belongs to its case's court (nobody
    started it by hand)."""
    runs = TrackingRun.objects.select_related("plan__enforcement_case__case").filter(pk__in=[r.pk for r in runs])
    return start_jobs(
        kind=JobKind.TRACKING_RUN,
        objects=[
            (
                run,
                {
                    "user": None,
                    "court_id": run.plan.enforcement_case.case.court_id,
                    "title": _("Tracking query %(number)s of %(case)s")
                    % {"number": run.number, "case": run.plan.enforcement_case.case.number},
                    "url": reverse("assets:case-tracking", args=[run.plan.enforcement_case_id]),
                },
            )
            for run in runs.order_by("pk")
        ],
    )


def register() -> None:
    register_progress(JobKind.QUERY_BATCH, query_batch_progress, capability="assets.view")
    register_progress(JobKind.TRACKING_RUN, tracking_run_progress, capability="assets.view")
    post_save.connect(batch_ordered, sender=QueryBatch, dispatch_uid="assets.progress.batch_ordered")
