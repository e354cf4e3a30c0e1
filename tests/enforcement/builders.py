"""Builders for the enforcement tests (filing, lifecycle, deadlines, notices, API): effective documents on a
litigation case, enforcement cases filed through the real service or placed directly in a state, and a
snapshot of every table these services write, to prove that a refusal wrote nothing."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.choices import CaseType, DocumentKind, PartyRole
from cases.models import Case, CaseParty, EffectiveDocument, Instalment, Party, PreservationMeasure
from core.models import AuditLog, CaseNumberSequence
from enforcement.choices import Status
from enforcement.models import EnforcementCase, Notice, StatusChange, Suspension
from enforcement.services import enforcement_file
from tests.factories import CaseFactory, PartyFactory, UserFactory

TODAY = timezone.localdate()
WATCHED = (
    Case,
    CaseParty,
    Party,
    AuditLog,
    EnforcementCase,
    StatusChange,
    Suspension,
    Notice,
    CaseNumberSequence,
)


def row_counts() -> dict:
    counts = {model.__name__: model.objects.count() for model in WATCHED}
    counts["last_serials"] = sum(CaseNumberSequence.objects.values_list("last_serial", flat=True))
    counts["carried"] = sorted(PreservationMeasure.objects.values_list("pk", "carried_into_id"))
    counts["statuses"] = sorted(EnforcementCase.objects.values_list("pk", "status"))
    return counts


@contextmanager
def nothing_written():
    before = row_counts()
    yield
    assert row_counts() == before


def document(
    court,
    *,
    creditor: Party | None = None,
    debtor: Party | None = None,
    kind: str = DocumentKind.JUDGMENT,
    effective_on: dt.date | None = dt.date(2025, 1, 10),
    performance_deadline: dt.date | None = dt.date(2025, 1, 20),
    principal: str = "100000.00",
    costs: str = "2300.00",
    instalments: list[tuple[dt.date, str]] = (),
    fully_performed_on: dt.date | None = None,
    text: str = "被告于判决生效之日起十日内偿还原告借款本金100000元。",
) -> EffectiveDocument:
    """A judgment (by default) on a 民初 case of ``court`` between ``creditor`` (原告) and ``debtor`` (被告)."""
    creditor = creditor or PartyFactory(name="李华")
    debtor = debtor or PartyFactory(organisation=True, name="北京恒通商贸有限公司")
    trial = CaseFactory(
        court=court,
        case_type=CaseType.CIVIL_FIRST,
        filing_date=dt.date(2024, 9, 1),
        parties=[(PartyRole.PLAINTIFF, creditor), (PartyRole.DEFENDANT, debtor)],
    )
    doc = EffectiveDocument.objects.create(
        case=trial,
        kind=kind,
        number=trial.number,
        issuing_body=court.name,
        issued_on=(effective_on or TODAY) - dt.timedelta(days=15) if effective_on else dt.date(2024, 12, 1),
        effective_on=effective_on,
        principal=Decimal(principal),
        costs=Decimal(costs),
        performance_deadline=performance_deadline,
        fully_performed_on=fully_performed_on,
        text=text,
    )
    doc.obligees.add(creditor)
    doc.obligors.add(debtor)
    for sequence, (due_on, amount) in enumerate(instalments, start=1):
        Instalment.objects.create(document=doc, sequence=sequence, due_on=due_on, amount=Decimal(amount))
    return doc


def parties_of(doc: EffectiveDocument) -> tuple[Party, Party]:
    return doc.obligees.get(), doc.obligors.get()


def file_on(doc: EffectiveDocument, *, actor, filing_date: dt.date | None = None, **kwargs) -> EnforcementCase:
    creditor, debtor = parties_of(doc)
    kwargs.setdefault("applicant_ids", [creditor.pk])
    kwargs.setdefault("respondent_ids", [debtor.pk])
    return enforcement_file(
        actor=actor,
        document=doc,
        court=kwargs.pop("court", actor.court),
        filing_date=filing_date or TODAY,
        **kwargs,
    )


def case_in(
    status: str,
    court,
    *,
    debtors: list[Party] | None = None,
    filing_date: dt.date | None = None,
    amount: str = "100000.00",
    officer=None,
    **fields,
) -> EnforcementCase:
    """An enforcement case placed directly in ``status`` (for lifecycle tests that start mid-way)."""
    debtors = debtors if debtors is not None else [PartyFactory(organisation=True)]
    record = CaseFactory(
        court=court,
        filing_date=filing_date or TODAY - dt.timedelta(days=30),
        amount=Decimal(amount),
        parties=[(PartyRole.CREDITOR, PartyFactory())] + [(PartyRole.DEBTOR, d) for d in debtors],
    )
    if status == Status.CLOSED:
        fields.setdefault("closing_kind", "terminated_this_round")
        fields.setdefault("closed_on", TODAY)
    if status == Status.SUSPENDED:
        fields.setdefault("status_before_suspension", Status.INVESTIGATING)
    if status != Status.FILED and officer is not None:
        fields.setdefault("assigned_at", timezone.now())
    from enforcement.deadlines import compute_deadline

    return EnforcementCase.objects.create(
        case=record,
        status=status,
        officer=officer,
        deadline_on=compute_deadline(filing_date=record.filing_date, limit_months=6),
        **fields,
    )


@pytest.fixture
def division_head(court):
    return UserFactory(division_head=True, court=court, username="head-0105")


@pytest.fixture
def judge(court):
    return UserFactory(judge=True, court=court, username="judge-0105")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
