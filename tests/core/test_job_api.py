"""GET /api/v1/jobs/<id>/: the caller's job with its live progress; another user's job is not found."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from core.jobs import finish_job, job_progress, job_running, start_job
from core.models import JobKind

pytestmark = pytest.mark.django_db


def test_the_api_answers_the_live_progress_of_a_running_job(api_as, officer):
    job = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="Assign 40 cases", total=40)
    job_running(job)
    with transaction.atomic():
        job_progress(job, done=10)
    body = api_as(officer).get(f"/api/v1/jobs/{job.pk}/").json()
    assert {k: body[k] for k in ("id", "kind", "title", "total", "done", "percent", "status", "download_url")} == {
        "id": job.pk,
        "kind": "bulk_assignment",
        "title": "Assign 40 cases",
        "total": 40,
        "done": 10,
        "percent": 25,
        "status": "running",
        "download_url": "",
    }
    assert body["status_display"] == "Running" and body["finished_at"] is None


def test_a_finished_export_names_its_download(api_as, officer):
    job = start_job(kind=JobKind.EXPORT, user=officer, title="cases.csv", total=2)
    finish_job(job=job, message="2 rows exported.", result=ContentFile(b"x"), result_name="cases.csv")
    body = api_as(officer).get(f"/api/v1/jobs/{job.pk}/").json()
    assert (body["status"], body["message"], body["download_url"]) == (
        "succeeded",
        "2 rows exported.",
        f"/jobs/{job.pk}/download/",
    )


def test_another_users_job_is_not_found(api_as, officer, other_officer):
    job = start_job(kind=JobKind.EXPORT, user=other_officer, title="theirs")
    response = api_as(officer).get(f"/api/v1/jobs/{job.pk}/")
    assert response.status_code == 404
    assert response.json()["message"] == "No such job."


def test_the_api_needs_authentication(api_client, officer):
    job = start_job(kind=JobKind.EXPORT, user=officer, title="mine")
    assert api_client.get(f"/api/v1/jobs/{job.pk}/").status_code in (401, 403)


def test_the_schema_documents_the_job_endpoint(api_as, officer):
    schema = api_as(officer).get("/api/schema/", {"format": "json"}).json()
    response = schema["paths"]["/api/v1/jobs/{id}/"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/JobProgress"}
    assert "done" in schema["components"]["schemas"]["JobProgress"]["properties"]
