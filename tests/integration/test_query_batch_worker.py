"""A real Celery worker on the "queries" queue fans a query batch out through Redis into the PostgreSQL test
database; the agencies' answers through the API are ingested each exactly once."""

import time

import pytest
from rest_framework.test import APIClient

from assets.choices import AgencyKind, AssetCategory, BatchStatus
from assets.models import AgencyRequest, QueryBatch, QueryResult
from assets.services import query_order
from config.celery import app
from enforcement.choices import Status
from tests.assets.builders import make_agency, none_found
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DEBTORS = 20
ASKED_ELSEWHERE = ("deposit", "wealth_product", "vehicle", "real_estate")


@pytest.fixture
def worker(start_worker):
    """`celery worker -Q queries`, pointed at the test database; yields the process."""
    return start_worker("queries").process


def test_a_batch_of_twenty_debtors_fans_out_in_a_real_worker_and_answers_are_ingested_once(worker):
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="officer-int")
    keys = {}
    for code, kind, categories in [
        ("bank", AgencyKind.BANK, [AssetCategory.DEPOSIT, AssetCategory.WEALTH_PRODUCT]),
        ("vehicles", AgencyKind.VEHICLE_REGISTRY, [AssetCategory.VEHICLE]),
        ("registry", AgencyKind.REAL_ESTATE_REGISTRY, [AssetCategory.REAL_ESTATE]),
        ("the-rest", AgencyKind.MARKET_REGULATION, [c for c in AssetCategory.values if c not in ASKED_ELSEWHERE]),
    ]:  # fmt: skip
        _agency, keys[code] = make_agency(code, kind=kind, categories=categories)
    debtors = [PartyFactory() for _ in range(DEBTORS)]
    case = case_in(Status.INVESTIGATING, court, debtors=debtors, officer=officer)

    batch = query_order(actor=officer, enforcement_case=case)  # committed: on_commit sends the task

    deadline = time.monotonic() + 60
    while AgencyRequest.objects.filter(batch=batch).count() < len(keys) and time.monotonic() < deadline:
        time.sleep(0.2)
    requests = {r.agency.code: r for r in AgencyRequest.objects.filter(batch=batch).select_related("agency")}
    assert set(requests) == set(keys)
    assert sum(r.item_count for r in requests.values()) == DEBTORS * len(AssetCategory.values)

    client = APIClient()
    for code, key in keys.items():
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        listed = client.get("/api/v1/agency/requests/", {"status": "pending"}).json()["results"]
        assert [r["id"] for r in listed] == [requests[code].pk]
        body = {"results": none_found(requests[code])}
        first = client.post(f"/api/v1/agency/requests/{requests[code].pk}/answers/", body, format="json")
        again = client.post(f"/api/v1/agency/requests/{requests[code].pk}/answers/", body, format="json")
        assert first.json()["results"] == requests[code].item_count
        assert again.json() == {"results": 0, "assets": 0, "skipped": requests[code].item_count, "status": "answered"}

    assert QueryResult.objects.filter(request__batch=batch).count() == DEBTORS * len(AssetCategory.values)
    assert QueryBatch.objects.get(pk=batch.pk).status == BatchStatus.COMPLETE
    # the task run again by the worker creates no duplicate request
    app.send_task("assets.tasks.query_fan_out", args=[batch.pk]).get(timeout=60)
    assert AgencyRequest.objects.filter(batch=batch).count() == len(keys)
