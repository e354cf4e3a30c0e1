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
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from core.roles import Role
from tests.security.conftest import Maker, World, build_world


class InProcessApp(WSGIHandler):
    """Django's WSGI application as the test client runs it: CSRF is not enforced (a session-authenticated
    fuzzer has no form to read the token from; the CSRF rule itself has its own tests)."""

    def get_response(self, request):
        request._dont_enforce_csrf_checks = True
        return super().get_response(request)


@dataclass
class FuzzWorld:
    world: World
    ids: dict[str, int]  # first path segments before ``{id}`` → id of an object of court A of that kind
    party_id: int
    credentials: dict[str, dict]  # role → {"headers": ..., "cookies": ...}


# The object kind each path names by its ``{id}``: the path's segments before ``{id}`` → "app_label.Model".
PATH_MODELS = {
    "agency/price-inquiries": "assets.PriceQuote",
    "agency/requests": "assets.AgencyRequest",
    "auctions": "assets.Auction",
    "platform/auctions": "assets.Auction",
    "controls": "assets.ControlMeasure",
    "deductions": "assets.Deduction",
    "prices": "assets.ReferencePrice",
    "price-quotes": "assets.PriceQuote",
    "tracking-plans": "assets.TrackingPlan",
    "bankruptcy/cases": "bankruptcy.BankruptcyCase",
    "bankruptcy/claims": "bankruptcy.Claim",
    "bankruptcy/suggestions": "bankruptcy.Suggestion",
    "bankruptcy/transfers": "bankruptcy.Transfer",
    "cases": "cases.Case",
    "documents": "cases.EffectiveDocument",
    "parties": "cases.Party",
    "preservations": "cases.PreservationApplication",
    "preservation-notices": "cases.PreservationNoticeDecision",
    "notifications": "cases.Notification",
    "jobs": "core.Job",
    "corrections": "credit.CorrectionRequest",
    "dishonest-listings": "credit.DishonestListing",
    "restrictions": "credit.Restriction",
    "enforcement-cases": "enforcement.EnforcementCase",
    "coercive-measures": "enforcement.CoerciveMeasure",
    "debtor-searches": "enforcement.DebtorSearch",
    "distribution-lines": "enforcement.DistributionLine",
    "distributions": "enforcement.DistributionPlan",
    "extensions": "enforcement.ExtensionRequest",
    "notices": "enforcement.Notice",
    "objections": "enforcement.Objection",
    "reconsiderations": "enforcement.Reconsideration",
    "restoration-requests": "enforcement.RestorationRequest",
    "reward-notices": "enforcement.RewardNotice",
    "public/reward-notices": "enforcement.RewardNotice",
    "public/terminated-cases": "enforcement.TerminatedCaseEntry",
    "settlements": "enforcement.Settlement",
    "termination-proposals": "enforcement.TerminationProposal",
    "tip-offs": "enforcement.TipOff",
    "onsite-tasks": "command.OnSiteTask",
    "risk-notes": "command.RiskNote",
}


def id_prefix(path: str) -> str | None:
    """``/api/v1/controls/{id}/deduct/`` → ``controls``: the segments that name the kind of the ``{id}``."""
    rest = path.removeprefix("/api/v1/")
    if "{id}" not in rest:
        return None
    return rest.split("/{id}")[0]


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
def fuzz_world(django_db_setup, django_db_blocker):
    from django.apps import apps

    # A fast password hash: the world's sixteen users would otherwise spend ten seconds in PBKDF2.
    fast_hash = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), translation.override("en"), fast_hash, transaction.atomic():
        world = build_world()
        maker = Maker(world)
        ids = {}
        for prefix, label in PATH_MODELS.items():
            ids[prefix] = maker.anchor(apps.get_model(label)).pk
        _complete(world)
        yield FuzzWorld(world=world, ids=ids, party_id=world.debtor.pk, credentials=_credentials(world))
        transaction.set_rollback(True)


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
