"""繁简分流: a rule-based difficulty score for an enforcement case, with every point explained.

The paper (§4) asks for decision support that is rules first and explainable: the officer sees each factor,
the points it added or took away and why. The score is the sum of the factors' points, clamped to 0–100;
``COMPLEX_THRESHOLD`` or more routes the case to the complex track (繁案), less to the simple track (简案).

Factors, each from facts the system holds (a factor with no data behind it adds no row, never a guess):
- the amount to enforce, in bands;
- the debtors: an organisation is harder to enforce against than a person; several debtors add work;
- known assets: preservation measures carried into the case (保全转执行) make it simpler, more so when the
  controlled amount covers the claim;
- other open enforcement cases against a debtor, other pending lawsuits against it and a credit listing,
  from ``cases.checks.party_records`` (the providers the cases, enforcement and credit apps register);
- the debtor's business status (吊销/注销/经营异常): nothing records it yet; ``register_business_status``
  is the hook a later app (the credit feed, a registry query) fills;
- the source document: a mediation statement (调解书) is the debtor's own agreement and usually simpler.

Reading only: ``triage_score`` writes nothing; ``services.assignment.case_triage`` stores the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from cases.checks import PartyRecord, party_records
from cases.choices import DocumentKind, MeasureStatus, PartyKind, PartyRole
from cases.models import CaseParty, Party, PreservationMeasure
from core.money import format_yuan

from .choices import OPEN_STATUSES, Track

COMPLEX_THRESHOLD = 35

# (upper bound of the band in yuan, points); the last band has no upper bound.
AMOUNT_BANDS: tuple[tuple[Decimal | None, int], ...] = (
    (Decimal("50000"), 0),
    (Decimal("200000"), 8),
    (Decimal("1000000"), 16),
    (Decimal("5000000"), 24),
    (None, 32),
)
ORGANISATION_POINTS = 12
PERSON_POINTS = 4
EXTRA_DEBTOR_POINTS = 6
EXTRA_DEBTOR_CAP = 12
OTHER_CASE_POINTS = 6
OTHER_CASE_CAP = 24
CREDIT_LISTED_POINTS = 15
PENDING_LAWSUIT_POINTS = 3
PENDING_LAWSUIT_CAP = 9
PRESERVED_POINTS = -10
PRESERVED_COVERS_POINTS = -20
MEDIATION_POINTS = -8

# A provider answers, for debtor parties, what is known of their business status:
# ``{party_id: (points, text)}`` for the parties it knows something about.
BusinessStatusProvider = Callable[[list[Party]], dict[int, tuple[int, str]]]
_BUSINESS_STATUS_PROVIDERS: dict[str, BusinessStatusProvider] = {}


def register_business_status(name: str, provider: BusinessStatusProvider) -> None:
    """Let a later app (credit feed, registry query) answer the business-status factor (replaces by name)."""
    _BUSINESS_STATUS_PROVIDERS[name] = provider


@dataclass(frozen=True)
class TriageResult:
    score: int
    track: str
    reasons: list[dict] = field(default_factory=list)


def _reason(factor: str, points: int, text: str) -> dict:
    return {"factor": factor, "points": points, "text": text}


def _amount_reason(amount: Decimal) -> dict:
    lower = Decimal("0")
    for upper, points in AMOUNT_BANDS:
        if upper is None or amount <= upper:
            if upper is None:
                text = _("Amount to enforce %(amount)s: above %(lower)s.") % {
                    "amount": format_yuan(amount),
                    "lower": format_yuan(lower),
                }
            else:
                text = _("Amount to enforce %(amount)s: band up to %(upper)s.") % {
                    "amount": format_yuan(amount),
                    "upper": format_yuan(upper),
                }
            return _reason("amount", points, text)
        lower = upper
    raise AssertionError("the last band is unbounded")  # pragma: no cover


def _debtor_reasons(debtors: list[Party]) -> list[dict]:
    reasons = []
    organisations = [d for d in debtors if d.kind == PartyKind.ORGANISATION]
    if organisations:
        reasons.append(
            _reason(
                "debtor_type",
                ORGANISATION_POINTS,
                _("The debtor %(name)s is an organisation.") % {"name": organisations[0].name},
            )
        )
    elif debtors:
        reasons.append(
            _reason(
                "debtor_type", PERSON_POINTS, _("The debtor %(name)s is a natural person.") % {"name": debtors[0].name}
            )
        )
    if len(debtors) > 1:
        points = min(EXTRA_DEBTOR_POINTS * (len(debtors) - 1), EXTRA_DEBTOR_CAP)
        reasons.append(
            _reason("several_debtors", points, _("%(count)d debtors on the case.") % {"count": len(debtors)})
        )
    return reasons


def _asset_reason(case) -> dict | None:
    measures = PreservationMeasure.objects.filter(
        carried_into=case, status__in=[MeasureStatus.ACTIVE, MeasureStatus.WAITING]
    )
    facts = measures.aggregate(total=Sum("amount"), count=Count("id"))
    count = facts["count"]
    if not count:
        return None
    controlled = facts["total"] or Decimal("0")
    if controlled >= case.amount:
        return _reason(
            "known_assets",
            PRESERVED_COVERS_POINTS,
            _("%(count)d preservation measure(s) carried over control %(controlled)s, covering the claim.")
            % {"count": count, "controlled": format_yuan(controlled)},
        )
    return _reason(
        "known_assets",
        PRESERVED_POINTS,
        _("%(count)d preservation measure(s) carried over into the case.") % {"count": count},
    )


def _other_open_cases(enforcement_case, debtors: list[Party]) -> dict[int, int]:
    """Open enforcement cases, other than this one, in which each debtor is a debtor (one query). The
    enforcement app's own fact, so read here rather than through the provider registry, which is there for
    apps below enforcement and counts the case being checked unless told otherwise."""
    rows = (
        CaseParty.objects.filter(
            party_id__in=[d.pk for d in debtors], role=PartyRole.DEBTOR, case__enforcement__status__in=OPEN_STATUSES
        )
        .exclude(case_id=enforcement_case.case_id)
        .values("party_id")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return {row["party_id"]: row["n"] for row in rows}


def _record_reasons(enforcement_case, debtors: list[Party]) -> list[dict]:
    """Other open enforcement cases, pending lawsuits and credit listings of the debtors: one call to the
    providers for all of them, which leave this case out of their counts."""
    records = party_records([d.pk for d in debtors], case_id=enforcement_case.case_id)
    names = {d.pk: d.name for d in debtors}
    found: dict[str, list[tuple[str, PartyRecord]]] = {}
    for party_id, party_found in records.items():
        for record in party_found:
            # Enforcement's own cases are counted here directly (below), leaving this case out.
            if record.count > 0 and record.source != "enforcement":
                found.setdefault(record.source, []).append((names[party_id], record))
    for party_id, count in _other_open_cases(enforcement_case, debtors).items():
        record = PartyRecord("enforcement", "debtor_in_open_enforcement", count, "")
        found.setdefault("enforcement", []).append((names[party_id], record))
    reasons = []
    if found.get("enforcement"):
        count = sum(r.count for _name, r in found["enforcement"])
        reasons.append(
            _reason(
                "other_cases",
                min(OTHER_CASE_POINTS * count, OTHER_CASE_CAP),
                _("%(names)s: debtor in %(count)d other open enforcement case(s).")
                % {"names": "、".join(sorted({n for n, _r in found["enforcement"]})), "count": count},
            )
        )
    if found.get("cases"):
        count = sum(r.count for _name, r in found["cases"])
        reasons.append(
            _reason(
                "pending_lawsuits",
                min(PENDING_LAWSUIT_POINTS * count, PENDING_LAWSUIT_CAP),
                _("%(names)s: defendant in %(count)d other pending lawsuit(s).")
                % {"names": "、".join(sorted({n for n, _r in found["cases"]})), "count": count},
            )
        )
    if found.get("credit"):
        listed = [f"{name}：{record.message}" for name, record in found["credit"]]
        reasons.append(
            _reason("credit", CREDIT_LISTED_POINTS, _("Credit record: %(records)s.") % {"records": "；".join(listed)})
        )
    return reasons


def _business_status_reasons(debtors: list[Party]) -> list[dict]:
    """Nothing records business status yet: with no provider registered this adds no reason at all."""
    reasons = []
    for name, provider in _BUSINESS_STATUS_PROVIDERS.items():
        for party_id, (points, text) in provider(debtors).items():
            reasons.append(_reason(f"business_status:{name}:{party_id}", points, text))
    return reasons


def _document_reason(enforcement_case) -> dict | None:
    document = enforcement_case.source_document
    if document is None:
        return None
    if document.kind == DocumentKind.MEDIATION:
        return _reason(
            "source_document",
            MEDIATION_POINTS,
            _("Based on a mediation statement: the debtor agreed to the obligation, usually simpler."),
        )
    return None


def track_for(score: int) -> str:
    return Track.COMPLEX if score >= COMPLEX_THRESHOLD else Track.SIMPLE


def triage_score(enforcement_case) -> TriageResult:
    """Score ``enforcement_case`` from what is on record now; reads only (a handful of queries)."""
    case = enforcement_case.case
    debtors = [
        link.party
        for link in CaseParty.objects.filter(case=case, role=PartyRole.DEBTOR)
        .select_related("party")
        .order_by("position", "id")
    ]
    reasons = [_amount_reason(case.amount), *_debtor_reasons(debtors)]
    asset = _asset_reason(case)
    if asset:
        reasons.append(asset)
    reasons += _record_reasons(enforcement_case, debtors)
    reasons += _business_status_reasons(debtors)
    document = _document_reason(enforcement_case)
    if document:
        reasons.append(document)
    score = max(0, min(100, sum(r["points"] for r in reasons)))
    return TriageResult(score=score, track=track_for(score), reasons=reasons)
