"""Exports longer than ZHIXING_ASYNC_EXPORT_ROWS go to a job: the request answers with the job page, the task
replays the list as the same user and writes the file in chunks, and only the owner downloads it (audited).
Short lists are still answered in the request."""

import csv
import io
from unittest import mock

import pytest
from openpyxl import load_workbook

from core.audit import audit_record
from core.export import export_response
from core.models import AuditLog, Job, JobKind, JobStatus
from core.tasks import export_run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def auditor(court):
    return UserFactory(auditor=True, court=court, username="auditor-0105")


@pytest.fixture
def entries(court, officer):
    for n in range(12):
        audit_record(actor=officer, action="case.view", reason=f"第{n}次")
    return 12


@pytest.fixture
def small_threshold(settings):
    settings.ZHIXING_ASYNC_EXPORT_ROWS = 5


def _rows(job):
    with job.result.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_short_export_is_still_answered_in_the_request(client_as, auditor, entries):
    response = client_as(auditor).get("/audit/?export=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    assert not Job.objects.exists()


def test_a_long_export_starts_a_job_and_answers_with_the_job_page(client_as, auditor, entries, small_threshold):
    response = client_as(auditor).get("/audit/?export=csv&action=case.view")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/?started={job.pk}"
    assert (job.kind, job.user, job.params["path"], job.params["query"]) == (
        JobKind.EXPORT,
        auditor,
        "/audit/",
        "export=csv&action=case.view",
    )
    assert AuditLog.objects.filter(action="job.export", object_id=str(job.pk), actor=auditor).exists()


def test_the_task_writes_every_row_of_the_users_list_and_finishes_the_job(client_as, auditor, entries, small_threshold):
    client_as(auditor).get("/audit/?export=csv&action=case.view")  # tasks run eagerly: written on commit
    job = Job.objects.get()
    assert (job.status, job.done, job.total) == (JobStatus.SUCCEEDED, entries, entries)
    assert job.message == f"{entries} rows exported."
    rows = _rows(job)
    assert rows[0][:3] == ["Time", "Actor", "Action"]
    assert len(rows) == entries + 1 and {row[2] for row in rows[1:]} == {"case.view"}
    assert job.result_name.startswith("audit-") and job.result_name.endswith(".csv")


def test_an_excel_export_in_the_background_is_a_workbook(client_as, auditor, entries, small_threshold):
    client_as(auditor).get("/audit/?export=xlsx&action=case.view")
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED and job.result_name.endswith(".xlsx")
    with job.result.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).active
        assert sum(1 for _ in sheet.iter_rows()) == entries + 1


def test_the_job_page_shows_the_download_and_only_the_owner_gets_the_file(
    client_as, client, auditor, court, entries, small_threshold
):
    client_as(auditor).get("/audit/?export=csv")
    job = Job.objects.get()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="/jobs/{job.pk}/download/"' in page and "hx-trigger" not in page
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="audit-')
    assert AuditLog.objects.filter(action="job.download", object_id=str(job.pk), actor=auditor).exists()
    colleague = UserFactory(auditor=True, court=court, username="auditor-2")
    client.logout()
    assert client_as(colleague).get(f"/jobs/{job.pk}/download/").status_code == 404
    assert not AuditLog.objects.filter(action="job.download", actor=colleague).exists()


def test_the_replayed_export_checks_the_permission_again_when_it_runs(client_as, auditor, entries, small_threshold):
    with mock.patch("core.tasks.export_run.delay"):  # queued, not yet run
        client_as(auditor).get("/audit/?export=csv")
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    auditor.role = "officer"  # no longer allowed to read the audit log
    auditor.save()
    assert export_run(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.message, bool(job.result)) == (
        JobStatus.FAILED,
        "You may no longer export this list.",
        False,
    )


def test_running_the_task_twice_leaves_the_finished_job_alone(client_as, auditor, entries, small_threshold):
    client_as(auditor).get("/audit/?export=csv")
    job = Job.objects.get()
    name = job.result.name
    assert export_run(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.result.name == name


def test_the_enforcement_case_list_export_goes_to_a_job_too(client_as, officer, court, small_threshold):
    from tests.enforcement.test_assignment import make_ec

    for _ in range(7):
        make_ec(court, officer=officer, status="assigned")
    response = client_as(officer).get("/enforcement/?export=csv")
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.status, job.done, job.title) == (JobStatus.SUCCEEDED, 7, "enforcement-cases.csv")
    rows = _rows(job)
    assert rows[0][0] == "Case number" and len(rows) == 8


def test_export_response_without_a_request_ignores_the_threshold(small_threshold):
    response = export_response(kind="csv", filename="x", header=["a"], rows=[[n] for n in range(10)], total=10)
    assert response.status_code == 200 and not Job.objects.exists()
