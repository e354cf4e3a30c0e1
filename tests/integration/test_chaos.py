"""Chaos: asset queries, freezes and deductions keep going while the Celery worker is killed (SIGKILL of its whole
process group) and the Redis broker is restarted (``SHUTDOWN NOSAVE``, then started again), and a new worker takes
over. Every agency request is answered exactly once, no freeze or deduction is recorded twice, every batch ends
complete.

The broker is a Redis server of the test's own on port 6390 (never the shared one), configured like
docker-compose's: append-only file on, so ``SHUTDOWN NOSAVE`` (no RDB snapshot) still keeps the queues and the
"unacked" set. Batches ordered while Redis is down are published when it is back
(``CELERY_TASK_PUBLISH_RETRY_POLICY``). The workers run with a 3-second visibility timeout so that the messages
the killed worker held come back quickly (production: one hour).

Each run prints its figures: requests sent, answered, lost, duplicated."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from assets.choices import (
    AgencyKind,
    AssetCategory,
    BatchStatus,
    ControlKind,
    ControlStatus,
    DeductionStatus,
    RequestKind,
    RequestStatus,
)
from assets.models import AgencyRequest, Asset, ControlMeasure, Deduction, QueryBatch, QueryResult
from assets.services import control_deduct, control_order, query_order
from assets.simulator import AgencySimulator, HttpTransport
from config.celery import app
from core.models import AuditLog
from enforcement.choices import Status
from enforcement.models import FundEntry
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory
from tests.integration.conftest import database_url

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PORT = 6390
BROKER = f"redis://127.0.0.1:{PORT}/0"
DEBTORS = 4
BATCHES_BEFORE = 30  # ordered before the kill
BATCHES_DURING = 6  # ordered while Redis is down
FREEZES = 6
DEDUCTION = Decimal("1000.00")
VISIBILITY_TIMEOUT = 3
SETTLE_SECONDS = 180
ASKED_ELSEWHERE = (
    AssetCategory.DEPOSIT,
    AssetCategory.WEALTH_PRODUCT,
    AssetCategory.VEHICLE,
    AssetCategory.REAL_ESTATE,
)
AGENCIES = [
    ("chaos-bank", AgencyKind.BANK, [AssetCategory.DEPOSIT, AssetCategory.WEALTH_PRODUCT]),
    ("chaos-vehicles", AgencyKind.VEHICLE_REGISTRY, [AssetCategory.VEHICLE]),
    ("chaos-registry", AgencyKind.REAL_ESTATE_REGISTRY, [AssetCategory.REAL_ESTATE]),
    ("chaos-rest", AgencyKind.MARKET_REGULATION, [c for c in AssetCategory.values if c not in ASKED_ELSEWHERE]),
]
WORKER = """
import sys
from config.celery import app
app.conf.broker_transport_options = {"visibility_timeout": %(timeout)d}
app.worker_main(sys.argv[1:])
"""


def _wait_for(condition, *, seconds: float, what: str, logs: Path | None = None, poll: float = 0.1, state=None) -> None:
    """Wait for ``condition``; on time-out fail with ``state()`` (where things stand) and the workers' logs."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            tails = {log.name: log.read_text()[-1500:] for log in sorted(logs.glob("worker-*.log"))} if logs else {}
            where = state() if state else {}
            raise AssertionError(
                f"timed out after {seconds} s waiting for {what}; state: {where}; worker logs: {tails}"
            )
        time.sleep(poll)


def _state(batches: list[int], agencies: Agencies, broker: RedisServer) -> dict:
    """Where the queries, batches and deductions stand, what the simulators saw and what the broker holds."""
    requests = AgencyRequest.objects.values("kind", "status").annotate(n=Count("id"))
    return {
        "requests": sorted((row["kind"], row["status"], row["n"]) for row in requests),
        "batches": dict(
            QueryBatch.objects.filter(pk__in=batches).values_list("status").annotate(n=Count("id")).order_by()
        ),
        "batches fanned out": AgencyRequest.objects.filter(batch__in=batches).values("batch").distinct().count(),
        "deductions": dict(Deduction.objects.values_list("status").annotate(n=Count("id")).order_by()),
        "simulators": {code: vars(s.stats) for code, s in agencies.simulators.items()},
        "failures": agencies.failures[:3],
        "broker": {key.decode(): broker.client.type(key).decode() for key in broker.client.keys("*")},
        "queries queue": broker.client.llen("queries"),
        "unacked": broker.client.hlen("unacked"),
    }


class RedisServer:
    """A redis-server of the test's own on ``PORT``, append-only file in ``folder`` (like docker-compose's)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.process = folder, None
        self.client = redis.Redis(host="127.0.0.1", port=PORT, socket_timeout=5)

    def start(self) -> None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                raise AssertionError(f"port {PORT} is taken: another Redis is running there")
        command = [shutil.which("redis-server") or "redis-server", "--port", str(PORT), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "yes", "--dir", str(self.folder), "--protected-mode", "yes"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        _wait_for(self._answers, seconds=20, what="redis-server on 6390")

    def _answers(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False

    def shutdown_nosave(self) -> None:
        with contextlib.suppress(redis.ConnectionError):  # the server closes the connection as it goes
            self.client.shutdown(nosave=True)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.shutdown_nosave()


@pytest.fixture
def broker(tmp_path, settings, monkeypatch):
    """Redis on 6390 as the broker of this process (tasks sent there, not eagerly); put back afterwards.
    Celery reads the CELERY_BROKER_URL environment variable before its configuration, so both are set."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server on the PATH")
    server = RedisServer(tmp_path)
    server.start()
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER)
    app.conf.task_always_eager, app.conf.broker_url = False, BROKER
    app.amqp._producer_pool, app._pool = None, None  # connect to 6390 from now on
    try:
        yield server
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app.amqp._producer_pool, app._pool = None, None
        server.stop()


@pytest.fixture
def workers(tmp_path):
    """``workers.start()``: a prefork worker (2 children) on the "queries" queue of the 6390 broker, in a process
    group of its own; ``workers.kill(process)`` SIGKILLs the group. All are stopped afterwards."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    started: list[subprocess.Popen] = []

    class Workers:
        folder = tmp_path

        @staticmethod
        def start() -> subprocess.Popen:
            log = (tmp_path / f"worker-{len(started)}.log").open("w")
            command = [sys.executable, "-c", WORKER % {"timeout": VISIBILITY_TIMEOUT}, "worker", "-P", "prefork"]
            command += ["-c", "2", "-Q", "queries", "-l", "warning", "--without-gossip", "--without-mingle"]
            command += ["--without-heartbeat", "-n", f"chaos-{os.getpid()}-{len(started)}@%h"]
            process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            started.append(process)
            return process

        @staticmethod
        def kill(process: subprocess.Popen) -> None:
            os.killpg(process.pid, signal.SIGKILL)  # the parent and its pool children at once
            process.wait(timeout=20)

    try:
        yield Workers
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)


class Agencies:
    """One simulator thread per agency, polling the live server over HTTP and answering everything twice
    (``duplicate``: the second sending must change nothing) until told to stop."""

    def __init__(self, base_url: str, keys: dict[str, str]) -> None:
        self.stop_event = threading.Event()
        self.simulators = {
            code: AgencySimulator(HttpTransport(base_url, key), agency=code, seed=7, duplicate=True, prices=False)
            for code, key in keys.items()
        }
        self.threads = [threading.Thread(target=self._play, args=(s,), daemon=True) for s in self.simulators.values()]
        self.failures: list[str] = []

    def _play(self, simulator: AgencySimulator) -> None:
        while not self.stop_event.is_set():
            try:
                simulator.poll_once()
            except Exception as error:  # reported by the test
                self.failures.append(repr(error))
            self.stop_event.wait(0.3)

    def __enter__(self) -> Agencies:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def world(db):
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="officer-chaos")
    agencies = {code: make_agency(code, kind=kind, categories=cats) for code, kind, cats in AGENCIES}
    debtors = [PartyFactory() for _ in range(DEBTORS)]
    case = case_in(Status.CONTROLLING, court, debtors=debtors, officer=officer, amount="500000.00")
    bank = agencies["chaos-bank"][0]
    deposits = [
        Asset.objects.create(
            case=case.case,
            debtor=debtors[i % DEBTORS],
            category=AssetCategory.DEPOSIT,
            agency=bank,
            identifier=f"62220299000000{i:05d}",
            value=Decimal("50000.00"),
        )
        for i in range(FREEZES)
    ]
    return {"officer": officer, "case": case, "agencies": agencies, "deposits": deposits}


def _order_batches(world: dict, n: int) -> list[int]:
    """``n`` query batches, each committed (its fan-out sent to the broker on commit)."""
    return [query_order(actor=world["officer"], enforcement_case=world["case"]).pk for _ in range(n)]


def _in_a_thread(call) -> tuple[threading.Thread, list]:
    out: list = []

    def run() -> None:
        try:
            out.extend(call())
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def test_queries_freezes_and_deductions_survive_a_killed_worker_and_a_restarted_broker(
    live_server, broker, workers, world
):
    started = time.monotonic()
    officer, case = world["officer"], world["case"]
    keys = {code: key for code, (_agency, key) in world["agencies"].items()}
    batches = _order_batches(world, BATCHES_BEFORE)  # queued on the broker: a backlog for the first worker
    queries = AgencyRequest.objects.filter(kind=RequestKind.QUERY)

    with Agencies(live_server.url, keys) as agencies:
        state = functools.partial(_state, batches, agencies, broker)  # batches grows in place below
        first = workers.start()
        # Kill the worker (the whole process group) as soon as it has started on the backlog.
        _wait_for(queries.exists, seconds=120, what="the first worker's first fan-out", logs=workers.folder, poll=0.01)
        workers.kill(first)
        fanned_out_at_kill = queries.values("batch").distinct().count()
        unacked_at_kill = broker.client.hlen("unacked")  # taken by the dead worker, never acknowledged
        today = timezone.localdate()
        freezes = [
            control_order(
                actor=officer, enforcement_case=case, asset=asset, kind=ControlKind.FREEZE,
                amount=Decimal("20000.00"), starts_on=today,
            ).pk
            for asset in world["deposits"]
        ]  # fmt: skip

        # Restart Redis: SHUTDOWN NOSAVE, batches ordered while it is down, then start it again.
        broker.shutdown_nosave()
        ordering, during = _in_a_thread(lambda: _order_batches(world, BATCHES_DURING))
        time.sleep(1.5)
        broker.start()
        ordering.join(timeout=60)
        assert len(during) == BATCHES_DURING, "ordering while the broker was down failed"
        batches += during
        second = workers.start()

        # Deductions from the freezes once the bank confirmed them, each sent twice (a client's retry).
        _wait_for(
            lambda: ControlMeasure.objects.filter(pk__in=freezes, status=ControlStatus.ACTIVE).count() == FREEZES,
            seconds=SETTLE_SECONDS, what="the bank's confirmation of every freeze",
            state=state,
        )  # fmt: skip
        for measure in ControlMeasure.objects.filter(pk__in=freezes):
            for _retry in range(2):
                control_deduct(actor=officer, measure=measure, amount=DEDUCTION, reference=f"chaos-{measure.pk}")

        expected = len(batches) * len(AGENCIES)
        _wait_for(
            lambda: queries.filter(status=RequestStatus.ANSWERED).count() == expected
            and QueryBatch.objects.filter(pk__in=batches, status=BatchStatus.COMPLETE).count() == len(batches)
            and not Deduction.objects.filter(status=DeductionStatus.PENDING).exists(),
            seconds=SETTLE_SECONDS, what="every request answered and every batch complete", logs=workers.folder,
            state=state,
        )  # fmt: skip
        time.sleep(VISIBILITY_TIMEOUT + 1)  # a late redelivery would add nothing either

    assert not agencies.failures, agencies.failures[:3]
    assert all(not s.stats.errors for s in agencies.simulators.values())
    assert first.returncode == -signal.SIGKILL and second.poll() is None

    # Queries: one request per batch and agency, each answered once, each item one result.
    sent = queries.count()
    answered = queries.filter(status=RequestStatus.ANSWERED).count()
    per_pair = queries.values("batch", "agency").annotate(n=Count("id"))
    duplicated = sum(row["n"] - 1 for row in per_pair)
    lost = expected - answered
    items = queries.aggregate(n=Sum("item_count"))["n"]
    results = QueryResult.objects.filter(request__kind=RequestKind.QUERY)
    duplicate_results = results.count() - results.values("request", "debtor", "category").distinct().count()
    statuses = set(QueryBatch.objects.filter(pk__in=batches).values_list("status", flat=True))
    fan_outs = AuditLog.objects.filter(action="query.fan_out").count()  # written by the run that sent the batch
    ingested = sum(s.stats.results_new for s in agencies.simulators.values())
    repeated = sum(s.stats.results_repeated for s in agencies.simulators.values())

    # Freezes: one measure and one order each, all in force; deductions: one per reference, each received once.
    freeze_orders = AgencyRequest.objects.filter(kind=RequestKind.FREEZE)
    deductions = Deduction.objects.all()
    receipts = FundEntry.objects.filter(reference__startswith="agency-request:")
    figures = {
        "requests sent": sent,
        "answered": answered,
        "lost": lost,
        "duplicated": duplicated,
        "results": results.count(),
        "answers ingested": ingested,
        "answers sent again and skipped": repeated,
        "batches fanned out": fan_outs,
        "duplicate results": duplicate_results,
        "freezes": ControlMeasure.objects.filter(kind=ControlKind.FREEZE).count(),
        "freeze orders": freeze_orders.count(),
        "deductions": deductions.count(),
        "deduction orders": AgencyRequest.objects.filter(kind=RequestKind.DEDUCT).count(),
        "receipts": receipts.count(),
        "batches fanned out before the kill": fanned_out_at_kill,
        "messages unacked at the kill": unacked_at_kill,
        "seconds": round(time.monotonic() - started, 1),
    }
    print(f"\nchaos figures: {figures}")  # the report asks for them

    assert sent == expected and answered == expected and lost == 0 and duplicated == 0, figures
    assert results.count() == items == ingested and duplicate_results == 0, figures
    assert fan_outs == len(batches), figures
    assert statuses == {BatchStatus.COMPLETE}
    assert figures["freezes"] == figures["freeze orders"] == FREEZES
    assert set(ControlMeasure.objects.values_list("status", flat=True)) == {ControlStatus.ACTIVE}
    assert figures["deductions"] == figures["deduction orders"] == figures["receipts"] == FREEZES
    assert set(deductions.values_list("status", flat=True)) == {DeductionStatus.CONFIRMED}
    assert receipts.aggregate(total=Sum("amount"))["total"] == DEDUCTION * FREEZES
    assert fanned_out_at_kill < BATCHES_BEFORE, "the worker was killed after every batch: nothing was proven"
