"""Unanswered requests time out at due_at, are re-issued with exponential backoff, and fail at the cap."""

import datetime as dt

import pytest

from assets.choices import RequestStatus
from assets.models import AgencyRequest
from assets.services import requests_time_out_due
from assets.services.queries import ANSWER_WINDOW, MAX_ATTEMPTS, RETRY_BASE_DELAY, backoff_delay
from assets.tasks import query_time_out_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(order, officer, enforcement_case, bank):
    order(actor=officer, enforcement_case=enforcement_case, categories=["deposit"])
    return AgencyRequest.objects.get()


def test_nothing_is_touched_before_the_request_is_due(request_):
    assert requests_time_out_due(now=request_.due_at - dt.timedelta(seconds=1)) == {
        "timed_out": 0,
        "failed": 0,
        "reissued": 0,
    }
    request_.refresh_from_db()
    assert request_.status == RequestStatus.PENDING


def test_an_overdue_request_times_out_and_is_reissued_after_the_backoff(request_):
    due = request_.due_at
    assert requests_time_out_due(now=due)["timed_out"] == 1
    request_.refresh_from_db()
    assert request_.status == RequestStatus.TIMED_OUT
    assert request_.next_attempt_at == due + RETRY_BASE_DELAY

    assert requests_time_out_due(now=due + RETRY_BASE_DELAY - dt.timedelta(seconds=1))["reissued"] == 0
    retry_at = due + RETRY_BASE_DELAY
    assert requests_time_out_due(now=retry_at)["reissued"] == 1
    request_.refresh_from_db()
    assert (request_.status, request_.attempts, request_.delivered_at) == (RequestStatus.PENDING, 2, None)
    assert request_.due_at == retry_at + ANSWER_WINDOW


def test_the_backoff_doubles_with_each_attempt():
    assert [backoff_delay(n) for n in (1, 2, 3)] == [RETRY_BASE_DELAY, 2 * RETRY_BASE_DELAY, 4 * RETRY_BASE_DELAY]


def test_a_request_fails_after_the_cap_of_attempts(request_):
    now = request_.due_at
    for _attempt in range(MAX_ATTEMPTS - 1):
        requests_time_out_due(now=now)
        request_.refresh_from_db()
        now = request_.next_attempt_at
        requests_time_out_due(now=now)
        request_.refresh_from_db()
        now = request_.due_at
    assert request_.attempts == MAX_ATTEMPTS

    assert requests_time_out_due(now=now) == {"timed_out": 0, "failed": 1, "reissued": 0}
    request_.refresh_from_db()
    assert (request_.status, request_.next_attempt_at) == (RequestStatus.FAILED, None)


def test_the_periodic_task_runs_the_time_out(request_):
    AgencyRequest.objects.update(due_at=request_.created_at - dt.timedelta(minutes=1))
    assert query_time_out_due.delay().get()["timed_out"] == 1
