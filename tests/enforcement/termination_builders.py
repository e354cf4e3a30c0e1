"""Helpers for the 终本 tests (no tests here): a case that meets every condition of 终本规定 2016 art. 1
(notices served, filed more than 3 months ago), the facts the apps to the right would give (the network
query of assets, the restrictions of credit) replaced by a controllable stand-in, and the proposal fields
that satisfy the rest."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from enforcement import checks
from enforcement.checks import TerminationFact
from enforcement.choices import ApplicantOpinion, ListingDecision, NoticeKind, ServiceMethod, Status, TerminationReason
from enforcement.models import Notice, Settlement, TerminationProposal
from tests.enforcement.builders import TODAY, case_in, row_counts

FILED = TODAY - dt.timedelta(days=150)


class Facts:
    """What the stand-in provider answers: a completed full network query by default, nothing found."""

    def __init__(self):
        self.network = TerminationFact(
            code="network_query",
            met=True,
            message="Network query #7 over every category completed.",
            details={
                "batch": 7,
                "completed_at": (TODAY - dt.timedelta(days=20)).isoformat() + "T10:00:00+08:00",
                "unreached_categories": [],
                "property": [],
                "property_value": "0",
            },
        )
        self.extra: list[TerminationFact] = []

    def no_query(self):
        self.network = TerminationFact(code="network_query", met=False, message="No network query completed.")

    def found(self, *items: tuple[str, str, str, str]):
        details = dict(self.network.details)
        details["property"] = [{"category": c, "identifier": i, "description": d, "value": v} for c, i, d, v in items]
        details["property_value"] = str(sum((Decimal(v) for *_, v in items), Decimal(0)))
        self.network = TerminationFact(code="network_query", met=True, message=self.network.message, details=details)

    def unreached(self, *categories: str):
        details = dict(self.network.details, unreached_categories=list(categories))
        self.network = TerminationFact(code="network_query", met=True, message=self.network.message, details=details)

    def __call__(self, enforcement_case):
        return [self.network, *self.extra]


def install_facts(monkeypatch) -> Facts:
    """Replace every registered provider by a stand-in (for a ``facts`` fixture in the test module)."""
    stand_in = Facts()
    monkeypatch.setattr(checks, "_termination_fact_providers", {"assets": stand_in})
    return stand_in


def serve_notices(ec, *, on=None):
    on = on or FILED + dt.timedelta(days=3)
    for link in ec.case.party_links.filter(role="debtor"):
        for kind in NoticeKind.values:
            Notice.objects.create(
                enforcement_case=ec,
                kind=kind,
                recipient=link.party,
                file=f"notices/{kind}-{ec.pk}-{link.party_id}.docx",
                issued_on=on,
                issued_by=ec.officer,
                service_method=ServiceMethod.IN_PERSON,
                served_on=on,
            )


def ready_case(court, officer, *, notices: bool = True, status: str = Status.CONTROLLING, **kwargs):
    """An open case filed 150 days ago, held by ``officer``, with both notices served on every debtor."""
    kwargs.setdefault("filing_date", FILED)
    ec = case_in(status, court, officer=officer, **kwargs)
    if notices:
        serve_notices(ec)
    return ec


def proposal_fields(**overrides) -> dict:
    """Fields of a proposal that meet the recorded conditions (restriction, listing, applicant heard and signed)."""
    fields = {
        "reason": TerminationReason.NO_PROPERTY,
        "reason_detail": "经网络查控及实地调查，未发现被执行人有可供执行的财产。",
        "consumption_restriction_on": TODAY - dt.timedelta(days=60),
        "listing_decision": ListingDecision.LISTED,
        "listing_note": "",
        "applicant_informed_on": TODAY - dt.timedelta(days=5),
        "applicant_opinion": ApplicantOpinion.AGREES,
        "applicant_opinion_text": "同意终本，发现财产后申请恢复执行。",
        "applicant_signed": True,
    }
    fields.update(overrides)
    return fields


def termination_rows() -> dict:
    counts = row_counts()
    counts["TerminationProposal"] = sorted(TerminationProposal.objects.values_list("pk", "status"))
    counts["Settlement"] = sorted(Settlement.objects.values_list("pk", "performed_on"))
    return counts


@contextmanager
def nothing_written():
    before = termination_rows()
    yield
    assert termination_rows() == before
