"""The preservation-notice recommendation (财产保全告知书): should the court tell the plaintiff, at filing, of
the right to apply for preservation against this defendant? A rule-based score, 0–100, from what is known
about the defendant, each factor with its points and its reason; the clerk decides.

- known assets (preservation measures in force against the party, plus what asset providers report): up to 20;
- debts (the amounts of the other open cases where the party is on the opposing side): up to 25;
- open enforcement cases as debtor (the filing checks, source "enforcement"): up to 30;
- credit record (the filing checks, source "credit": dishonest list, restrictions): 25.

The assets app registers an asset provider here in its ``AppConfig.ready()``; until then only preservation
measures count. Every provider answers for a list of party ids in one query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from core.money import format_yuan

from .checks import party_records
from .choices import OPPOSING_ROLES, MeasureStatus
from .models import Case, CaseParty, EffectiveDocument, Party, PreservationMeasure

THRESHOLD = 40
AssetProvider = Callable[[list[int]], dict[int, int]]
_ASSET_PROVIDERS: dict[str, AssetProvider] = {}


def register_asset_provider(name: str, provider: AssetProvider) -> None:
    """``provider(party_ids) -> {party_id: number of known assets}``, in one query (replaces by name)."""
    _ASSET_PROVIDERS[name] = provider


@dataclass(frozen=True)
class Reason:
    factor: str  # "assets", "debts", "enforcement", "credit"
    points: int
    text: str


@dataclass(frozen=True)
class Recommendation:
    party_id: int
    score: int
    recommended: bool
    reasons: list[Reason]

    def reasons_as_data(self) -> list[dict]:
        return [asdict(reason) for reason in self.reasons]


def _known_assets(party: Party) -> int:
    count = PreservationMeasure.objects.filter(
        application__respondent=party, status__in=[MeasureStatus.ACTIVE, MeasureStatus.WAITING]
    ).count()
    for provider in _ASSET_PROVIDERS.values():
        count += provider([party.pk]).get(party.pk, 0)
    return count


def _open_debts(case: Case, party: Party) -> tuple[Decimal, int]:
    performed = EffectiveDocument.objects.filter(case_id=OuterRef("case_id"), fully_performed_on__isnull=False)
    totals = (
        CaseParty.objects.filter(party=party, role__in=OPPOSING_ROLES)
        .exclude(case_id=case.pk)
        .exclude(Exists(performed))
        .aggregate(total=Sum("case__amount"), count=Count("case_id", distinct=True))
    )
    return totals["total"] or Decimal("0"), totals["count"]


def recommend(*, case: Case, party: Party) -> Recommendation:
    reasons: list[Reason] = []
    assets = _known_assets(party)
    if assets:
        reasons.append(
            Reason(
                "assets",
                min(20, 10 + 5 * (assets - 1)),
                _("%(count)d known asset(s) of the defendant that preservation could secure.") % {"count": assets},
            )
        )
    else:
        reasons.append(Reason("assets", 0, _("No property of the defendant is known yet.")))

    debts, debt_cases = _open_debts(case, party)
    if debts:
        points = 25 if debts >= 3 * case.amount else 18 if debts >= case.amount else 10
        text = _("Claims of %(total)s against the defendant in %(count)d other open case(s).") % {
            "total": format_yuan(debts),
            "count": debt_cases,
        }
        reasons.append(Reason("debts", points, text))
    else:
        reasons.append(Reason("debts", 0, _("No other open claims against the defendant.")))

    records = party_records([party.pk], case_id=case.pk).get(party.pk, [])
    enforcement = [r for r in records if r.source == "enforcement"]
    cases_as_debtor = sum(r.count for r in enforcement)
    if cases_as_debtor:
        points = 30 if cases_as_debtor >= 3 else 22 if cases_as_debtor == 2 else 15
        reasons.append(Reason("enforcement", points, _("; ").join(r.message for r in enforcement)))
    else:
        reasons.append(Reason("enforcement", 0, _("Not a debtor in any open enforcement case.")))
    credit = [r for r in records if r.source == "credit"]
    if credit:
        reasons.append(Reason("credit", 25, _("; ").join(r.message for r in credit)))
    else:
        reasons.append(Reason("credit", 0, _("Nothing on the credit lists.")))

    score = min(100, sum(r.points for r in reasons))
    return Recommendation(party_id=party.pk, score=score, recommended=score >= THRESHOLD, reasons=reasons)
