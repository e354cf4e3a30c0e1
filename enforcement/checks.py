"""Enforcement's answer to the filing-time checks (``cases.checks``): the open enforcement cases in which a
party is the debtor, registered in ``EnforcementConfig.ready()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from cases.checks import PartyRecord, checked_case_id
from cases.choices import PartyRole
from cases.models import CaseParty

from .choices import OPEN_STATUSES


def debtor_in_open_enforcement(party_ids: list[int]) -> dict[int, list[PartyRecord]]:
    """One query for all the parties: ``CaseParty (party, role)`` index, joined to the enforcement status."""
    links = CaseParty.objects.filter(
        party_id__in=party_ids, role=PartyRole.DEBTOR, case__enforcement__status__in=OPEN_STATUSES
    )
    if (own_case := checked_case_id()) is not None:
        links = links.exclude(case_id=own_case)  # a case is never its own cross-case finding
    rows = links.values("party_id").annotate(n=Count("case_id", distinct=True)).order_by()
    return {
        row["party_id"]: [
            PartyRecord(
                source="enforcement",
                code="debtor_in_open_enforcement",
                count=row["n"],
                message=_("is the debtor in %(count)d open enforcement case(s)") % {"count": row["n"]},
            )
        ]
        for row in rows
    }


# ---- what the 终本 checklist reads from the apps to the right (architecture.md: a registry, not an import) ---


@dataclass(frozen=True)
class TerminationFact:
    """One fact an app to the right of enforcement knows about a case, for the 终本 checklist (终本规定 2016
    art. 1). Codes read by ``enforcement.termination``:

    - ``network_query`` (assets): ``met`` when a network query over every category has completed for every
      debtor; ``details``: ``batch`` (id), ``completed_at`` (ISO), ``unreached_categories`` (categories no
      agency answered, so an on-site investigation must cover them, art. 3(3); ``unreached_labels`` their names),
      ``property`` (list of
      ``{"category", "identifier", "description", "value"}`` of property found, value as a string or None),
      ``property_value`` (string, the sum of the values found);
    - ``consumption_restriction`` and ``dishonest_listing`` (credit, issue 6): ``met`` when issued / listed;
      ``details["eligible"]`` for the listing. Until credit answers, the officer's recorded decision counts.
    """

    code: str
    met: bool
    message: str
    details: dict = field(default_factory=dict)


_termination_fact_providers: dict[str, Callable[[Any], list[TerminationFact]]] = {}


def register_termination_fact_provider(name: str, provider: Callable[[Any], list[TerminationFact]]) -> None:
    """Register ``provider(enforcement_case) -> [TerminationFact]`` under ``name`` (once per app; reads only)."""
    _termination_fact_providers[name] = provider


def termination_facts(enforcement_case) -> dict[str, TerminationFact]:
    """Every registered provider's facts about the case, by code."""
    facts: dict[str, TerminationFact] = {}
    for provider in _termination_fact_providers.values():
        for fact in provider(enforcement_case):
            facts[fact.code] = fact
    return facts


# ---- what the distribution reads from the apps to the right (清偿顺序: the order of control, secured claims) --


@dataclass(frozen=True)
class DistributionClaimHint:
    """A claim an app to the right of enforcement knows about, offered to the officer proposing a distribution
    (never applied on its own: the officer lists the claims). ``kind`` is ``secured`` (a mortgage or pledge on
    the property sold, 优先受偿) or ``ordinary``; ``recipient`` the creditor's party id; ``control_position`` the
    creditor's place in the order of control of the property (1 = 首封, first frozen: 解释 2022 art. 514);
    ``amount`` the claim if known (Decimal or None); ``source`` a short description (the measure, the asset)."""

    kind: str
    recipient: int | None
    control_position: int | None = None
    amount: Any = None
    source: str = ""


_distribution_claim_providers: dict[str, Callable[[Any], list[DistributionClaimHint]]] = {}


def register_distribution_claim_provider(name: str, provider: Callable[[Any], list[DistributionClaimHint]]) -> None:
    """Register ``provider(enforcement_case) -> [DistributionClaimHint]`` under ``name`` (once per app; reads
    only). Assets registers the order of control of the case's controlled property."""
    _distribution_claim_providers[name] = provider


def distribution_claim_hints(enforcement_case) -> list[DistributionClaimHint]:
    """Every registered provider's hints about the case (secured first, then by position in the order of
    control)."""
    hints: list[DistributionClaimHint] = []
    for provider in _distribution_claim_providers.values():
        hints.extend(provider(enforcement_case))
    return sorted(
        hints,
        key=lambda h: (h.kind != "secured", h.control_position if h.control_position is not None else 10**9),
    )


# ---- what an app to the right knows about an asset (for objections, 民诉法 2023 art. 238) ------------------------


@dataclass(frozen=True)
class AssetFacts:
    """An asset as enforcement needs it for a third-party objection: the case it belongs to (``cases.Case`` pk),
    a label, and whether its enforcement has ended (sold at auction or settled in kind: 解释 2022 art. 462)."""

    case_id: int
    label: str
    disposed: bool


_asset_facts_provider: Callable[[int], AssetFacts | None] | None = None


def register_asset_facts_provider(provider: Callable[[int], AssetFacts | None]) -> None:
    """Assets registers ``provider(asset_id) -> AssetFacts | None`` (reads only)."""
    global _asset_facts_provider
    _asset_facts_provider = provider


def asset_facts(asset_id: int) -> AssetFacts | None:
    """The facts of asset ``asset_id``, or None when unknown (or no app provides assets)."""
    return _asset_facts_provider(asset_id) if _asset_facts_provider is not None else None
