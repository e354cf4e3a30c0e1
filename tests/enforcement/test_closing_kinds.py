"""Closing kinds and their legal conditions: 和解结案 only once a settlement is performed, 终结执行 on a ground of
民诉法 2023 art. 268 that fits the debtor, 不予执行 only of arbitral awards and notarised debt instruments
(arts. 248–249), and 终本 never by closing directly (it goes through the proposal)."""

import datetime as dt

import pytest

from cases.choices import DocumentKind
from core.exceptions import RuleViolation
from enforcement.choices import ClosingKind, NonEnforcementGround, Status, TerminationGround
from enforcement.models import Settlement, StatusChange
from enforcement.services import case_close
from tests.enforcement.builders import TODAY, case_in, document
from tests.enforcement.termination_builders import nothing_written
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def close(actor, ec, kind, reason="理由", on=TODAY, **kwargs):
    return case_close(actor=actor, enforcement_case=ec, kind=kind, reason=reason, on=on, **kwargs)


def refused(code, *args, **kwargs):
    with nothing_written(), pytest.raises(RuleViolation) as caught:
        close(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_settled_is_refused_until_a_settlement_is_performed(court, officer):
    ec = case_in(Status.INVESTIGATING, court)
    error = refused("closing.settlement_not_performed", officer, ec, ClosingKind.SETTLED)
    assert error.message == (
        "A case is closed as settled only once a settlement agreement recorded on it has been performed "
        "(和解规定 2018 art. 1; 民诉法 2023 art. 241)."
    )
    settlement = Settlement.objects.create(
        enforcement_case=ec, agreed_on=TODAY - dt.timedelta(days=5), terms="分两期付清", recorded_by=officer
    )
    refused("closing.settlement_not_performed", officer, ec, ClosingKind.SETTLED)
    settlement.performed_on = TODAY
    settlement.save()
    assert close(officer, ec, ClosingKind.SETTLED).closing_kind == ClosingKind.SETTLED


def test_terminated_needs_a_statutory_ground_stored_on_the_case(court, officer):
    ec = case_in(Status.INVESTIGATING, court)
    error = refused("closing.ground_required", officer, ec, ClosingKind.TERMINATED)
    assert error.message == "Choose the ground on which enforcement is terminated (民诉法 2023 art. 268)."
    after = close(officer, ec, ClosingKind.TERMINATED, ground=TerminationGround.APPLICATION_WITHDRAWN)
    assert (after.closing_kind, after.closing_ground) == (ClosingKind.TERMINATED, "application_withdrawn")
    change = StatusChange.objects.get(enforcement_case=ec, transition="close")
    assert change.details["ground"] == "application_withdrawn"


@pytest.mark.parametrize("ground", [TerminationGround.DEBTOR_DIED_NO_ESTATE, TerminationGround.DEBTOR_DESTITUTE])
def test_person_only_grounds_are_refused_for_an_organisation(court, officer, ground):
    company_case = case_in(Status.INVESTIGATING, court, debtors=[PartyFactory(organisation=True)])
    error = refused("closing.ground_needs_person", officer, company_case, ClosingKind.TERMINATED, ground=ground)
    assert "applies only to a natural-person debtor (民诉法 2023 art. 268(3), (5))" in error.message
    person_case = case_in(Status.INVESTIGATING, court, debtors=[PartyFactory()])
    assert close(officer, person_case, ClosingKind.TERMINATED, ground=ground).closing_ground == ground


def test_a_bankruptcy_declaration_ends_enforcement_only_against_an_organisation(court, officer):
    person_case = case_in(Status.INVESTIGATING, court, debtors=[PartyFactory()])
    error = refused(
        "closing.ground_needs_organisation", officer, person_case, ClosingKind.TERMINATED,
        ground=TerminationGround.BANKRUPTCY_DECLARED,
    )  # fmt: skip
    assert error.message == "Only an organisation is declared bankrupt (解释 2022 art. 513; 企业破产法 art. 2)."
    company_case = case_in(Status.SUSPENDED, court, debtors=[PartyFactory(organisation=True)])
    after = close(officer, company_case, ClosingKind.TERMINATED, ground=TerminationGround.BANKRUPTCY_DECLARED)
    assert after.closing_ground == TerminationGround.BANKRUPTCY_DECLARED


def test_not_enforced_is_refused_for_a_judgment(court, officer):
    ec = case_in(Status.NOTIFIED, court, source_document=document(court))
    error = refused(
        "closing.not_enforced_needs_award_or_notarised", officer, ec, ClosingKind.NOT_ENFORCED,
        ground=NonEnforcementGround.PUBLIC_INTEREST,
    )  # fmt: skip
    assert error.message == (
        "Enforcement is refused (不予执行) only of an arbitral award or a notarised debt instrument "
        "(民诉法 2023 arts. 248–249); this case enforces another document."
    )
    refused("closing.not_enforced_needs_award_or_notarised", officer, case_in(Status.NOTIFIED, court),
            ClosingKind.NOT_ENFORCED, ground=NonEnforcementGround.PUBLIC_INTEREST)  # fmt: skip


def test_not_enforced_of_an_arbitral_award_on_an_article_248_ground(court, officer):
    ec = case_in(Status.NOTIFIED, court, source_document=document(court, kind=DocumentKind.ARBITRAL_AWARD))
    error = refused(
        "closing.ground_required", officer, ec, ClosingKind.NOT_ENFORCED,
        ground=NonEnforcementGround.NOTARISED_DOCUMENT_WRONG,
    )  # fmt: skip
    assert error.message == "Choose a ground of 不予执行 for this document (民诉法 2023 art. 248)."
    after = close(officer, ec, ClosingKind.NOT_ENFORCED, ground=NonEnforcementGround.EVIDENCE_FORGED)
    assert after.closing_ground == NonEnforcementGround.EVIDENCE_FORGED


def test_not_enforced_of_a_notarised_debt_instrument_on_the_article_249_ground(court, officer):
    ec = case_in(Status.NOTIFIED, court, source_document=document(court, kind=DocumentKind.NOTARISED_DEBT))
    error = refused(
        "closing.ground_required", officer, ec, ClosingKind.NOT_ENFORCED,
        ground=NonEnforcementGround.NO_ARBITRATION_AGREEMENT,
    )  # fmt: skip
    assert error.message == "Choose a ground of 不予执行 for this document (民诉法 2023 art. 249)."
    after = close(officer, ec, ClosingKind.NOT_ENFORCED, ground=NonEnforcementGround.NOTARISED_DOCUMENT_WRONG)
    assert after.closing_kind == ClosingKind.NOT_ENFORCED


def test_terminating_this_round_by_closing_directly_is_refused(court, officer):
    ec = case_in(Status.INVESTIGATING, court, filing_date=TODAY - dt.timedelta(days=200))
    error = refused("closing.termination_needs_approval", officer, ec, ClosingKind.TERMINATED_THIS_ROUND)
    assert error.message == (
        "This round of enforcement is terminated (终本) through a 终本 proposal approved by a division head "
        "(终本规定 2016 arts. 1, 5; 解释 2022 art. 517), not by closing the case directly."
    )
