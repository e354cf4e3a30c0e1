"""Relations between parties and transfers of property: recording them (refusals with their codes, nothing
written), the derived shared-address and shared-phone edges, and the party relations API."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from cases.choices import PartyKind, PartyRole
from cases.models import PartyRelation, PropertyTransfer
from cases.relations import MAX_SHARED_CONTACT, normalise_contact, relation_graph
from cases.services import party_relation_record, property_transfer_record
from core.exceptions import InvalidInput, PermissionDenied
from core.models import AuditLog
from tests.cases.builders import TODAY
from tests.factories import CaseFactory, PartyFactory

pytestmark = pytest.mark.django_db

_contact = itertools.count(1)


def person(name: str, **overrides):
    """A party with an address and phone of its own (the factory's default ones are shared by everyone)."""
    n = next(_contact)
    data = {"name": name, "phone": f"139{n:08d}", "address": f"北京市朝阳区测试路{n}号"}
    data.update(overrides)
    return PartyFactory(**data)


def debtor_case(court, debtor, *, filed_days_ago: int = 30):
    return CaseFactory(
        court=court,
        filing_date=TODAY - dt.timedelta(days=filed_days_ago),
        parties=[(PartyRole.CREDITOR, person("债权人")), (PartyRole.DEBTOR, debtor)],
    )


@pytest.fixture
def debtor(court):
    party = person("张三")
    debtor_case(court, party)
    return party


def relation_counts():
    return (PartyRelation.objects.count(), PropertyTransfer.objects.count(), AuditLog.objects.count())


def refused(fn, **kwargs) -> InvalidInput:
    before = relation_counts()
    with pytest.raises(InvalidInput) as caught:
        fn(**kwargs)
    assert relation_counts() == before
    return caught.value


def relate(actor, a, b, kind="spouse", **extra):
    return party_relation_record(actor=actor, party_a_id=a.pk, party_b_id=b.pk, kind=kind, source="民政局", **extra)


# ---- recording relations ------------------------------------------------------------------------------------


def test_an_officer_records_a_spouse_once_in_canonical_order_with_an_audit_row(officer, debtor):
    spouse = person("李四")
    relation = relate(officer, spouse, debtor)  # given the other way round
    low, high = sorted((debtor.pk, spouse.pk))
    assert (relation.party_a_id, relation.party_b_id, relation.kind) == (low, high, "spouse")
    assert AuditLog.objects.filter(action="party.relate", object_id=str(relation.pk)).count() == 1


def test_a_shareholding_keeps_its_direction_and_share(officer, debtor):
    company = person("某某科技有限公司", kind=PartyKind.ORGANISATION, legal_representative="王五")
    relation = relate(officer, debtor, company, kind="shareholder", share="60")
    assert (relation.party_a_id, relation.party_b_id, relation.share) == (debtor.pk, company.pk, Decimal("60.00"))


def test_a_party_related_to_itself_is_refused(officer, debtor):
    error = refused(relate, actor=officer, a=debtor, b=debtor)
    assert (error.code, error.message) == ("relation.self", "A party cannot be related to itself.")


def test_an_unknown_party_is_refused(officer, debtor):
    error = refused(
        party_relation_record, actor=officer, party_a_id=debtor.pk, party_b_id=999999, kind="spouse", source="x"
    )
    assert (error.code, error.fields) == ("relation.unknown_party", {"party_b_id": ["No such party."]})


def test_parties_seen_only_at_another_court_are_unknown(other_officer, debtor):
    error = refused(relate, actor=other_officer, a=debtor, b=person("李四"))
    assert error.code == "relation.unknown_party"


def test_the_same_relation_twice_is_refused_whichever_way_it_is_given(officer, debtor):
    spouse = person("李四")
    relate(officer, debtor, spouse)
    error = refused(relate, actor=officer, a=spouse, b=debtor)
    assert (error.code, error.message) == ("relation.duplicate", "This relation is already recorded.")


def test_a_share_outside_0_to_100_or_on_another_kind_is_refused(officer, debtor):
    company = person("某公司", kind=PartyKind.ORGANISATION, legal_representative="王五")
    error = refused(relate, actor=officer, a=debtor, b=company, kind="shareholder", share="120")
    assert (error.code, error.fields["share"]) == (
        "relation.invalid",
        ["The share is a percentage above 0 and at most 100."],
    )
    error = refused(relate, actor=officer, a=debtor, b=company, kind="spouse", share="10")
    assert error.fields["share"] == ["A share is recorded only for a shareholder."]


def test_a_role_without_the_capability_is_refused(court, debtor):
    from tests.factories import UserFactory

    auditor = UserFactory(auditor=True, court=court)
    with pytest.raises(PermissionDenied):
        relate(auditor, debtor, person("李四"))


# ---- recording transfers ------------------------------------------------------------------------------------


def transfer(actor, source, target, **overrides):
    data = {
        "from_party_id": source.pk,
        "to_party_id": target.pk,
        "description": "朝阳区某小区1号楼101室",
        "category": "real_estate",
        "value": "800000.00",
        "transferred_on": TODAY - dt.timedelta(days=10),
        "source": "不动产登记中心",
    }
    data.update(overrides)
    return property_transfer_record(actor=actor, **data)


def test_a_transfer_is_recorded_with_an_audit_row(officer, debtor):
    recorded = transfer(officer, debtor, person("李四"))
    assert (recorded.value, recorded.category) == (Decimal("800000.00"), "real_estate")
    assert AuditLog.objects.filter(action="party.transfer", object_id=str(recorded.pk)).exists()


def test_a_transfer_to_the_same_party_is_refused(officer, debtor):
    error = refused(transfer, actor=officer, source=debtor, target=debtor)
    assert (error.code, error.message) == (
        "transfer.same_party",
        "Property cannot be transferred to the party it comes from.",
    )


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_transfer_without_a_positive_value_is_refused(officer, debtor, value):
    error = refused(transfer, actor=officer, source=debtor, target=person("李四"), value=value)
    assert (error.code, error.fields) == ("transfer.invalid", {"value": ["The amount must be greater than zero."]})


def test_a_transfer_dated_in_the_future_is_refused(officer, debtor):
    error = refused(
        transfer, actor=officer, source=debtor, target=person("李四"), transferred_on=TODAY + dt.timedelta(days=1)
    )
    assert error.fields == {"transferred_on": ["The date cannot be in the future."]}


def test_a_transfer_from_an_unknown_party_is_refused(officer, debtor):
    error = refused(
        property_transfer_record,
        actor=officer,
        from_party_id=999999,
        to_party_id=debtor.pk,
        description="x",
        category="other",
        value="1",
        transferred_on=TODAY,
        source="x",
    )
    assert error.code == "transfer.unknown_party"


# ---- derived edges ------------------------------------------------------------------------------------------


def test_whitespace_does_not_matter_in_an_address_or_phone():
    assert normalise_contact(" 北京市 朝阳区\u3000望京 1号 ") == "北京市朝阳区望京1号"


def test_parties_sharing_an_address_are_related_without_a_recorded_relation(debtor):
    lodger = person("赵六", address=debtor.address.replace("朝阳区", "朝阳区 "))
    graph = relation_graph(party_ids=[debtor.pk])
    relations = graph[debtor.pk][lodger.pk]["relations"]
    assert [(r.kind, r.origin) for r in relations] == [("shared_address", "derived")]


def test_parties_sharing_a_phone_are_related(debtor):
    other = person("钱七", phone=debtor.phone)
    graph = relation_graph(party_ids=[debtor.pk])
    assert [r.kind for r in graph[debtor.pk][other.pk]["relations"]] == ["shared_phone"]


def test_an_address_shared_by_many_parties_links_nobody(debtor):
    for n in range(MAX_SHARED_CONTACT):
        person(f"租户{n}", address=debtor.address)
    graph = relation_graph(party_ids=[debtor.pk])
    assert list(graph.neighbors(debtor.pk)) == []


def test_the_graph_reaches_two_hops_and_no_further(officer, debtor):
    spouse, company, manager, far = person("李四"), person("某公司"), person("王五"), person("孙八")
    relate(officer, debtor, spouse)
    relate(officer, spouse, company, kind="actual_controller")
    # Beyond the court's reach an officer cannot record (see below); a registry import could.
    PartyRelation.objects.create(party_a=manager, party_b=company, kind="director", source="市场监管局")
    PartyRelation.objects.create(party_a=far, party_b=manager, kind="actual_controller", source="市场监管局")
    graph = relation_graph(party_ids=[debtor.pk])
    assert set(graph.nodes) >= {debtor.pk, spouse.pk, company.pk}
    import networkx as nx

    reach = nx.single_source_shortest_path_length(graph, debtor.pk, cutoff=2)
    assert (reach[spouse.pk], reach[company.pk], reach.get(manager.pk), reach.get(far.pk)) == (1, 2, None, None)


def test_a_relation_grows_the_graph_one_hop_at_a_time_from_the_courts_cases(officer, debtor):
    spouse, company, manager = person("李四"), person("某公司"), person("王五")
    relate(officer, debtor, spouse)
    relate(officer, spouse, company, kind="actual_controller")  # the spouse is related to the court's debtor
    error = refused(relate, actor=officer, a=manager, b=company, kind="director")
    assert error.code == "relation.unknown_party"


# ---- the API ------------------------------------------------------------------------------------------------


def test_the_relations_api_lists_recorded_and_derived_relations(api_as, officer, debtor):
    spouse = person("李四")
    relate(officer, debtor, spouse)
    lodger = person("赵六", phone=debtor.phone)
    response = api_as(officer).get(f"/api/v1/parties/{debtor.pk}/relations/")
    assert response.status_code == 200
    rows = {(row["party_id"], row["kind"], row["derived"]) for row in response.json()}
    assert rows == {(spouse.pk, "spouse", False), (lodger.pk, "shared_phone", True)}


def test_the_relations_api_of_a_party_of_another_court_is_not_found(api_as, other_officer, debtor):
    response = api_as(other_officer).get(f"/api/v1/parties/{debtor.pk}/relations/")
    assert (response.status_code, response.json()["message"]) == (404, "Not found.")


def test_posting_a_relation_through_the_api(api_as, officer, debtor):
    company = person("某公司")
    body = {
        "party_a_id": debtor.pk,
        "party_b_id": company.pk,
        "kind": "shareholder",
        "source": "市场监管局",
        "share": "35.5",
    }
    response = api_as(officer).post("/api/v1/party-relations/", body, format="json")
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["share"]) == ("shareholder", "35.50")


def test_a_refused_relation_through_the_api_names_its_code_and_writes_nothing(api_as, officer, debtor):
    before = relation_counts()
    body = {"party_a_id": debtor.pk, "party_b_id": debtor.pk, "kind": "spouse", "source": "x"}
    response = api_as(officer).post("/api/v1/party-relations/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "relation.self")
    assert relation_counts() == before


def test_posting_a_transfer_for_a_party_of_another_court_is_refused(api_as, other_officer, debtor):
    before = relation_counts()
    body = {
        "from_party_id": debtor.pk,
        "to_party_id": person("李四").pk,
        "description": "车辆 京A12345",
        "category": "vehicle",
        "value": "100000.00",
        "transferred_on": str(TODAY),
        "source": "车管所",
    }
    response = api_as(other_officer).post("/api/v1/property-transfers/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "transfer.unknown_party")
    assert relation_counts() == before
