"""The job-progress services: a job is started queued, counted while it runs (visible at once, even from inside
a transaction), and ends with a summary or the error; a user sees their own jobs and their court's unattended
ones, nobody else's."""

import threading

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction

from core.exceptions import NotFound
from core.jobs import (
    Progress,
    fail_job,
    finish_job,
    job_get,
    job_progress,
    job_running,
    job_state,
    jobs_of,
    register_progress,
    start_job,
    start_jobs,
)
from core.models import Job, JobKind, JobStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_job_starts_queued_with_its_total_and_the_users_court(officer):
    job = start_job(kind=JobKind.EXPORT, user=officer, title="cases.csv", total=120)
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.court, job.user) == (
        JobStatus.QUEUED,
        120,
        0,
        officer.court,
        officer,
    )
    assert job.started_at is None and job.finished_at is None


@pytest.mark.django_db(transaction=True)
def test_a_running_job_counts_its_steps_into_the_row_outside_a_transaction(officer):
    job = start_job(kind=JobKind.EXPORT, user=officer, title="cases.csv", total=10)
    job_running(job)
    job_progress(job)
    job_progress(job, step=3)
    row = Job.objects.get(pk=job.pk)
    assert (row.status, row.done, row.started_at is not None) == (JobStatus.RUNNING, 4, True)


def test_progress_inside_a_transaction_is_published_through_the_cache_and_read_back(officer):
    job = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="assign", total=5)
    with transaction.atomic():
        job_progress(job, done=3)
        # The row is not written inside the work's transaction (another connection would not see it) ...
        assert Job.objects.get(pk=job.pk).done == 0
    # ... but a reader sees the figure through the cache.
    assert job_get(user=officer, pk=job.pk).done == 3


def test_progress_never_runs_past_the_total(officer):
    job = start_job(kind=JobKind.EXPORT, user=officer, title="x", total=2)
    assert job_progress(job, done=7) == 2


def test_finishing_a_job_folds_the_count_and_keeps_the_summary_and_the_file(officer):
    job = start_job(kind=JobKind.EXPORT, user=officer, title="x.csv", total=3)
    job_running(job)
    with transaction.atomic():
        job_progress(job, done=3)
    finish_job(job=job, message="3 rows exported.", result=ContentFile(b"a,b\n"), result_name="x.csv")
    row = Job.objects.get(pk=job.pk)
    assert (row.status, row.done, row.total, row.message) == (JobStatus.SUCCEEDED, 3, 3, "3 rows exported.")
    assert row.finished_at is not None and row.result.name.startswith("jobs/")
    assert row.result.read() == b"a,b\n"
    assert cache.get(f"core.job.{job.pk}.done") is None


def test_a_failed_job_keeps_the_error_and_may_reset_its_count(officer):
    job = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="assign", total=4)
    job_progress(job, done=2)
    fail_job(job=job, message="Officer X is at another court.", done=0)
    row = Job.objects.get(pk=job.pk)
    assert (row.status, row.done, row.message) == (JobStatus.FAILED, 0, "Officer X is at another court.")
    assert row.finished_at is not None


def test_a_user_sees_their_own_jobs_and_their_courts_unattended_jobs_only(officer, other_officer, court):
    colleague = UserFactory(officer=True, court=court, username="colleague")
    mine = start_job(kind=JobKind.EXPORT, user=officer, title="mine")
    theirs = start_job(kind=JobKind.EXPORT, user=colleague, title="colleague's")
    court_wide = start_job(kind=JobKind.TRACKING_RUN, user=None, court_id=court.pk, title="tracking")
    elsewhere = start_job(kind=JobKind.EXPORT, user=other_officer, title="elsewhere")
    assert set(jobs_of(officer)) == {mine, court_wide}
    assert set(jobs_of(other_officer)) == {elsewhere}
    assert theirs not in jobs_of(officer)


def test_the_courts_unattended_jobs_show_only_to_those_who_may_open_what_they_work_on(officer, court):
    auditor = UserFactory(auditor=True, court=court, username="auditor")
    tracking = start_job(kind=JobKind.TRACKING_RUN, user=None, court_id=court.pk, title="tracking")
    assert tracking in jobs_of(officer)  # assets.view: the tracking page opens for him
    assert set(jobs_of(auditor)) == set()  # the auditor may not open a case's tracking


def test_another_users_job_is_not_found_like_a_missing_one(officer, other_officer):
    job = start_job(kind=JobKind.EXPORT, user=other_officer, title="x")
    with pytest.raises(NotFound) as refused:
        job_get(user=officer, pk=job.pk)
    with pytest.raises(NotFound) as missing:
        job_get(user=officer, pk=job.pk + 1000)
    assert refused.value.message == missing.value.message == "No such job."


def test_a_superuser_sees_every_job(superuser, officer, other_officer):
    start_job(kind=JobKind.EXPORT, user=officer, title="a")
    start_job(kind=JobKind.EXPORT, user=other_officer, title="b")
    assert jobs_of(superuser).count() == 2


def test_one_job_per_kind_and_object(officer):
    first = start_job(kind=JobKind.EXPORT, user=officer, title="a", obj=officer)
    again = start_job(kind=JobKind.EXPORT, user=officer, title="b", obj=officer)
    assert first.pk == again.pk and Job.objects.count() == 1


def test_jobs_for_many_objects_start_together_in_a_fixed_number_of_queries(officer, court, django_assert_num_queries):
    users = [officer, *UserFactory.create_batch(4, court=court)]
    start_job(kind=JobKind.EXPORT, user=officer, title="already", obj=users[0])
    fields = {"user": None, "court_id": court.pk, "title": "t", "total": 3}
    with django_assert_num_queries(3):  # the existing jobs, one insert, the jobs read back
        jobs = start_jobs(kind=JobKind.EXPORT, objects=[(user, fields) for user in users])
    assert [job.object_id for job in jobs] == [user.pk for user in users]
    assert jobs[0].title == "already" and {job.title for job in jobs[1:]} == {"t"}
    assert Job.objects.count() == 5 and {job.status for job in jobs} == {JobStatus.QUEUED}


def test_a_registered_provider_computes_the_progress_and_its_end_is_folded_into_the_row(officer):
    from core import jobs

    answers = {"done": 1, "status": JobStatus.RUNNING}
    before = jobs._providers.get(JobKind.QUERY_BATCH)
    register_progress(JobKind.QUERY_BATCH, lambda job: Progress(answers["done"], 3, answers["status"], "all answered"))
    try:
        job = start_job(kind=JobKind.QUERY_BATCH, user=officer, title="computed")
        state = job_state(job)
        assert (state.done, state.total, state.status) == (1, 3, JobStatus.RUNNING)
        answers.update(done=3, status=JobStatus.SUCCEEDED)
        job_state(job)
        row = Job.objects.get(pk=job.pk)
        assert (row.status, row.done, row.message) == (JobStatus.SUCCEEDED, 3, "all answered")
    finally:
        if before is None:
            jobs._providers.pop(JobKind.QUERY_BATCH, None)
        else:
            jobs._providers[JobKind.QUERY_BATCH] = before


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_transaction_is_seen_from_another_connection(officer):
    """On PostgreSQL with Redis: while the work's transaction is open, a reader on its own connection (another
    thread) already sees the progress."""
    job = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="assign", total=10)
    seen = {}

    def reader():
        try:
            seen["done"] = job_get(user=officer, pk=job.pk).done
            seen["row"] = Job.objects.get(pk=job.pk).done
        finally:
            connection.close()

    with transaction.atomic():
        job_progress(job, done=6)
        thread = threading.Thread(target=reader)
        thread.start()
        thread.join()
    assert seen == {"done": 6, "row": 0}
