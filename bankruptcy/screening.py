"""执转破 screening: which corporate debtors look insolvent (企业破产法 art. 2(1): cannot pay the debts due, and the
assets are insufficient or the debtor plainly lacks the ability to pay), from what the system knows about them
across every court. Reads only; ``bankruptcy.services.suggestions_refresh`` writes what it finds.

The indicators and their weights (each shown to the officer as a reason; the officer decides):

- two or more enforcement cases ended as 终本 and not restored — property searched for and not found (+40);
- the amount unpaid across its cases exceeds the value of the property known (+30);
- three or more creditors with cases against it (+15);
- one or more failed auctions (流拍) or unsold sales of its property (+15).

A debtor is *indicated* when it owes something and either has two 终本 cases, or owes more than its known
property while another indicator (creditors, failed auctions) is present.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from assets.choices import AuctionStatus
from assets.models import Asset, Auction
from cases.choices import PartyKind, PartyRole
from cases.models import CaseParty
from enforcement.choices import ClosingKind, Status

ZERO = Decimal("0.00")
TERMINATED_CASES = 2
MANY_CREDITORS = 3
THRESHOLD = 50


@dataclass
class Figures:
    debtor_id: int
    open_cases: int = 0
    terminated_cases: int = 0
    unpaid: Decimal = ZERO
    known_assets: Decimal = ZERO
    creditors: int = 0
    failed_auctions: int = 0
    court_ids: set[int] = field(default_factory=set)

    @classmethod
    def from_json(cls, debtor_id: int, data: dict) -> Figures:
        return cls(
            debtor_id,
            open_cases=int(data.get("open_cases", 0)),
            terminated_cases=int(data.get("terminated_cases", 0)),
            unpaid=Decimal(data.get("unpaid", "0")),
            known_assets=Decimal(data.get("known_assets", "0")),
            creditors=int(data.get("creditors", 0)),
            failed_auctions=int(data.get("failed_auctions", 0)),
        )

    def as_json(self) -> dict:
        return {
            "open_cases": self.open_cases,
            "terminated_cases": self.terminated_cases,
            "unpaid": str(self.unpaid),
            "known_assets": str(self.known_assets),
            "creditors": self.creditors,
            "failed_auctions": self.failed_auctions,
        }


def debtor_figures(debtor_ids: list[int] | None = None) -> dict[int, Figures]:
    """The figures of every organisation that is a debtor in an open or 终本 enforcement case (or of
    ``debtor_ids``), in five aggregate queries whatever their number."""
    live = Q(case__enforcement__status__in=[s for s in Status.values if s != Status.CLOSED]) | Q(
        case__enforcement__closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
        case__enforcement__restorations__isnull=True,
    )
    links = CaseParty.objects.filter(live, role=PartyRole.DEBTOR, party__kind=PartyKind.ORGANISATION)
    if debtor_ids is not None:
        links = links.filter(party_id__in=debtor_ids)
    figures: dict[int, Figures] = {}
    rows = links.values("party_id", "case_id", "case__court_id", "case__enforcement__status").annotate(
        owed=F("case__amount") - F("case__enforcement__performed_amount")
    )
    case_ids_of: dict[int, set[int]] = defaultdict(set)
    for row in rows.distinct():
        f = figures.setdefault(row["party_id"], Figures(row["party_id"]))
        if row["case_id"] in case_ids_of[row["party_id"]]:
            continue
        case_ids_of[row["party_id"]].add(row["case_id"])
        f.court_ids.add(row["case__court_id"])
        if row["case__enforcement__status"] == Status.CLOSED:
            f.terminated_cases += 1
        else:
            f.open_cases += 1
        f.unpaid += max(row["owed"] or ZERO, ZERO).quantize(ZERO)  # SQLite's arithmetic leaves extra places
    if not figures:
        return figures
    ids = list(figures)
    all_cases = {c for cases in case_ids_of.values() for c in cases}
    creditors_of_case: dict[int, set[int]] = defaultdict(set)
    for row in CaseParty.objects.filter(case_id__in=all_cases, role=PartyRole.CREDITOR).values("case_id", "party_id"):
        creditors_of_case[row["case_id"]].add(row["party_id"])
    for debtor_id, cases in case_ids_of.items():
        figures[debtor_id].creditors = len(set().union(*(creditors_of_case[c] for c in cases)))
    # property: one value per distinct (category, identifier), the latest report's
    seen: dict[tuple, Decimal] = {}
    for row in (
        Asset.objects.filter(debtor_id__in=ids, value__isnull=False)
        .order_by("debtor_id", "category", "identifier", "-reported_at")
        .values("debtor_id", "category", "identifier", "value")
    ):
        seen.setdefault((row["debtor_id"], row["category"], row["identifier"]), row["value"])
    for (debtor_id, _category, _identifier), value in seen.items():
        figures[debtor_id].known_assets += Decimal(value).quantize(ZERO)
    failed = (
        Auction.objects.filter(asset__debtor_id__in=ids, status=AuctionStatus.FAILED)
        .values("asset__debtor_id")
        .annotate(n=Count("id"))
    )
    for row in failed:
        figures[row["asset__debtor_id"]].failed_auctions = row["n"]
    return figures


def assess(f: Figures) -> tuple[bool, int, list[str]]:
    """(indicated, score, reasons) for one debtor's figures."""
    reasons: list[str] = []
    score = 0
    if f.terminated_cases >= TERMINATED_CASES:
        score += 40
        reasons.append(
            _("%(n)s enforcement cases ended as 终本: property searched for and not found.") % {"n": f.terminated_cases}
        )
    insufficient = f.unpaid > f.known_assets
    if insufficient:
        score += 30
        reasons.append(
            _("Unpaid %(unpaid)s across its cases against %(assets)s of known property (企业破产法 art. 2).")
            % {"unpaid": f.unpaid, "assets": f.known_assets}
        )
    if f.creditors >= MANY_CREDITORS:
        score += 15
        reasons.append(_("%(n)s creditors have enforcement cases against it.") % {"n": f.creditors})
    if f.failed_auctions:
        score += 15
        reasons.append(_("%(n)s failed auctions (流拍) of its property.") % {"n": f.failed_auctions})
    indicated = f.unpaid > ZERO and (
        f.terminated_cases >= TERMINATED_CASES
        or (insufficient and (f.creditors >= MANY_CREDITORS or f.failed_auctions > 0))
    )
    return indicated, score, reasons


def unpaid_total(debtor_id: int) -> Decimal:
    """What the debtor still owes across its open and 终本 enforcement cases."""
    return debtor_figures([debtor_id]).get(debtor_id, Figures(debtor_id)).unpaid
