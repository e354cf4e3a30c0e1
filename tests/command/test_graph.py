"""The relation graph of a debtor (command.graph.debtor_graph): its parties, their cases at every court, their
assets and transfers, the hidden-asset clues flagged with the rules of cases.clues, what another court's case
shows, no identity number, the audit row, the node limit and a query count that does not grow with the graph."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from assets.choices import AgencyKind, AssetCategory
from assets.models import Asset
from bankruptcy.models import Suggestion
from cases.choices import CaseType, PartyRole, RelationKind, TransferCategory
from cases.clues import clue_report
from cases.models import PartyRelation, PropertyTransfer
from command.graph import MAX_NODES, debtor_graph
from core.exceptions import InvalidInput, NotFound
from core.models import AuditLog
from enforcement.choices import Status
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.factories import CaseFactory, CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
FILED = dt.date(2026, 6, 1)
_contacts = iter(range(1000, 100000))


def party(name: str, *, company: bool = False, address: str = ""):
    """A party with a phone and address of its own (the factory's shared defaults would relate everyone)."""
    n = next(_contacts)
    extra = {"organisation": True} if company else {}
    return PartyFactory(name=name, phone=f"139{n:08d}", address=address or f"北京市朝阳区测试路{n}号", **extra)


def relate(a, b, kind, share=None):
    if kind in (RelationKind.SPOUSE, RelationKind.RELATIVE, RelationKind.AFFILIATE):
        a, b = sorted((a, b), key=lambda p: p.pk)
    return PartyRelation.objects.create(party_a=a, party_b=b, kind=kind, share=share, source="市场监督管理局")


def transfer(a, b, *, on, value, category=TransferCategory.REAL_ESTATE, what="住宅一套"):
    return PropertyTransfer.objects.create(
        from_party=a, to_party=b, transferred_on=on, value=Decimal(value), category=category, description=what,
        source="不动产登记中心",
    )  # fmt: skip


class World:
    """张三 owes in an enforcement case at 京0105 and is sued at 京0108. His wife 李四 holds 80 % of 某公司,
    whose affiliate is three hops out; 赵六 lives at his address. He passed a flat to his wife 61 days before
    filing and equity to the company after it (clues), a car to his wife years ago and a van to a stranger
    (not clues)."""

    def __init__(self):
        self.court = CourtFactory(chaoyang=True)
        self.other_court = CourtFactory(haidian=True)
        self.officer = UserFactory(officer=True, court=self.court, username="graph-officer")
        self.other_officer = UserFactory(officer=True, court=self.other_court, username="graph-officer-0108")
        self.debtor = party("张三")
        self.spouse = party("李四")
        self.company = party("北京某某贸易有限公司", company=True)
        self.affiliate = party("北京某某物流有限公司", company=True)
        self.neighbour = party("赵六", address=self.debtor.address)
        self.stranger = party("钱七")
        self.ec = case_in(
            Status.INVESTIGATING, self.court, debtors=[self.debtor], filing_date=FILED, officer=self.officer,
            amount="150000.00",
        )  # fmt: skip
        self.case = self.ec.case
        self.creditor = next(link.party for link in self.case.party_links.all() if link.role == PartyRole.CREDITOR)
        self.lawsuit = CaseFactory(
            court=self.other_court, case_type=CaseType.CIVIL_FIRST, filing_date=dt.date(2026, 2, 1),
            amount=Decimal("880000.00"), parties=[(PartyRole.PLAINTIFF, party("某银行", company=True)),
                                                  (PartyRole.DEFENDANT, self.debtor)],
        )  # fmt: skip
        self.spouse_case = CaseFactory(
            court=self.other_court, case_type=CaseType.CIVIL_FIRST, filing_date=dt.date(2026, 3, 1),
            parties=[(PartyRole.PLAINTIFF, self.spouse), (PartyRole.DEFENDANT, party("孙八"))],
        )  # fmt: skip
        relate(self.debtor, self.spouse, RelationKind.SPOUSE)
        relate(self.spouse, self.company, RelationKind.SHAREHOLDER, share=Decimal("80"))
        relate(self.company, self.affiliate, RelationKind.AFFILIATE)
        self.flat = transfer(self.debtor, self.spouse, on=dt.date(2026, 4, 1), value="150000.00")
        self.equity = transfer(
            self.debtor, self.company, on=dt.date(2026, 7, 1), value="60000.00", category=TransferCategory.EQUITY,
            what="某公司30%股权",
        )  # fmt: skip
        self.old_car = transfer(self.debtor, self.spouse, on=dt.date(2024, 1, 1), value="90000.00", what="轿车")
        self.van = transfer(self.debtor, self.stranger, on=dt.date(2026, 5, 1), value="50000.00", what="货车")
        bank, _key = make_agency("graph-bank", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
        self.deposit = Asset.objects.create(
            case=self.case, debtor=self.debtor, category=AssetCategory.DEPOSIT, agency=bank, identifier="6222001",
            description="活期储蓄", value=Decimal("5000.00"),
        )  # fmt: skip
        self.elsewhere_asset = Asset.objects.create(
            case=self.lawsuit, debtor=self.debtor, category=AssetCategory.VEHICLE, agency=bank, identifier="京A1",
            description="海淀查到的车辆",
        )  # fmt: skip


@pytest.fixture
def world():
    return World()


def ids(graph, kind=None):
    return {n.id for n in graph.nodes if kind is None or n.kind == kind}


def links_between(graph, source, target, kind=None):
    return [
        link
        for link in graph.links
        if link.source == source and link.target == target and (kind is None or link.kind == kind)
    ]


def p(party):
    return f"party-{party.pk}"


def test_the_graph_holds_the_parties_their_cases_and_the_assets_of_the_debtor(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    assert ids(graph, "party") == {
        p(world.debtor),
        p(world.spouse),
        p(world.company),
        p(world.neighbour),
        p(world.stranger),
    }
    assert ids(graph, "case") == {f"case-{world.case.pk}", f"case-{world.lawsuit.pk}", f"case-{world.spouse_case.pk}"}
    assert ids(graph, "asset") == {f"asset-{world.deposit.pk}"}
    categories = {n.id: n.category for n in graph.nodes}
    assert categories[p(world.debtor)] == "debtor"
    assert categories[p(world.spouse)] == "person" and categories[p(world.company)] == "company"
    deposit = graph.node(f"asset-{world.deposit.pk}")
    assert deposit.detail["value"] == "5000.00" and deposit.detail["description"] == "活期储蓄"
    assert links_between(graph, p(world.debtor), f"asset-{world.deposit.pk}", "owner")


def test_relations_keep_their_labels_and_the_way_they_read(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    (share,) = links_between(graph, p(world.spouse), p(world.company), "relation")
    assert share.label == "Shareholder (股东) 80%" and share.directed is True
    spouse = [link for link in graph.links if link.kind == "relation" and link.detail["relation"] == "spouse"]
    assert len(spouse) == 1 and spouse[0].directed is False
    (address,) = [link for link in graph.links if link.kind == "relation" and link.detail["source"] == "derived"]
    assert {address.source, address.target} == {p(world.debtor), p(world.neighbour)}
    assert address.label == "Same address (同一地址)"


def test_each_party_links_to_its_cases_with_its_role(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    (role,) = links_between(graph, p(world.debtor), f"case-{world.case.pk}", "role")
    assert role.label == "Person subject to enforcement (被执行人)"
    (sued,) = links_between(graph, p(world.debtor), f"case-{world.lawsuit.pk}", "role")
    assert sued.label == "Defendant (被告)"
    assert links_between(graph, p(world.spouse), f"case-{world.spouse_case.pk}", "role")


def test_a_case_of_another_court_shows_its_number_court_and_status_and_no_link(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    lawsuit = graph.node(f"case-{world.lawsuit.pk}")
    assert lawsuit.name == world.lawsuit.number and lawsuit.url == ""
    assert lawsuit.detail == {
        "number": world.lawsuit.number,
        "court": world.other_court.name,
        "status": "Trial",
        "own_court": False,
    }


def test_a_case_of_the_users_court_opens_its_enforcement_page(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    own = graph.node(f"case-{world.case.pk}")
    assert own.url == f"/enforcement/{world.ec.pk}/"
    assert own.detail["status"] == "Investigating" and own.detail["amount"] == "150000.00"
    assert graph.node(f"asset-{world.deposit.pk}").url == own.url


def test_assets_found_on_another_courts_case_are_left_out(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    assert f"asset-{world.elsewhere_asset.pk}" not in ids(graph)


def test_a_party_opens_its_own_graph_only_when_it_is_on_a_case_of_the_users_court(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    assert graph.node(p(world.debtor)).url == f"/command/graph/{world.debtor.pk}/"
    assert graph.node(p(world.spouse)).url == ""  # only on a case at 京0108
    assert graph.node(p(world.spouse)).detail["visible"] is False


def test_the_transfer_clues_follow_the_rules_of_the_case_clues(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    expected = {c.transfer.pk: c for c in clue_report(case=world.case).clues}
    assert {c.transfer_id for c in graph.clues} == set(expected) == {world.flat.pk, world.equity.pk}
    for clue in graph.clues:
        assert clue.score == expected[clue.transfer_id].score
        assert [r.text for r in clue.reasons] == [r.text for r in expected[clue.transfer_id].reasons]
        assert clue.case_number == world.case.number
    assert [c.transfer_id for c in graph.clues] == [world.flat.pk, world.equity.pk]  # the most severe first
    assert graph.clues[0].score == 95 and graph.clues[0].level == "high"


def test_the_clue_transfer_and_its_receiver_are_flagged_with_score_and_reasons(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    flat = next(link for link in graph.links if link.kind == "transfer" and link.detail["date"] == "2026-04-01")
    assert flat.source == p(world.debtor) and flat.target == p(world.spouse) and flat.directed
    assert flat.clue["score"] == 95 and flat.clue["level"] == "high"
    assert flat.clue["reasons"][0] == "Related party: 张三 → Spouse (配偶) → 李四"
    assert flat.detail["value"] == "150000.00"
    assert graph.node(p(world.spouse)).clue["score"] == 95
    assert graph.node(p(world.company)).clue["score"] == 60  # two hops 20, after filing 30, 40 % 10


def test_an_old_transfer_and_one_to_a_stranger_are_links_but_not_clues(world):
    graph = debtor_graph(user=world.officer, party=world.debtor)
    old = next(link for link in graph.links if link.kind == "transfer" and link.detail["date"] == "2024-01-01")
    (van,) = links_between(graph, p(world.debtor), p(world.stranger), "transfer")
    assert old.clue is None and van.clue is None
    assert graph.node(p(world.stranger)).clue is None and graph.node(p(world.stranger)).detail["hops"] == 1


def test_the_depth_bounds_how_far_the_relations_reach(world):
    two = debtor_graph(user=world.officer, party=world.debtor, depth=2)
    three = debtor_graph(user=world.officer, party=world.debtor, depth=3)
    one = debtor_graph(user=world.officer, party=world.debtor, depth=1)
    assert p(world.affiliate) not in ids(two) and p(world.affiliate) in ids(three)
    assert three.node(p(world.affiliate)).detail["hops"] == 3
    # at one hop the company is still there: the equity transfer reaches it
    assert p(world.company) in ids(one) and one.node(p(world.company)).detail["hops"] == 1
    assert links_between(one, p(world.spouse), p(world.company), "relation")
    assert one.depth == 1 and three.depth == 3


def test_a_depth_other_than_one_to_three_is_refused_naming_the_rule(world):
    with pytest.raises(InvalidInput) as refused:
        debtor_graph(user=world.officer, party=world.debtor, depth=4)
    assert refused.value.fields == {"depth": ["The depth is 1, 2 or 3 hops."]}
    assert not AuditLog.objects.filter(action="party.read_graph").exists()


def test_no_identity_number_appears_in_the_graph(world):
    data = json.dumps(debtor_graph(user=world.officer, party=world.debtor).as_data(), ensure_ascii=False)
    for someone in (world.debtor, world.spouse, world.company, world.neighbour, world.stranger):
        assert someone.id_number not in data and someone.masked_id_number not in data
    assert "张三" in data


def test_opening_the_graph_is_written_to_the_audit_log(world):
    debtor_graph(user=world.officer, party=world.debtor, depth=2)
    entry = AuditLog.objects.get(action="party.read_graph")
    assert entry.actor == world.officer and entry.object_id == str(world.debtor.pk)
    assert entry.court_id == world.court.pk and entry.reason == "relation graph"
    assert entry.changes["depth"] == 2 and world.spouse.pk in entry.changes["parties"]


def test_a_party_not_on_a_case_of_the_users_court_is_not_found_and_nothing_is_audited(world):
    with pytest.raises(NotFound):
        debtor_graph(user=world.officer, party=world.stranger)
    with pytest.raises(NotFound):
        debtor_graph(user=world.other_officer, party=world.creditor)
    assert not AuditLog.objects.filter(action="party.read_graph").exists()


def test_the_other_courts_officer_sees_his_case_as_a_link_and_ours_as_a_node(world):
    graph = debtor_graph(user=world.other_officer, party=world.debtor)
    assert graph.node(f"case-{world.lawsuit.pk}").url == f"/cases/{world.lawsuit.pk}/"
    ours = graph.node(f"case-{world.case.pk}")
    assert ours.url == "" and "amount" not in ours.detail and ours.detail["status"] == "Investigating"
    # the clue rules run on his court's cases where 张三 is a debtor (a defendant counts): the lawsuit
    assert {c.case_number for c in graph.clues} == {world.lawsuit.number}
    assert f"asset-{world.elsewhere_asset.pk}" in ids(graph) and f"asset-{world.deposit.pk}" not in ids(graph)


def test_a_superuser_sees_every_case_as_a_link(world):
    root = UserFactory(superuser=True, username="graph-root")
    graph = debtor_graph(user=root, party=world.debtor)
    assert all(n.url for n in graph.case_nodes)


def test_an_open_bankruptcy_suggestion_is_noted_on_the_party(world):
    Suggestion.objects.create(debtor=world.company, score=72)
    graph = debtor_graph(user=world.officer, party=world.debtor)
    assert graph.node(p(world.company)).detail["bankruptcy_suggestion"] == 72
    assert "bankruptcy_suggestion" not in graph.node(p(world.spouse)).detail


def test_the_graph_is_cut_at_the_limit_nearest_first_with_a_note(world):
    graph = debtor_graph(user=world.officer, party=world.debtor, limit=4)
    assert len(graph.nodes) == 4 and graph.truncated and graph.omitted == 5  # of 5 parties, 3 cases, 1 asset
    # the debtor first, then its own cases and asset, before the parties one hop out
    assert [n.kind for n in graph.nodes] == ["party", "case", "case", "asset"]
    assert graph.nodes[0].id == p(world.debtor)
    present = ids(graph)
    assert all(link.source in present and link.target in present for link in graph.links)
    assert graph.as_data()["truncated"] is True and graph.as_data()["omitted"] == 5
    assert not debtor_graph(user=world.officer, party=world.debtor).truncated and MAX_NODES == 200


def _grow(world, n: int) -> None:
    """``n`` more relatives of the debtor's wife, each with a case at 京0105, an asset and a transfer."""
    bank = Asset.objects.first().agency
    for i in range(n):
        relative = party(f"亲属{i}")
        relate(world.spouse, relative, RelationKind.RELATIVE)
        case = CaseFactory(court=world.court, parties=[(PartyRole.DEBTOR, relative)])
        Asset.objects.create(case=case, debtor=relative, category=AssetCategory.DEPOSIT, agency=bank, identifier=str(i))
        transfer(world.debtor, relative, on=dt.date(2026, 6, 10), value="1000.00")


@pytest.mark.parametrize(("depth", "queries"), [(1, 13), (2, 13), (3, 16)])
def test_the_query_count_is_fixed_per_hop_whatever_the_size_of_the_graph(
    world, django_assert_num_queries, depth, queries
):
    # three per hop (for at least two hops) and one for names, then: transfers, case links, co-debtors,
    # assets, 执转破 suggestions and the audit row
    with django_assert_num_queries(queries):
        small = debtor_graph(user=world.officer, party=world.debtor, depth=depth)
    _grow(world, 25)
    with django_assert_num_queries(queries):
        large = debtor_graph(user=world.officer, party=world.debtor, depth=depth)
    assert len(large.nodes) > len(small.nodes) + 25


def test_the_demo_gives_one_debtor_a_web_across_three_courts_and_runs_once(world):
    import io

    from command import demo_graph
    from core.demo import DemoContext

    pudong = CourtFactory(code="沪0115", name="上海市浦东新区人民法院", region_code="310115")
    users = {
        "demo-officer": UserFactory(officer=True, court=world.court, username="demo-officer"),
        "demo-clerk-haidian": UserFactory(clerk=True, court=world.other_court, username="demo-clerk-haidian"),
        "demo-clerk-pudong": UserFactory(clerk=True, court=pudong, username="demo-clerk-pudong"),
    }
    courts = {c.code: c for c in (world.court, world.other_court, pudong)}
    context = DemoContext(today=dt.date(2026, 11, 27), stdout=io.StringIO())
    context.courts, context.users = courts, users
    assert demo_graph.graph_debtor(context) == world.ec  # the open case at 京0105 with the most assets
    demo_graph.seed(context)
    relations = PartyRelation.objects.count()
    demo_graph.seed(context)
    assert PartyRelation.objects.count() == relations and "already seeded" in context.stdout.getvalue()
    graph = debtor_graph(user=world.officer, party=world.debtor)
    assert {n.detail["court"] for n in graph.case_nodes} == {c.name for c in courts.values()}
    assert len(graph.clues) == 5  # this world's two, the demo's three (the equity one reaches two hops out)
    assert f"/command/graph/{world.debtor.pk}/" in context.stdout.getvalue()
