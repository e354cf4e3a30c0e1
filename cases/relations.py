"""The relation graph of parties (networkx): recorded ``PartyRelation`` rows plus edges derived from
parties sharing an address or a phone number.

Derived edges: two parties whose ``Party.address`` (or ``Party.phone``) is the same once every whitespace
character is removed are related (``shared_address`` / ``shared_phone``). A value shared by more than
``MAX_SHARED_CONTACT`` parties is a mass-registration address or a switchboard, not a link between people,
and is ignored.

The graph is undirected for reachability; every edge keeps its relations with their recorded direction so
that a path reads the right way round ("张三 → 股东 → 某公司" is 张三 holding shares in 某公司).
Building it costs a fixed number of queries per hop (three), whatever the number of parties.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Replace

from .choices import SYMMETRIC_RELATIONS, RelationKind
from .models import Party, PartyRelation

MAX_SHARED_CONTACT = 8
DEFAULT_DEPTH = 2
_WHITESPACE = (" ", "\u3000", "\t", "\n", "\r")


def normalise_contact(value: str) -> str:
    """An address or phone with every whitespace character removed ("北京市 朝阳区" = "北京市朝阳区")."""
    return "".join((value or "").split()).replace("\u3000", "")


def _normalised(field: str) -> Func:
    expression = F(field)
    for character in _WHITESPACE:
        expression = Replace(expression, Value(character), Value(""))
    return expression


@dataclass(frozen=True)
class Relation:
    """One relation on an edge: ``source_id`` is the ``kind`` of ``target_id`` (e.g. its shareholder)."""

    kind: str
    source_id: int
    target_id: int
    share: object = None
    origin: str = ""  # the registry or "officer"; "derived" for a shared address or phone
    relation_id: int | None = None

    @property
    def label(self) -> str:
        text = str(RelationKind(self.kind).label)
        return f"{text} {self.share.normalize():f}%" if self.share is not None else text


def _add(graph: nx.Graph, relation: Relation) -> None:
    a, b = relation.source_id, relation.target_id
    if graph.has_edge(a, b):
        relations = graph[a][b]["relations"]
        if all((r.kind, r.source_id) != (relation.kind, relation.source_id) for r in relations):
            relations.append(relation)
    else:
        graph.add_edge(a, b, relations=[relation])


def _recorded(frontier: set[int]) -> list[Relation]:
    rows = PartyRelation.objects.filter(Q(party_a_id__in=frontier) | Q(party_b_id__in=frontier)).values_list(
        "pk", "party_a_id", "party_b_id", "kind", "share", "source"
    )
    return [Relation(kind, a, b, share, source, pk) for pk, a, b, kind, share, source in rows]


def _derived(frontier: set[int]) -> list[Relation]:
    """Parties sharing an address or a phone with a party of ``frontier`` (two queries)."""
    own = list(Party.objects.filter(pk__in=frontier).values_list("pk", "address", "phone"))
    addresses = {normalise_contact(a) for _pk, a, _p in own} - {""}
    phones = {normalise_contact(p) for _pk, _a, p in own} - {""}
    if not addresses and not phones:
        return []
    matches = (
        Party.objects.annotate(zx_address=_normalised("address"), zx_phone=_normalised("phone"))
        .filter(Q(zx_address__in=addresses) | Q(zx_phone__in=phones))
        .values_list("pk", "zx_address", "zx_phone")
    )
    by_address: dict[str, list[int]] = {}
    by_phone: dict[str, list[int]] = {}
    for pk, address, phone in matches:
        if address in addresses:
            by_address.setdefault(address, []).append(pk)
        if phone in phones:
            by_phone.setdefault(phone, []).append(pk)
    relations = []
    for kind, groups in ((RelationKind.SHARED_ADDRESS, by_address), (RelationKind.SHARED_PHONE, by_phone)):
        for members in groups.values():
            if len(members) > MAX_SHARED_CONTACT:
                continue
            inside = [pk for pk in members if pk in frontier]
            for a in inside:
                for b in members:
                    if a != b:
                        low, high = sorted((a, b))
                        relations.append(Relation(kind, low, high, None, "derived"))
    return relations


def relation_graph(*, party_ids: Iterable[int], depth: int = DEFAULT_DEPTH) -> nx.Graph:
    """The graph of every party within ``depth`` hops of ``party_ids``; nodes carry ``name`` and ``kind``.

    Three queries per hop and one for the names: the frontier grows hop by hop, so the cost follows the
    size of the neighbourhood, never the number of parties in the system."""
    start = {int(pk) for pk in party_ids}
    graph = nx.Graph()
    graph.add_nodes_from(start)
    seen, frontier = set(start), set(start)
    for _hop in range(depth):
        if not frontier:
            break
        for relation in [*_recorded(frontier), *_derived(frontier)]:
            _add(graph, relation)
        reached = set(graph.nodes) - seen
        seen |= reached
        frontier = reached
    for pk, name, kind in Party.objects.filter(pk__in=seen).values_list("pk", "name", "kind"):
        graph.nodes[pk].update(name=name, kind=kind)
    return graph


@dataclass(frozen=True)
class Step:
    """One hop of a path: from ``from_id`` to ``to_id`` through ``relation``; ``forward`` when the relation
    reads from ``from_id`` ("from_id is the shareholder of to_id")."""

    from_id: int
    to_id: int
    relation: Relation

    @property
    def forward(self) -> bool:
        return self.relation.source_id == self.from_id or self.relation.kind in SYMMETRIC_RELATIONS


def _best_relation(relations: list[Relation]) -> Relation:
    """The relation to name on an edge: a recorded one before a derived one, in the order of ``RelationKind``."""
    order = list(RelationKind.values)
    return min(relations, key=lambda r: (r.origin == "derived", order.index(r.kind)))


def paths_from(graph: nx.Graph, party_id: int, *, depth: int = DEFAULT_DEPTH) -> dict[int, list[Step]]:
    """The shortest path (≤ ``depth`` hops) from ``party_id`` to every party it reaches, as steps."""
    if party_id not in graph:
        return {}
    found = nx.single_source_shortest_path(graph, party_id, cutoff=depth)
    paths = {}
    for target, nodes in found.items():
        if target == party_id:
            continue
        paths[target] = [
            Step(a, b, _best_relation(graph[a][b]["relations"])) for a, b in zip(nodes, nodes[1:], strict=False)
        ]
    return paths


def path_text(graph: nx.Graph, steps: list[Step]) -> str:
    """ "张三 → 配偶 → 李四": each hop's relation between arrows pointing the way it reads."""
    if not steps:
        return ""
    parts = [graph.nodes[steps[0].from_id].get("name", "")]
    for step in steps:
        arrow = "→" if step.forward else "←"
        parts.append(f"{arrow} {step.relation.label} {arrow} {graph.nodes[step.to_id].get('name', '')}")
    return " ".join(parts)


def graph_data(graph: nx.Graph, *, centre_ids: Iterable[int] = ()) -> dict:
    """Nodes and links for the page's ECharts graph (names and relation labels only)."""
    centre = set(centre_ids)
    nodes = [
        {"id": str(pk), "name": data.get("name", ""), "category": 0 if pk in centre else 1}
        for pk, data in graph.nodes(data=True)
    ]
    links = [
        {"source": str(a), "target": str(b), "label": " / ".join(str(r.label) for r in data["relations"])}
        for a, b, data in graph.edges(data=True)
    ]
    return {"nodes": nodes, "links": links}
