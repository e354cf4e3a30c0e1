"""Builders for the litigation tests: a 民初 case with its parties, a judgment on it, a 财保 case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases.choices import CaseType, DocumentKind, PartyRole
from cases.models import Case, EffectiveDocument
from tests.factories import CaseFactory, PartyFactory

TODAY = timezone.localdate()


def civil_case(court, *, filed_days_ago: int = 120, amount: str = "100000.00", third_party: bool = False) -> Case:
    """A 民初 case filed ``filed_days_ago`` days ago: plaintiff person, defendant company (and a 第三人)."""
    parties = [(PartyRole.PLAINTIFF, PartyFactory()), (PartyRole.DEFENDANT, PartyFactory(organisation=True))]
    if third_party:
        parties.append((PartyRole.THIRD_PARTY, PartyFactory()))
    return CaseFactory(
        court=court,
        case_type=CaseType.CIVIL_FIRST,
        filing_date=TODAY - dt.timedelta(days=filed_days_ago),
        amount=Decimal(amount),
        parties=parties,
    )


def party(case: Case, role: str):
    return case.party_links.get(role=role).party


def judgment(case: Case, *, actor, effective_days_ago: int | None = 30, **overrides) -> EffectiveDocument:
    """A judgment on ``case`` through the service: plaintiff obligee, defendant obligor, 50,000 + 1,000."""
    from cases.services import document_record

    claimants = [link.party_id for link in case.party_links.all() if link.role == PartyRole.PLAINTIFF]
    opponents = [link.party_id for link in case.party_links.all() if link.role == PartyRole.DEFENDANT]
    data = {
        "kind": DocumentKind.JUDGMENT,
        "issued_on": TODAY - dt.timedelta(days=60),
        "effective_on": TODAY - dt.timedelta(days=effective_days_ago) if effective_days_ago is not None else None,
        "principal": "50000.00",
        "costs": "1000.00",
        "performance_deadline": TODAY - dt.timedelta(days=20),
        "obligee_ids": claimants,
        "obligor_ids": opponents,
    }
    data.update(overrides)
    return document_record(actor=actor, case=case, **data)


def preservation_case(court, *, filed_days_ago: int = 2, amount: str = "200000.00") -> Case:
    return CaseFactory(
        court=court,
        case_type=CaseType.PRESERVATION_REVIEW,
        filing_date=TODAY - dt.timedelta(days=filed_days_ago),
        amount=Decimal(amount),
        parties=[(PartyRole.APPLICANT, PartyFactory()), (PartyRole.RESPONDENT, PartyFactory(organisation=True))],
    )
