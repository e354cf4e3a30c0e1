"""终本 (终结本次执行程序): the checklist of 终本规定 2016 art. 1 (each condition failing alone, all reported at
once), the applicant heard (art. 5) and the confirmation (解释 2022 art. 517), the proposal, the approval by
someone other than the proposer, the ruling's text, and the reason analysis (follow-up)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from core.exceptions import InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement import signals
from enforcement.checks import TerminationFact
from enforcement.choices import (
    ClosingKind,
    FollowUp,
    ListingDecision,
    ProposalStatus,
    Status,
    TerminationReason,
)
from enforcement.deadlines import add_months
from enforcement.models import StatusChange, TerminatedCaseEntry, TerminationProposal
from enforcement.selectors import termination_bankruptcy_candidates
from enforcement.services import termination_decide, termination_propose, termination_withdraw
from enforcement.termination import CHECK_CODES, follow_up_for, termination_checklist
from tests.enforcement.builders import TODAY, case_in, document
from tests.enforcement.termination_builders import (
    install_facts,
    nothing_written,
    proposal_fields,
    ready_case,
)
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(monkeypatch):
    """The facts of the apps to the right (network query, restrictions), controlled by the test."""
    return install_facts(monkeypatch)


def propose(actor, ec, **overrides):
    return termination_propose(actor=actor, enforcement_case=ec, **proposal_fields(**overrides))


def refused(exc_type, code, fn, *args, **kwargs):
    with nothing_written(), pytest.raises(exc_type) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def unmet_codes(error) -> list[str]:
    return error.extra["unmet"]


# ---- the checklist -------------------------------------------------------------------------------------------------


def test_every_condition_met_writes_the_proposal_with_its_checklist_and_a_timeline_note(court, officer, facts):
    ec = ready_case(court, officer)
    proposal = propose(officer, ec)
    assert proposal.status == ProposalStatus.PENDING
    assert [item["code"] for item in proposal.checklist] == list(CHECK_CODES)
    assert all(item["met"] for item in proposal.checklist)
    change = StatusChange.objects.get(enforcement_case=ec, transition="propose_termination")
    assert (change.from_status, change.to_status, change.actor) == (Status.CONTROLLING, Status.CONTROLLING, officer)
    assert AuditLog.objects.filter(action="enforcement.termination_propose").count() == 1
    ec.refresh_from_db()
    assert ec.status == Status.CONTROLLING


def test_notices_not_served_on_every_debtor_fails_alone(court, officer, facts):
    ec = ready_case(court, officer, notices=False)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec)
    assert unmet_codes(error) == ["termination.notices"]
    assert error.message == (
        "The 终本 conditions are not all met: Serve the execution notice and the property report order on every "
        "debtor first (终本规定 art. 1(1))."
    )


def test_no_consumption_restriction_fails_alone(court, officer, facts):
    ec = ready_case(court, officer)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec, consumption_restriction_on=None)
    assert unmet_codes(error) == ["termination.restriction"]
    assert error.message == (
        "The 终本 conditions are not all met: Restrictions (终本规定 art. 1(2)): no consumption restriction order "
        "has been issued."
    )


def test_no_listing_decision_fails_and_not_eligible_needs_its_reason(court, officer, facts):
    ec = ready_case(court, officer)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec, listing_decision="")
    assert unmet_codes(error) == ["termination.restriction"]
    error = refused(
        RuleViolation,
        "termination.checklist_unmet",
        propose,
        officer,
        ec,
        listing_decision=ListingDecision.NOT_ELIGIBLE,
    )
    assert "say why the debtor is not eligible for the dishonest list" in error.message
    proposal = propose(officer, ec, listing_decision=ListingDecision.NOT_ELIGIBLE, listing_note="被执行人无履行能力")
    assert proposal.listing_note == "被执行人无履行能力"


def test_credit_facts_take_the_place_of_the_recorded_decision(court, officer, facts):
    ec = ready_case(court, officer)
    facts.extra = [
        TerminationFact(code="consumption_restriction", met=False, message="No restriction."),
        TerminationFact(code="dishonest_listing", met=False, message="Not listed.", details={"eligible": True}),
    ]
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec)
    item = next(i for i in error.extra["checklist"] if i["code"] == "termination.restriction")
    assert item["details"]["restriction_source"] == "credit"
    assert item["details"]["problems"] == [
        "no consumption restriction order has been issued",
        "the debtor is eligible for the dishonest list but is not listed",
    ]
    facts.extra = [
        TerminationFact(code="consumption_restriction", met=True, message="Restricted."),
        TerminationFact(code="dishonest_listing", met=False, message="Not eligible.", details={"eligible": False}),
    ]
    assert propose(officer, ec, consumption_restriction_on=None, listing_decision="").pk


def test_no_completed_network_query_fails_alone(court, officer, facts):
    facts.no_query()
    ec = ready_case(court, officer)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec)
    assert unmet_codes(error) == ["termination.investigation"]
    assert error.message == (
        "The 终本 conditions are not all met: Investigation (终本规定 art. 1(3)): No network query completed."
    )


def test_categories_the_network_did_not_reach_need_an_on_site_investigation(court, officer, facts):
    facts.unreached("real_estate")
    ec = ready_case(court, officer)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec)
    assert unmet_codes(error) == ["termination.investigation"]
    assert "the network did not reach real_estate: record the on-site investigation" in error.message
    proposal = propose(
        officer, ec, onsite_investigation_on=TODAY - dt.timedelta(days=10),
        onsite_investigation_note="前往被执行人住所地调查，未发现不动产。",
    )  # fmt: skip
    assert proposal.onsite_investigation_note.startswith("前往")


def test_property_found_does_not_fit_the_reason_no_property(court, officer, facts):
    facts.found(("vehicle", "京A12345", "小型轿车", "80000.00"))
    ec = ready_case(court, officer)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec)
    assert unmet_codes(error) == ["termination.investigation"]
    assert "property was found (value 80000.00): choose 'cannot be disposed of' and explain (终本规定 art. 4)" in (
        error.message
    )
    assert propose(officer, ec, reason=TerminationReason.NOT_DISPOSABLE).reason == TerminationReason.NOT_DISPOSABLE


def test_three_months_since_filing_fails_alone(court, officer, facts):
    filed = TODAY - dt.timedelta(days=80)
    ec = ready_case(court, officer, filing_date=filed)
    error = refused(
        RuleViolation, "termination.checklist_unmet", propose, officer, ec,
        consumption_restriction_on=TODAY - dt.timedelta(days=30),
    )  # fmt: skip
    assert unmet_codes(error) == ["termination.three_months"]
    earliest = add_months(filed, 3) + dt.timedelta(days=1)
    assert error.message == (
        "The 终本 conditions are not all met: This round of enforcement can be terminated only more than 3 months "
        f"after filing (终本规定 art. 1(4)): not before {earliest}."
    )


def test_a_missing_debtor_needs_the_search_and_obstruction_its_sanction(court, officer, facts):
    ec = ready_case(court, officer)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec, debtor_missing=True)
    assert unmet_codes(error) == ["termination.missing_and_obstruction"]
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec, obstruction=True)
    assert "record the sanctions taken" in error.message
    error = refused(
        RuleViolation, "termination.checklist_unmet", propose, officer, ec, reason=TerminationReason.DEBTOR_MISSING
    )
    assert unmet_codes(error) == ["termination.missing_and_obstruction"]
    proposal = propose(
        officer, ec, reason=TerminationReason.DEBTOR_MISSING, debtor_missing=True, search_note="公告查找，未果",
        obstruction=True, sanction_note="对法定代表人罚款一万元",
    )  # fmt: skip
    assert proposal.debtor_missing and proposal.obstruction


def test_the_applicant_must_be_heard(court, officer, facts):
    ec = ready_case(court, officer)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec, applicant_opinion="")
    assert unmet_codes(error) == ["termination.applicant_heard"]
    assert error.message == (
        "The 终本 conditions are not all met: Tell the applicant the state of the case and record their opinion "
        "before terminating (终本规定 art. 5)."
    )
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec, applicant_informed_on=None)
    assert unmet_codes(error) == ["termination.applicant_heard"]


def test_confirmation_is_the_applicants_signature_or_a_collegial_panel(court, officer, facts):
    ec = ready_case(court, officer)
    error = refused(RuleViolation, "termination.checklist_unmet", propose, officer, ec, applicant_signed=False)
    assert unmet_codes(error) == ["termination.confirmation"]
    assert "name the collegial panel that decided (解释 2022 art. 517)" in error.message
    proposal = propose(officer, ec, applicant_signed=False, panel_members="张法官、李执行、王法官")
    assert proposal.panel_members == "张法官、李执行、王法官"


def test_every_unmet_condition_is_reported_at_once_and_the_message_names_the_first(court, officer, facts):
    facts.no_query()
    ec = ready_case(court, officer, notices=False, filing_date=TODAY - dt.timedelta(days=40))
    error = refused(
        RuleViolation, "termination.checklist_unmet", termination_propose, actor=officer, enforcement_case=ec,
        reason=TerminationReason.NO_PROPERTY, reason_detail="无财产", debtor_missing=True,
    )  # fmt: skip
    assert unmet_codes(error) == list(CHECK_CODES)
    assert error.message.startswith("The 终本 conditions are not all met: Serve the execution notice")
    assert error.message.endswith("(and 6 more)")
    assert len(error.extra["checklist"]) == 7


def test_the_checklist_reads_only(court, officer, facts):
    ec = ready_case(court, officer)
    with nothing_written():
        items = termination_checklist(ec, proposal_fields(), TODAY)
    assert all(item.met for item in items)
    assert [i.code for i in termination_checklist(ec, None, TODAY) if not i.met] == [
        "termination.restriction",
        "termination.applicant_heard",
        "termination.confirmation",
    ]


def test_a_second_proposal_while_one_is_pending_is_refused(court, officer, facts):
    ec = ready_case(court, officer)
    propose(officer, ec)
    error = refused(RuleViolation, "termination.already_pending", propose, officer, ec)
    assert error.message == "A 终本 proposal for this case is already waiting for a division head's decision."


def test_partly_performed_needs_something_performed(court, officer, facts):
    ec = ready_case(court, officer)
    error = refused(
        InvalidInput, "termination.invalid", propose, officer, ec, reason=TerminationReason.PARTLY_PERFORMED
    )
    assert error.fields["reason"] == ["Nothing has been performed on this case: it cannot end as partly performed."]
    ec.performed_amount = Decimal("5000.00")
    ec.save(update_fields=["performed_amount"])
    assert propose(officer, ec, reason=TerminationReason.PARTLY_PERFORMED).reason == "partly_performed"


def test_a_proposal_needs_a_reason_and_an_open_case_at_the_officers_court(court, officer, other_officer, facts):
    ec = ready_case(court, officer)
    error = refused(InvalidInput, "termination.invalid", propose, officer, ec, reason="", reason_detail=" ")
    assert set(error.fields) == {"reason", "reason_detail"}
    refused(NotFound, "not_found", propose, other_officer, ec)
    closed = case_in(Status.CLOSED, court, closing_kind=ClosingKind.COMPLETED)
    refused(RuleViolation, "termination.case_closed", propose, officer, closed)
    clerk = UserFactory(clerk=True, court=court, username="clerk-x")
    refused(PermissionDenied, "capability.enforcement.act", propose, clerk, ec)


# ---- the decision -------------------------------------------------------------------------------------------------


def test_approval_by_a_division_head_closes_the_case_and_generates_the_ruling(
    court, officer, division_head, facts, media_root, django_capture_on_commit_callbacks
):
    facts.unreached("real_estate")
    ec = ready_case(court, officer, performed_amount=Decimal("12000.00"))
    proposal = propose(
        officer, ec, onsite_investigation_on=TODAY - dt.timedelta(days=10),
        onsite_investigation_note="前往被执行人住所地调查，未发现不动产",
    )  # fmt: skip
    closed = []

    def receiver(sender, enforcement_case, kind, actor, **kwargs):
        closed.append((enforcement_case.pk, kind, actor))

    signals.case_closed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            decided = termination_decide(actor=division_head, proposal=proposal, approve=True, note="同意")
    finally:
        signals.case_closed.disconnect(receiver)
    assert decided.status == ProposalStatus.APPROVED
    assert decided.decided_by == division_head
    assert decided.follow_up == FollowUp.RESTORE_WHEN_PROPERTY
    assert all(item["met"] for item in decided.approval_checklist)
    ec.refresh_from_db()
    assert (ec.status, ec.closing_kind, ec.closed_on) == (Status.CLOSED, ClosingKind.TERMINATED_THIS_ROUND, TODAY)
    change = StatusChange.objects.get(enforcement_case=ec, transition="close")
    assert (change.from_status, change.to_status, change.actor) == (Status.CONTROLLING, Status.CLOSED, division_head)
    assert closed == [(ec.pk, ClosingKind.TERMINATED_THIS_ROUND, division_head)]
    assert decided.ruling_number == f"{ec.case.number}之一"
    assert decided.ruling.name.endswith(".docx")
    assert TerminatedCaseEntry.objects.filter(enforcement_case=ec).exists()
    assert AuditLog.objects.filter(action="enforcement.termination_approve").count() == 1


def ruling_text(proposal) -> str:
    with proposal.ruling.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in doc.paragraphs)


def test_the_ruling_lists_the_steps_the_property_found_and_the_amount_recovered(
    court, officer, division_head, facts, media_root
):
    facts.found(("vehicle", "京A12345", "小型轿车（已报废）", "3000.00"))
    person = PartyFactory(name="王某某")
    doc = document(court, debtor=person)
    ec = ready_case(court, officer, debtors=[person], source_document=doc, performed_amount=Decimal("12000.00"))
    proposal = propose(
        officer, ec, reason=TerminationReason.NOT_DISPOSABLE, reason_detail="车辆已报废，无法处置",
        obstruction=True, sanction_note="对被执行人司法拘留十五日",
    )  # fmt: skip
    proposal = termination_decide(actor=division_head, proposal=proposal, approve=True)
    text = ruling_text(proposal)
    assert "执行裁定书" in text
    assert court.name in text and f"{ec.case.number}之一" in text
    assert person.id_number not in text and person.masked_id_number in text
    assert "执行通知书" in text and "报告财产令" in text
    assert "查询批次7" in text
    assert "限制消费措施" in text and "失信被执行人名单" in text
    assert "对被执行人司法拘留十五日" in text
    assert "车辆：小型轿车（已报废）（京A12345），价值人民币¥3,000.00" in text
    assert "本案已执行到位人民币¥12,000.00，尚有人民币¥88,000.00" in text
    assert f"终结{ec.case.number}案件的本次执行程序。" in text
    assert "可以随时向本院申请恢复执行" in text and "第九条" in text
    assert "继续向申请执行人履行债务的义务（第八条）" in text
    assert "继续有效（第十五条）" in text
    assert doc.number in text


def test_the_proposer_cannot_approve_their_own_proposal_and_nothing_is_written(court, facts):
    head = UserFactory(division_head=True, court=court, username="head-proposer")
    ec = ready_case(court, head)
    proposal = propose(head, ec)
    error = refused(RuleViolation, "termination.self_approval", termination_decide, actor=head, proposal=proposal,
                    approve=True)  # fmt: skip
    assert error.message == (
        "A 终本 proposal is approved by someone other than the one who proposed it (解释 2022 art. 517: the "
        "collegial panel's decision goes to the president, here the division head)."
    )


def test_only_a_division_head_of_the_court_decides(court, officer, other_court, facts):
    ec = ready_case(court, officer)
    proposal = propose(officer, ec)
    other = UserFactory(officer=True, court=court, username="officer-2")
    refused(PermissionDenied, "capability.enforcement.approve_termination", termination_decide, actor=other,
            proposal=proposal, approve=True)  # fmt: skip
    far_head = UserFactory(division_head=True, court=other_court, username="head-0108")
    refused(NotFound, "not_found", termination_decide, actor=far_head, proposal=proposal, approve=True)


def test_a_refusal_needs_a_note_and_leaves_the_case_open(court, officer, division_head, facts):
    ec = ready_case(court, officer)
    proposal = propose(officer, ec)
    error = refused(InvalidInput, "termination.invalid", termination_decide, actor=division_head, proposal=proposal,
                    approve=False, note=" ")  # fmt: skip
    assert error.fields == {"note": ["Say why the proposal is refused."]}
    decided = termination_decide(actor=division_head, proposal=proposal, approve=False, note="应再次实地调查")
    assert (decided.status, decided.decision_note) == (ProposalStatus.REFUSED, "应再次实地调查")
    ec.refresh_from_db()
    assert ec.status == Status.CONTROLLING
    assert propose(officer, ec).status == ProposalStatus.PENDING  # a new proposal may follow


def test_approval_re_runs_the_checklist_and_refuses_when_no_longer_met(court, officer, division_head, facts):
    ec = ready_case(court, officer)
    proposal = propose(officer, ec)
    facts.no_query()
    error = refused(RuleViolation, "termination.checklist_unmet", termination_decide, actor=division_head,
                    proposal=proposal, approve=True)  # fmt: skip
    assert error.extra["unmet"] == ["termination.investigation"]


def test_a_decided_proposal_is_not_decided_again(court, officer, division_head, facts, media_root):
    ec = ready_case(court, officer)
    proposal = termination_decide(actor=division_head, proposal=propose(officer, ec), approve=True)
    refused(RuleViolation, "termination.decided", termination_decide, actor=division_head, proposal=proposal,
            approve=False, note="x")  # fmt: skip


def test_the_proposer_withdraws_a_pending_proposal(court, officer, facts):
    ec = ready_case(court, officer)
    proposal = propose(officer, ec)
    other = UserFactory(officer=True, court=court, username="officer-3")
    refused(RuleViolation, "termination.not_proposer", termination_withdraw, actor=other, proposal=proposal)
    assert termination_withdraw(actor=officer, proposal=proposal).status == ProposalStatus.WITHDRAWN
    assert StatusChange.objects.filter(enforcement_case=ec, transition="withdraw_termination").exists()


# ---- the reason analysis -------------------------------------------------------------------------------------------


def test_a_missing_debtor_is_traced(court, officer, facts):
    ec = ready_case(court, officer)
    follow_up, reasons = follow_up_for(ec, TerminationReason.DEBTOR_MISSING)
    assert follow_up == FollowUp.TRACE_DEBTOR
    assert reasons == ["The debtor is missing: keep searching and restore when found."]


def test_property_that_could_not_be_disposed_of_is_disposed_of_again(court, officer, facts):
    ec = ready_case(court, officer)
    assert follow_up_for(ec, TerminationReason.NOT_DISPOSABLE)[0] == FollowUp.DISPOSE_AGAIN


def test_a_person_without_property_is_tracked_until_property_appears(court, officer, facts):
    ec = ready_case(court, officer, debtors=[PartyFactory()])
    follow_up, reasons = follow_up_for(ec, TerminationReason.NO_PROPERTY)
    assert follow_up == FollowUp.RESTORE_WHEN_PROPERTY
    assert reasons == ["Track the debtor's property; the case is restored when property appears (终本规定 art. 9)."]


def test_an_organisation_with_a_second_terminated_case_is_suggested_for_bankruptcy(court, officer, facts):
    company = PartyFactory(organisation=True)
    case_in(Status.CLOSED, court, debtors=[company], closing_kind=ClosingKind.TERMINATED_THIS_ROUND)
    ec = ready_case(court, officer, debtors=[company])
    follow_up, reasons = follow_up_for(ec, TerminationReason.NO_PROPERTY)
    assert follow_up == FollowUp.TRANSFER_TO_BANKRUPTCY
    assert reasons[0] == "The organisation debtor has 2 终本 cases, this one included."


def test_an_organisation_in_three_open_cases_is_suggested_for_bankruptcy(court, officer, facts):
    company = PartyFactory(organisation=True)
    case_in(Status.INVESTIGATING, court, debtors=[company])
    case_in(Status.CONTROLLING, court, debtors=[company])
    ec = ready_case(court, officer, debtors=[company])
    follow_up, reasons = follow_up_for(ec, TerminationReason.NO_PROPERTY)
    assert follow_up == FollowUp.TRANSFER_TO_BANKRUPTCY
    assert "The organisation debtor is the debtor in 3 open enforcement cases." in reasons


def test_an_organisation_owing_ten_times_the_property_found_is_suggested_for_bankruptcy(court, officer, facts):
    facts.found(("equity", "某公司10%股权", "股权", "9000.00"))
    company = PartyFactory(organisation=True)
    ec = ready_case(court, officer, debtors=[company], amount="100000.00")
    follow_up, reasons = follow_up_for(ec, TerminationReason.PARTLY_PERFORMED)
    assert follow_up == FollowUp.TRANSFER_TO_BANKRUPTCY
    assert reasons[0].startswith("The organisation debtor owes 100000.00 across its enforcement cases")
    facts.found(("equity", "某公司10%股权", "股权", "10000.01"))
    assert follow_up_for(ec, TerminationReason.PARTLY_PERFORMED)[0] == FollowUp.RESTORE_WHEN_PROPERTY


def test_bankruptcy_candidates_are_the_approved_terminations_suggesting_it_at_the_users_court(
    court, officer, division_head, other_officer, facts, media_root
):
    company = PartyFactory(organisation=True)
    case_in(Status.CLOSED, court, debtors=[company], closing_kind=ClosingKind.TERMINATED_THIS_ROUND)
    ec = ready_case(court, officer, debtors=[company])
    proposal = termination_decide(actor=division_head, proposal=propose(officer, ec), approve=True)
    assert proposal.follow_up == FollowUp.TRANSFER_TO_BANKRUPTCY
    assert list(termination_bankruptcy_candidates(user=officer)) == [ec]
    assert list(termination_bankruptcy_candidates(user=other_officer)) == []


def test_the_demo_terminates_its_planned_cases_through_the_proposal_once(
    court, officer, facts, media_root, monkeypatch
):
    from io import StringIO

    from core.audit import audit_record
    from core.demo import DemoContext
    from enforcement import checks, demo

    head = UserFactory(division_head=True, court=court, username=demo.HEAD)
    planned = ready_case(court, officer)
    unqueried = ready_case(court, officer)
    for ec in (planned, unqueried):
        audit_record(actor=None, action=demo.TERMINATION_PLANNED, obj=ec, changes={"on": str(TODAY)})
    answered = facts.network
    facts.no_query()
    provider = {"assets": lambda ec: [answered if ec.pk == planned.pk else facts.network]}
    monkeypatch.setattr(checks, "_termination_fact_providers", provider)  # only the planned case was queried
    context = DemoContext(today=TODAY, stdout=StringIO())
    context.courts, context.users = {court.code: court}, {head.username: head}
    demo.close_terminated_demo_cases(context)
    planned.refresh_from_db()
    assert (planned.status, planned.closing_kind) == (Status.CLOSED, ClosingKind.TERMINATED_THIS_ROUND)
    assert TerminationProposal.objects.get().decided_by == head
    assert unqueried.case.number in context.stdout.getvalue()
    with nothing_written():
        demo.close_terminated_demo_cases(context)
