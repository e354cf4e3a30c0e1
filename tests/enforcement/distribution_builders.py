"""Builders for the distribution tests: a case with creditors (natural-person or corporate debtor), money
received into its fund, a proposed or approved plan, and a snapshot of the tables the services write."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from cases.choices import PartyRole
from cases.models import CaseParty
from core.models import AuditLog
from enforcement.choices import Status
from enforcement.models import DistributionLine, DistributionObjection, DistributionPlan, EnforcementCase, FundEntry
from enforcement.services.distribution import distribution_decide, distribution_propose
from enforcement.services.ledger import fund_receive
from tests.enforcement.builders import case_in
from tests.factories import PartyFactory

WATCHED = (DistributionPlan, DistributionLine, DistributionObjection, FundEntry, AuditLog)


def row_counts() -> dict:
    counts = {model.__name__: model.objects.count() for model in WATCHED}
    counts["plans"] = sorted(DistributionPlan.objects.values_list("pk", "status"))
    counts["paid"] = sorted(DistributionLine.objects.values_list("pk", "paid"))
    counts["performed"] = sorted(EnforcementCase.objects.values_list("pk", "performed_amount"))
    return counts


@contextmanager
def nothing_written():
    before = row_counts()
    yield
    assert row_counts() == before


def fund_case(court, officer, *, person=True, amount="100000.00", received="0", extra_creditors=1):
    """An investigating case of ``court`` held by ``officer``; the debtor a person (or an organisation), the
    first creditor the case's, ``extra_creditors`` more joined (参与分配); ``received`` in the case fund."""
    debtor = PartyFactory(organisation=not person)
    ec = case_in(Status.INVESTIGATING, court, debtors=[debtor], officer=officer, amount=amount)
    for _ in range(extra_creditors):
        CaseParty.objects.create(case=ec.case, party=PartyFactory(), role=PartyRole.CREDITOR)
    if Decimal(received) > 0:
        receive(ec, received, f"R-initial-{ec.pk}")
    ec.refresh_from_db()
    return ec


def receive(ec, amount, reference):
    entry, _ = fund_receive(
        actor=ec.officer, enforcement_case=ec, amount=Decimal(amount), source="deduction", reference=reference
    )
    return entry


def creditors(ec):
    return list(ec.case.party_links.filter(role=PartyRole.CREDITOR).order_by("id").values_list("party_id", flat=True))


def debtor_id(ec):
    return ec.case.party_links.get(role=PartyRole.DEBTOR).party_id


def ordinary(ec, *amounts, rule="pro_rata"):
    ids = creditors(ec)
    return [
        {
            "kind": "ordinary",
            "recipient": ids[i],
            "amount": a,
            "control_position": i + 1 if rule != "pro_rata" else None,
        }
        for i, a in enumerate(amounts)
    ]


def proposed(officer, ec, total, claims, rule="pro_rata", **kwargs):
    return distribution_propose(
        actor=officer, enforcement_case=ec, fund_total=Decimal(total), claims=claims, rule=rule, **kwargs
    )


def approved(officer, head, ec, total, claims, rule="pro_rata"):
    plan = proposed(officer, ec, total, claims, rule)
    return distribution_decide(actor=head, plan=plan, approve=True, note="")
