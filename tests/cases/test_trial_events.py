"""Trial events (cases.services.trial_event_record): hearings scheduled, held, adjourned, on 民初/民终 only."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.choices import CaseType, PartyRole, TrialEventKind
from cases.exceptions import LitigationRuleViolation
from cases.models import TrialEvent
from cases.services import trial_event_record
from core.exceptions import NotFound, PermissionDenied
from core.models import AuditLog
from tests.cases.builders import civil_case, judgment
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def refused(nothing_written, **kwargs) -> LitigationRuleViolation:
    with nothing_written(), pytest.raises(LitigationRuleViolation) as caught:
        trial_event_record(**kwargs)
    return caught.value


def test_a_judge_schedules_a_hearing_and_it_is_audited(judge, court):
    case = civil_case(court)
    at = NOW + dt.timedelta(days=10)
    event = trial_event_record(actor=judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=at, place="第三法庭")
    assert (event.case, event.kind, event.at, event.place, event.recorded_by) == (
        case,
        "hearing_scheduled",
        at,
        "第三法庭",
        judge,
    )
    entry = AuditLog.objects.get(action="trial.record")
    assert entry.object_id == str(case.pk)
    assert entry.changes["event"] == "hearing_scheduled"


def test_a_scheduled_hearing_is_then_held_or_adjourned(judge, court):
    case = civil_case(court)
    trial_event_record(actor=judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=NOW - dt.timedelta(days=9))
    trial_event_record(actor=judge, case=case, kind=TrialEventKind.HEARING_ADJOURNED, at=NOW - dt.timedelta(days=9))
    trial_event_record(actor=judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=NOW - dt.timedelta(days=2))
    trial_event_record(actor=judge, case=case, kind=TrialEventKind.HEARING_HELD, at=NOW - dt.timedelta(days=2))
    assert list(case.trial_events.values_list("kind", flat=True)) == [
        "hearing_scheduled",
        "hearing_adjourned",
        "hearing_scheduled",
        "hearing_held",
    ]


def test_a_second_instance_case_takes_trial_events_too(judge, court):
    case = CaseFactory(court=court, case_type=CaseType.CIVIL_APPEAL, filing_date=timezone.localdate())
    trial_event_record(actor=judge, case=case, kind=TrialEventKind.MEDIATION_HELD, at=NOW)
    assert case.trial_events.count() == 1


def test_trial_events_are_refused_on_an_enforcement_case(judge, court, nothing_written):
    case = CaseFactory(court=court, case_type=CaseType.ENFORCEMENT)
    error = refused(nothing_written, actor=judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=NOW)
    assert error.code == "trial.case_type"
    assert error.message == "Trial events are recorded only on civil cases of first or second instance (民初, 民终)."


def test_a_hearing_cannot_be_held_before_it_was_scheduled(judge, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, actor=judge, case=case, kind=TrialEventKind.HEARING_HELD, at=NOW)
    assert error.code == "trial.not_scheduled"
    assert error.message == "A hearing can be held or adjourned only after it was scheduled."


def test_a_hearing_scheduled_for_later_cannot_be_held_earlier(judge, court, nothing_written):
    case = civil_case(court)
    trial_event_record(actor=judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=NOW - dt.timedelta(days=1))
    trial_event_record(actor=judge, case=case, kind=TrialEventKind.HEARING_HELD, at=NOW - dt.timedelta(days=1))
    error = refused(
        nothing_written, actor=judge, case=case, kind=TrialEventKind.HEARING_ADJOURNED, at=NOW - dt.timedelta(hours=1)
    )
    assert error.code == "trial.not_scheduled"  # the one scheduled hearing was already held


def test_a_hearing_cannot_be_recorded_as_held_in_the_future(judge, court, nothing_written):
    case = civil_case(court)
    trial_event_record(actor=judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=NOW + dt.timedelta(days=3))
    error = refused(
        nothing_written, actor=judge, case=case, kind=TrialEventKind.HEARING_HELD, at=NOW + dt.timedelta(days=3)
    )
    assert error.code == "trial.in_future"
    assert error.message == "Only a hearing can be scheduled ahead; this event must already have taken place."


def test_a_trial_event_cannot_come_before_the_filing(judge, court, nothing_written):
    case = civil_case(court, filed_days_ago=10)
    error = refused(
        nothing_written,
        actor=judge,
        case=case,
        kind=TrialEventKind.HEARING_SCHEDULED,
        at=NOW - dt.timedelta(days=30),
    )
    assert error.code == "trial.before_filing"
    assert error.message == f"A trial event cannot come before the case was filed ({case.filing_date})."


def test_no_trial_event_after_a_document_took_effect(judge, court, nothing_written):
    case = civil_case(court)
    document = judgment(case, actor=judge)
    error = refused(nothing_written, actor=judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=NOW)
    assert error.code == "trial.after_effective_document"
    assert error.message == (
        f"{document} took effect on {document.effective_on}: the trial is over and no more events are recorded."
    )


def test_an_officer_may_not_record_trial_events(officer, court, nothing_written):
    case = civil_case(court)
    with nothing_written(), pytest.raises(PermissionDenied) as caught:
        trial_event_record(actor=officer, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=NOW)
    assert caught.value.code == "capability.trial.record"


def test_another_courts_case_is_not_found(other_judge, court, nothing_written):
    case = civil_case(court)
    with nothing_written(), pytest.raises(NotFound):
        trial_event_record(actor=other_judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=NOW)
    assert not TrialEvent.objects.exists()
    assert PartyRole.PLAINTIFF in {link.role for link in case.party_links.all()}
