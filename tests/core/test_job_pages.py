"""The job pages: the progress partial polls itself only while the job is queued or running and shows the
count, the status, the message and the result link; the list shows the user's recent jobs; nobody sees
another user's job."""

import re

import pytest
from django.urls import reverse

from core.jobs import fail_job, finish_job, job_progress, job_running, start_job
from core.models import JobKind

pytestmark = pytest.mark.django_db


def test_the_job_urls_are_named():
    assert reverse("job", args=[12]) == "/jobs/12/"
    assert reverse("job-list") == "/jobs/"
    assert reverse("job-download", args=[12]) == "/jobs/12/download/"


def test_a_running_job_shows_its_bar_and_polls_itself_every_second(client_as, officer):
    job = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="Assign 50 cases", total=50)
    job_running(job)
    job_progress(job, done=12)
    html = client_as(officer).get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and f'hx-get="/jobs/{job.pk}/"' in html
    assert 'aria-valuenow="12"' in html and 'aria-valuemax="50"' in html
    assert "12 / 50" in html and "Running" in html and "Assign 50 cases" in html


def test_a_finished_job_stops_polling_and_links_to_its_result(client_as, officer):
    job = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="Assign", total=3, url="/enforcement/assign/")
    finish_job(job=job, message="3 cases assigned.")
    html = client_as(officer).get(f"/jobs/{job.pk}/").content.decode()
    assert "hx-trigger" not in html
    assert "3 / 3" in html and "Done" in html and "3 cases assigned." in html
    assert re.search(r'href="/enforcement/assign/"[^>]*data-job-result', html)


def test_a_failed_job_shows_the_error_as_an_alert(client_as, officer):
    job = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="Assign", total=3)
    fail_job(job=job, message="Officer X is at another court.", done=0)
    html = client_as(officer).get(f"/jobs/{job.pk}/").content.decode()
    assert "hx-trigger" not in html and "Failed" in html
    assert re.search(r'role="alert">Officer X is at another court.</div>', html)
    assert "data-job-result" not in html


def test_another_users_job_is_a_404(client_as, officer, other_officer):
    job = start_job(kind=JobKind.EXPORT, user=other_officer, title="theirs")
    assert client_as(officer).get(f"/jobs/{job.pk}/").status_code == 404


def test_the_job_list_shows_the_users_recent_jobs_newest_first_and_the_one_just_started(
    client_as, officer, other_officer
):
    older = start_job(kind=JobKind.EXPORT, user=officer, title="older-export.csv", total=10)
    newer = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="newer-assignment", total=30)
    start_job(kind=JobKind.EXPORT, user=other_officer, title="someone-elses.csv")
    html = client_as(officer).get(f"/jobs/?started={newer.pk}").content.decode()
    assert html.index("newer-assignment") < html.index("older-export.csv")
    assert "someone-elses.csv" not in html
    assert f'id="job-{older.pk}"' in html and f'id="job-{newer.pk}"' in html
    assert "The work has been started" in html


def test_the_job_list_says_when_there_is_nothing(client_as, officer):
    assert "You have no jobs yet." in client_as(officer).get("/jobs/").content.decode()


def test_the_job_pages_need_a_login(client):
    assert client.get("/jobs/").status_code == 302


def test_a_page_asking_for_it_is_reloaded_by_the_poll_that_sees_the_job_finished(client_as, officer):
    job = start_job(kind=JobKind.BULK_ASSIGNMENT, user=officer, title="Assign", total=2)
    client = client_as(officer)
    running = client.get(f"/jobs/{job.pk}/?refresh=1", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in running and f'hx-get="/jobs/{job.pk}/?refresh=1"' in running.content.decode()
    finish_job(job=job, message="2 cases assigned.")
    assert client.get(f"/jobs/{job.pk}/?refresh=1", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    assert "HX-Refresh" not in client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
