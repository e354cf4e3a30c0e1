"""Effective legal documents (document_record, document_mark_effective, document_mark_performed)."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.choices import CaseType, DocumentKind, PartyRole
from cases.exceptions import LitigationRuleViolation
from cases.models import EffectiveDocument
from cases.services import (
    InstalmentInput,
    appeal_file,
    document_mark_effective,
    document_mark_performed,
    document_record,
)
from core.exceptions import InvalidInput, NotFound, PermissionDenied
from core.models import AuditLog
from tests.cases.builders import TODAY, civil_case, judgment, party
from tests.factories import CaseFactory, CourtFactory, PartyFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def refused(nothing_written, case, actor, **overrides) -> LitigationRuleViolation:
    with nothing_written(), pytest.raises(LitigationRuleViolation) as caught:
        judgment(case, actor=actor, **overrides)
    return caught.value


# ---- recording ----------------------------------------------------------------------------------------------


def test_a_judgment_takes_the_case_number_and_court_and_is_audited(judge, court):
    case = civil_case(court)
    document = judgment(case, actor=judge, interest_rule="按LPR自2025-01-01起计至付清之日")
    assert (document.number, document.issuing_body) == (case.number, "北京市朝阳区人民法院")
    assert (document.principal, document.costs, document.amount_due) == (
        Decimal("50000.00"),
        Decimal("1000.00"),
        Decimal("51000.00"),
    )
    assert list(document.obligees.all()) == [party(case, PartyRole.PLAINTIFF)]
    assert list(document.obligors.all()) == [party(case, PartyRole.DEFENDANT)]
    assert document.is_effective and not document.is_non_litigation
    assert document.period_start() == TODAY - dt.timedelta(days=20)
    entry = AuditLog.objects.get(action="document.record")
    assert entry.changes["document"] == document.pk


def test_instalments_are_numbered_and_the_period_ends_with_the_last(judge, court):
    case = civil_case(court)
    last = TODAY + dt.timedelta(days=90)
    document = judgment(
        case,
        actor=judge,
        performance_deadline=None,
        instalments=[(TODAY - 10 * DAY, "21000.00"), InstalmentInput(TODAY + 30 * DAY, "20000"), (last, "10000")],
    )
    assert list(document.instalments.values_list("sequence", "due_on", "amount")) == [
        (1, TODAY - 10 * DAY, Decimal("21000.00")),
        (2, TODAY + 30 * DAY, Decimal("20000.00")),
        (3, last, Decimal("10000.00")),
    ]
    assert document.performance_deadline == last
    assert document.period_start() == last


def test_an_arbitral_award_is_registered_on_an_enforcement_case_that_receives_it(clerk, court):
    case = CaseFactory(court=court, case_type=CaseType.ENFORCEMENT)
    creditor, debtor = (link.party_id for link in case.party_links.order_by("position"))
    document = document_record(
        actor=clerk,
        case=case,
        kind=DocumentKind.ARBITRAL_AWARD,
        number="京仲裁字〔2026〕第0123号",
        issuing_body="北京仲裁委员会",
        issued_on=TODAY - 40 * DAY,
        effective_on=TODAY - 40 * DAY,
        principal="80000",
        obligee_ids=[creditor],
        obligor_ids=[debtor],
    )
    assert document.is_non_litigation
    assert (document.number, document.issuing_body) == ("京仲裁字〔2026〕第0123号", "北京仲裁委员会")
    assert document.period_start() == TODAY - 40 * DAY  # no performance period: from the day it took effect


def test_an_arbitral_award_needs_its_issuing_body_and_number(clerk, court, nothing_written):
    case = CaseFactory(court=court, case_type=CaseType.ENFORCEMENT)
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        document_record(
            actor=clerk,
            case=case,
            kind=DocumentKind.ARBITRAL_AWARD,
            issued_on=TODAY,
            principal="1",
            obligee_ids=[1],
            obligor_ids=[2],
        )
    assert caught.value.fields == {
        "issuing_body": ["Enter the arbitration commission or notary office that issued it."],
        "number": ["Enter the document number."],
    }


# ---- refusals -----------------------------------------------------------------------------------------------


def test_instalments_must_add_up_to_the_amount_due(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(
        nothing_written, case, judge, instalments=[(TODAY, "30000"), (TODAY + DAY, "20000")], performance_deadline=None
    )
    assert error.code == "document.instalment_total"
    assert error.message == (
        "The instalments must add up to the amount due (principal plus costs), 51000.00, not 50000.00."
    )


def test_instalment_due_dates_must_increase(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(
        nothing_written, case, judge, instalments=[(TODAY, "30000"), (TODAY, "21000")], performance_deadline=None
    )
    assert error.code == "document.instalment_order"
    assert error.message == "Instalment 2 must fall due after instalment 1."


def test_with_instalments_the_deadline_is_the_last_instalment(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, case, judge, instalments=[(TODAY, "51000")], performance_deadline=TODAY - DAY)
    assert error.code == "document.instalment_deadline"
    assert error.message == f"With instalments, the performance period ends with the last instalment, on {TODAY}."


def test_an_instalment_cannot_fall_due_before_the_document_was_issued(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, case, judge, instalments=[(TODAY - 90 * DAY, "51000")], performance_deadline=None)
    assert error.code == "document.instalment_before_issue"


def test_a_document_cannot_take_effect_before_it_was_issued(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, case, judge, effective_days_ago=61)
    assert error.code == "document.effective_before_issue"
    assert error.message == f"A document cannot take effect before it was issued ({TODAY - 60 * DAY})."


def test_a_document_cannot_take_effect_in_the_future(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, case, judge, effective_days_ago=-1)
    assert error.code == "document.effective_in_future"


def test_a_judgment_is_recorded_only_on_a_litigation_case(judge, court, nothing_written):
    case = CaseFactory(court=court, case_type=CaseType.ENFORCEMENT)
    with nothing_written(), pytest.raises(LitigationRuleViolation) as caught:
        document_record(
            actor=judge,
            case=case,
            kind=DocumentKind.JUDGMENT,
            issued_on=TODAY,
            principal="10",
            obligee_ids=[1],
            obligor_ids=[2],
        )
    assert caught.value.code == "document.not_litigation"
    assert caught.value.message == (
        "A court's judgment, mediation or ruling is recorded on the civil case it decides (民初, 民终)."
    )


def test_a_judgment_of_this_case_is_issued_by_its_court(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, case, judge, issuing_body="北京市海淀区人民法院")
    assert error.code == "document.other_court"
    assert error.message == "A document of this case is issued by its court, 北京市朝阳区人民法院."


def test_a_judgment_bears_its_case_number(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, case, judge, number="（2020）京0105民初1号")
    assert error.code == "document.number"


def test_a_case_has_one_judgment_or_mediation_statement(judge, court, nothing_written):
    case = civil_case(court)
    first = judgment(case, actor=judge)
    error = refused(nothing_written, case, judge, kind=DocumentKind.MEDIATION)
    assert error.code == "document.duplicate"
    assert error.message == f"This case already has its {first}."


def test_obligees_and_obligors_must_be_parties_to_the_case(judge, court, nothing_written):
    case = civil_case(court)
    outsider = PartyFactory()
    error = refused(nothing_written, case, judge, obligor_ids=[outsider.pk])
    assert error.code == "document.party_not_on_case"
    assert error.message == f"Party {outsider.pk} is not a party to this case."


def test_a_party_is_not_obligee_and_obligor_at_once(judge, court, nothing_written):
    case = civil_case(court)
    plaintiff = party(case, PartyRole.PLAINTIFF)
    error = refused(nothing_written, case, judge, obligor_ids=[plaintiff.pk])
    assert error.code == "document.party_both_sides"
    assert error.message == f"{plaintiff.name} cannot be both obligee and obligor."


def test_obligees_are_on_one_side_and_obligors_on_the_other(judge, court, nothing_written):
    case = civil_case(court, third_party=True)
    plaintiff, defendant = party(case, PartyRole.PLAINTIFF), party(case, PartyRole.DEFENDANT)
    third = party(case, PartyRole.THIRD_PARTY)
    error = refused(nothing_written, case, judge, obligee_ids=[plaintiff.pk, defendant.pk], obligor_ids=[third.pk])
    assert error.code == "document.obligee_side"
    assert error.message == "The obligees must all be on one side of the case (claimants or opponents)."
    # A counterclaim: the defendant is the obligee and the plaintiff the obligor — that is allowed.
    assert judgment(case, actor=judge, obligee_ids=[defendant.pk], obligor_ids=[plaintiff.pk, third.pk]).pk


def test_an_obligor_on_the_obligees_side_is_refused(judge, court, nothing_written):
    plaintiffs = [PartyFactory(), PartyFactory()]
    case = CaseFactory(
        court=court,
        case_type=CaseType.CIVIL_FIRST,
        filing_date=TODAY - 100 * DAY,
        parties=[(PartyRole.PLAINTIFF, p) for p in plaintiffs] + [(PartyRole.DEFENDANT, PartyFactory())],
    )
    error = refused(nothing_written, case, judge, obligee_ids=[plaintiffs[0].pk], obligor_ids=[plaintiffs[1].pk])
    assert error.code == "document.obligor_side"
    assert error.message == f"{plaintiffs[1].name} is on the obligees' side of the case and cannot be an obligor."


def test_a_document_fixes_a_sum_to_pay(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, case, judge, principal="0", costs="0")
    assert error.code == "document.nothing_due"


def test_an_officer_may_not_record_documents(officer, court, nothing_written):
    case = civil_case(court)
    with nothing_written(), pytest.raises(PermissionDenied) as caught:
        judgment(case, actor=officer)
    assert caught.value.code == "capability.document.record"


def test_another_courts_case_is_not_found(other_judge, court, nothing_written):
    case = civil_case(court)
    with nothing_written(), pytest.raises(NotFound):
        judgment(case, actor=other_judge)


# ---- effective and performed --------------------------------------------------------------------------------


def test_a_document_is_marked_effective_once(judge, court):
    case = civil_case(court)
    document = judgment(case, actor=judge, effective_days_ago=None)
    assert not document.is_effective
    document_mark_effective(actor=judge, document=document, effective_on=TODAY - DAY)
    document.refresh_from_db()
    assert document.effective_on == TODAY - DAY
    assert AuditLog.objects.filter(action="document.effective").count() == 1
    with pytest.raises(LitigationRuleViolation) as caught:
        document_mark_effective(actor=judge, document=document, effective_on=TODAY)
    assert caught.value.code == "document.already_effective"
    assert caught.value.message == f"This document already took effect on {TODAY - DAY}."


def test_marking_effective_before_the_issue_date_is_refused(judge, court, nothing_written):
    document = judgment(civil_case(court), actor=judge, effective_days_ago=None)
    with nothing_written(), pytest.raises(LitigationRuleViolation) as caught:
        document_mark_effective(actor=judge, document=document, effective_on=document.issued_on - DAY)
    assert caught.value.code == "document.effective_before_issue"
    document.refresh_from_db()
    assert document.effective_on is None


def test_an_appealed_judgment_never_takes_effect_itself(judge, clerk, court, nothing_written):
    superior = CourtFactory(code="京03", name="北京市第三中级人民法院", level="intermediate")
    court.parent = superior
    court.save()
    case = civil_case(court)
    document = judgment(case, actor=judge, effective_days_ago=None)
    appeal = appeal_file(
        actor=clerk,
        first_instance_case=case,
        court=superior,
        filing_date=TODAY,
        appellant_ids=[party(case, PartyRole.DEFENDANT).pk],
    )
    with nothing_written(), pytest.raises(LitigationRuleViolation) as caught:
        document_mark_effective(actor=judge, document=document, effective_on=TODAY)
    assert caught.value.code == "document.appealed"
    assert caught.value.message == (
        f"The first-instance decision was appealed ({appeal.number}): the second-instance decision takes effect "
        "instead."
    )


def test_full_performance_is_recorded_on_an_effective_document(judge, court):
    document = judgment(civil_case(court), actor=judge)
    document_mark_performed(actor=judge, document=document, on=TODAY)
    document.refresh_from_db()
    assert document.fully_performed_on == TODAY
    with pytest.raises(LitigationRuleViolation) as caught:
        document_mark_performed(actor=judge, document=document, on=TODAY)
    assert caught.value.code == "document.already_performed"


def test_performance_is_refused_before_the_document_took_effect(judge, court, nothing_written):
    pending = judgment(civil_case(court), actor=judge, effective_days_ago=None)
    with nothing_written(), pytest.raises(LitigationRuleViolation) as caught:
        document_mark_performed(actor=judge, document=pending, on=TODAY)
    assert caught.value.code == "document.not_effective"
    assert caught.value.message == "The document has not taken effect yet; record that first."
    effective = judgment(civil_case(court), actor=judge, effective_days_ago=5)
    with nothing_written(), pytest.raises(LitigationRuleViolation) as caught:
        document_mark_performed(actor=judge, document=effective, on=TODAY - 6 * DAY)
    assert caught.value.code == "document.performed_before_effective"
    assert not EffectiveDocument.objects.filter(fully_performed_on__isnull=False).exists()
