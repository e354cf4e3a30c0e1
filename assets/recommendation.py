"""Scoring of auction platforms and valuers from the recorded history, per asset category, and a ranked
recommendation shown to the officer beside the choice (the officer decides; nothing is chosen automatically).

Auction platforms (``Auction`` rows): volume (rounds held, withdrawn and suspended ones excluded), success rate
(sold / finished, finished = sold, failed or defaulted), average premium over the starting price
((final − start) / start, sold rounds), average days to sale (announcement → close, sold rounds).
Valuers (``PriceQuote`` rows of agencies of kind valuer, read only): volume (reports answered), objection rate
(reports objected to / reports), on-time rate (reports not late / reports).

When a category has fewer than ``MIN_HISTORY`` finished rounds (or reports) across all agencies, the figures
come from every category and the reasons say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .choices import AgencyKind, AssetCategory, AuctionStatus
from .models import Agency, Auction, PriceQuote

MIN_HISTORY = 5
FINISHED = (AuctionStatus.SOLD, AuctionStatus.FAILED, AuctionStatus.DEFAULTED)
PERCENT = Decimal("1")


@dataclass
class Recommendation:
    agency: Agency
    volume: int = 0
    finished: int = 0
    sold: int = 0
    success_rate: Decimal | None = None
    average_premium: Decimal | None = None
    average_days_to_sale: Decimal | None = None
    objected: int = 0
    objection_rate: Decimal | None = None
    on_time_rate: Decimal | None = None
    all_categories: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> tuple:
        """Ranking key (higher first): rates, then volume; agencies without history last."""
        if self.agency.kind == AgencyKind.VALUER:
            if not self.volume:
                return (0, Decimal(0), Decimal(0), 0)
            return (1, 1 - self.objection_rate, self.on_time_rate, self.volume)
        if not self.finished:
            return (0, Decimal(0), Decimal(0), 0)
        return (1, self.success_rate, self.average_premium or Decimal(0), self.finished)


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{(value * 100).quantize(PERCENT, rounding=ROUND_HALF_UP)} %"


def _ratio(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _category_label(category: str | None) -> str:
    return AssetCategory(category).label if category in AssetCategory.values else _("assets")


def _platform_rows(category: str | None) -> dict[int, list[Auction]]:
    rows = Auction.objects.exclude(status__in=(AuctionStatus.WITHDRAWN, AuctionStatus.SUSPENDED))
    if category:
        rows = rows.filter(asset__category=category)
    grouped: dict[int, list[Auction]] = {}
    for auction in rows.only("platform_id", "status", "starting_price", "final_price", "announced_on", "closed_at"):
        grouped.setdefault(auction.platform_id, []).append(auction)
    return grouped


def _score_platform(entry: Recommendation, auctions: list[Auction], label: str) -> None:
    finished = [a for a in auctions if a.status in FINISHED]
    sold = [a for a in finished if a.status in (AuctionStatus.SOLD, AuctionStatus.DEFAULTED) and a.final_price]
    sold_ok = [a for a in finished if a.status == AuctionStatus.SOLD]
    entry.volume, entry.finished, entry.sold = len(auctions), len(finished), len(sold_ok)
    entry.success_rate = _ratio(len(sold_ok), len(finished))
    if sold:
        premiums = [(a.final_price - a.starting_price) / a.starting_price for a in sold]
        entry.average_premium = sum(premiums, Decimal(0)) / len(premiums)
    timed = [a for a in sold_ok if a.closed_at]
    if timed:
        days = [Decimal((a.closed_at.date() - a.announced_on).days) for a in timed]
        entry.average_days_to_sale = (sum(days, Decimal(0)) / len(days)).quantize(Decimal("0.1"))
    if not finished:
        entry.reasons.append(_("No finished auction of %(category)s recorded.") % {"category": label})
        return
    entry.reasons.append(
        _("Sold %(sold)s of %(finished)s %(category)s, average premium %(premium)s.")
        % {"sold": len(sold_ok), "finished": len(finished), "category": label, "premium": _pct(entry.average_premium)}
    )
    if entry.average_days_to_sale is not None:
        entry.reasons.append(
            _("On average %(days)s days from announcement to sale.") % {"days": entry.average_days_to_sale}
        )


def _valuer_rows(category: str | None) -> dict[int, list[PriceQuote]]:
    rows = PriceQuote.objects.filter(agency__kind=AgencyKind.VALUER, answered_at__isnull=False)
    if category:
        rows = rows.filter(reference_price__asset__category=category)
    grouped: dict[int, list[PriceQuote]] = {}
    for quote in rows.only("agency_id", "objected", "late"):
        grouped.setdefault(quote.agency_id, []).append(quote)
    return grouped


def _score_valuer(entry: Recommendation, quotes: list[PriceQuote], label: str) -> None:
    entry.volume = len(quotes)
    entry.objected = sum(1 for q in quotes if q.objected)
    entry.objection_rate = _ratio(entry.objected, len(quotes))
    entry.on_time_rate = _ratio(sum(1 for q in quotes if not q.late), len(quotes))
    if not quotes:
        entry.reasons.append(_("No valuation report on %(category)s recorded.") % {"category": label})
        return
    entry.reasons.append(
        _("%(objected)s of %(count)s reports on %(category)s objected to (%(rate)s), %(on_time)s on time.")
        % {
            "objected": entry.objected,
            "count": len(quotes),
            "category": label,
            "rate": _pct(entry.objection_rate),
            "on_time": _pct(entry.on_time_rate),
        }
    )


def recommend_platforms(*, category: str | None, kind: str = AgencyKind.AUCTION_PLATFORM) -> list[Recommendation]:
    """The active agencies of ``kind`` (auction platforms or valuers) ranked by their record on ``category``,
    each with its figures and reasons; falls back to every category when this one has little history."""
    if kind not in (AgencyKind.AUCTION_PLATFORM, AgencyKind.VALUER):
        raise ValueError(kind)
    agencies = list(Agency.objects.filter(kind=kind, active=True).order_by("name", "pk"))
    rows_of, score = (
        (_platform_rows, _score_platform) if kind == AgencyKind.AUCTION_PLATFORM else (_valuer_rows, _score_valuer)
    )
    rows = rows_of(category)
    history = sum(
        len([r for r in group if not isinstance(r, Auction) or r.status in FINISHED]) for group in rows.values()
    )
    fallback = bool(category) and history < MIN_HISTORY
    if fallback:
        rows = rows_of(None)
    label = _("assets of every kind") if fallback else _category_label(category)
    entries = []
    for agency in agencies:
        entry = Recommendation(agency=agency, all_categories=fallback)
        score(entry, rows.get(agency.pk, []), label)
        if fallback:
            entry.reasons.append(
                _("Little history on %(category)s (%(count)s recorded): figures from every category.")
                % {"category": _category_label(category), "count": history}
            )
        entries.append(entry)
    entries.sort(key=lambda e: e.score, reverse=True)
    return entries
