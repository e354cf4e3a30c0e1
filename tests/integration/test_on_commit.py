"""Celery work is queued only once the transaction that asked for it commits: a service run inside a transaction
that then rolls back sends no task (a worker would otherwise look for rows that never existed, or act on a
decision that was undone). A static scan keeps it that way: every ``.delay(`` / ``.apply_async(`` /
``send_task(`` in the apps sits inside a ``transaction.on_commit`` callback, or is allowed below with a reason."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from celery import Celery
from celery.app.task import Task
from django.core.cache import cache
from django.db import transaction

from assets.choices import PriceMethod
from assets.models import AgencyRequest, QueryBatch
from assets.services import (
    answer_accept,
    batch_fan_out,
    price_start,
    query_order,
    tracking_dispatch_due,
    tracking_start,
)
from assets.services import answers as answers_module
from assets.services.answers import drain_mark
from assets.services.tracking import tracking_batch_completed
from bankruptcy.services import bankruptcy_accept
from tests.assets import builders as asset_builders
from tests.assets import pricing_builders
from tests.assets.tracking_builders import noon, terminated_case
from tests.bankruptcy.builders import TODAY, company_in_three_courts
from tests.core import conftest as core_fixtures

pytestmark = pytest.mark.django_db
# fixtures
_english, _fast_password_hashing = core_fixtures._english, core_fixtures._fast_password_hashing
court, officer = core_fixtures.court, core_fixtures.officer
bank, debtors, local_registry = asset_builders.bank, asset_builders.debtors, asset_builders.local_registry
enforcement_case = asset_builders.enforcement_case
house, platforms = pricing_builders.house, pricing_builders.platforms

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "cases", "enforcement", "assets", "credit", "bankruptcy", "command", "config")
ENQUEUE = ("delay", "apply_async", "send_task")

# Calls that may enqueue outside ``transaction.on_commit``, each with the reason it is safe.
ALLOWED: dict[tuple[str, str], str] = {
    ("assets/services/answers.py", "_queue_drain"): (
        "answer_accept passes it to on_commit; answers_drain calls it once its groups have committed, outside any "
        "transaction (the tests below)"
    ),
}


class Rollback(Exception):
    """Raised at the end of the atomic block so that everything in it rolls back."""


@pytest.fixture
def sent(monkeypatch):
    """Every task the app would send (``Task.apply_async``, which ``delay`` calls, and ``Celery.send_task``),
    recorded instead of being sent or run."""
    calls: list[str] = []

    def apply_async(self, args=None, kwargs=None, **options):
        calls.append(self.name)

    def send_task(self, name, args=None, kwargs=None, **options):
        calls.append(name)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    monkeypatch.setattr(Celery, "send_task", send_task)
    return calls


@pytest.fixture
def rolled_back(django_capture_on_commit_callbacks, sent):
    """``rolled_back(call)``: run ``call`` in an atomic block that then raises; returns the tasks sent and the
    on-commit callbacks left over (both must be empty)."""

    def run(call) -> tuple[list[str], list]:
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(Rollback),
            transaction.atomic(),
        ):
            call()
            raise Rollback
        return list(sent), list(callbacks)

    return run


@pytest.fixture
def committed(django_capture_on_commit_callbacks, sent):
    """``committed(call)``: run ``call`` and its on-commit callbacks, as after a real commit; the tasks sent."""

    def run(call) -> list[str]:
        with django_capture_on_commit_callbacks(execute=True):
            call()
        return list(sent)

    return run


def _order(officer, enforcement_case):
    return lambda: query_order(actor=officer, enforcement_case=enforcement_case)


def test_a_query_order_that_rolls_back_sends_no_fan_out(officer, enforcement_case, bank, rolled_back):
    assert rolled_back(_order(officer, enforcement_case)) == ([], [])


def test_a_query_order_that_commits_sends_its_fan_out_once(officer, enforcement_case, bank, committed):
    assert committed(_order(officer, enforcement_case)) == ["assets.tasks.query_fan_out"]


def _online_price(officer, house):
    day = pricing_builders.CONTROL_ON + dt.timedelta(days=10)
    return lambda: price_start(actor=officer, asset=house, method=PriceMethod.ONLINE, on=day, skip_reason="agreed")


def test_an_online_price_inquiry_that_rolls_back_sends_nothing(officer, house, platforms, rolled_back):
    assert rolled_back(_online_price(officer, house)) == ([], [])


def test_an_online_price_inquiry_that_commits_is_sent_once(officer, house, platforms, committed):
    assert committed(_online_price(officer, house)) == ["assets.tasks.query_price_inquiry_fan_out"]


@pytest.fixture
def tracked(court, officer, debtors, bank):
    plan = tracking_start(enforcement_case=terminated_case(court, officer=officer, debtors=debtors))
    return lambda: tracking_dispatch_due(now=noon(plan.next_due_on))


def test_a_tracking_dispatch_that_rolls_back_sends_no_fan_out(tracked, rolled_back):
    assert rolled_back(tracked) == ([], [])


def test_a_tracking_dispatch_that_commits_sends_the_fan_out_of_its_batch(tracked, committed):
    assert committed(tracked) == ["assets.tasks.tracking_fan_out"]


def test_a_completed_tracking_batch_that_rolls_back_sends_no_evaluation(tracked, committed, rolled_back, sent):
    committed(tracked)
    sent.clear()
    batch = QueryBatch.objects.get()
    assert rolled_back(lambda: tracking_batch_completed(batch.pk)) == ([], [])


@pytest.fixture
def bankruptcy_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = company_in_three_courts()
    return lambda: bankruptcy_accept(actor=world.judge, debtor=world.company, on=TODAY - dt.timedelta(days=5))


def test_a_bankruptcy_acceptance_that_rolls_back_applies_no_effects(bankruptcy_world, rolled_back):
    assert rolled_back(bankruptcy_world) == ([], [])


def test_a_bankruptcy_acceptance_that_commits_applies_its_effects_once(bankruptcy_world, committed):
    assert committed(bankruptcy_world) == ["bankruptcy.tasks.apply_effects"]


@pytest.fixture
def bulk_assignment(settings, officer):
    from enforcement.tasks_assignment import assignment_queue

    settings.ZHIXING_ASYNC_ASSIGN_CASES = 0  # any number of cases goes to a background job
    return lambda: assignment_queue(actor=officer, case_ids=[1, 2], officer=None)


def test_a_bulk_assignment_job_that_rolls_back_is_not_run(bulk_assignment, rolled_back):
    assert rolled_back(bulk_assignment) == ([], [])


def test_a_bulk_assignment_job_that_commits_is_run_once(bulk_assignment, committed):
    assert committed(bulk_assignment) == ["enforcement.tasks.assignment_run"]


@pytest.fixture
def export(rf, officer):
    from core.export import export_start

    request = rf.get("/enforcement/", {"export": "csv"})
    request.user = officer
    return lambda: export_start(request=request, kind="csv", filename="cases", total=5000)


def test_a_background_export_that_rolls_back_is_not_written(export, rolled_back):
    assert rolled_back(export) == ([], [])


def test_a_background_export_that_commits_is_written_once(export, committed):
    assert committed(export) == ["core.tasks.export_run"]


@pytest.fixture
def async_answer(officer, enforcement_case, bank, committed, sent):
    """An answer for the bank's request of a committed query order, sent with ``Prefer: respond-async``."""
    committed(_order(officer, enforcement_case))
    batch_fan_out(batch_id=QueryBatch.objects.get().pk)
    sent.clear()
    cache.delete(drain_mark())
    agency, _key = bank
    request = AgencyRequest.objects.get(agency=agency)
    return lambda: answer_accept(agency=agency, request_id=request.pk, results=asset_builders.none_found(request))


def test_an_answer_received_that_rolls_back_queues_no_drain(async_answer, rolled_back):
    assert rolled_back(async_answer) == ([], [])


def test_an_answer_received_that_commits_queues_one_drain(async_answer, committed):
    assert committed(async_answer) == ["assets.tasks.query_answers_drain"]


def test_a_drain_that_runs_out_of_time_queues_the_next_one_after_its_groups_committed(
    async_answer, committed, sent, monkeypatch
):
    committed(async_answer)
    sent.clear()
    connection = transaction.get_connection()
    outside = len(connection.atomic_blocks)  # the test's own transaction
    blocks_when_queued = []

    def queue_drain() -> None:
        blocks_when_queued.append(len(connection.atomic_blocks))

    monkeypatch.setattr(answers_module, "_queue_drain", queue_drain)

    answers_module.answers_drain(seconds=-1)  # out of time after the first group

    assert blocks_when_queued == [outside]


# ---- the static scan --------------------------------------------------------------------------------------------


def _enqueue_calls(tree: ast.AST) -> list[tuple[ast.Call, list[ast.AST]]]:
    """Every call ``x.delay(...)`` / ``x.apply_async(...)`` / ``x.send_task(...)`` with its ancestors."""
    found: list[tuple[ast.Call, list[ast.AST]]] = []

    def visit(node: ast.AST, ancestors: list[ast.AST]) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ENQUEUE:
            found.append((node, ancestors))
        for child in ast.iter_child_nodes(node):
            visit(child, [*ancestors, node])

    visit(tree, [])
    return found


def _is_on_commit(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr == "on_commit")
        or (isinstance(node.func, ast.Name) and node.func.id == "on_commit")
    )


def _queued_on_commit(call: ast.Call, ancestors: list[ast.AST], tree: ast.AST) -> bool:
    """Inside ``on_commit(lambda: …)``, or inside a local function that is passed to ``on_commit`` in the
    function that defines it."""
    if any(_is_on_commit(node) for node in ancestors):
        return True
    functions = [node for node in ancestors if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    if len(functions) < 2:
        return False
    inner, outer = functions[-1], functions[-2]
    return any(
        _is_on_commit(node) and any(isinstance(a, ast.Name) and a.id == inner.name for a in node.args)
        for node in ast.walk(outer)
    )


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_every_task_sent_from_the_apps_is_queued_on_commit_or_allowed_with_a_reason():
    offenders, seen = [], set()
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for call, ancestors in _enqueue_calls(tree):
            function = next(
                (n.name for n in reversed(ancestors) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)), ""
            )
            where = (str(path.relative_to(ROOT)), function)
            seen.add(where)
            if not _queued_on_commit(call, ancestors, tree) and where not in ALLOWED:
                offenders.append(f"{where[0]}:{call.lineno} in {function or '<module>'}()")
    assert not offenders, "tasks sent outside transaction.on_commit: " + ", ".join(offenders)
    assert not set(ALLOWED) - seen, f"allowed call sites that no longer exist: {set(ALLOWED) - seen}"


def test_the_scan_finds_the_known_call_sites():
    """The scan is not vacuous: it sees the fan-outs that are known to be queued on commit."""
    sites = set()
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        sites |= {(str(path.relative_to(ROOT)), call.lineno) for call, _a in _enqueue_calls(tree)}
    files = {site[0] for site in sites}
    assert {"assets/services/queries.py", "assets/services/tracking.py", "core/export.py"} <= files


def test_the_scan_flags_a_task_sent_straight_from_a_service():
    tree = ast.parse(
        "def service():\n"
        "    batch = make()\n"
        "    fan_out.delay(batch.pk)\n"
        "def fine():\n"
        "    transaction.on_commit(lambda: fan_out.delay(1))\n"
        "def also_fine():\n"
        "    def queue():\n"
        "        fan_out.delay(1)\n"
        "    transaction.on_commit(queue)\n"
    )
    verdicts = [(call.lineno, _queued_on_commit(call, ancestors, tree)) for call, ancestors in _enqueue_calls(tree)]
    assert verdicts == [(3, False), (5, True), (8, True)]
