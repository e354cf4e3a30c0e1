"""The relation graph (知识图谱) of a debtor: the parties around it, every case they are in (across courts),
their assets, the transfers of property between them, and the hidden-asset clues among those transfers.

What the graph holds, starting from one party (the centre):
- parties within ``depth`` hops on ``cases.relations.relation_graph`` (recorded relations and shared
  addresses or phones, each relation with its label and the way it reads), plus any party a transfer of
  property reached from or to a party of the graph;
- the cases of those parties, with the role of each: a case of another court is a node with its number,
  court and status only (that it exists is what the officer needs); only the user's own court's cases
  carry a link to their page, and only their assets are shown;
- the assets (``assets.Asset``) of those parties on the user's court's cases;
- the transfers (``cases.PropertyTransfer``) between those parties, as directed links;
- the hidden-asset clues: the rules of ``cases.clues`` applied to the transfers of the centre in each of
  its own court's cases where it is a debtor (the most severe case per transfer). The transfer link and
  the receiving party carry the score, the level and the reasons.

No identity number appears (names only). Opening the graph is a staff read of personal data: one audit
row ``party.read_graph`` naming the parties shown.

Bounded: at most ``limit`` nodes (nearest first: the centre, its cases and assets, then each hop's parties
with theirs), with ``omitted`` counting what was cut. Cost: the relation graph's three queries per hop
(for ``max(depth, 2)`` hops, the clue rules look two hops out) and one for names, then a fixed handful (the
case links, the co-debtors, assets, transfers, 执转破 suggestions) and the audit row, whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from assets.models import Asset
from bankruptcy.choices import SuggestionStatus
from bankruptcy.models import Suggestion
from cases.choices import SYMMETRIC_RELATIONS, PartyKind, PartyRole
from cases.clues import DEBTOR_ROLES, MAX_HOPS, Clue, transfer_clue
from cases.models import Case, CaseParty, Party, PropertyTransfer
from cases.relations import paths_from, relation_graph
from core.access import require_capability, visible_court_ids
from core.audit import audit_record
from core.exceptions import InvalidInput, NotFound
from core.models import User

DEPTHS = (1, 2, 3)
DEFAULT_DEPTH = 2
MAX_NODES = 200

# Node categories, in the order of the legend (the page's ECharts categories use these indexes).
CATEGORIES = ("debtor", "person", "company", "case", "asset")


def category_labels() -> list[str]:
    return [_("Debtors"), _("People"), _("Companies"), _("Cases"), _("Assets")]


@dataclass
class GraphClue(Clue):
    """A hidden-asset clue of ``cases.clues`` on the graph, with the case whose rules made it one."""

    case_number: str = ""

    @property
    def transfer_id(self) -> int:
        return self.transfer.pk


@dataclass
class GraphNode:
    id: str
    kind: str  # party / case / asset
    pk: int
    name: str
    category: str  # one of CATEGORIES
    level: float  # hops from the centre (a case or asset: its party's + 0.5)
    url: str = ""
    detail: dict = field(default_factory=dict)
    clue: dict | None = None

    @property
    def category_index(self) -> int:
        return CATEGORIES.index(self.category)


@dataclass
class GraphLink:
    source: str
    target: str
    kind: str  # relation / role / owner / transfer
    label: str
    directed: bool = True
    detail: dict = field(default_factory=dict)
    clue: dict | None = None


@dataclass
class Graph:
    party: Party
    depth: int
    nodes: list[GraphNode]
    links: list[GraphLink]
    clues: list[GraphClue]
    limit: int = MAX_NODES
    omitted: int = 0

    @property
    def truncated(self) -> bool:
        return self.omitted > 0

    @property
    def case_nodes(self) -> list[GraphNode]:
        return [n for n in self.nodes if n.kind == "case"]

    @property
    def party_nodes(self) -> list[GraphNode]:
        return [n for n in self.nodes if n.kind == "party"]

    @property
    def asset_nodes(self) -> list[GraphNode]:
        return [n for n in self.nodes if n.kind == "asset"]

    def node(self, node_id: str) -> GraphNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def as_data(self) -> dict:
        """Nodes and links for ECharts and the API (JSON-ready: money and dates as strings)."""
        return {
            "centre": party_node_id(self.party.pk),
            "depth": self.depth,
            "truncated": self.truncated,
            "omitted": self.omitted,
            "categories": [{"key": key, "name": name} for key, name in zip(CATEGORIES, category_labels(), strict=True)],
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "pk": n.pk,
                    "name": n.name,
                    "category": n.category_index,
                    "category_key": n.category,
                    "url": n.url,
                    "detail": n.detail,
                    "clue": n.clue,
                }
                for n in self.nodes
            ],
            "links": [
                {
                    "source": link.source,
                    "target": link.target,
                    "kind": link.kind,
                    "label": link.label,
                    "directed": link.directed,
                    "detail": link.detail,
                    "clue": link.clue,
                }
                for link in self.links
            ],
        }


def party_node_id(pk: int) -> str:
    return f"party-{pk}"


def case_node_id(pk: int) -> str:
    return f"case-{pk}"


def asset_node_id(pk: int) -> str:
    return f"asset-{pk}"


def parse_depth(value) -> int:
    """``value`` as a depth of 1, 2 or 3 (the default when empty); ``InvalidInput`` naming the rule otherwise."""
    if value in (None, ""):
        return DEFAULT_DEPTH
    try:
        depth = int(value)
    except (TypeError, ValueError):
        depth = 0
    if depth not in DEPTHS:
        raise InvalidInput({"depth": [_("The depth is 1, 2 or 3 hops.")]}, code="graph.depth")
    return depth


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _case_status(case: Case) -> str:
    enforcement = getattr(case, "enforcement", None)
    if enforcement is not None:
        return str(enforcement.get_status_display())
    return str(case.stage_label)


def _case_url(user: User, case: Case) -> str:
    enforcement = getattr(case, "enforcement", None)
    if enforcement is not None and (user.is_superuser or user.can("enforcement.view")):
        return reverse("enforcement:detail", args=[enforcement.pk])
    if user.is_superuser or user.can("case.view"):
        return reverse("cases:detail", args=[case.pk])
    return ""


def _clues(*, graph, centre_id: int, debtor_cases: list[Case], co_debtors: dict[int, set[int]], transfers) -> dict:
    """``{transfer_id: GraphClue}``: the rules of ``cases.clues`` for each case where the centre is a debtor,
    keeping the most severe case per transfer."""
    paths = paths_from(graph, centre_id, depth=MAX_HOPS)
    outgoing = [t for t in transfers if t.from_party_id == centre_id]
    found: dict[int, GraphClue] = {}
    for case in debtor_cases:
        for transfer in outgoing:
            clue = transfer_clue(
                case=case,
                transfer=transfer,
                graph=graph,
                steps=paths.get(transfer.to_party_id),
                debtor_ids=co_debtors.get(case.pk, set()),
                factory=GraphClue,
                case_number=case.number,
            )
            if clue is None:
                continue
            best = found.get(transfer.pk)
            if best is None or clue.score > best.score:
                found[transfer.pk] = clue
    return found


def _clue_data(clue: GraphClue) -> dict:
    return {
        "score": clue.score,
        "level": clue.level,
        "case": clue.case_number,
        "reasons": [r.text for r in clue.reasons],
    }


def debtor_graph(*, user: User, party: Party, depth: int = DEFAULT_DEPTH, limit: int | None = None) -> Graph:
    """The graph around ``party`` (see the module). ``NotFound`` unless ``party`` is on a case of the user's
    court (the same answer as a missing party); ``InvalidInput`` for a depth other than 1, 2 or 3. At most
    ``limit`` nodes (``MAX_NODES`` by default). Writes one audit row (a staff read of personal data)."""
    require_capability(user, "command.graph")
    depth = parse_depth(depth)
    limit = limit or MAX_NODES
    courts = visible_court_ids(user)

    def own(court_id: int) -> bool:
        return courts is None or court_id in courts

    # the parties: hops on the relation graph (two at least, for the clue rules), nearest first
    relations = relation_graph(party_ids=[party.pk], depth=max(depth, MAX_HOPS))
    hops = {
        pk: len(steps) for pk, steps in paths_from(relations, party.pk, depth=depth).items() if pk in relations.nodes
    }
    hops[party.pk] = 0
    party_ids = sorted(hops, key=lambda pk: (hops[pk], pk))[:limit]

    # transfers from or to the parties (their other ends join the graph one hop further out)
    transfers = list(
        PropertyTransfer.objects.filter(Q(from_party_id__in=party_ids) | Q(to_party_id__in=party_ids))
        .select_related("from_party", "to_party")
        .order_by("transferred_on", "id")
    )
    extra_parties: dict[int, Party] = {}
    for transfer in transfers:
        for near, far in ((transfer.from_party, transfer.to_party), (transfer.to_party, transfer.from_party)):
            if near.pk in hops and far.pk not in hops and far.pk not in extra_parties:
                extra_parties[far.pk] = far
                hops[far.pk] = hops[near.pk] + 1

    everyone = [*party_ids, *extra_parties]

    # the cases of those parties (every court), with the role of each party
    links = list(
        CaseParty.objects.filter(party_id__in=everyone)
        .select_related("case__court", "case__enforcement")
        .order_by("-case__filing_date", "case_id", "position", "id")
    )
    if not any(link.party_id == party.pk and own(link.case.court_id) for link in links):
        raise NotFound(_("Not found."))
    debtor_cases = list(
        {
            link.case_id: link.case
            for link in links
            if link.party_id == party.pk and link.role in DEBTOR_ROLES and own(link.case.court_id)
        }.values()
    )
    co_debtors: dict[int, set[int]] = {}
    if debtor_cases:
        for case_id, party_id in CaseParty.objects.filter(
            case_id__in=[c.pk for c in debtor_cases], role__in=sorted(DEBTOR_ROLES)
        ).values_list("case_id", "party_id"):
            co_debtors.setdefault(case_id, set()).add(party_id)

    clues = _clues(
        graph=relations, centre_id=party.pk, debtor_cases=debtor_cases, co_debtors=co_debtors, transfers=transfers
    )

    asset_rows = Asset.objects.filter(debtor_id__in=everyone).select_related("case__enforcement")
    if courts is not None:
        asset_rows = asset_rows.filter(case__court_id__in=courts)
    assets = list(asset_rows.order_by("case_id", "category", "id"))
    suggestions = Suggestion.objects.filter(debtor_id__in=everyone, status=SuggestionStatus.OPEN)
    suggested = dict(suggestions.values_list("debtor_id", "score"))

    # ---- nodes, nearest first -------------------------------------------------------------------------------
    visible_parties = {link.party_id for link in links if own(link.case.court_id)}
    candidates: list[GraphNode] = []
    names = {pk: relations.nodes[pk].get("name", "") for pk in party_ids}
    kinds = {pk: relations.nodes[pk].get("kind", "") for pk in party_ids}
    for pk, other in extra_parties.items():
        names[pk], kinds[pk] = other.name, other.kind
    clue_by_receiver: dict[int, GraphClue] = {}
    for clue in clues.values():
        if clue.related_id not in clue_by_receiver or clue_by_receiver[clue.related_id].score < clue.score:
            clue_by_receiver[clue.related_id] = clue
    for pk in everyone:
        is_company = kinds.get(pk) == PartyKind.ORGANISATION
        detail = {
            "kind": str(PartyKind(kinds[pk]).label) if kinds.get(pk) else "",
            "hops": hops[pk],
            "visible": pk in visible_parties,
        }
        if pk in suggested:
            detail["bankruptcy_suggestion"] = suggested[pk]
        receiver_clue = clue_by_receiver.get(pk)
        candidates.append(
            GraphNode(
                id=party_node_id(pk),
                kind="party",
                pk=pk,
                name=names.get(pk, ""),
                category="debtor" if pk == party.pk else "company" if is_company else "person",
                level=hops[pk],
                url=reverse("command:graph", args=[pk]) if pk in visible_parties else "",
                detail=detail,
                clue=_clue_data(receiver_clue) if receiver_clue else None,
            )
        )
    case_level: dict[int, float] = {}
    case_objects: dict[int, Case] = {}
    for link in links:
        case_level[link.case_id] = min(case_level.get(link.case_id, 99), hops[link.party_id] + 0.5)
        case_objects[link.case_id] = link.case
    for case_id, case in case_objects.items():
        mine = own(case.court_id)
        detail = {"number": case.number, "court": case.court.name, "status": _case_status(case), "own_court": mine}
        if mine:
            detail.update(filing_date=case.filing_date.isoformat(), amount=_money(case.amount))
        candidates.append(
            GraphNode(
                id=case_node_id(case_id),
                kind="case",
                pk=case_id,
                name=case.number,
                category="case",
                level=case_level[case_id],
                url=_case_url(user, case) if mine else "",
                detail=detail,
            )
        )
    for asset in assets:
        label = str(asset.get_category_display())
        candidates.append(
            GraphNode(
                id=asset_node_id(asset.pk),
                kind="asset",
                pk=asset.pk,
                name=f"{label} {asset.description}".strip() if asset.description else label,
                category="asset",
                level=hops[asset.debtor_id] + 0.5,
                url=_case_url(user, asset.case),
                detail={
                    "category": label,
                    "description": asset.description,
                    "value": _money(asset.value),
                    "case": asset.case.number,
                },
            )
        )
    order = {"party": 0, "case": 1, "asset": 2}
    candidates.sort(key=lambda n: (n.level, order[n.kind], n.pk))
    nodes = candidates[:limit]
    omitted = len(candidates) - len(nodes)
    present = {n.id for n in nodes}

    # ---- links -------------------------------------------------------------------------------------------
    graph_links: list[GraphLink] = []
    for a, b, data in relations.edges(data=True):
        if a not in hops or b not in hops:
            continue
        for relation in data["relations"]:
            graph_links.append(
                GraphLink(
                    source=party_node_id(relation.source_id),
                    target=party_node_id(relation.target_id),
                    kind="relation",
                    label=relation.label,
                    directed=relation.kind not in SYMMETRIC_RELATIONS,
                    detail={"relation": relation.kind, "source": relation.origin},
                )
            )
    for link in links:
        graph_links.append(
            GraphLink(
                source=party_node_id(link.party_id),
                target=case_node_id(link.case_id),
                kind="role",
                label=str(PartyRole(link.role).label),
                detail={"role": link.role},
            )
        )
    for asset in assets:
        graph_links.append(
            GraphLink(
                source=party_node_id(asset.debtor_id),
                target=asset_node_id(asset.pk),
                kind="owner",
                label=_("Owner"),
            )
        )
    for transfer in transfers:
        clue = clues.get(transfer.pk)
        graph_links.append(
            GraphLink(
                source=party_node_id(transfer.from_party_id),
                target=party_node_id(transfer.to_party_id),
                kind="transfer",
                label=_("Transfer %(date)s") % {"date": transfer.transferred_on.isoformat()},
                detail={
                    "description": transfer.description,
                    "category": str(transfer.get_category_display()),
                    "value": _money(transfer.value),
                    "date": transfer.transferred_on.isoformat(),
                },
                clue=_clue_data(clue) if clue else None,
            )
        )
    graph_links = [link for link in graph_links if link.source in present and link.target in present]
    shown_clues = sorted(
        (c for c in clues.values() if party_node_id(c.related_id) in present),
        key=lambda c: (-c.score, c.transfer.transferred_on, c.transfer_id),
    )
    audit_record(
        actor=user,
        action="party.read_graph",
        obj=party,
        reason="relation graph",
        changes={"depth": depth, "parties": sorted(n.pk for n in nodes if n.kind == "party")},
    )
    return Graph(
        party=party, depth=depth, nodes=nodes, links=graph_links, clues=shown_clues, limit=limit, omitted=omitted
    )
