"""Hidden-asset clues (隐匿财产线索): property a debtor passed to a related party shortly before the case was
filed or at any time after, found on the relation graph (``cases.relations``). Rules first, each clue
with its reasons; the officer decides what to make of it.

The rules:
- the debtors of a case are its parties in the roles debtor (被执行人), defendant (被告) and respondent
  (被申请人);
- a transfer is a clue when it goes FROM a debtor TO a party within ``MAX_HOPS`` (2) hops of that debtor on
  the relation graph, and it was made on or after the same calendar date one year before the filing date
  ("within 12 months before filing", inclusive; 29 February falls back to 28 February), or at any time
  after filing; a transfer made earlier, or to a party with no relation within two hops, is not a clue;
- a transfer to another debtor of the same case is not a clue: the property stays within the creditor's
  reach;
- the severity score (0–100) adds three explained parts: how close the relation is (direct 40, two hops
  20), when it happened (after filing 30, within 3 months before 25, within 6 months 15, earlier 10) and
  its value against the amount in dispute (≥ 100 % 30, ≥ 50 % 20, ≥ 10 % 10, less 5). High ≥ 70,
  medium ≥ 45, low below.

Cost: the graph's queries (three per hop, one for names), one for the case's parties unless they are
prefetched, one for the transfers: a fixed handful per case whatever the number of parties.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx
from django.utils.translation import gettext as _

from .choices import PartyRole
from .models import Case, PropertyTransfer
from .relations import DEFAULT_DEPTH, graph_data, path_text, paths_from, relation_graph

MAX_HOPS = DEFAULT_DEPTH
DEBTOR_ROLES = frozenset({PartyRole.DEBTOR, PartyRole.DEFENDANT, PartyRole.RESPONDENT})
HIGH, MEDIUM = 70, 45


def one_year_before(day: dt.date) -> dt.date:
    """The same calendar date a year earlier (29 February → 28 February): the first day of the window."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass
class Reason:
    code: str
    text: str
    points: int

    def as_data(self) -> dict:
        return {"code": self.code, "text": self.text, "points": self.points}


@dataclass
class Clue:
    transfer: PropertyTransfer
    debtor_id: int
    debtor_name: str
    related_id: int
    related_name: str
    hops: int
    path: str
    days_from_filing: int  # negative: before filing
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(r.points for r in self.reasons)

    @property
    def level(self) -> str:
        return "high" if self.score >= HIGH else "medium" if self.score >= MEDIUM else "low"


@dataclass
class Related:
    debtor_id: int
    party_id: int
    name: str
    hops: int
    path: str


@dataclass
class ClueReport:
    case: Case
    debtors: list
    clues: list[Clue]
    related: list[Related]
    graph: nx.Graph

    def graph_data(self) -> dict:
        return graph_data(self.graph, centre_ids=[d.pk for d in self.debtors])


def _proximity(hops: int, path: str) -> Reason:
    points = 40 if hops == 1 else 20
    return Reason("relation", _("Related party: %(path)s") % {"path": path}, points)


def _timing(days: int) -> Reason:
    if days >= 0:
        return Reason("after_filing", _("Transferred %(days)d days after filing.") % {"days": days}, 30)
    before = -days
    points = 25 if before <= 91 else 15 if before <= 183 else 10
    return Reason("before_filing", _("Transferred %(days)d days before filing.") % {"days": before}, points)


def _value(value: Decimal, amount: Decimal) -> Reason:
    ratio = value / amount if amount else Decimal(0)
    points = 30 if ratio >= 1 else 20 if ratio >= Decimal("0.5") else 10 if ratio >= Decimal("0.1") else 5
    percent = (ratio * 100).quantize(Decimal("1"))
    return Reason(
        "value",
        _("Value %(value)s yuan, %(percent)s%% of the amount in dispute.")
        % {"value": f"{value:,.2f}", "percent": percent},
        points,
    )


def transfer_clue(
    *, case: Case, transfer: PropertyTransfer, graph: nx.Graph, steps, debtor_ids, factory=Clue, **extra
) -> Clue | None:
    """``transfer`` as a clue of ``case`` (a ``factory`` instance, with ``extra`` fields), or None: it must fall
    in the year before filing or after, reach its receiver along ``steps`` (the path on ``graph`` from the
    transferring debtor, none when unrelated) and not go to another debtor of the case (``debtor_ids``)."""
    if not steps or transfer.to_party_id in debtor_ids or transfer.transferred_on < one_year_before(case.filing_date):
        return None
    path = path_text(graph, steps)
    days = (transfer.transferred_on - case.filing_date).days
    return factory(
        transfer=transfer,
        debtor_id=transfer.from_party_id,
        debtor_name=graph.nodes[transfer.from_party_id].get("name", ""),
        related_id=transfer.to_party_id,
        related_name=graph.nodes[transfer.to_party_id].get("name", ""),
        hops=len(steps),
        path=path,
        days_from_filing=days,
        reasons=[_proximity(len(steps), path), _timing(days), _value(transfer.value, case.amount)],
        **extra,
    )


def clue_report(*, case: Case) -> ClueReport:
    """The case's debtors, every party related to them within two hops, and the clues (see the module)."""
    links = [link for link in case.party_links.all() if link.role in DEBTOR_ROLES]
    debtors = [link.party for link in links]
    debtor_ids = {d.pk for d in debtors}
    graph = relation_graph(party_ids=debtor_ids, depth=MAX_HOPS)
    paths = {d.pk: paths_from(graph, d.pk, depth=MAX_HOPS) for d in debtors}
    related = [
        Related(d.pk, target, graph.nodes[target].get("name", ""), len(steps), path_text(graph, steps))
        for d in debtors
        for target, steps in sorted(paths[d.pk].items(), key=lambda item: (len(item[1]), item[0]))
        if target not in debtor_ids
    ]
    clues: list[Clue] = []
    if debtor_ids:
        transfers = PropertyTransfer.objects.filter(
            from_party_id__in=debtor_ids, transferred_on__gte=one_year_before(case.filing_date)
        ).order_by("transferred_on", "id")
        for transfer in transfers:
            steps = paths[transfer.from_party_id].get(transfer.to_party_id)
            clue = transfer_clue(case=case, transfer=transfer, graph=graph, steps=steps, debtor_ids=debtor_ids)
            if clue is not None:
                clues.append(clue)
    clues.sort(key=lambda c: (-c.score, c.transfer.transferred_on, c.transfer.pk))
    return ClueReport(case=case, debtors=debtors, clues=clues, related=related, graph=graph)


def hidden_asset_clues(*, case: Case) -> list[Clue]:
    """The clues of ``case``, the most severe first."""
    return clue_report(case=case).clues
