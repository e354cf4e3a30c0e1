"""查控 pipeline, end to end: order a batch of ``debtors`` × every category → the fan-out task through Redis
in one real Celery worker (``-Q queries``) → the 18 demo agencies' simulators answering through the API
(Django's test client, in process) → ingestion into PostgreSQL; beside the raw ``bulk_create`` of the same
QueryResult and Asset rows, measured in the same run.

Without PostgreSQL and a broker (SQLite, or no CELERY_BROKER_URL) the fan-out runs eagerly in process, and
the output line says so.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from assets.demo import QUERY_AGENCIES
from assets.models import Agency, AgencyRequest, Asset, QueryResult
from assets.services import query_order
from assets.simulator import AgencySimulator, DjangoClientTransport
from cases.choices import CaseType, PartyKind, PartyRole
from cases.models import Case, CaseParty, Party
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


def pipeline_round(
    officer: User, enforcement_case: EnforcementCase, keys: dict[str, str], clock: IngestionClock | None = None
) -> tuple[float, int, float]:
    """Milliseconds from the order to the last result ingested, the number of results, and milliseconds
    from the order to the fan-out seen done."""
    clock = clock or IngestionClock()
    started = time.perf_counter()
    batch = query_order(actor=officer, enforcement_case=enforcement_case)
    requests = AgencyRequest.objects.filter(batch=batch)
    deadline = time.monotonic() + 120
    while requests.count() < len(keys):
        if time.monotonic() > deadline:
            raise RuntimeError("the fan-out did not happen within 120 s (is a worker consuming 'queries'?)")
        time.sleep(0.01)
    fanned_out = (time.perf_counter() - started) * 1000
    results = 0
    with clock:
        for code, key in keys.items():
            stats = AgencySimulator(DjangoClientTransport(key), agency=code, seed=3).poll_once()
            assert not stats.errors, stats.errors[:2]
            results += stats.results_new
    elapsed = (time.perf_counter() - started) * 1000
    assert results == QueryResult.objects.filter(request__batch=batch).count()
    return elapsed, results, fanned_out


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


def run(*, debtors: int, rounds: int, report) -> None:
    from config.celery import app

    settings.ALLOWED_HOSTS = ["*"]
    officer, court, keys = build_world()
    worker = start_worker()
    app.conf.task_always_eager = worker is None
    mode = "1 worker through Redis" if worker else "EAGER fan-out in process (no PostgreSQL + broker)"
    try:
        pipeline_round(officer, build_case(court, debtors), keys)  # warm up (and wait for the worker)
        measured, baseline, fan_outs, ingested, rows = [], [], [], [], 0
        for _ in range(rounds):
            case = build_case(court, debtors)
            clock = IngestionClock()
            elapsed, rows, fanned_out = pipeline_round(officer, case, keys, clock)
            ingested.append(clock.ms)
            measured.append(elapsed)
            fan_outs.append(fanned_out)
            baseline.append(bulk_round(case))
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    assets = Asset.objects.count() // (rounds + 1)
    per_second = rows / (sorted(measured)[len(measured) // 2] / 1000)
    raw_per_second = rows / (sorted(baseline)[len(baseline) // 2] / 1000)
    ingest_per_second = rows / (sorted(ingested)[len(ingested) // 2] / 1000)
    report(
        f"query pipeline, {debtors} debtors x 16 categories (vs bulk_create)",
        measured,
        baseline,
        f"| {rows} results + ~{assets} assets per batch; {per_second:,.0f} results/s per worker end to end vs "
        f"{raw_per_second:,.0f} results/s raw bulk_create; fan-out seen done after p50 "
        f"{sorted(fan_outs)[len(fan_outs) // 2]:.0f} ms | {mode}",
        results_per_second=round(per_second),
        raw_results_per_second=round(raw_per_second),
    )
    report(
        f"answer ingestion, {debtors} debtors x 16 categories (vs bulk_create)",
        ingested,
        baseline,
        f"| the ingestion service alone (request_answer, 18 answers): {ingest_per_second:,.0f} results/s vs "
        f"{raw_per_second:,.0f} results/s raw bulk_create ({ingest_per_second / raw_per_second:.0%})",
        results_per_second=round(ingest_per_second),
        raw_results_per_second=round(raw_per_second),
        share_of_raw=round(ingest_per_second / raw_per_second, 3),
    )
