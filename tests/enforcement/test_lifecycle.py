"""The enforcement case lifecycle: ``transition_apply`` (legal and illegal steps, who may take them, the
timeline row and the audit row) and the named steps suspend, resume, close and restore."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from cases.choices import CaseType, DocumentKind, MeasureKind, MeasureStatus, PreservationKind, PropertyClass
from cases.models import PreservationApplication, PreservationMeasure
from core.exceptions import Conflict, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement import signals
from enforcement.choices import (
    ClosingKind,
    NonEnforcementGround,
    NoticeKind,
    ServiceMethod,
    Status,
    SuspensionGround,
    TerminationGround,
)
from enforcement.deadlines import add_months
from enforcement.models import EnforcementCase, Notice, StatusChange, Suspension
from enforcement.selectors import case_timeline
from enforcement.services import case_close, case_restore, case_resume, case_suspend, transition_apply
from enforcement.services.lifecycle import close_terminated_this_round
from tests.enforcement.builders import TODAY, case_in, document, nothing_written
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def step(actor, ec, transition, **kwargs):
    return transition_apply(actor=actor, enforcement_case=ec, transition=transition, **kwargs)


def refused(exc_type, code, fn, *args, **kwargs):
    with nothing_written(), pytest.raises(exc_type) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


# ---- the generic step ------------------------------------------------------------------------------------------


def test_a_legal_step_moves_the_case_and_writes_the_timeline_and_the_audit_row(court, officer):
    ec = case_in(Status.NOTIFIED, court, officer=officer)
    after = step(officer, ec, "start_investigation", reason="申请执行人提供财产线索")
    assert after.status == Status.INVESTIGATING
    change = StatusChange.objects.get(enforcement_case=ec)
    assert (change.transition, change.from_status, change.to_status, change.actor, change.reason) == (
        "start_investigation",
        "notified",
        "investigating",
        officer,
        "申请执行人提供财产线索",
    )
    audit = AuditLog.objects.get(action="enforcement.start_investigation")
    assert audit.changes == {"from": "notified", "to": "investigating"}
    assert audit.object_id == str(ec.pk)
    ec.refresh_from_db()
    assert ec.status == Status.INVESTIGATING


@pytest.mark.parametrize(
    ("start", "transition", "end"),
    [
        (Status.INVESTIGATING, "start_control", Status.CONTROLLING),
        (Status.CONTROLLING, "start_disposal", Status.DISPOSING),
        (Status.CONTROLLING, "start_distribution", Status.DISTRIBUTING),
        (Status.DISPOSING, "start_distribution", Status.DISTRIBUTING),
    ],
)
def test_the_working_steps_follow_each_other(court, officer, start, transition, end):
    assert step(officer, case_in(start, court), transition).status == end


def test_an_illegal_step_is_refused_naming_the_state_and_the_step_and_writes_nothing(court, officer):
    ec = case_in(Status.FILED, court)
    error = refused(RuleViolation, "lifecycle.illegal_transition", step, officer, ec, "start_investigation")
    assert error.message == "The case is in the state “Filed” and cannot take the step “start the asset investigation”."
    assert error.extra == {"status": "filed", "transition": "start_investigation"}


def test_distribution_cannot_start_before_assets_are_controlled(court, officer):
    error = refused(
        RuleViolation,
        "lifecycle.illegal_transition",
        step,
        officer,
        case_in(Status.INVESTIGATING, court),
        "start_distribution",
    )
    assert error.message == (
        "The case is in the state “Investigating” and cannot take the step “start distributing the proceeds”."
    )


def test_a_closed_case_takes_no_further_step(court, officer):
    ec = case_in(Status.CLOSED, court)
    refused(RuleViolation, "lifecycle.illegal_transition", step, officer, ec, "start_control")


def test_an_unknown_step_is_refused(court, officer):
    ec = case_in(Status.NOTIFIED, court)
    for name in ("fly", "_may", "save"):
        error = refused(RuleViolation, "lifecycle.unknown_transition", step, officer, ec, name)
    assert error.message == "There is no step “save” in the enforcement lifecycle."


def test_a_filing_clerk_may_not_take_lifecycle_steps(court, clerk):
    ec = case_in(Status.NOTIFIED, court)
    error = refused(PermissionDenied, "capability.enforcement.act", step, clerk, ec, "start_investigation")
    assert error.message == "Your role does not allow this action."


def test_another_courts_officer_does_not_find_the_case(court, other_officer):
    ec = case_in(Status.NOTIFIED, court)
    refused(NotFound, "not_found", step, other_officer, ec, "start_investigation")


def test_only_a_division_head_assigns_and_the_assignment_records_the_officer(court, officer, division_head):
    ec = case_in(Status.FILED, court)
    refused(PermissionDenied, "capability.enforcement.assign", step, officer, ec, "assign", officer=officer)
    after = step(division_head, ec, "assign", officer=officer)
    assert (after.status, after.officer, after.assigned_at is not None) == (Status.ASSIGNED, officer, True)
    assert StatusChange.objects.get(enforcement_case=ec).details == {"officer": officer.pk}


def _notice(ec, kind, debtor, actor):
    notice = Notice(
        enforcement_case=ec,
        kind=kind,
        recipient=debtor,
        issued_on=TODAY,
        issued_by=actor,
        service_method=ServiceMethod.IN_PERSON,
        served_on=TODAY,
    )
    notice.file.save("n.docx", ContentFile(b"x"), save=False)
    notice.save()


def test_notify_waits_until_both_documents_are_issued_to_every_debtor(court, officer, media_root):
    first, second = PartyFactory(), PartyFactory(organisation=True)
    ec = case_in(Status.ASSIGNED, court, debtors=[first, second], officer=officer)
    for kind in NoticeKind.values:
        _notice(ec, kind, first, officer)
    _notice(ec, NoticeKind.ENFORCEMENT_NOTICE, second, officer)
    error = refused(RuleViolation, "lifecycle.notices_missing", step, officer, ec, "notify")
    assert error.message == "Issue both the enforcement notice and the property report order to every debtor first."
    _notice(ec, NoticeKind.PROPERTY_REPORT_ORDER, second, officer)
    assert step(officer, ec, "notify").status == Status.NOTIFIED


# ---- concurrency on one instance (SQLite-friendly; the threaded test is in test_concurrency.py) --------------------


def test_a_step_decided_on_a_stale_copy_of_the_case_is_a_conflict(court, officer):
    stale = case_in(Status.NOTIFIED, court)
    fresh = EnforcementCase.objects.get(pk=stale.pk)
    step(officer, fresh, "start_investigation")
    error = refused(Conflict, "lifecycle.conflict", step, officer, stale, "suspend")
    assert error.status_code == 409
    assert error.message == "The case changed meanwhile: it is now “Investigating”. Reload it and decide again."


def test_the_model_refuses_to_save_a_transition_from_a_state_that_is_gone(court):
    stale = case_in(Status.NOTIFIED, court)
    fresh = EnforcementCase.objects.get(pk=stale.pk)
    fresh.start_investigation()
    fresh.save()
    stale.suspend()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert EnforcementCase.objects.get(pk=stale.pk).status == Status.INVESTIGATING


def test_a_concurrent_transition_on_save_becomes_a_conflict_and_writes_nothing(court, officer, monkeypatch):
    """The row lock makes this path unreachable in a normal run; were an unlocked instance ever saved, the
    mixin's conditional UPDATE still refuses, and the service answers 409."""
    from enforcement.services import lifecycle

    stale = case_in(Status.NOTIFIED, court)
    assert stale.case.court == court  # loaded, as lock_case would
    EnforcementCase.objects.filter(pk=stale.pk).update(status=Status.INVESTIGATING)
    monkeypatch.setattr(lifecycle, "lock_case", lambda **kwargs: stale)
    error = refused(Conflict, "lifecycle.conflict", step, officer, stale, "suspend")
    assert error.message == "The case changed meanwhile. Reload it and decide again."


# ---- suspension and resumption ------------------------------------------------------------------------------------


def test_suspending_records_the_ground_and_remembers_the_state(court, officer):
    ec = case_in(Status.CONTROLLING, court)
    on = TODAY - dt.timedelta(days=3)
    after = case_suspend(
        actor=officer, enforcement_case=ec, ground=SuspensionGround.THIRD_PARTY_OBJECTION, reason="案外人异议", on=on
    )
    assert (after.status, after.status_before_suspension) == (Status.SUSPENDED, Status.CONTROLLING)
    suspension = Suspension.objects.get(enforcement_case=ec)
    assert (suspension.ground, suspension.started_on, suspension.ended_on, suspension.started_by) == (
        "third_party_objection",
        on,
        None,
        officer,
    )
    change = StatusChange.objects.get(enforcement_case=ec)
    assert change.details == {"ground": "third_party_objection", "on": on.isoformat()}
    assert after.deadline_on == ec.deadline_on  # the stored deadline waits for the resumption


def test_a_suspension_needs_a_reason_and_a_ground(court, officer):
    ec = case_in(Status.CONTROLLING, court)
    error = refused(
        RuleViolation, "lifecycle.reason_required", case_suspend, actor=officer, enforcement_case=ec,
        ground=SuspensionGround.OTHER, reason="  ", on=TODAY,
    )  # fmt: skip
    assert error.message == "Give the reason for this step."
    refused(
        RuleViolation, "suspension.ground", case_suspend, actor=officer, enforcement_case=ec, ground="whim",
        reason="x", on=TODAY,
    )  # fmt: skip


def test_a_suspended_case_cannot_be_suspended_again(court, officer):
    ec = case_in(Status.SUSPENDED, court)
    error = refused(
        RuleViolation, "lifecycle.illegal_transition", case_suspend, actor=officer, enforcement_case=ec,
        ground=SuspensionGround.OTHER, reason="再次中止", on=TODAY,
    )  # fmt: skip
    assert error.message == "The case is in the state “Suspended” and cannot take the step “suspend enforcement”."


def test_a_suspension_cannot_start_in_the_future_or_before_filing(court, officer):
    ec = case_in(Status.CONTROLLING, court, filing_date=TODAY - dt.timedelta(days=10))
    kwargs = {"actor": officer, "enforcement_case": ec, "ground": SuspensionGround.OTHER, "reason": "x"}
    error = refused(RuleViolation, "lifecycle.date_in_future", case_suspend, on=TODAY + dt.timedelta(days=1), **kwargs)
    assert error.message == "The date cannot be in the future."
    refused(RuleViolation, "lifecycle.date_too_early", case_suspend, on=TODAY - dt.timedelta(days=11), **kwargs)


def test_resuming_returns_to_the_remembered_state_and_pushes_the_deadline_by_the_days_suspended(court, officer):
    ec = case_in(Status.CONTROLLING, court, filing_date=TODAY - dt.timedelta(days=60))
    deadline = ec.deadline_on
    ec = case_suspend(
        actor=officer, enforcement_case=ec, ground=SuspensionGround.APPLICANT_AGREES, reason="申请执行人同意暂缓",
        on=TODAY - dt.timedelta(days=20),
    )  # fmt: skip
    after = case_resume(actor=officer, enforcement_case=ec, on=TODAY)
    assert (after.status, after.status_before_suspension) == (Status.CONTROLLING, "")
    assert after.suspended_days == 20
    assert after.deadline_on == deadline + dt.timedelta(days=20)
    assert Suspension.objects.get(enforcement_case=ec).ended_on == TODAY
    assert list(StatusChange.objects.filter(enforcement_case=ec).values_list("transition", "to_status")) == [
        ("suspend", "suspended"),
        ("resume", "controlling"),
    ]


def test_a_case_cannot_resume_before_its_suspension_began(court, officer):
    ec = case_in(Status.CONTROLLING, court, filing_date=TODAY - dt.timedelta(days=60))
    ec = case_suspend(
        actor=officer, enforcement_case=ec, ground=SuspensionGround.OTHER, reason="x", on=TODAY - dt.timedelta(days=5)
    )
    error = refused(
        RuleViolation, "suspension.resume_before_start", case_resume, actor=officer, enforcement_case=ec,
        on=TODAY - dt.timedelta(days=6),
    )  # fmt: skip
    assert error.message == f"The case cannot resume before its suspension began ({TODAY - dt.timedelta(days=5)})."


def test_only_a_suspended_case_resumes(court, officer):
    ec = case_in(Status.CONTROLLING, court)
    refused(RuleViolation, "lifecycle.illegal_transition", case_resume, actor=officer, enforcement_case=ec, on=TODAY)


# ---- closing -----------------------------------------------------------------------------------------------------


def close(actor, ec, kind, reason="", on=TODAY, **kwargs):
    return case_close(actor=actor, enforcement_case=ec, kind=kind, reason=reason, on=on, **kwargs)


def test_a_case_is_closed_as_fully_performed_when_the_amount_performed_reaches_the_amount(court, officer):
    ec = case_in(Status.DISTRIBUTING, court, amount="100000.00")
    error = refused(
        RuleViolation, "closing.not_performed", close, officer, ec, ClosingKind.COMPLETED,
        performed_amount=Decimal("99999.99"),
    )  # fmt: skip
    assert error.message == (
        "A case is closed as fully performed only when the obligation is recorded as performed or the amount "
        "performed (99999.99) reaches the amount to enforce (100000.00)."
    )
    after = close(officer, ec, ClosingKind.COMPLETED, performed_amount=Decimal("100000.00"))
    assert (after.status, after.closing_kind, after.closed_on, after.performed_amount) == (
        Status.CLOSED,
        "completed",
        TODAY,
        Decimal("100000.00"),
    )
    assert StatusChange.objects.get(enforcement_case=ec).details == {
        "kind": "completed",
        "on": TODAY.isoformat(),
        "performed_amount": "100000.00",
    }


def test_a_document_recorded_as_fully_performed_closes_the_case_as_completed(court, officer):
    doc = document(court, fully_performed_on=TODAY)
    ec = case_in(Status.CONTROLLING, court, source_document=doc)
    assert close(officer, ec, ClosingKind.COMPLETED).closing_kind == ClosingKind.COMPLETED


def test_terminating_this_round_needs_more_than_three_months_since_filing(court, officer):
    """终本 closes only through the approved proposal (``close_terminated_this_round``), which keeps the rule."""
    filed = TODAY - dt.timedelta(days=120)
    ec = case_in(Status.INVESTIGATING, court, filing_date=filed)
    three_months = add_months(filed, 3)
    refused(
        RuleViolation, "closing.termination_needs_approval", close, officer, ec, ClosingKind.TERMINATED_THIS_ROUND,
        reason="无可供执行财产", on=three_months + dt.timedelta(days=1),
    )  # fmt: skip
    error = refused(
        RuleViolation, "closing.too_early_to_terminate", close_terminated_this_round, actor=officer,
        enforcement_case=ec, reason="无可供执行财产", on=three_months,
    )  # fmt: skip
    assert error.message == (
        "This round of enforcement can be terminated only more than 3 months after filing (终本规定 art. 1(4)): "
        f"not before {three_months + dt.timedelta(days=1)}."
    )
    after = close_terminated_this_round(
        actor=officer, enforcement_case=ec, reason="无可供执行财产", on=three_months + dt.timedelta(days=1)
    )
    assert after.closing_kind == ClosingKind.TERMINATED_THIS_ROUND


def test_closing_other_than_as_performed_needs_a_reason(court, officer):
    ec = case_in(Status.INVESTIGATING, court)
    error = refused(RuleViolation, "lifecycle.reason_required", close, officer, ec, ClosingKind.SETTLED, reason=" ")
    assert error.message == "Give the reason for closing the case."


def test_only_a_case_against_organisations_is_transferred_to_bankruptcy(court, officer):
    person_case = case_in(Status.CONTROLLING, court, debtors=[PartyFactory()])
    error = refused(
        RuleViolation, "closing.bankruptcy_needs_organisation", close, officer, person_case,
        ClosingKind.TRANSFERRED_TO_BANKRUPTCY, reason="资不抵债",
    )  # fmt: skip
    assert error.message == "Only a case against an organisation can be transferred to bankruptcy (解释 2022 art. 511)."
    company_case = case_in(Status.SUSPENDED, court, debtors=[PartyFactory(organisation=True)])
    after = close(officer, company_case, ClosingKind.TRANSFERRED_TO_BANKRUPTCY, reason="执转破，破产申请已受理")
    assert after.closing_kind == ClosingKind.TRANSFERRED_TO_BANKRUPTCY


def test_closing_a_suspended_case_ends_its_suspension(court, officer):
    ec = case_in(Status.CONTROLLING, court, filing_date=TODAY - dt.timedelta(days=60), debtors=[PartyFactory()])
    ec = case_suspend(
        actor=officer, enforcement_case=ec, ground=SuspensionGround.PARTY_DIED, reason="被执行人死亡",
        on=TODAY - dt.timedelta(days=10),
    )  # fmt: skip
    after = close(
        officer, ec, ClosingKind.TERMINATED, reason="被执行人死亡，无遗产可供执行",
        ground=TerminationGround.DEBTOR_DIED_NO_ESTATE,
    )  # fmt: skip
    assert after.status == Status.CLOSED
    assert after.status_before_suspension == ""
    assert Suspension.objects.get(enforcement_case=ec).ended_on == TODAY
    assert after.suspended_days == 10


def test_closing_announces_the_event_after_commit(court, officer, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, enforcement_case, kind, actor, **kwargs):
        received.append((enforcement_case.pk, kind, actor))

    signals.case_closed.connect(receiver)
    try:
        award = document(court, kind=DocumentKind.ARBITRAL_AWARD)
        ec = case_in(Status.INVESTIGATING, court, source_document=award)
        with django_capture_on_commit_callbacks(execute=True):
            close(
                officer, ec, ClosingKind.NOT_ENFORCED, reason="仲裁裁决被裁定不予执行",
                ground=NonEnforcementGround.PROCEDURE_VIOLATED,
            )  # fmt: skip
    finally:
        signals.case_closed.disconnect(receiver)
    assert received == [(ec.pk, "not_enforced", officer)]


def test_a_closed_case_cannot_be_closed_again(court, officer):
    ec = case_in(Status.CLOSED, court)
    refused(RuleViolation, "lifecycle.illegal_transition", close, officer, ec, ClosingKind.SETTLED, reason="x")


# ---- restoration (恢复执行) --------------------------------------------------------------------------------------


def _terminated(court, officer, **fields):
    return case_in(
        Status.CLOSED,
        court,
        filing_date=TODAY - dt.timedelta(days=200),
        closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
        closed_on=TODAY - dt.timedelta(days=30),
        officer=officer,
        **fields,
    )


def test_restoring_a_terminated_case_files_a_zhi_hui_case_for_what_is_outstanding(court, clerk, officer):
    doc = document(court)
    old = _terminated(court, officer, source_document=doc, performed_amount=Decimal("30000.00"))
    new = case_restore(actor=clerk, enforcement_case=old, on=TODAY, reason="申请执行人发现被执行人名下新登记车辆")
    record = new.case
    assert record.case_type == CaseType.ENFORCEMENT_RESTORED
    assert record.number == f"（{TODAY.year}）京0105执恢1号"
    assert record.amount == Decimal("70000.00")
    assert [(link.role, link.party_id) for link in record.party_links.all()] == [
        (link.role, link.party_id) for link in old.case.party_links.all()
    ]
    assert (new.restored_from, new.source_document, new.status, new.limit_months) == (old, doc, Status.FILED, 6)
    assert new.deadline_on == add_months(TODAY, 6)
    assert StatusChange.objects.get(enforcement_case=new).details["restored_from"] == old.case.number
    assert StatusChange.objects.get(enforcement_case=old).details == {"restored_as": record.number}


def test_the_restored_case_carries_the_history_of_the_round_it_continues(court, clerk, officer):
    old = _terminated(court, officer)
    StatusChange.objects.create(
        enforcement_case=old, transition="close", from_status=Status.CONTROLLING, to_status=Status.CLOSED,
        at=timezone.now() - dt.timedelta(days=30), reason="无财产可供执行",
    )  # fmt: skip
    new = case_restore(actor=clerk, enforcement_case=old, on=TODAY, reason="申请执行人提供财产线索")
    timeline = case_timeline(enforcement_case=EnforcementCase.objects.get(pk=new.pk))
    assert [(entry.details["transition"], entry.earlier_round) for entry in timeline] == [
        ("close", old.case.number),
        ("file", ""),
        ("restore", old.case.number),
    ]
    assert [entry.earlier_round for entry in case_timeline(enforcement_case=old)] == ["", ""]


def test_restoration_moves_the_measures_still_in_force(court, clerk, officer):
    old = _terminated(court, officer)
    debtor = old.case.party_links.get(role="debtor").party
    application = PreservationApplication.objects.create(
        case=old.case, kind=PreservationKind.IN_SUIT, applicant=PartyFactory(), respondent=debtor,
        amount=Decimal("1000"), applied_on=TODAY - dt.timedelta(days=300), status="granted",
    )  # fmt: skip

    def measure(**fields):
        return PreservationMeasure.objects.create(
            application=application, kind=MeasureKind.SEAL, property_class=PropertyClass.REAL_ESTATE,
            asset_description="朝阳区某小区1号楼101", starts_on=TODAY - dt.timedelta(days=300), carried_into=old.case,
            **fields,
        )  # fmt: skip

    live = measure(expires_on=TODAY + dt.timedelta(days=700))
    lapsed = measure(expires_on=TODAY + dt.timedelta(days=700), status=MeasureStatus.LAPSED)
    new = case_restore(actor=clerk, enforcement_case=old, on=TODAY, reason="发现财产")
    live.refresh_from_db()
    lapsed.refresh_from_db()
    assert (live.carried_into, live.expires_on) == (new.case, TODAY + dt.timedelta(days=700))
    assert lapsed.carried_into == old.case


def test_only_a_case_terminated_for_this_round_is_restored(court, clerk, officer):
    completed = case_in(Status.CLOSED, court, closing_kind=ClosingKind.COMPLETED, closed_on=TODAY)
    error = refused(
        RuleViolation, "restore.not_terminated_this_round", case_restore, actor=clerk, enforcement_case=completed,
        on=TODAY, reason="x",
    )  # fmt: skip
    assert error.message == (
        "Only a case whose enforcement was terminated for this round (终本) can be restored (终本规定 art. 9)."
    )
    refused(
        RuleViolation, "restore.not_terminated_this_round", case_restore, actor=clerk,
        enforcement_case=case_in(Status.SUSPENDED, court), on=TODAY, reason="x",
    )  # fmt: skip


def test_restoration_is_not_bound_by_the_two_year_period(court, clerk, officer):
    doc = document(court, effective_on=dt.date(2019, 1, 1), performance_deadline=dt.date(2019, 1, 10))
    old = _terminated(court, officer, source_document=doc)
    assert (
        case_restore(actor=clerk, enforcement_case=old, on=TODAY, reason="五年内定期查询发现存款").restored_from == old
    )


def test_a_case_is_restored_once(court, clerk, officer):
    old = _terminated(court, officer)
    first = case_restore(actor=clerk, enforcement_case=old, on=TODAY, reason="发现财产")
    error = refused(
        RuleViolation, "restore.already_restored", case_restore, actor=clerk, enforcement_case=old, on=TODAY,
        reason="再次",
    )  # fmt: skip
    assert error.message == f"This case has already been restored as {first.case.number}."


def test_restoration_needs_a_reason_and_the_restore_capability(court, clerk, officer):
    old = _terminated(court, officer)
    refused(
        RuleViolation, "lifecycle.reason_required", case_restore, actor=clerk, enforcement_case=old, on=TODAY,
        reason="",
    )  # fmt: skip
    auditor = UserFactory(auditor=True, court=court, username="auditor-no-restore")
    refused(
        PermissionDenied, "capability.enforcement.restore", case_restore, actor=auditor, enforcement_case=old,
        on=TODAY, reason="发现财产",
    )  # fmt: skip


def test_the_case_officer_restores_in_one_step(court, officer):
    old = _terminated(court, officer)
    new = case_restore(actor=officer, enforcement_case=old, on=TODAY, reason="跟踪查询发现被执行人新开立的存款账户")
    assert new.restored_from == old and new.case.case_type == CaseType.ENFORCEMENT_RESTORED


def test_a_fully_paid_case_has_nothing_to_restore(court, clerk, officer):
    old = _terminated(court, officer, performed_amount=Decimal("100000.00"))
    error = refused(
        RuleViolation, "restore.nothing_outstanding", case_restore, actor=clerk, enforcement_case=old, on=TODAY,
        reason="x",
    )  # fmt: skip
    assert error.message == "Nothing is outstanding on this case."


def test_a_judge_takes_lifecycle_steps_too(court, judge):
    assert step(judge, case_in(Status.NOTIFIED, court), "start_investigation").status == Status.INVESTIGATING


def test_a_superuser_takes_any_step_at_any_court(other_court):
    root = UserFactory(superuser=True, username="root")
    assert step(root, case_in(Status.NOTIFIED, other_court), "start_investigation").status == Status.INVESTIGATING


# ---- reads --------------------------------------------------------------------------------------------------------


def test_the_timeline_merges_steps_suspensions_and_notices_in_order(court, officer, media_root):
    from enforcement.selectors import case_timeline

    ec = case_in(Status.CONTROLLING, court, filing_date=TODAY - dt.timedelta(days=60))
    ec = case_suspend(
        actor=officer, enforcement_case=ec, ground=SuspensionGround.RETRIAL, reason="再审",
        on=TODAY - dt.timedelta(days=8),
    )  # fmt: skip
    ec = case_resume(actor=officer, enforcement_case=ec, on=TODAY)
    _notice(ec, NoticeKind.ENFORCEMENT_NOTICE, ec.case.party_links.get(role="debtor").party, officer)
    rows = [(row.kind, row.title) for row in case_timeline(enforcement_case=ec)]
    # Known only by its day (today), the resumption comes before today's timed steps; the notice, served
    # today, is ordered by when it was recorded: after the steps that came before it.
    assert rows == [
        ("suspension", "Suspended: Retrial of the source document"),
        ("resumption", "Resumed after 8 days"),
        ("status_change", "suspend enforcement: Controlling assets → Suspended"),
        ("status_change", "resume enforcement: Suspended → Controlling assets"),
        ("notice", rows[4][1]),
    ]
    assert rows[4][1].startswith("Enforcement notice (执行通知书) served on")


def test_an_officers_open_cases_come_soonest_deadline_first(court, officer):
    from enforcement.selectors import open_cases_of_officer

    later = case_in(Status.INVESTIGATING, court, officer=officer, filing_date=TODAY - dt.timedelta(days=10))
    sooner = case_in(Status.CONTROLLING, court, officer=officer, filing_date=TODAY - dt.timedelta(days=100))
    case_in(Status.CLOSED, court, officer=officer)
    case_in(Status.INVESTIGATING, court)
    assert list(open_cases_of_officer(officer=officer)) == [sooner, later]
