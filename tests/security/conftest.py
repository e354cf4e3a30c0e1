"""Fixtures for the security tests: two courts with a user of every role each, two agencies with their API
keys, and for court A one object of every kind a URL names (``World.objects``), built once per module.

Objects are written straight into their tables (``make``): a URL test only needs a row of the right kind that
belongs to court A, not a history that the services would have produced. Foreign keys point at court A's
anchors (its court, officer, case, enforcement case, debtor, agency); other required columns get the first
choice or a plain value. A new model that a URL needs therefore usually works without a builder of its own.
Which model a URL's id names is read from its path (``segment_models``, ``model_for``): the access matrix and the
API fuzzing (tests/fuzz) share that table and this world.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.test import override_settings
from django.utils import timezone, translation

from assets.choices import AgencyKind, AssetCategory, RequestKind
from assets.models import Agency, QueryBatch
from cases.choices import CaseType
from cases.models import Case, EffectiveDocument, Party
from core.models import Court, User
from core.roles import Role
from enforcement.choices import Status
from enforcement.models import EnforcementCase
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in, document
from tests.factories import CaseFactory, CourtFactory, PartyFactory, UserFactory

TODAY = timezone.localdate()
ROLES = tuple(Role)


@dataclass
class World:
    court_a: Court
    court_b: Court
    users_a: dict[str, User]  # role value → user of court A (agency: agency A's client)
    users_b: dict[str, User]  # role value → user of court B (agency: agency B's client)
    keys: dict[int, str]  # agency user id → API key
    case: Case
    enforcement_case: EnforcementCase
    debtor: Party
    creditor: Party
    agency_a: Agency
    agency_b: Agency
    objects: dict[type[models.Model], models.Model] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)  # strings of court A's that court B must never see


class Maker:
    """Writes one row of any model, filling required columns and pointing foreign keys at court A's anchors."""

    def __init__(self, world: World):
        self.world = world
        self.counter = 0

    def anchor(self, model: type[models.Model]) -> models.Model:
        w = self.world
        fixed = {
            Court: w.court_a,
            User: w.users_a[Role.OFFICER],
            Case: w.case,
            EnforcementCase: w.enforcement_case,
            Party: w.debtor,
        }
        for base, obj in fixed.items():
            if issubclass(model, base):
                return obj
        if model not in w.objects:
            w.objects[model] = self.make(model)
        return w.objects[model]

    def fresh(self, model: type[models.Model]) -> models.Model:
        """A new row for a one-to-one relation (which cannot share the anchor)."""
        w = self.world
        if issubclass(model, EnforcementCase):
            return case_in(Status.INVESTIGATING, w.court_a, officer=w.users_a[Role.OFFICER], debtors=[w.debtor])
        if issubclass(model, Case):
            return CaseFactory(court=w.court_a, case_type=CaseType.ENFORCEMENT_OBJECTION)
        return self.make(model)

    def required_by_constraints(self, model) -> dict:
        """Values that a model's check constraints need beyond "something of the right type"."""
        label = model._meta.label
        if label == "assets.AgencyRequest":
            return {"kind": RequestKind.QUERY, "batch": self.anchor(QueryBatch), "agency": self.world.agency_a}
        if label == "assets.AgencyAnswer":
            return {"agency": self.world.agency_a, "results": []}
        if label == "assets.ControlMeasure":
            return {"starts_on": TODAY - dt.timedelta(days=30), "expires_on": TODAY + dt.timedelta(days=300)}
        if label == "assets.TrackingPlan":
            return {"next_due_on": TODAY + dt.timedelta(days=30)}
        if label == "cases.Notification":
            return {"recipient_user": self.world.users_a[Role.OFFICER]}
        if label == "enforcement.RewardNotice":
            return {"reward_rate": Decimal("0.10"), "published_on": TODAY, "expires_on": TODAY + dt.timedelta(days=90)}
        return {}

    def value_for(self, f: models.Field, model):
        self.counter += 1
        n = self.counter
        if f.choices:
            return f.choices[0][0]
        if isinstance(f, models.OneToOneField):
            return self.fresh(f.related_model)
        if isinstance(f, models.ForeignKey):
            return self.anchor(f.related_model)
        if isinstance(f, models.DecimalField):
            return Decimal("1000.00")
        if isinstance(f, models.DateTimeField):
            return timezone.now()
        if isinstance(f, models.DateField):
            return TODAY
        if isinstance(f, models.BooleanField):
            return False
        if isinstance(f, (models.IntegerField, models.FloatField)):
            return n
        if isinstance(f, models.JSONField):
            return {}
        if isinstance(f, models.UUIDField):
            return uuid.uuid4()
        if isinstance(f, (models.CharField, models.TextField)):
            text = f"{model.__name__.lower()}-{n}"
            return text[: f.max_length] if f.max_length else text
        if isinstance(f, models.FileField):
            name = f.storage.save(f"security/{model.__name__.lower()}-{n}.docx", ContentFile(b"security test"))
            return name
        if isinstance(f, models.GenericIPAddressField):
            return "127.0.0.1"
        raise TypeError(f"no value for {model.__name__}.{f.name} ({type(f).__name__})")

    def make(self, model: type[models.Model], **overrides) -> models.Model:
        values = {**self.required_by_constraints(model), **overrides}
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name in values or f.attname in values:
                continue
            if f.null or f.has_default() or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                continue
            if isinstance(f, (models.CharField, models.TextField)) and f.blank and not f.choices:
                continue
            values[f.name] = self.value_for(f, model)
        with transaction.atomic():
            return model.objects.create(**values)


# ---- which model a URL's id names --------------------------------------------------------------------------


def segment_models() -> dict[str, type[models.Model]]:
    """The path segment before an id → the model of that id (the access matrix and the API fuzzing read it)."""
    m = apps.get_model
    return {
        "cases": m("cases", "Case"),
        "enforcement": m("enforcement", "EnforcementCase"),
        "enforcement-cases": m("enforcement", "EnforcementCase"),
        "answers": m("assets", "AgencyAnswer"),
        "apply": m("cases", "EffectiveDocument"),
        "documents": m("cases", "EffectiveDocument"),
        "auctions": m("assets", "Auction"),
        "claims": m("bankruptcy", "Claim"),
        "coercion": m("enforcement", "CoerciveMeasure"),
        "coercive-measures": m("enforcement", "CoerciveMeasure"),
        "controls": m("assets", "ControlMeasure"),
        "corrections": m("credit", "CorrectionRequest"),
        "debtor-searches": m("enforcement", "DebtorSearch"),
        "debtors": m("cases", "Party"),
        "deductions": m("assets", "Deduction"),
        "dishonest-listings": m("credit", "DishonestListing"),
        "listings": m("credit", "DishonestListing"),
        "distribution-lines": m("enforcement", "DistributionLine"),
        "distributions": m("enforcement", "DistributionPlan"),
        "extensions": m("enforcement", "ExtensionRequest"),
        "graph": m("cases", "Party"),
        "jobs": m("core", "Job"),
        "notices": m("enforcement", "Notice"),
        "notifications": m("cases", "Notification"),
        "objections": m("enforcement", "Objection"),
        "onsite-tasks": m("command", "OnSiteTask"),
        "parties": m("cases", "Party"),
        "preservation-notices": m("cases", "PreservationNoticeDecision"),
        "preservations": m("cases", "PreservationApplication"),
        "price-inquiries": m("assets", "PriceQuote"),
        "price-quotes": m("assets", "PriceQuote"),
        "prices": m("assets", "ReferencePrice"),
        "reconsiderations": m("enforcement", "Reconsideration"),
        "requests": m("assets", "AgencyRequest"),
        "restoration-requests": m("enforcement", "RestorationRequest"),
        "restrictions": m("credit", "Restriction"),
        "reward-notices": m("enforcement", "RewardNotice"),
        "risk-notes": m("command", "RiskNote"),
        "settlements": m("enforcement", "Settlement"),
        "suggestions": m("bankruptcy", "Suggestion"),
        "terminated-cases": m("enforcement", "TerminatedCaseEntry"),
        "termination-proposals": m("enforcement", "TerminationProposal"),
        "terminations": m("enforcement", "TerminationProposal"),
        "tip-offs": m("enforcement", "TipOff"),
        "tracking-plans": m("assets", "TrackingPlan"),
        "transfers": m("bankruptcy", "Transfer"),
        # Where the segment alone is ambiguous, the path before the parameter decides.
        "bankruptcy/cases": m("bankruptcy", "BankruptcyCase"),
        "api/v1/bankruptcy/cases": m("bankruptcy", "BankruptcyCase"),
        "command/cases": m("enforcement", "EnforcementCase"),
    }


def model_for(route: str, parameter: str):
    """The model whose id ``parameter`` is, named by the path segment before it."""
    before = route.split("<", 1)[0]
    for marker in re.finditer(r"<(?:\w+:)?(\w+)>", route):
        if marker.group(1) == parameter:
            before = route[: marker.start()]
            break
    before = re.sub(r"<[^>]+>/", "", before).rstrip("/")
    table = segment_models()
    parts = before.split("/")
    for size in range(len(parts), 0, -1):
        key = "/".join(parts[-size:])
        if key in table:
            return table[key]
    raise AssertionError(
        f"{route}: no model for <{parameter}> — add its path segment to segment_models() in "
        "tests/security/conftest.py (and, if its rows need more than plain values, a case in "
        "Maker.required_by_constraints there)"
    )


def users_of(court: Court | None, tag: str) -> dict[str, User]:
    users = {}
    for role in ROLES:
        if role == Role.AGENCY:
            continue
        users[role.value] = UserFactory(role=role, court=court, username=f"sec-{tag}-{role.value}")
    return users


def build_world() -> World:
    court_a = CourtFactory(chaoyang=True)
    court_b = CourtFactory(haidian=True)
    users_a = users_of(court_a, "a")
    users_b = users_of(court_b, "b")
    agency_a, key_a = make_agency("sec-bank-a", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    agency_b, key_b = make_agency("sec-bank-b", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    client_a, client_b = agency_a.client, agency_b.client
    users_a[Role.AGENCY.value] = client_a
    users_b[Role.AGENCY.value] = client_b
    creditor = PartyFactory(name="甲方申请人甲")
    debtor = PartyFactory(organisation=True, name="北京安全测试被执行有限公司")
    ec = case_in(Status.INVESTIGATING, court_a, debtors=[debtor], officer=users_a[Role.OFFICER])
    world = World(
        court_a=court_a,
        court_b=court_b,
        users_a=users_a,
        users_b=users_b,
        keys={client_a.pk: key_a, client_b.pk: key_b},
        case=ec.case,
        enforcement_case=ec,
        debtor=debtor,
        creditor=creditor,
        agency_a=agency_a,
        agency_b=agency_b,
    )
    world.objects[Agency] = agency_a
    world.objects[EffectiveDocument] = document(court_a, creditor=creditor, debtor=debtor)
    world.markers = [ec.case.number, debtor.name, debtor.id_number]
    return world


@contextmanager
def world_kept_for_the_block(django_db_blocker) -> Iterator[World]:
    """A world built inside a transaction that is rolled back when the block ends (a module fixture's body). The
    users get a fast password hash: PBKDF2 would spend seconds on the sixteen of them."""
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), translation.override("en"), fast_hashing, transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back when the module ends."""
    with world_kept_for_the_block(django_db_blocker) as built:
        yield built
