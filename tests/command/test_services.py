"""On-site tasks (现场执行) and risk notes through command.services: each rule refuses with its message and code and
writes nothing; what succeeds is audited."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.utils import timezone

from command.choices import OnSiteOutcome, OnSitePurpose, OnSiteStatus, RiskKind
from command.models import OnSiteTask, RiskNote
from command.services import (
    cancel_onsite_task,
    complete_onsite_task,
    plan_onsite_task,
    record_risk_note,
    withdraw_risk_note,
)
from core.exceptions import InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import Status
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
TOMORROW = NOW + dt.timedelta(days=1)


@contextmanager
def nothing_written():
    def counts():
        return (
            OnSiteTask.objects.count(),
            RiskNote.objects.count(),
            AuditLog.objects.count(),
            sorted(OnSiteTask.objects.values_list("pk", "status", "outcome", "outcome_notes")),
            sorted(RiskNote.objects.values_list("pk", "withdrawn_at")),
        )

    before = counts()
    yield
    assert counts() == before


@pytest.fixture
def setup():
    court = CourtFactory(chaoyang=True)
    other = CourtFactory(haidian=True)
    officer = UserFactory(officer=True, court=court, username="li")
    judge = UserFactory(judge=True, court=court, username="zhang")
    stranger = UserFactory(officer=True, court=other, username="zhou")
    debtor = PartyFactory(name="孙某某", address="北京市朝阳区某小区3号楼")
    ec = case_in(Status.INVESTIGATING, court, officer=officer, debtors=[debtor])
    return court, officer, judge, stranger, debtor, ec


def plan(actor, ec, officers, **overrides):
    kwargs = {
        "purpose": OnSitePurpose.SEARCH,
        "address": "北京市朝阳区某小区3号楼",
        "scheduled_at": TOMORROW,
        "officers": officers,
        "notes": "携带执法记录仪。",
    }
    return plan_onsite_task(actor=actor, enforcement_case=ec, **{**kwargs, **overrides})


def test_an_officer_plans_a_task_for_officers_of_the_court_and_it_is_audited(setup):
    court, officer, judge, stranger, debtor, ec = setup
    task = plan(officer, ec, [officer, judge])
    assert (task.status, task.created_by, task.case) == (OnSiteStatus.PLANNED, officer, ec)
    assert set(task.officers.all()) == {officer, judge}
    entry = AuditLog.objects.get(action="command.onsite_plan")
    assert entry.changes["task"] == task.pk and entry.actor == officer and entry.court == court


def test_planning_in_the_past_is_refused(setup):
    court, officer, judge, stranger, debtor, ec = setup
    with nothing_written(), pytest.raises(RuleViolation, match="planned for a time to come") as error:
        plan(officer, ec, [officer], scheduled_at=NOW - dt.timedelta(hours=2))
    assert error.value.code == "onsite.in_the_past"


def test_an_officer_of_another_court_cannot_go_on_site(setup):
    court, officer, judge, stranger, debtor, ec = setup
    with nothing_written(), pytest.raises(RuleViolation, match="active officers of the case's court") as error:
        plan(officer, ec, [officer, stranger])
    assert error.value.code == "onsite.officer_court"
    clerk = UserFactory(clerk=True, court=court, username="clerk")
    with nothing_written(), pytest.raises(RuleViolation, match="is not"):
        plan(officer, ec, [clerk])


def test_a_case_of_another_court_is_not_found(setup):
    court, officer, judge, stranger, debtor, ec = setup
    with nothing_written(), pytest.raises(NotFound):
        plan(stranger, ec, [stranger])


def test_a_closed_case_takes_no_new_task(setup):
    court, officer, judge, stranger, debtor, ec = setup
    closed = case_in(Status.CLOSED, court, officer=officer)
    with nothing_written(), pytest.raises(RuleViolation, match="planned on open cases") as error:
        plan(officer, closed, [officer])
    assert error.value.code == "onsite.case_closed"


def test_a_task_needs_an_address_and_officers(setup):
    court, officer, judge, stranger, debtor, ec = setup
    with nothing_written(), pytest.raises(InvalidInput) as error:
        plan(officer, ec, [], address="  ")
    assert set(error.value.fields) == {"address", "officers"}
    assert error.value.code == "onsite.invalid"


def test_a_role_without_onsite_may_not_plan(setup):
    court, officer, judge, stranger, debtor, ec = setup
    president = UserFactory(president=True, court=court, username="president")
    with nothing_written(), pytest.raises(PermissionDenied):
        plan(president, ec, [officer])


def test_recording_the_outcome_makes_the_task_done_and_then_it_cannot_change(setup):
    court, officer, judge, stranger, debtor, ec = setup
    task = plan(officer, ec, [officer])
    done = complete_onsite_task(
        actor=judge, task=task, outcome=OnSiteOutcome.OBSTRUCTED, outcome_notes="被执行人拒不开门。"
    )
    assert (done.status, done.outcome, done.outcome_notes) == ("done", "obstructed", "被执行人拒不开门。")
    assert done.completed_at is not None
    assert AuditLog.objects.filter(action="command.onsite_complete", changes__task=task.pk).exists()
    with nothing_written(), pytest.raises(RuleViolation, match="A task that is done cannot change") as error:
        complete_onsite_task(actor=officer, task=task, outcome=OnSiteOutcome.COMPLETED)
    assert error.value.code == "onsite.already_done"
    with nothing_written(), pytest.raises(RuleViolation, match="A task that is done cannot change"):
        cancel_onsite_task(actor=officer, task=task, reason="和解")


def test_an_outcome_is_required_and_cannot_be_recorded_ahead(setup):
    court, officer, judge, stranger, debtor, ec = setup
    task = plan(officer, ec, [officer])
    with nothing_written(), pytest.raises(InvalidInput, match="Choose the outcome"):
        complete_onsite_task(actor=officer, task=task, outcome="")
    with nothing_written(), pytest.raises(RuleViolation, match="not ahead") as error:
        complete_onsite_task(actor=officer, task=task, outcome=OnSiteOutcome.COMPLETED, completed_at=TOMORROW)
    assert error.value.code == "onsite.completed_in_the_future"


def test_a_task_of_another_court_cannot_be_completed(setup):
    court, officer, judge, stranger, debtor, ec = setup
    task = plan(officer, ec, [officer])
    with nothing_written(), pytest.raises(NotFound):
        complete_onsite_task(actor=stranger, task=task, outcome=OnSiteOutcome.COMPLETED)


def test_cancelling_needs_a_reason_and_a_cancelled_task_stays_cancelled(setup):
    court, officer, judge, stranger, debtor, ec = setup
    task = plan(officer, ec, [officer])
    with nothing_written(), pytest.raises(InvalidInput, match="Say why the task is cancelled"):
        cancel_onsite_task(actor=officer, task=task, reason=" ")
    cancelled = cancel_onsite_task(actor=officer, task=task, reason="双方和解")
    assert (cancelled.status, cancelled.outcome_notes) == ("cancelled", "双方和解")
    with nothing_written(), pytest.raises(RuleViolation, match="was cancelled") as error:
        complete_onsite_task(actor=officer, task=task, outcome=OnSiteOutcome.COMPLETED)
    assert error.value.code == "onsite.cancelled"


def test_a_risk_note_is_recorded_on_a_party_to_the_case_and_withdrawn_with_a_reason(setup):
    court, officer, judge, stranger, debtor, ec = setup
    note = record_risk_note(actor=officer, enforcement_case=ec, party=debtor, kind=RiskKind.DOG, note="两条大型犬")
    assert (note.party, note.kind, note.recorded_by, note.withdrawn_at) == (debtor, "dog", officer, None)
    assert AuditLog.objects.filter(action="command.risk_record", changes__risk_note=note.pk).exists()
    with nothing_written(), pytest.raises(InvalidInput, match="Say why the risk no longer holds"):
        withdraw_risk_note(actor=judge, risk_note=note, reason="")
    withdrawn = withdraw_risk_note(actor=judge, risk_note=note, reason="犬只已送走")
    assert withdrawn.withdrawn_at is not None
    assert AuditLog.objects.get(action="command.risk_withdraw").reason == "犬只已送走"
    with nothing_written(), pytest.raises(RuleViolation, match="already withdrawn") as error:
        withdraw_risk_note(actor=judge, risk_note=note, reason="again")
    assert error.value.code == "risk.withdrawn"


def test_a_risk_note_names_a_party_to_the_case(setup):
    court, officer, judge, stranger, debtor, ec = setup
    with nothing_written(), pytest.raises(RuleViolation, match="on a party to the case") as error:
        record_risk_note(actor=officer, enforcement_case=ec, party=PartyFactory(), kind=RiskKind.VIOLENCE)
    assert error.value.code == "risk.not_a_party"
    with nothing_written(), pytest.raises(InvalidInput, match="Say what the risk is"):
        record_risk_note(actor=officer, enforcement_case=ec, party=debtor, kind=RiskKind.OTHER, note="")


def test_only_the_recording_court_withdraws_a_note(setup):
    court, officer, judge, stranger, debtor, ec = setup
    note = record_risk_note(actor=officer, enforcement_case=ec, party=debtor, kind=RiskKind.VIOLENCE)
    with nothing_written(), pytest.raises(RuleViolation, match="by the court that recorded it") as error:
        withdraw_risk_note(actor=stranger, risk_note=note, reason="不再存在")
    assert error.value.code == "risk.other_court"
