"""Fixtures for the fuzz tests: the OpenAPI schema loaded by schemathesis, Django's WSGI application called
in-process on the test database, and a small world (two courts, a user of every role, two agencies with their
API keys, one object of every kind a URL names) so that the ids in the paths resolve.

The world is the security tests' one (``tests/security/conftest.py``), built once per module inside a
transaction that is rolled back when the module ends; every fuzzed request runs inside a savepoint that is
rolled back after it, so no example sees what another one wrote and a run is reproducible.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, models
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from core.roles import Role
from tests.security.conftest import Maker, World, model_for, world_kept_for_the_block


class InProcessApp(WSGIHandler):
    """Django's WSGI application as the test client runs it: CSRF is not enforced (a session-authenticated
    fuzzer has no form to read the token from; the CSRF rule itself has its own tests)."""

    def get_response(self, request):
        request._dont_enforce_csrf_checks = True
        return super().get_response(request)


@dataclass
class FuzzWorld:
    world: World
    ids: dict[str, int]  # the path's segments before ``{id}`` (``id_prefix``) → id of court A's object of that kind
    party_id: int
    credentials: dict[str, dict]  # role → {"headers": ..., "cookies": ...}


def id_prefix(path: str) -> str | None:
    """``/api/v1/controls/{id}/deduct/`` → ``controls``: the segments that name the kind of the ``{id}``."""
    rest = path.removeprefix("/api/v1/")
    if "{id}" not in rest:
        return None
    return rest.split("/{id}")[0]


def id_model(path: str) -> type[models.Model]:
    """The model whose row the ``{id}`` of an API path names, from the security tests' table of path segments
    (``tests/security/conftest.py: segment_models``); an ``AssertionError`` saying where to add a new kind."""
    return model_for(path.removeprefix("/").replace("{id}", "<int:id>", 1), "id")


def _credentials(world: World) -> dict[str, dict]:
    from django.conf import settings

    creds: dict[str, dict] = {"anonymous": {"headers": {}, "cookies": {}}}
    for role in Role:
        user = world.users_a[role.value]
        if role == Role.AGENCY:
            creds[role.value] = {"headers": {"Authorization": f"Api-Key {world.keys[user.pk]}"}, "cookies": {}}
            continue
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        creds[role.value] = {"headers": {}, "cookies": {settings.SESSION_COOKIE_NAME: client.session.session_key}}
    return creds


def _complete(world: World) -> None:
    """What the services always write but the generic rows lack: a fine has its amount."""
    from decimal import Decimal

    from enforcement.models import CoerciveMeasure

    CoerciveMeasure.objects.filter(amount__isnull=True).update(amount=Decimal("1000.00"))


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, api_schema):
    with world_kept_for_the_block(django_db_blocker) as world:
        maker = Maker(world)
        ids = {}
        for path in sorted({result.ok().path for result in api_schema.get_all_operations()}):
            prefix = id_prefix(path)
            if prefix is None or prefix in ids:
                continue
            try:
                ids[prefix] = maker.anchor(id_model(path)).pk
            except AssertionError:
                continue  # a kind new to the table: test_every_id_in_a_path_names_a_known_kind says so
        _complete(world)
        yield FuzzWorld(world=world, ids=ids, party_id=world.debtor.pk, credentials=_credentials(world))


@pytest.fixture(scope="session")
def api_schema():
    """The schema drf-spectacular serves at /api/schema/, loaded by schemathesis. Security parameters are not
    generated: each role sends its own session cookie or API key."""
    raw = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    return schemathesis.openapi.from_dict(raw, config=config)


def _write_files(world: World, media_root) -> None:
    """The world's rows name files (generated notices, rulings) that were never written: write a stand-in for
    each in the test's media folder, so that a download answers with it."""
    from django.db.models import FileField

    for obj in world.objects.values():
        for f in obj._meta.concrete_fields:
            name = getattr(obj, f.attname) if isinstance(f, FileField) else None
            if name:
                path = Path(media_root) / str(name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"PK fuzz stand-in")


@pytest.fixture
def in_process_app(settings, fuzz_world):
    """The WSGI app on the test transaction: the request signals that would close the connection (and with it the
    test's transaction) are disconnected for the test, as Django's test client does."""
    settings.ALLOWED_HOSTS = ["*"]
    _write_files(fuzz_world.world, settings.MEDIA_ROOT)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield InProcessApp()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
