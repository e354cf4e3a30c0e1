"""Progress of the asset jobs (assets.progress, registered with core.jobs): a query batch an officer orders
gets a job whose figures are the agencies' answers — queued until sent, done when every request has ended — and
a tracking run's job follows its batch and ends with the run's outcome."""

import datetime as dt

import pytest
from django.db.models.signals import post_save

from assets import progress
from assets.choices import AssetCategory, RequestStatus
from assets.models import AgencyRequest, QueryBatch, TrackingRun
from assets.services import tracking_start
from core import jobs
from core.jobs import job_for, job_get, jobs_of
from core.models import Job, JobKind, JobStatus
from tests.assets.tracking_builders import answer, answer_batch, deposit, dispatch, terminated_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registered():
    """What AssetsConfig.ready() does (``progress.register()``), undone after the test."""
    before = dict(jobs._providers)
    progress.register()
    yield
    post_save.disconnect(sender=QueryBatch, dispatch_uid="assets.progress.batch_ordered")
    jobs._providers.clear()
    jobs._providers.update(before)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_ordering_a_query_starts_a_job_for_the_batch_pointing_at_the_case(order, officer, enforcement_case, agencies):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    job = job_for(kind=JobKind.QUERY_BATCH, obj=batch)
    assert (job.user, job.court_id, job.url) == (
        officer,
        enforcement_case.case.court_id,
        f"/enforcement/{enforcement_case.pk}/",
    )
    assert job.title == f"Network query of {enforcement_case.case.number}"


def test_the_batch_job_counts_requests_ended_of_requests_sent(order, officer, enforcement_case, agencies):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    job = job_for(kind=JobKind.QUERY_BATCH, obj=batch)
    state = job_get(user=officer, pk=job.pk)
    assert (state.done, state.total, state.status) == (0, 3, JobStatus.RUNNING)
    AgencyRequest.objects.filter(batch=batch, agency__code="icbc").update(status=RequestStatus.ANSWERED)
    AgencyRequest.objects.filter(batch=batch, agency__code="mps-traffic").update(status=RequestStatus.TIMED_OUT)
    state = job_get(user=officer, pk=job.pk)
    assert (state.done, state.total, state.status) == (2, 3, JobStatus.RUNNING)


def test_the_batch_job_ends_when_every_agency_has_answered_with_a_summary(order, officer, enforcement_case, agencies):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    answer_batch(batch)
    job = job_get(user=officer, pk=job_for(kind=JobKind.QUERY_BATCH, obj=batch).pk)
    assert (job.status, job.done, job.total) == (JobStatus.SUCCEEDED, 3, 3)
    assert job.message == "3 answered, 0 partly answered, 0 failed, 0 timed out."
    # Folded into the row: later reads need no computation.
    row = Job.objects.get(pk=job.pk)
    assert (row.status, row.finished_at is not None) == (JobStatus.SUCCEEDED, True)


def test_a_batch_nobody_answers_is_done_at_once_saying_so(order, officer, enforcement_case):
    batch = order(actor=officer, enforcement_case=enforcement_case)  # no agency at all
    job = job_get(user=officer, pk=job_for(kind=JobKind.QUERY_BATCH, obj=batch).pk)
    assert (job.status, job.message) == (JobStatus.SUCCEEDED, "No agency answers these categories for this court.")


def test_an_officer_of_another_court_does_not_see_the_batch_job(order, officer, other_officer, enforcement_case):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    assert job_for(kind=JobKind.QUERY_BATCH, obj=batch) not in jobs_of(other_officer)


def test_a_tracking_run_job_follows_its_batch_and_ends_with_the_outcome(court, officer, debtors, bank, capture):
    plan = tracking_start(enforcement_case=terminated_case(court, officer=officer, debtors=debtors))
    dispatch(capture, on=dt.date(2026, 7, 15))
    run = TrackingRun.objects.get(plan=plan)
    [job] = progress.tracking_runs_started([run])
    assert (job.user, job.court_id, job.kind) == (None, court.pk, JobKind.TRACKING_RUN)
    assert job in jobs_of(officer)  # the court's, not a person's
    state = job_get(user=officer, pk=job.pk)
    assert (state.done, state.total, state.status) == (0, 1, JobStatus.RUNNING)
    answer(capture, run.batch, found={(debtors[0].pk, AssetCategory.DEPOSIT): [deposit()]})
    state = job_get(user=officer, pk=job.pk)
    assert (state.status, state.done, state.total) == (JobStatus.SUCCEEDED, 1, 1)
    assert state.message == "New property found: 1. 1 answered, 0 partly answered, 0 failed, 0 timed out."
    assert state.url == f"/assets/enforcement/{plan.enforcement_case_id}/tracking/"


def test_tracking_batches_start_no_query_batch_job(court, officer, debtors, bank, capture):
    tracking_start(enforcement_case=terminated_case(court, officer=officer, debtors=debtors))
    dispatch(capture, on=dt.date(2026, 7, 15))
    assert not Job.objects.filter(kind=JobKind.QUERY_BATCH).exists()
