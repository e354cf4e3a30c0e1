"""``core.bulk.insert_rows``: rows inserted as the columns store them (COPY on PostgreSQL, bulk_create elsewhere),
in the caller's transaction, with the database's constraints still enforced."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assets.models import Asset
from core.bulk import insert_rows
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory

pytestmark = pytest.mark.django_db

FIELDS = ("case_id", "debtor_id", "category", "agency_id", "identifier", "first_reported_at", "description",
          "value", "details", "reported_at", "source_request_id")  # fmt: skip


@pytest.fixture
def place():
    debtor = PartyFactory()
    enforcement_case = case_in("investigating", CourtFactory(chaoyang=True), debtors=[debtor])
    agency, _key = make_agency("icbc", kind="bank", categories=["deposit"])
    return enforcement_case.case, debtor, agency


def _row(place, identifier: str, **values) -> list:
    case, debtor, agency = place
    at = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 30))
    row = {
        "case_id": case.pk, "debtor_id": debtor.pk, "category": "deposit", "agency_id": agency.pk,
        "identifier": identifier, "first_reported_at": at, "description": "活期\t账户\n“一类”", "value": None,
        "details": {}, "reported_at": at, "source_request_id": None, **values,
    }  # fmt: skip
    return [row[name] for name in FIELDS]


def test_rows_are_stored_as_given_amounts_exact_json_whole_and_text_with_tabs_and_newlines(place):
    details = {"bank": "中国工商银行", "branch": "朝阳支行", "limits": [1, 2.5, None]}
    count = insert_rows(
        Asset,
        FIELDS,
        [_row(place, "6222020200112233445", value=Decimal("152300.05"), details=details), _row(place, "622202")],
    )

    assert count == 2
    first, second = Asset.objects.order_by("identifier").reverse()
    assert (first.value, first.details, first.description) == (Decimal("152300.05"), details, "活期\t账户\n“一类”")
    assert first.reported_at == timezone.make_aware(dt.datetime(2026, 11, 2, 9, 30))
    assert (second.value, second.details, second.source_request_id) == (None, {}, None)


def test_on_postgresql_no_model_instance_is_made_per_row(place, on_postgres, monkeypatch):
    if not on_postgres:
        pytest.skip("COPY is PostgreSQL's; elsewhere insert_rows is bulk_create, which makes instances")

    def no_instances(*args, **kwargs):
        raise AssertionError("a model instance was made")

    rows = [_row(place, f"62220202{n:08d}") for n in range(1000)]
    monkeypatch.setattr(Asset, "__init__", no_instances)
    assert insert_rows(Asset, FIELDS, rows) == 1000
    monkeypatch.undo()
    assert Asset.objects.count() == 1000


def test_a_duplicate_aborts_the_insert_and_nothing_of_it_stays(place):
    insert_rows(Asset, FIELDS, [_row(place, "6222020200112233445")])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Asset, FIELDS, [_row(place, "6222020200000000001"), _row(place, "6222020200112233445")])
    assert list(Asset.objects.values_list("identifier", flat=True)) == ["6222020200112233445"]
