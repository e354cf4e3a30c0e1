"""In headless Chromium: a division head assigns 30 waiting cases at once; the assignment runs as a job in
another thread (as a worker would, inside one transaction) and the page's bar advances case by case while it
runs, then — the page reloaded — shows it done with the summary and the link to the result, and the list empty."""

import re
import threading
import time
from unittest import mock

import pytest
from django.db import connection

from core.models import Job, JobStatus
from enforcement import tasks_assignment
from enforcement.choices import Status
from enforcement.models import EnforcementCase
from tests.enforcement.test_assignment import make_ec
from tests.factories import PASSWORD, CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CASES = 30


def test_a_bulk_assignment_shows_its_progress_and_its_completion(live_server, browser_page, shot):
    court = CourtFactory(chaoyang=True)
    UserFactory(division_head=True, court=court, username="head-e2e", display_name="赵局长")
    officer = UserFactory(officer=True, court=court, username="officer-e2e", display_name="李执行")
    for _ in range(CASES):
        make_ec(court)
    workers = []
    real_progress = tasks_assignment.job_progress

    def slow_progress(job, *, done):  # a worker with real work per case: slow enough to watch
        value = real_progress(job, done=done)
        time.sleep(0.12)
        return value

    def run_in_a_worker_thread(job_id):
        def work():
            try:
                tasks_assignment.assignment_run(job_id)
            finally:
                connection.close()

        thread = threading.Thread(target=work)
        workers.append(thread)
        thread.start()

    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "head-e2e")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/enforcement/assign/")
    page.check("[data-check-all=cases]")
    assert page.locator("input[name=cases]:checked").count() == CASES
    page.select_option("select[name=officer]", str(officer.pk))
    with (
        mock.patch.object(tasks_assignment.assignment_run, "delay", run_in_a_worker_thread),
        mock.patch.object(tasks_assignment, "job_progress", slow_progress),
    ):
        page.locator("#bulk-assign button[type=submit]").click()
        page.wait_for_url(re.compile(r"/enforcement/assign/\?job=\d+$"))
        job = Job.objects.get()
        card = page.locator(f"#job-{job.pk}")
        # While it runs: the bar between the ends, polled every second.
        page.wait_for_function(
            """(id) => {
                const bar = document.querySelector(`#job-${id} [role=progressbar]`);
                const now = bar && Number(bar.getAttribute('aria-valuenow'));
                return now > 0 && now < 30;
            }""",
            arg=job.pk,
            timeout=15000,
        )
        assert card.get_attribute("data-job-status") == "running"
        assert page.locator("#bulk-assign").count() == 0  # no second submission while it runs
        assert re.fullmatch(r"\d+ / 30", card.locator("[data-job-count]").inner_text())
        shot(page, "job-progress-running")
        # The poll that sees it done reloads the page: the finished job above, the list now empty.
        page.get_by_text("本院所有执行案件均已分案。").wait_for(timeout=20000)
        for thread in workers:
            thread.join()
    page.wait_for_load_state()
    card = page.locator(f"#job-{job.pk}")
    assert card.locator("[data-job-count]").inner_text() == "30 / 30"
    assert card.locator("[role=progressbar]").get_attribute("aria-valuenow") == "30"
    assert "完成 · 30 / 30" in card.inner_text()
    assert card.locator("[data-job-result]").get_attribute("href") == (
        f"/enforcement/?scope=court&status=assigned&officer={officer.pk}"
    )
    assert card.get_attribute("hx-trigger") is None  # no more polling
    assert set(EnforcementCase.objects.values_list("status", "officer_id")) == {(Status.ASSIGNED, officer.pk)}
    job.refresh_from_db()
    assert (job.status, job.done) == (JobStatus.SUCCEEDED, CASES)
    assert page.console_errors == []
    shot(page, "job-progress")
