"""Similar-case statistics for the decision-support panel: how closed enforcement cases comparable to this one
ended — closure kinds, median and 90th-percentile duration, realisation rate (执行到位率).

Comparable means, from the narrowest to the widest (the first step with at least ``MINIMUM`` cases is used, and
the panel says when it had to widen):

0. the same court, the same cause of action, the same kind of debtor, an amount from ×0.5 to ×2 of this one;
1. every court, the same cause, the same kind of debtor, the same amount band;
2. every court, the same family of causes (借贷, 合同, 劳动, 侵权 …), the same kind of debtor, the same band;
3. as 2 with a wider band, ×0.25 to ×4;
4. every court, every cause, the same kind of debtor, the wider band;
5. every closed case against the same kind of debtor.

The kind of debtor is "organisation" when any debtor of the case is one, else "person". Only counts and sums
leave the database (no other court's case is shown); duration is calendar days from filing to ``closed_on``.

Cost: three queries whatever the number of cases — one counts every step at once, one groups the chosen step
by closure kind with its sums, one reads the chosen step's filing and closing dates for the percentiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from cases.choices import PartyKind, PartyRole
from cases.models import CaseParty
from core.money import format_yuan
from enforcement.choices import ClosingKind, Status
from enforcement.models import EnforcementCase

from .statistics import percentile

MINIMUM = 5
NARROW_BAND = (Decimal("0.5"), Decimal("2"))
WIDE_BAND = (Decimal("0.25"), Decimal("4"))
RATE = Decimal("0.0001")
ZERO = Decimal("0.00")

# Families of causes of action, by a keyword of the cause's name (the first family that matches wins).
CAUSE_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("借贷", ("借款", "借贷", "信用卡", "追偿")),
    ("劳动", ("劳动", "劳务", "工资")),
    ("侵权", ("侵权", "交通事故", "损害赔偿", "人身损害")),
    ("合同", ("合同",)),
)


def cause_family(cause: str) -> tuple[str, tuple[str, ...]] | None:
    """The family ``cause`` belongs to: (name, keywords), or None when no keyword matches."""
    for name, keywords in CAUSE_FAMILIES:
        if any(keyword in cause for keyword in keywords):
            return name, keywords
    return None


@dataclass(frozen=True)
class KindShare:
    kind: str
    label: str
    count: int
    share: Decimal

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f}%"


@dataclass
class SimilarStats:
    """The comparison used (``criteria``, ``step`` 0–5, ``widened``), how many cases it found (``count``; fewer
    than ``MINIMUM`` when even the widest step has fewer: ``enough`` False) and how they ended."""

    criteria: list[str]
    step: int
    widened: bool
    count: int
    enough: bool
    by_kind: list[KindShare] = field(default_factory=list)
    median_days: int | None = None
    p90_days: int | None = None
    amount_applied: Decimal = ZERO
    amount_performed: Decimal = ZERO
    realisation_rate: Decimal | None = None
    note: str = ""

    @property
    def realisation_percent(self) -> str:
        return "—" if self.realisation_rate is None else f"{self.realisation_rate * 100:.1f}%"


def _band(amount: Decimal, band: tuple[Decimal, Decimal]) -> Q:
    low, high = band
    return Q(case__amount__gte=(amount * low).quantize(ZERO), case__amount__lte=(amount * high).quantize(ZERO))


def _steps(enforcement_case: EnforcementCase, debtor_kind: str) -> list[tuple[Q, list[str]]]:
    """Each step's filter and the criteria it states, narrowest first."""
    case = enforcement_case.case
    amount = case.amount
    family = cause_family(case.cause)
    if family is None:
        family_q, family_text = Q(case__cause=case.cause), _("cause: %(cause)s") % {"cause": case.cause}
    else:
        family_q = Q()
        for keyword in family[1]:
            family_q |= Q(case__cause__contains=keyword)
        family_text = _("cause family: %(family)s") % {"family": family[0]}
    kind_text = _("debtor: an organisation") if debtor_kind == PartyKind.ORGANISATION else _("debtor: a natural person")
    narrow = _("amount %(low)s – %(high)s (×0.5 – ×2)") % {
        "low": format_yuan(amount * NARROW_BAND[0]),
        "high": format_yuan(amount * NARROW_BAND[1]),
    }
    wide = _("amount %(low)s – %(high)s (×0.25 – ×4)") % {
        "low": format_yuan(amount * WIDE_BAND[0]),
        "high": format_yuan(amount * WIDE_BAND[1]),
    }
    cause_q, cause_text = Q(case__cause=case.cause), _("cause: %(cause)s") % {"cause": case.cause}
    court_text = _("court: %(court)s") % {"court": case.court.name}
    every_court = _("every court")
    return [
        (Q(case__court_id=case.court_id) & cause_q & _band(amount, NARROW_BAND),
         [court_text, cause_text, kind_text, narrow]),
        (cause_q & _band(amount, NARROW_BAND), [every_court, cause_text, kind_text, narrow]),
        (family_q & _band(amount, NARROW_BAND), [every_court, family_text, kind_text, narrow]),
        (family_q & _band(amount, WIDE_BAND), [every_court, family_text, kind_text, wide]),
        (_band(amount, WIDE_BAND), [every_court, _("every cause"), kind_text, wide]),
        (Q(), [every_court, _("every cause"), kind_text, _("any amount")]),
    ]  # fmt: skip


def _closed_against(debtor_kind: str, exclude_pk: int):
    organisation_debtor = CaseParty.objects.filter(
        case_id=OuterRef("case_id"), role=PartyRole.DEBTOR, party__kind=PartyKind.ORGANISATION
    )
    queryset = (
        EnforcementCase.objects.filter(status=Status.CLOSED, closed_on__isnull=False)
        .exclude(pk=exclude_pk)
        .annotate(organisation_debtor=Exists(organisation_debtor))
    )
    return queryset.filter(organisation_debtor=debtor_kind == PartyKind.ORGANISATION)


def similar_case_stats(*, enforcement_case: EnforcementCase, debtor_kind: str, minimum: int = MINIMUM) -> SimilarStats:
    """How the closed cases comparable to ``enforcement_case`` ended (see the module); three queries."""
    base = _closed_against(debtor_kind, enforcement_case.pk)
    steps = _steps(enforcement_case, debtor_kind)
    counts = base.aggregate(**{f"step{i}": Count("pk", filter=q) for i, (q, _criteria) in enumerate(steps)})
    chosen = next((i for i in range(len(steps)) if counts[f"step{i}"] >= minimum), len(steps) - 1)
    q, criteria = steps[chosen]
    count = counts[f"step{chosen}"]
    stats = SimilarStats(criteria=criteria, step=chosen, widened=chosen > 0, count=count, enough=count >= minimum)
    if stats.widened and stats.enough:
        stats.note = _("Fewer than %(n)s cases matched the narrowest comparison: widened to the criteria shown.") % {
            "n": minimum
        }
    elif not stats.enough:
        stats.note = _("Only %(count)s comparable closed cases even at the widest comparison: read with care.") % {
            "count": count
        }
    if not count:
        return stats
    chosen_cases = base.filter(q)
    rows = chosen_cases.values("closing_kind").annotate(
        n=Count("pk"), applied=Sum("case__amount"), performed=Sum("performed_amount")
    )
    applied = performed = Decimal(0)
    kinds = []
    for row in rows.order_by("-n", "closing_kind"):
        applied += row["applied"] or 0
        performed += row["performed"] or 0
        label = ClosingKind(row["closing_kind"]).label if row["closing_kind"] in ClosingKind.values else "—"
        kinds.append(KindShare(row["closing_kind"], str(label), row["n"], (Decimal(row["n"]) / count).quantize(RATE)))
    stats.by_kind = kinds
    stats.amount_applied = Decimal(applied).quantize(ZERO)
    stats.amount_performed = Decimal(performed).quantize(ZERO)
    stats.realisation_rate = (stats.amount_performed / stats.amount_applied).quantize(RATE) if applied else None
    durations = [
        max((closed_on - filed).days, 0)
        for filed, closed_on in chosen_cases.values_list("case__filing_date", "closed_on")
    ]
    stats.median_days = percentile(durations, 0.5)
    stats.p90_days = percentile(durations, 0.9)
    return stats
