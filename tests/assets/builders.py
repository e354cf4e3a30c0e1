"""Builders for the 查控 tests: agencies with API clients, a case with two debtors, a snapshot of the
tables these services write (to prove that a refusal wrote nothing), and ``order`` (query_order with its
on-commit fan-out run)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from assets.choices import AgencyKind, AgencyScope, AssetCategory
from assets.models import Agency, AgencyAnswer, AgencyRequest, Asset, QueryBatch, QueryResult
from core.models import AuditLog
from core.services import credential_issue
from enforcement.choices import Status
from tests.enforcement.builders import case_in
from tests.factories import PartyFactory, UserFactory

WATCHED = (QueryBatch, AgencyRequest, AgencyAnswer, QueryResult, Asset, AuditLog)


def row_counts() -> dict:
    counts = {model.__name__: model.objects.count() for model in WATCHED}
    counts["requests"] = sorted(AgencyRequest.objects.values_list("pk", "status", "attempts", "delivered_at"))
    counts["assets"] = sorted(Asset.objects.values_list("pk", "value", "reported_at"))
    return counts


@contextmanager
def nothing_written():
    before = row_counts()
    yield
    assert row_counts() == before


def make_agency(code: str, *, kind: str, categories: list[str], courts=(), scopes=("agency",)) -> tuple[Agency, str]:
    client = UserFactory(agency=True, username=f"client-{code}")
    _credential, key = credential_issue(actor=None, user=client, name=code, scopes=list(scopes))
    agency = Agency.objects.create(
        code=code,
        name=code.upper(),
        kind=kind,
        scope=AgencyScope.LOCAL if courts else AgencyScope.NATIONAL,
        categories=categories,
        client=client,
    )
    agency.courts.set(courts)
    return agency, key


@pytest.fixture
def bank(db):
    return make_agency("icbc", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT, AssetCategory.WEALTH_PRODUCT])


@pytest.fixture
def vehicles(db):
    return make_agency("mps-traffic", kind=AgencyKind.VEHICLE_REGISTRY, categories=[AssetCategory.VEHICLE])


@pytest.fixture
def local_registry(court):
    return make_agency(
        "bj-real-estate",
        kind=AgencyKind.REAL_ESTATE_REGISTRY,
        categories=[AssetCategory.REAL_ESTATE],
        courts=[court],
    )


@pytest.fixture
def agencies(bank, vehicles, local_registry):
    return {"bank": bank, "vehicles": vehicles, "local": local_registry}


@pytest.fixture
def debtors(db):
    return [PartyFactory(organisation=True, name="北京恒通商贸有限公司"), PartyFactory(name="王强")]


@pytest.fixture
def enforcement_case(court, officer, debtors):
    return case_in(Status.INVESTIGATING, court, debtors=debtors, officer=officer)


@pytest.fixture
def agency_api(api_client):
    """``agency_api(key)``: the API client sending ``Authorization: Api-Key <key>``."""

    def with_key(key: str):
        api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        return api_client

    return with_key


@pytest.fixture
def order(django_capture_on_commit_callbacks):
    """``order(actor=..., enforcement_case=..., ...)``: ``query_order`` with its on-commit fan-out run, as
    it runs after a real commit."""
    from assets.services import query_order

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return query_order(**kwargs)

    return run


def none_found(request: AgencyRequest, items: slice = slice(None)) -> list[dict]:
    """An answer to ``request`` (its ``items``, all by default) that found nothing for any debtor and category."""
    return [
        {"debtor": item["debtor"], "category": item["category"], "outcome": "none_found"}
        for item in request.payload["items"][items]
    ]
