"""The 终本 checklist reads the coercive-measure record (终本规定 2016 art. 1(5)): when obstruction is flagged, the
condition is met by a fine or detention executed on the case — listed in the item's details — or, as before,
by the recorded sanction note (sanctions outside the system, e.g. a criminal referral). A measure only
proposed or approved, a search, or a measure of another case does not sanction it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.exceptions import RuleViolation
from enforcement.models import CoerciveMeasure
from enforcement.services import termination_propose
from enforcement.services.coercion import coercion_decide, coercion_execute, coercion_propose
from enforcement.termination import termination_checklist
from tests.enforcement.builders import TODAY
from tests.enforcement.termination_builders import install_facts, proposal_fields, ready_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CODE = "termination.missing_and_obstruction"


@pytest.fixture
def facts(monkeypatch):
    return install_facts(monkeypatch)


@pytest.fixture
def president(court):
    return UserFactory(president=True, court=court, username="president-0105")


def item(ec, **overrides):
    items = termination_checklist(ec, proposal_fields(**overrides), TODAY)
    return next(i for i in items if i.code == CODE)


def measure(ec, officer, president, *, kind="fine", status="executed", **fields):
    debtor = ec.case.party_links.filter(role="debtor").first().party
    defaults = {"amount": Decimal("60000")} if kind == "fine" else {"days": 10} if kind == "detention" else {}
    if status in ("approved", "executed"):
        defaults["order_number"] = f"{ec.case.number}之{CoerciveMeasure.objects.count() + 1}"
    if kind == "search":
        defaults["search_place"] = "某处"
    if kind == "detention" and debtor.kind == "organisation":
        defaults["responsible_person"] = "王经理"
    return CoerciveMeasure.objects.create(
        enforcement_case=ec,
        kind=kind,
        subject=debtor,
        ground="refusing_report",
        facts="拒不报告财产",
        status=status,
        proposed_by=officer,
        approved_by=president if status in ("approved", "executed") else None,
        executed_on=TODAY if status == "executed" else None,
        **{**defaults, **fields},
    )


def test_obstruction_without_a_sanction_is_unmet(court, officer, facts):
    ec = ready_case(court, officer)
    found = item(ec, obstruction=True)
    assert not found.met
    assert found.details["coercive_measures"] == []
    assert "execute a fine or detention" in found.message and "art. 1(5)" in found.message


def test_an_executed_fine_on_the_case_meets_it_and_is_listed(court, officer, president, facts):
    ec = ready_case(court, officer)
    fine = measure(ec, officer, president)
    found = item(ec, obstruction=True)
    assert found.met
    assert found.details["sanction_source"] == "record"
    assert [m["id"] for m in found.details["coercive_measures"]] == [fine.pk]
    assert found.details["coercive_measures"][0]["order_number"] == fine.order_number
    assert found.details["coercive_measures"][0]["amount"] == "60000.00"


def test_an_executed_detention_meets_it(court, officer, president, facts):
    ec = ready_case(court, officer)
    measure(ec, officer, president, kind="detention")
    assert item(ec, obstruction=True).met


def test_a_measure_not_executed_a_search_or_another_cases_measure_does_not(court, officer, president, facts):
    ec = ready_case(court, officer)
    other = ready_case(court, officer)
    measure(ec, officer, president, status="proposed")
    measure(ec, officer, president, status="approved")
    measure(ec, officer, president, kind="search")
    measure(other, officer, president)
    found = item(ec, obstruction=True)
    assert not found.met
    assert found.details["coercive_measures"] == []


def test_the_sanction_note_still_meets_it_for_sanctions_outside_the_system(court, officer, facts):
    ec = ready_case(court, officer)
    found = item(ec, obstruction=True, sanction_note="已移送公安机关追究拒执罪")
    assert found.met and found.details["sanction_source"] == "note"


def test_without_obstruction_the_record_is_listed_but_not_needed(court, officer, president, facts):
    ec = ready_case(court, officer)
    measure(ec, officer, president)
    found = item(ec)
    assert found.met and found.details["sanction_source"] is None
    assert len(found.details["coercive_measures"]) == 1


def test_a_proposal_passes_the_checklist_once_the_president_approved_fine_is_executed(
    court, officer, president, facts, media_root
):
    ec = ready_case(court, officer)
    debtor = ec.case.party_links.filter(role="debtor").first().party
    with pytest.raises(RuleViolation) as caught:
        termination_propose(actor=officer, enforcement_case=ec, **proposal_fields(obstruction=True))
    assert caught.value.extra["unmet"] == [CODE]
    fine = coercion_propose(
        actor=officer,
        enforcement_case=ec,
        kind="fine",
        subject=debtor,
        ground="refusing_report",
        facts="拒不报告财产",
        amount=Decimal("50000"),
    )
    fine = coercion_decide(actor=president, measure=fine, approve=True, on=TODAY)
    coercion_execute(actor=officer, measure=fine, executed_on=TODAY, outcome="已缴纳")
    proposal = termination_propose(actor=officer, enforcement_case=ec, **proposal_fields(obstruction=True))
    assert proposal.obstruction
