"""Schemathesis fuzzes every operation of the OpenAPI schema (drf-spectacular) as each role, in-process.

For each role (the seven court roles with a session, the agency with its API key, and an anonymous caller) and
each of the schema's operations, schemathesis generates requests from the schema and Django's WSGI application
answers them on the test database, inside a savepoint rolled back after each request. The ids in paths are
those of the world's objects (of the kind ``conftest.id_model`` names), so requests get past the lookup into the
serializers and services.

- Positive data (valid by the schema): no response is a 5xx, and every documented response matches its schema
  (``response_schema_conformance``). Each operation is first probed with a request without a body: one the
  role may not use answers 401/403 (decided by the role, before any input is read) and is not fuzzed further
  for that role; the others get ``POSITIVE_EXAMPLES[role]`` generated requests. The counts printed
  ("examples") include the probes.
- Negative data (invalid by the schema): no response is a 5xx. The expected answers are 400 (the serializer
  names the field and the rule), 404 (an id that is not an integer does not match the URL, or names nothing of
  the court's) and 405/415 for a method or media type the schema does not offer.

Hypothesis is derandomized (the same examples on every run, in CI too), without deadline, database or
shrinking. All failures of a run are collected and reported together with the server's traceback.
"""

from __future__ import annotations

import os
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from core.roles import Role
from enforcement.models import EnforcementCase

from .conftest import id_model, id_prefix

pytestmark = pytest.mark.django_db

# Generated requests per operation the role may use. The division head may use almost every staff operation and
# is fuzzed deepest; the roles whose operations are a subset of its own get fewer (each still reaches the
# serializers and services of everything it may do), the agency and the anonymous caller more (few operations).
POSITIVE_EXAMPLES = {
    "division_head": 3,
    "officer": 2,
    "clerk": 2,
    "judge": 1,
    "court_admin": 1,
    "president": 1,
    "auditor": 3,
    "agency": 5,
    "anonymous": 5,
}
NEGATIVE_EXAMPLES = {"division_head": 2, "agency": 3, "anonymous": 3}
# A deeper run by hand: ZHIXING_FUZZ_SCALE=10 multiplies every count (the examples stay reproducible).
SCALE = int(os.environ.get("ZHIXING_FUZZ_SCALE", "1"))
ROLES = [role.value for role in Role] + ["anonymous"]
TRANSITIONS = sorted(t.name for t in EnforcementCase._meta.get_field("status").get_all_transitions(EnforcementCase))
REFUSED = {401, 403}


@dataclass
class Run:
    role: str
    mode: str
    operations: int = 0
    reached: int = 0  # operations that did not refuse the role
    examples: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.role} {self.mode}: {self.operations} operations ({self.reached} reached), "
            f"{self.examples} examples, {len(self.failures)} failures [{codes}]"
        )


_server_errors: list[str] = []


def _record_exception(sender, request=None, **kwargs):
    _server_errors.append(traceback.format_exc())


def _strategy(operation, mode: GenerationMode, fuzz_world):
    """The operation's requests, with the ids in the path naming the world's objects and the lifecycle step
    (``{name}``) drawn among the real ones."""
    fixed = _fixed_path(operation, fuzz_world)
    fixed.pop("name", None)
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)
    if "{name}" in operation.path:

        def with_name(pair):
            case, name = pair
            case.path_parameters = {**(case.path_parameters or {}), "name": name}
            return case

        strategy = st.tuples(strategy, st.sampled_from(TRANSITIONS)).map(with_name)
    return strategy


def _fixed_path(operation, fuzz_world) -> dict:
    """The path parameters: the ids of the world's objects of the kinds the path names."""
    fixed = {}
    prefix = id_prefix(operation.path)
    if prefix in fuzz_world.ids:  # an unmapped kind: generated ids (test_every_id_in_a_path_names_a_known_kind)
        fixed["id"] = fuzz_world.ids[prefix]
    if "{party_id}" in operation.path:
        fixed["party_id"] = fuzz_world.party_id
    if "{name}" in operation.path:
        fixed["name"] = TRANSITIONS[0]
    return fixed


def _send(case, run: Run, credentials: dict, app, checks) -> int:
    """One request in a savepoint rolled back after it; the checks raise on a failure, with the server's
    traceback attached when there is one."""
    run.examples += 1
    cache.clear()  # throttling counters: the anonymous rate would otherwise stop the run early
    _server_errors.clear()
    with transaction.atomic():
        try:
            response = case.call(app=app, headers=credentials["headers"], cookies=credentials["cookies"])
            run.statuses[response.status_code] += 1
            if response.status_code not in REFUSED:
                case.validate_response(response, checks=checks)
        except (Exception, BaseExceptionGroup) as exc:
            if _server_errors:
                exc.add_note("Server traceback:\n" + _server_errors[-1])
            raise
        finally:
            transaction.set_rollback(True)
    return response.status_code


def _fuzz_operation(operation, run: Run, credentials: dict, app, fuzz_world, mode, checks, max_examples: int):
    """A probe without a body first: a role the operation refuses (401/403, decided by the role before any input
    is read) is not fuzzed further; otherwise ``max_examples`` generated requests."""
    run.operations += 1
    try:
        probe = operation.Case(path_parameters=_fixed_path(operation, fuzz_world) or None)
        if _send(probe, run, credentials, app, [not_a_server_error]) in REFUSED:
            return
        run.reached += 1

        @settings(
            max_examples=max_examples,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategy(operation, mode, fuzz_world))
        def fuzz(case):
            _send(case, run, credentials, app, checks)

        fuzz()
    except Unsatisfiable:
        pass  # nothing to negate (no parameters, no body): the positive run covers it
    except (Exception, BaseExceptionGroup) as exc:  # every failure of the run is collected, reported together
        notes = "\n".join(getattr(exc, "__notes__", []))
        run.failures.append(f"{run.role} {run.mode} {operation.label}: {exc}\n{notes}")
        print(f"FAILURE {run.role} {run.mode} {operation.label}")


def _fuzz(role, mode, api_schema, fuzz_world, in_process_app, checks, max_examples) -> Run:
    """Every operation of the schema as ``role``; the run's figures are printed (``-s`` shows them)."""
    started = time.monotonic()
    run = Run(role=role, mode=mode.value)
    credentials = fuzz_world.credentials[role]
    got_request_exception.connect(_record_exception)
    try:
        for result in api_schema.get_all_operations():
            operation = result.ok()
            _fuzz_operation(operation, run, credentials, in_process_app, fuzz_world, mode, checks, max_examples)
    finally:
        got_request_exception.disconnect(_record_exception)
    print(f"{run.summary()} in {time.monotonic() - started:.1f}s")
    return run


@pytest.fixture
def quiet_request_log():
    """4xx answers are the expected outcome of most fuzzed requests; their warnings would only fill the log."""
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)
    yield
    logging.getLogger("django.request").setLevel(logging.NOTSET)


def test_every_id_in_a_path_names_a_known_kind(api_schema):
    """A new operation with an ``{id}`` of a new kind needs its path segment in ``segment_models()`` (in
    tests/security/conftest.py), or it is fuzzed with ids that name nothing (404s that never reach its
    serializers)."""
    unknown = []
    for path in sorted({result.ok().path for result in api_schema.get_all_operations()}):
        if id_prefix(path) is not None:
            try:
                id_model(path)
            except AssertionError as error:
                unknown.append(str(error))
    assert unknown == []


@pytest.mark.parametrize("role", ROLES)
def test_valid_requests_never_fail_on_the_server_and_answer_as_documented(
    role, api_schema, fuzz_world, in_process_app, quiet_request_log
):
    run = _fuzz(
        role,
        GenerationMode.POSITIVE,
        api_schema,
        fuzz_world,
        in_process_app,
        [not_a_server_error, response_schema_conformance],
        POSITIVE_EXAMPLES[role] * SCALE,
    )
    assert run.operations == len(list(api_schema.get_all_operations()))
    assert run.failures == [], "\n\n".join(run.failures)


@pytest.mark.parametrize("role", sorted(NEGATIVE_EXAMPLES))
def test_invalid_requests_are_refused_without_a_server_error(
    role, api_schema, fuzz_world, in_process_app, quiet_request_log
):
    run = _fuzz(
        role,
        GenerationMode.NEGATIVE,
        api_schema,
        fuzz_world,
        in_process_app,
        [not_a_server_error],
        NEGATIVE_EXAMPLES[role] * SCALE,
    )
    assert run.failures == [], "\n\n".join(run.failures)
