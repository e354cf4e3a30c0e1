import pytest

from assets.choices import AssetCategory, BatchStatus, RequestStatus
from assets.models import AgencyRequest, QueryBatch
from assets.services import batch_fan_out, query_order
from assets.tasks import query_fan_out
from core.exceptions import InvalidInput, NotFound, PermissionDenied, RuleViolation
from enforcement.choices import Status
from tests.assets.builders import make_agency, nothing_written
from tests.enforcement.builders import case_in
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_query_order_fans_out_one_request_per_agency_for_all_debtors_and_categories(
    order, officer, enforcement_case, agencies, debtors
):
    batch = order(actor=officer, enforcement_case=enforcement_case)

    batch.refresh_from_db()
    assert batch.status == BatchStatus.SENT
    assert batch.categories == AssetCategory.values
    assert set(batch.debtors.all()) == set(debtors)
    requests = {r.agency.code: r for r in AgencyRequest.objects.filter(batch=batch)}
    assert set(requests) == {"icbc", "mps-traffic", "bj-real-estate"}
    bank = requests["icbc"]
    assert bank.status == RequestStatus.PENDING
    assert bank.item_count == 4  # two debtors × (deposit, wealth product)
    assert {(i["debtor"], i["category"]) for i in bank.payload["items"]} == {
        (d.pk, c) for d in debtors for c in ("deposit", "wealth_product")
    }
    assert requests["mps-traffic"].item_count == 2


def test_the_fan_out_run_twice_creates_no_duplicate_request(order, officer, enforcement_case, agencies):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    assert AgencyRequest.objects.filter(batch=batch).count() == 3

    assert batch_fan_out(batch_id=batch.pk) == []
    assert query_fan_out.delay(batch.pk).get() == 0
    assert AgencyRequest.objects.filter(batch=batch).count() == 3


def test_only_agencies_answering_the_categories_and_serving_the_court_are_asked(
    order, officer, other_officer, other_court, agencies, debtors
):
    make_agency("sh-real-estate", kind="real_estate_registry", categories=["real_estate"], courts=[other_court])
    dormant, _key = make_agency("dormant", kind="bank", categories=["deposit"])
    dormant.active = False
    dormant.save()
    case = case_in(Status.INVESTIGATING, officer.court, debtors=debtors, officer=officer)

    batch = order(actor=officer, enforcement_case=case, categories=["real_estate", "deposit"])

    assert sorted(batch.requests.values_list("agency__code", flat=True)) == ["bj-real-estate", "icbc"]
    assert batch.requests.get(agency__code="icbc").item_count == 2  # deposits only, not wealth products


def test_a_query_of_some_debtors_asks_only_about_them(order, officer, enforcement_case, agencies, debtors):
    batch = order(actor=officer, enforcement_case=enforcement_case, debtor_ids=[debtors[1].pk])
    items = batch.requests.get(agency__code="icbc").payload["items"]
    assert {i["debtor"] for i in items} == {debtors[1].pk}


@pytest.mark.parametrize("status", [Status.CLOSED, Status.SUSPENDED])
def test_query_order_is_refused_on_a_closed_or_suspended_case(status, officer, court, agencies):
    case = case_in(status, court, officer=officer)
    with nothing_written(), pytest.raises(RuleViolation) as raised:
        query_order(actor=officer, enforcement_case=case)
    assert raised.value.code == "query.case_not_open"
    assert raised.value.message == "Assets are queried only on an open case that is not suspended."


def test_query_order_refuses_an_unknown_category(officer, enforcement_case, agencies):
    with nothing_written(), pytest.raises(InvalidInput) as raised:
        query_order(actor=officer, enforcement_case=enforcement_case, categories=["deposit", "gold_bars"])
    assert raised.value.status_code == 400
    assert raised.value.code == "query.unknown_category"
    assert raised.value.fields == {"categories": ["Unknown asset categories: gold_bars."]}


def test_query_order_refuses_a_party_who_is_not_a_debtor_of_the_case(officer, enforcement_case, agencies):
    stranger = PartyFactory()
    with nothing_written(), pytest.raises(InvalidInput) as raised:
        query_order(actor=officer, enforcement_case=enforcement_case, debtor_ids=[stranger.pk])
    assert raised.value.code == "query.not_a_debtor"


def test_query_order_is_not_found_for_an_officer_of_another_court(other_officer, enforcement_case, agencies):
    with nothing_written(), pytest.raises(NotFound):
        query_order(actor=other_officer, enforcement_case=enforcement_case)


def test_query_order_needs_the_query_capability(court, enforcement_case, agencies):
    clerk = UserFactory(clerk=True, court=court, username="clerk-q")
    with nothing_written(), pytest.raises(PermissionDenied) as raised:
        query_order(actor=clerk, enforcement_case=enforcement_case)
    assert raised.value.code == "capability.assets.query"


def test_query_order_writes_an_audit_row(order, officer, enforcement_case, agencies):
    from core.models import AuditLog

    batch = order(actor=officer, enforcement_case=enforcement_case, categories=["vehicle"])
    entry = AuditLog.objects.get(action="query.order")
    assert entry.actor == officer
    assert entry.object_id == str(batch.pk)
    assert entry.changes["categories"] == ["vehicle"]
    assert QueryBatch.objects.count() == 1
