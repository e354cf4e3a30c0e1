"""查控 pipeline, end to end: order a batch of ``debtors`` × every category → the fan-out task through Redis
in one real Celery worker (``-Q queries``) → the 18 demo agencies' simulators answering through the API
(Django's test client, in process) → ingestion into PostgreSQL; beside the raw ``bulk_create`` of the same
QueryResult and Asset rows, measured in the same run.

Two ways of answering are measured: each answer ingested before its response (the API's default), and the
answers sent with ``Prefer: respond-async``, ingested by the worker's drain (``answers_drain``, many answers per
transaction). For each, the pipeline end to end and the ingestion alone (the service's time: ``request_answer``
over the 18 answers, or one ``answers_drain`` of the 18 answers waiting).

Without PostgreSQL and a broker (SQLite, or no CELERY_BROKER_URL) the fan-out runs eagerly in process, and
the output line says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from assets.demo import QUERY_AGENCIES
from assets.models import Agency, AgencyRequest, Asset, QueryResult
from assets.services import answers as answer_services
from assets.services import answers_drain, query_order
from assets.simulator import AgencySimulator, DjangoClientTransport
from cases.choices import CaseType, PartyKind, PartyRole
from cases.models import Case, CaseParty, Party
from core.bulk import insert_rows
from core.case_numbers import format_case_number
from core.identifiers import make_resident_id
from core.models import Court, CourtLevel, User
from core.roles import Role
from core.services import credential_issue
from enforcement.choices import Status
from enforcement.models import EnforcementCase

ROOT = Path(__file__).resolve().parents[1]
SERIAL = iter(range(1, 10**6))


def build_world() -> tuple[User, Court, dict[str, str]]:
    court = Court.objects.create(code="京0105", name="北京市朝阳区人民法院", level=CourtLevel.BASIC)
    officer = User.objects.create_user("bench-officer", password="bench-password-1", role=Role.OFFICER, court=court)
    keys = {}
    for spec in QUERY_AGENCIES:
        client = User.objects.create(username=f"bench-{spec.code}", role=Role.AGENCY, organisation=spec.name)
        _credential, keys[spec.code] = credential_issue(actor=None, user=client, name="bench", scopes=["agency"])
        agency = Agency.objects.create(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            scope=spec.scope,
            categories=list(spec.categories),
            client=client,
        )
        if court.code in spec.courts:
            agency.courts.add(court)
    return officer, court, keys


@transaction.atomic
def build_case(court: Court, debtors: int) -> EnforcementCase:
    serial = next(SERIAL)
    filed = dt.date(2026, 10, 1)
    case = Case.objects.create(
        case_type=CaseType.ENFORCEMENT,
        court=court,
        year=filed.year,
        serial=serial,
        number=format_case_number(year=filed.year, court_code=court.code, type_code="执", serial=serial),
        filing_date=filed,
        amount="500000.00",
        cause="民间借贷纠纷",
    )
    base = serial * 10000
    parties = Party.objects.bulk_create(
        Party(
            kind=PartyKind.PERSON,
            name=f"被执行人{base + i}",
            id_number=make_resident_id(
                "110105", dt.date(1950, 1, 1) + dt.timedelta(days=(base + i) % 20000), (base + i) % 997 + 1
            ),
        )
        for i in range(debtors + 1)
    )
    CaseParty.objects.bulk_create(
        [CaseParty(case=case, party=parties[0], role=PartyRole.CREDITOR, position=0)]
        + [CaseParty(case=case, party=p, role=PartyRole.DEBTOR, position=i + 1) for i, p in enumerate(parties[1:])]
    )
    return EnforcementCase.objects.create(
        case=case, status=Status.INVESTIGATING, deadline_on=filed + dt.timedelta(days=180)
    )


def start_worker() -> subprocess.Popen | None:
    """A real worker on "queries" against the bench database, or None (eager) without PostgreSQL + broker."""
    broker = getattr(settings, "CELERY_BROKER_URL", "")
    if connection.vendor != "postgresql" or not broker:
        return None
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    database_url = f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker, "CELERY_TASK_ALWAYS_EAGER": "0"}
    return subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", "queries", "-l", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


class IngestionClock:
    """Milliseconds spent in the ingestion service (``assets.services.request_answer``, as the answer API calls
    it): the server's share of the pipeline, apart from the agencies' side (the simulators making up answers,
    listing and posting them)."""

    def __init__(self):
        self.ms = 0.0

    def __enter__(self):
        import assets.services

        self._original = original = assets.services.request_answer

        def timed_answer(**kwargs):
            started = time.perf_counter()
            try:
                return original(**kwargs)
            finally:
                self.ms += (time.perf_counter() - started) * 1000

        assets.services.request_answer = timed_answer
        return self

    def __exit__(self, *exc):
        import assets.services

        assets.services.request_answer = self._original


class DrainHeld:
    """Answers sent with respond-async wait instead of queuing the worker's drain (to time one drain of them all
    in process: the work a worker does)."""

    def __enter__(self):
        self._original = answer_services._queue_drain
        answer_services._queue_drain = lambda: None
        return self

    def __exit__(self, *exc):
        answer_services._queue_drain = self._original


@functools.cache
def _client():
    """One test client for every simulator, as one server for every agency: its handler (the middleware, with
    WhiteNoise's scan of the static files) is built once, not once per simulator and round."""
    from django.test import Client

    return Client()


def _wait(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {seconds:.0f} s (is a worker consuming 'queries'?)")
        time.sleep(0.005)


def _ordered(officer: User, enforcement_case: EnforcementCase, keys: dict[str, str]):
    batch = query_order(actor=officer, enforcement_case=enforcement_case)
    requests = AgencyRequest.objects.filter(batch=batch)
    _wait(lambda: requests.count() >= len(keys), "the fan-out")
    return batch


def pipeline_round(
    officer: User, enforcement_case: EnforcementCase, keys: dict[str, str], clock: IngestionClock | None = None
) -> tuple[float, int, float]:
    """Answers ingested before their response: milliseconds from the order to the last result ingested, the
    number of results, and milliseconds from the order to the fan-out seen done."""
    clock = clock or IngestionClock()
    started = time.perf_counter()
    batch = _ordered(officer, enforcement_case, keys)
    fanned_out = (time.perf_counter() - started) * 1000
    results = 0
    with clock:
        for code, key in keys.items():
            stats = AgencySimulator(DjangoClientTransport(key, client=_client()), agency=code, seed=3).poll_once()
            assert not stats.errors, stats.errors[:2]
            results += stats.results_new
    elapsed = (time.perf_counter() - started) * 1000
    assert results == QueryResult.objects.filter(request__batch=batch).count()
    return elapsed, results, fanned_out


def async_round(
    officer: User, enforcement_case: EnforcementCase, keys: dict[str, str], *, worker_drains: bool
) -> tuple[float, int, float | None]:
    """Answers sent with ``Prefer: respond-async``. ``worker_drains``: the worker ingests them as they arrive;
    milliseconds from the order to the last result ingested. Otherwise they wait and one ``answers_drain`` in
    process ingests them all: its milliseconds too. And the number of results."""
    started = time.perf_counter()
    batch = _ordered(officer, enforcement_case, keys)
    asked = sum(AgencyRequest.objects.filter(batch=batch).values_list("item_count", flat=True))
    stored = QueryResult.objects.filter(request__batch=batch)
    drained = None
    with contextlib.nullcontext() if worker_drains else DrainHeld():
        for code, key in keys.items():
            simulator = AgencySimulator(
                DjangoClientTransport(key, client=_client()), agency=code, seed=3, respond_async=True
            )
            stats = simulator.poll_once()
            assert not stats.errors, stats.errors[:2]
    if worker_drains:
        _wait(lambda: stored.count() >= asked, "the worker's drain")
    else:
        drain_started = time.perf_counter()
        counts = answers_drain()
        drained = (time.perf_counter() - drain_started) * 1000
        assert counts == {"ingested": len(keys), "refused": 0}, counts
    elapsed = (time.perf_counter() - started) * 1000
    assert stored.count() == asked
    return elapsed, asked, drained


def bulk_round(enforcement_case: EnforcementCase) -> float:
    """Milliseconds to bulk_create the same QueryResult and Asset rows the pipeline wrote for the case (in a
    transaction rolled back afterwards)."""
    results = list(QueryResult.objects.filter(request__batch__enforcement_case=enforcement_case))
    assets = list(Asset.objects.filter(case_id=enforcement_case.case_id))
    with transaction.atomic():
        QueryResult.objects.filter(pk__in=[r.pk for r in results]).delete()
        Asset.objects.filter(pk__in=[a.pk for a in assets]).delete()
        for row in (*results, *assets):
            row.pk = None
        started = time.perf_counter()
        QueryResult.objects.bulk_create(results, batch_size=2000)
        Asset.objects.bulk_create(assets, batch_size=2000)
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed


def copy_round(enforcement_case: EnforcementCase) -> float:
    """Milliseconds to COPY the same rows (``core.bulk.insert_rows``, the values prepared beforehand), in a
    transaction rolled back afterwards: the fastest raw insert, shown beside the bulk_create baseline."""
    from assets.services.answers import NEW_ASSET_FIELDS, RESULT_FIELDS

    results = list(QueryResult.objects.filter(request__batch__enforcement_case=enforcement_case))
    assets = list(Asset.objects.filter(case_id=enforcement_case.case_id))
    result_rows = [[getattr(r, name) for name in RESULT_FIELDS] for r in results]
    asset_rows = [[getattr(a, name) for name in NEW_ASSET_FIELDS] for a in assets]
    with transaction.atomic():
        QueryResult.objects.filter(pk__in=[r.pk for r in results]).delete()
        Asset.objects.filter(pk__in=[a.pk for a in assets]).delete()
        started = time.perf_counter()
        insert_rows(QueryResult, RESULT_FIELDS, result_rows)
        insert_rows(Asset, NEW_ASSET_FIELDS, asset_rows)
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def run(*, debtors: int, rounds: int, report) -> None:
    from config.celery import app

    settings.ALLOWED_HOSTS = ["*"]
    officer, court, keys = build_world()
    worker = start_worker()
    app.conf.task_always_eager = worker is None
    mode = "1 worker through Redis" if worker else "EAGER fan-out in process (no PostgreSQL + broker)"
    runs: dict[str, list[float]] = {name: [] for name in ("sync", "sync_ingest", "async", "drain", "fan_out")}
    raw: dict[str, list[float]] = {"sync": [], "async": [], "drain": [], "copy": []}
    rows = {}
    try:
        pipeline_round(officer, build_case(court, debtors), keys)  # warm up (and wait for the worker)
        async_round(officer, build_case(court, debtors), keys, worker_drains=True)
        for _ in range(rounds):
            case = build_case(court, debtors)
            clock = IngestionClock()
            elapsed, rows["sync"], fanned_out = pipeline_round(officer, case, keys, clock)
            runs["sync"].append(elapsed)
            runs["sync_ingest"].append(clock.ms)
            runs["fan_out"].append(fanned_out)
            raw["sync"].append(bulk_round(case))
            case = build_case(court, debtors)
            elapsed, rows["async"], _drained = async_round(officer, case, keys, worker_drains=True)
            runs["async"].append(elapsed)
            raw["async"].append(bulk_round(case))
            case = build_case(court, debtors)
            _elapsed, rows["drain"], drained = async_round(officer, case, keys, worker_drains=False)
            runs["drain"].append(drained)
            raw["drain"].append(bulk_round(case))
            raw["copy"].append(copy_round(case))
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    assets = Asset.objects.count() // (3 * rounds + 2)

    def rate(kind: str, ms: list[float]) -> float:
        return rows[kind] / (_median(ms) / 1000)

    rows["copy"] = rows["drain"]
    raw_rate = {kind: rate(kind, raw[kind]) for kind in raw}
    copy_note = (
        f"; raw COPY of the same rows {raw_rate['copy']:,.0f} results/s" if connection.vendor == "postgresql" else ""
    )
    per_second, ingest_per_second = rate("sync", runs["sync"]), rate("sync", runs["sync_ingest"])
    report(
        f"query pipeline, {debtors} debtors x 16 categories (vs bulk_create)",
        runs["sync"],
        raw["sync"],
        f"| answers ingested before their response: {rows['sync']} results + ~{assets} assets per batch; "
        f"{per_second:,.0f} results/s per worker end to end vs {raw_rate['sync']:,.0f} results/s raw bulk_create; "
        f"fan-out seen done after p50 {_median(runs['fan_out']):.0f} ms | {mode}",
        results_per_second=round(per_second),
        raw_results_per_second=round(raw_rate["sync"]),
    )
    report(
        f"answer ingestion, {debtors} debtors x 16 categories (vs bulk_create)",
        runs["sync_ingest"],
        raw["sync"],
        f"| the ingestion service alone (request_answer, 18 answers): {ingest_per_second:,.0f} results/s vs "
        f"{raw_rate['sync']:,.0f} results/s raw bulk_create ({ingest_per_second / raw_rate['sync']:.0%}){copy_note}",
        results_per_second=round(ingest_per_second),
        raw_results_per_second=round(raw_rate["sync"]),
        share_of_raw=round(ingest_per_second / raw_rate["sync"], 3),
    )
    async_per_second, drain_per_second = rate("async", runs["async"]), rate("drain", runs["drain"])
    report(
        f"query pipeline, respond-async, {debtors} debtors x 16 categories (vs bulk_create)",
        runs["async"],
        raw["async"],
        f"| answers sent with Prefer: respond-async, ingested by the worker's drain as they arrive: "
        f"{async_per_second:,.0f} results/s end to end vs {raw_rate['async']:,.0f} results/s raw bulk_create | "
        f"{mode}",
        results_per_second=round(async_per_second),
        raw_results_per_second=round(raw_rate["async"]),
    )
    report(
        f"answer ingestion by the worker's drain, {debtors} debtors x 16 categories (vs bulk_create)",
        runs["drain"],
        raw["drain"],
        f"| one answers_drain of the 18 answers waiting (what a worker runs): {drain_per_second:,.0f} results/s "
        f"per worker vs {raw_rate['drain']:,.0f} results/s raw bulk_create "
        f"({drain_per_second / raw_rate['drain']:.0%}){copy_note} ({drain_per_second / raw_rate['copy']:.0%})",
        results_per_second=round(drain_per_second),
        raw_results_per_second=round(raw_rate["drain"]),
        share_of_raw=round(drain_per_second / raw_rate["drain"], 3),
        raw_copy_results_per_second=round(raw_rate["copy"]),
        share_of_raw_copy=round(drain_per_second / raw_rate["copy"], 3),
    )
