"""The whole 查控 query pipeline with real parts: a Celery worker on the "queries" queue consuming from Redis
and writing to the PostgreSQL test database, the live server, and one agency simulator per agency answering
over real HTTP (loopback). 200 debtors × every category are answered and ingested exactly once, even when
each answer is sent twice, whether ingested before the response or, sent with ``Prefer: respond-async``, by two
workers sharing the drain; a worker killed with SIGKILL mid-batch and restarted loses and duplicates nothing.

The workers run with a short Redis ``visibility_timeout``: a message taken by a worker that dies without
acknowledging it (acks_late) stays in kombu's "unacked" set until that timeout passes, then any live worker
puts it back on the queue. The default is one hour, so the test workers get ``WORKER_VISIBILITY_TIMEOUT``
seconds through ``broker_transport_options`` set before ``worker_main`` (Django settings carry no such
option yet)."""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.db.models import Count

from assets.choices import AnswerStatus, BatchStatus, RequestStatus
from assets.demo import QUERY_AGENCIES
from assets.models import AgencyAnswer, AgencyRequest, Asset, QueryBatch, QueryResult
from assets.services import query_order
from assets.simulator import AgencySimulator, HttpTransport
from config.celery import app
from enforcement.choices import Status
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
DEBTORS = 200
KILLED_BATCHES = 8
WORKER_VISIBILITY_TIMEOUT = 3
WORKER = """
import sys
from config.celery import app
app.conf.broker_transport_options = {
    "visibility_timeout": %(timeout)d, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}
app.worker_main(sys.argv[1:])
"""


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or os.environ["REDIS_URL"]


def _wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def start_worker(settings, tmp_path):
    """``start_worker()``: a `celery worker -Q queries` process pointed at the test database, with a short
    visibility timeout. Every worker started is stopped afterwards (killed if it does not stop)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": _broker_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    processes = []

    def start() -> subprocess.Popen:
        n = len(processes)
        log = (tmp_path / f"worker-{n}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [
                sys.executable,
                "-c",
                WORKER % {"timeout": WORKER_VISIBILITY_TIMEOUT},
                "worker",
                "-P",
                "solo",
                "-Q",
                "queries",
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"pipeline-{os.getpid()}-{n}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process

    try:
        yield start
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
        app.conf.task_always_eager = eager


@pytest.fixture
def world(db):
    """The 18 demo agencies (each with an "agency" key) and an enforcement case at 京0105 with 200 debtors."""
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="officer-pipeline")
    agencies = {}
    for spec in QUERY_AGENCIES:
        courts = [court] if court.code in spec.courts else []
        agency, key = make_agency(spec.code, kind=spec.kind, categories=list(spec.categories), courts=courts)
        agencies[spec.code] = (agency, key)
    debtors = [PartyFactory() for _ in range(DEBTORS)]
    case = case_in(Status.INVESTIGATING, court, debtors=debtors, officer=officer)
    return {"officer": officer, "case": case, "agencies": agencies}


def _simulate_all(base_url: str, agencies: dict, **options) -> dict:
    """One simulator per agency, in threads, each making passes until nothing is pending (at most 5)."""

    def play(code: str):
        simulator = AgencySimulator(HttpTransport(base_url, agencies[code][1]), agency=code, seed=11, **options)
        for _pass in range(5):
            if simulator.poll_once().requests_seen == 0:
                break
        return simulator.stats

    with ThreadPoolExecutor(max_workers=6) as pool:
        return dict(zip(agencies, pool.map(play, agencies), strict=True))


def test_two_hundred_debtors_by_every_category_answered_twice_over_http_are_ingested_exactly_once(
    live_server, start_worker, world
):
    started = time.monotonic()
    start_worker()
    agencies = world["agencies"]
    asked_of = {code: DEBTORS * len(agency.categories) for code, (agency, _key) in agencies.items()}

    batch = query_order(actor=world["officer"], enforcement_case=world["case"])  # committed: the task is sent
    requests = AgencyRequest.objects.filter(batch=batch)
    _wait_for(lambda: requests.count() == len(agencies), seconds=40, what="the fan-out in the worker")
    assert dict(requests.values_list("agency__code", "item_count")) == asked_of

    stats = _simulate_all(live_server.url, agencies, duplicate=True)

    assert all(not s.errors for s in stats.values()), {c: s.errors[:2] for c, s in stats.items() if s.errors}
    assert {code: s.results_new for code, s in stats.items()} == asked_of
    assert {code: s.results_repeated for code, s in stats.items()} == asked_of  # the second sending: all skipped
    results = QueryResult.objects.filter(request__batch=batch)
    assert dict(results.values_list("request__agency__code").annotate(n=Count("id"))) == asked_of
    assert results.values("request", "debtor", "category").distinct().count() == sum(asked_of.values())
    assert set(requests.values_list("status", flat=True)) == {RequestStatus.ANSWERED}
    assert QueryBatch.objects.get(pk=batch.pk).status == BatchStatus.COMPLETE
    reported = sum(results.values_list("asset_count", flat=True))
    assert reported > 0
    assert Asset.objects.count() == reported == sum(s.assets_new for s in stats.values())
    assert Asset.objects.values("case", "category", "agency", "identifier").distinct().count() == reported

    # Nothing is pending any more: another round of simulators writes nothing.
    again = _simulate_all(live_server.url, agencies)
    assert sum(s.requests_seen for s in again.values()) == 0
    assert QueryResult.objects.count() == sum(asked_of.values()) and Asset.objects.count() == reported
    assert time.monotonic() - started < 60


def test_answers_sent_for_a_worker_twice_over_are_ingested_exactly_once_by_two_workers_sharing_the_drain(
    live_server, start_worker, world
):
    started = time.monotonic()
    start_worker()
    start_worker()
    agencies = world["agencies"]
    asked_of = {code: DEBTORS * len(agency.categories) for code, (agency, _key) in agencies.items()}
    batch = query_order(actor=world["officer"], enforcement_case=world["case"])
    requests = AgencyRequest.objects.filter(batch=batch)
    _wait_for(lambda: requests.count() == len(agencies), seconds=40, what="the fan-out in a worker")

    stats = _simulate_all(live_server.url, agencies, duplicate=True, respond_async=True)

    assert all(not s.errors for s in stats.values()), {c: s.errors[:2] for c, s in stats.items() if s.errors}
    assert all(s.results_sent >= 2 * asked_of[code] for code, s in stats.items())  # each answer at least twice
    _wait_for(
        lambda: (
            QueryBatch.objects.get(pk=batch.pk).status == BatchStatus.COMPLETE
            and not AgencyAnswer.objects.filter(status=AnswerStatus.PENDING).exists()
        ),
        seconds=60,
        what="the workers ingesting every answer",
    )
    answers = AgencyAnswer.objects.filter(request__batch=batch)
    assert set(answers.values_list("status", flat=True)) == {AnswerStatus.INGESTED}
    ingested = dict.fromkeys(agencies, 0)
    for code, receipt in answers.values_list("agency__code", "receipt"):
        ingested[code] += receipt["results"]
    assert ingested == asked_of  # every item counted new once, in whichever answer came first
    results = QueryResult.objects.filter(request__batch=batch)
    assert dict(results.values_list("request__agency__code").annotate(n=Count("id"))) == asked_of
    assert set(requests.values_list("status", flat=True)) == {RequestStatus.ANSWERED}
    reported = sum(results.values_list("asset_count", flat=True))
    assert reported > 0
    assert Asset.objects.count() == reported
    assert Asset.objects.values("case", "category", "agency", "identifier").distinct().count() == reported
    assert time.monotonic() - started < 90


def test_a_worker_killed_mid_batch_and_restarted_loses_nothing_and_duplicates_nothing(start_worker, world):
    started = time.monotonic()
    broker = redis.Redis.from_url(_broker_url())
    agencies = world["agencies"]
    first = start_worker()
    batches = [query_order(actor=world["officer"], enforcement_case=world["case"]).pk for _ in range(KILLED_BATCHES)]
    requests = AgencyRequest.objects.filter(batch_id__in=batches)

    _wait_for(requests.exists, seconds=40, what="the first requests of the first worker")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    in_flight = broker.hlen("unacked")  # taken by the dead worker, never acknowledged (acks_late)
    fanned_out = set(requests.values_list("batch_id", flat=True).distinct())
    assert first.returncode == -signal.SIGKILL
    assert len(fanned_out) < KILLED_BATCHES, "the worker was killed after the whole batch: nothing to prove"
    assert in_flight >= 1

    start_worker()  # restores the dead worker's message once the visibility timeout has passed
    _wait_for(
        lambda: requests.count() == KILLED_BATCHES * len(agencies),
        seconds=45,
        what="every batch fanned out after the restart",
    )
    time.sleep(WORKER_VISIBILITY_TIMEOUT + 1)  # a late redelivery would add nothing either

    per_batch = dict(requests.values_list("batch_id").annotate(n=Count("id")))
    assert per_batch == dict.fromkeys(batches, len(agencies))
    assert requests.values("batch", "agency", "kind").distinct().count() == KILLED_BATCHES * len(agencies)
    assert set(QueryBatch.objects.filter(pk__in=batches).values_list("status", flat=True)) == {BatchStatus.SENT}
    assert time.monotonic() - started < 60
