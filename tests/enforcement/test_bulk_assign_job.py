"""A bulk assignment of more cases than ZHIXING_ASYNC_ASSIGN_CASES runs as a job: the page shows its progress
case by case and its completion; it stays all or nothing — a refusal fails the job with the rule's message and
changes no case."""

from unittest import mock

import pytest

from core.exceptions import RuleViolation
from core.jobs import job_get
from core.models import AuditLog, Job, JobKind, JobStatus
from enforcement import tasks_assignment
from enforcement.choices import Status
from enforcement.models import EnforcementCase, StatusChange
from enforcement.services import assignment
from enforcement.services.assignment import cases_assign_bulk
from enforcement.tasks_assignment import assignment_run
from tests.enforcement.test_assignment import make_ec
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def head(court):
    return UserFactory(division_head=True, court=court, username="head")


@pytest.fixture
def small_threshold(settings):
    settings.ZHIXING_ASYNC_ASSIGN_CASES = 3


@pytest.fixture
def waiting(court):
    return [make_ec(court) for _ in range(5)]


def unchanged():
    return (
        sorted(EnforcementCase.objects.values_list("pk", "status", "officer_id")),
        StatusChange.objects.count(),
    )


def test_the_service_reports_progress_after_each_case(head, officer, court):
    cases = [make_ec(court) for _ in range(3)]
    seen = []
    cases_assign_bulk(actor=head, enforcement_cases=cases, officer=officer, progress=seen.append)
    assert seen == [1, 2, 3]


def test_few_cases_are_still_assigned_in_the_request(client_as, head, officer, court, small_threshold):
    cases = [make_ec(court) for _ in range(3)]
    response = client_as(head).post("/enforcement/assign/", {"cases": [c.pk for c in cases], "officer": officer.pk})
    assert response.status_code == 302 and response["Location"] == "/enforcement/assign/"
    assert not Job.objects.exists()
    assert set(EnforcementCase.objects.values_list("officer_id", flat=True)) == {officer.pk}


def test_many_cases_start_a_job_and_the_page_shows_it_done(client_as, head, officer, waiting, small_threshold):
    client = client_as(head)
    response = client.post("/enforcement/assign/", {"cases": [c.pk for c in waiting], "officer": officer.pk})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/enforcement/assign/?job={job.pk}"
    assert (job.kind, job.user, job.total, job.params["cases"]) == (
        JobKind.BULK_ASSIGNMENT,
        head,
        5,
        [c.pk for c in waiting],
    )
    # Tasks run eagerly here: the job has run by the time the page is shown.
    assert (job.status, job.done, job.message) == (JobStatus.SUCCEEDED, 5, "5 cases assigned.")
    assert set(EnforcementCase.objects.values_list("status", "officer_id")) == {(Status.ASSIGNED, officer.pk)}
    page = client.get(response["Location"]).content.decode()
    assert f'id="job-{job.pk}"' in page and "5 / 5" in page and "5 cases assigned." in page
    result = f"/enforcement/?scope=court&amp;status=assigned&amp;officer={officer.pk}"
    assert f'href="{result}"' in page
    listed = client.get(job.url).content.decode()
    assert all(c.case.number in listed for c in waiting)


def test_automatic_assignment_runs_as_a_job_too(client_as, head, officer, waiting, small_threshold):
    client_as(head).post("/enforcement/assign/", {"cases": [c.pk for c in waiting], "officer": ""})
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED and job.title == "Assign 5 cases automatically"
    assert set(EnforcementCase.objects.values_list("officer_id", flat=True)) == {officer.pk}


def test_the_progress_is_visible_case_by_case_while_the_transaction_is_open(head, officer, waiting):
    job = tasks_assignment.assignment_start(actor=head, case_ids=[c.pk for c in waiting], officer=officer)
    seen = []
    real = tasks_assignment.job_progress

    def spy(job_, *, done):
        value = real(job_, done=done)
        seen.append((job_get(user=head, pk=job.pk).done, Job.objects.get(pk=job.pk).done))
        return value

    with mock.patch.object(tasks_assignment, "job_progress", spy):
        assert assignment_run(job.pk) == "assigned"
    # The reader's figure follows each case; the row is written only when the job ends.
    assert seen == [(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)]
    job.refresh_from_db()
    assert (job.status, job.done) == (JobStatus.SUCCEEDED, 5)


def test_a_refusal_fails_the_job_with_the_rules_message_and_changes_no_case(head, officer, other_court, waiting):
    job = tasks_assignment.assignment_start(actor=head, case_ids=[c.pk for c in waiting], officer=officer)
    officer.court = other_court  # moved before the task ran
    officer.save()
    before = unchanged()
    audits = AuditLog.objects.count()
    assert assignment_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.done == 0
    assert job.message == (
        f"An enforcement case is assigned to an officer of its own court; {officer} is at another court. "
        "No case was changed."
    )
    assert unchanged() == before and AuditLog.objects.count() == audits


def test_a_refusal_half_way_rolls_back_the_cases_already_assigned(head, officer, waiting):
    job = tasks_assignment.assignment_start(actor=head, case_ids=[c.pk for c in waiting], officer=officer)
    real = assignment.case_assign
    calls = {"n": 0}

    def third_refused(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuleViolation("Refused for the test.", code="test.refused")
        return real(**kwargs)

    before = unchanged()
    with mock.patch.object(assignment, "case_assign", third_refused):
        assert assignment_run(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.done, job.message) == (
        JobStatus.FAILED,
        0,
        "Refused for the test. No case was changed.",
    )
    assert unchanged() == before


def test_running_the_task_twice_assigns_once(head, officer, waiting):
    job = tasks_assignment.assignment_start(actor=head, case_ids=[c.pk for c in waiting], officer=officer)
    assert assignment_run(job.pk) == "assigned"
    changes = StatusChange.objects.count()
    assert assignment_run(job.pk) == "skipped"
    assert StatusChange.objects.count() == changes


def test_an_officer_cannot_start_a_bulk_assignment(client_as, officer, waiting, small_threshold):
    response = client_as(officer).post("/enforcement/assign/", {"cases": [c.pk for c in waiting], "officer": ""})
    assert response.status_code == 403 and not Job.objects.exists()


def test_another_users_job_is_not_shown_on_the_assignment_page(client_as, head, court, officer, waiting):
    other_head = UserFactory(division_head=True, court=court, username="head-2")
    job = tasks_assignment.assignment_start(actor=other_head, case_ids=[waiting[0].pk], officer=officer)
    assert client_as(head).get(f"/enforcement/assign/?job={job.pk}").status_code == 404


def test_while_the_job_runs_the_page_shows_it_instead_of_the_form(client_as, head, officer, waiting):
    job = tasks_assignment.assignment_start(actor=head, case_ids=[c.pk for c in waiting], officer=officer)
    page = client_as(head).get(f"/enforcement/assign/?job={job.pk}").content.decode()
    assert f'hx-get="/jobs/{job.pk}/?refresh=1"' in page and 'id="bulk-assign"' not in page
    assert "The chosen cases are being assigned" in page
