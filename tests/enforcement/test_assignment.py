"""Assignment: one case by a division head, reassignment, bulk by hand or by track and workload."""

import pytest
from django.utils import timezone, translation

from cases.choices import PartyRole
from core.exceptions import InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import Status, Track
from enforcement.models import EnforcementCase, StatusChange
from enforcement.services.assignment import case_assign, cases_assign_bulk
from tests.factories import CaseFactory, CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture
def court(db):
    return CourtFactory(chaoyang=True)


@pytest.fixture
def other_court(db):
    return CourtFactory(haidian=True)


@pytest.fixture
def head(court):
    return UserFactory(division_head=True, court=court, username="head")


@pytest.fixture
def officer_a(court):
    return UserFactory(officer=True, court=court, username="officer-a")


@pytest.fixture
def officer_b(court):
    return UserFactory(officer=True, court=court, username="officer-b")


def make_ec(court, *, status=Status.FILED, track="", officer=None):
    case = CaseFactory(court=court, parties=[(PartyRole.CREDITOR, PartyFactory()), (PartyRole.DEBTOR, PartyFactory())])
    ec = EnforcementCase(case=case, status=status, track=track, officer=officer)
    ec.save()
    return ec


def snapshot():
    return (
        list(EnforcementCase.objects.order_by("pk").values_list("pk", "status", "officer_id")),
        StatusChange.objects.count(),
        AuditLog.objects.count(),
    )


def test_the_first_assignment_moves_the_case_to_assigned_with_a_status_change(head, officer_a, court):
    ec = make_ec(court)
    ec = case_assign(actor=head, enforcement_case=ec, officer=officer_a, reason="简案快执")
    assert (ec.status, ec.officer, ec.assigned_at is not None) == (Status.ASSIGNED, officer_a, True)
    change = StatusChange.objects.get(enforcement_case=ec)
    assert (change.transition, change.from_status, change.to_status, change.actor) == (
        "assign",
        "filed",
        "assigned",
        head,
    )
    assert AuditLog.objects.filter(action="enforcement.assign", object_id=str(ec.pk)).exists()


def test_an_officer_of_another_court_is_refused_naming_the_rule_and_nothing_is_written(head, court, other_court):
    stranger = UserFactory(officer=True, court=other_court, username="officer-0108")
    ec = make_ec(court)
    before = snapshot()
    with pytest.raises(RuleViolation) as refused:
        case_assign(actor=head, enforcement_case=ec, officer=stranger)
    assert refused.value.code == "assignment.other_court"
    assert refused.value.message == (
        "An enforcement case is assigned to an officer of its own court; 工作人员"
        f"{stranger.display_name.removeprefix('工作人员')} is at another court."
    )
    assert snapshot() == before


def test_a_clerk_or_an_inactive_officer_cannot_be_assigned(head, court):
    clerk = UserFactory(clerk=True, court=court, username="clerk")
    gone = UserFactory(officer=True, court=court, username="gone", is_active=False)
    ec = make_ec(court)
    for user in (clerk, gone):
        with pytest.raises(RuleViolation) as refused:
            case_assign(actor=head, enforcement_case=ec, officer=user)
        assert refused.value.code == "assignment.not_an_officer"
    ec.refresh_from_db()
    assert ec.status == Status.FILED and ec.officer is None


def test_only_a_division_head_assigns_and_only_at_their_own_court(officer_a, officer_b, court, other_court):
    ec = make_ec(court)
    with pytest.raises(PermissionDenied):
        case_assign(actor=officer_a, enforcement_case=ec, officer=officer_b)
    foreign_head = UserFactory(division_head=True, court=other_court, username="head-0108")
    with pytest.raises(NotFound):
        case_assign(actor=foreign_head, enforcement_case=ec, officer=officer_b)


def test_reassignment_keeps_the_status_and_records_a_reassign_step(head, officer_a, officer_b, court):
    ec = make_ec(court)
    case_assign(actor=head, enforcement_case=ec, officer=officer_a)
    ec = case_assign(actor=head, enforcement_case=ec, officer=officer_b, reason="工作调整")
    assert (ec.status, ec.officer) == (Status.ASSIGNED, officer_b)
    change = StatusChange.objects.filter(enforcement_case=ec).last()
    assert (change.transition, change.from_status, change.to_status, change.reason) == (
        "reassign",
        "assigned",
        "assigned",
        "工作调整",
    )
    assert change.details == {"from_officer": "officer-a", "to_officer": "officer-b"}
    with pytest.raises(RuleViolation) as refused:
        case_assign(actor=head, enforcement_case=ec, officer=officer_b)
    assert refused.value.code == "assignment.same_officer"


def test_a_working_case_is_reassigned_in_its_state_and_a_closed_one_is_refused(head, officer_a, officer_b, court):
    working = make_ec(court, status=Status.INVESTIGATING, officer=officer_a)
    assert case_assign(actor=head, enforcement_case=working, officer=officer_b).status == Status.INVESTIGATING
    closed = EnforcementCase(case=CaseFactory(court=court), status=Status.CLOSED, closed_on=TODAY, officer=officer_a)
    closed.save()
    with pytest.raises(RuleViolation) as refused:
        case_assign(actor=head, enforcement_case=closed, officer=officer_b)
    assert refused.value.code == "assignment.closed"


def test_bulk_assignment_to_one_officer(head, officer_a, court):
    cases = [make_ec(court) for _ in range(3)]
    done = cases_assign_bulk(actor=head, enforcement_cases=cases, officer=officer_a)
    assert [officer for _case, officer in done] == [officer_a] * 3
    assert set(EnforcementCase.objects.values_list("status", "officer_id")) == {(Status.ASSIGNED, officer_a.pk)}


def test_automatic_bulk_assignment_goes_to_the_least_loaded_officer_on_the_track(head, officer_a, officer_b, court):
    # officer-a already has two complex cases, officer-b one simple one
    make_ec(court, status=Status.INVESTIGATING, track=Track.COMPLEX, officer=officer_a)
    make_ec(court, status=Status.INVESTIGATING, track=Track.COMPLEX, officer=officer_a)
    make_ec(court, status=Status.INVESTIGATING, track=Track.SIMPLE, officer=officer_b)
    # closed cases do not count as load
    EnforcementCase(case=CaseFactory(court=court), status=Status.CLOSED, closed_on=TODAY, officer=officer_b).save()
    simple = make_ec(court, track=Track.SIMPLE)
    complex_ = make_ec(court, track=Track.COMPLEX)
    done = dict(cases_assign_bulk(actor=head, enforcement_cases=[simple, complex_]))
    assert done[simple] == officer_a  # no simple case yet (b has one)
    assert done[complex_] == officer_b  # fewer complex cases (a has two)


def test_automatic_assignment_spreads_a_batch_and_breaks_ties_by_username(head, officer_a, officer_b, court):
    cases = [make_ec(court, track=Track.SIMPLE) for _ in range(4)]
    done = cases_assign_bulk(actor=head, enforcement_cases=cases)
    assert [o.username for _c, o in done] == ["officer-a", "officer-b", "officer-a", "officer-b"]


def test_bulk_assignment_is_all_or_nothing(head, officer_a, court, other_court):
    fine = make_ec(court)
    closed = EnforcementCase(case=CaseFactory(court=court), status=Status.CLOSED, closed_on=TODAY)
    closed.save()
    before = snapshot()
    with pytest.raises(RuleViolation) as refused:
        cases_assign_bulk(actor=head, enforcement_cases=[fine, closed], officer=officer_a)
    assert refused.value.code == "assignment.closed"
    assert snapshot() == before
    stranger = UserFactory(officer=True, court=other_court, username="officer-0108")
    with pytest.raises(RuleViolation):
        cases_assign_bulk(actor=head, enforcement_cases=[fine], officer=stranger)
    assert snapshot() == before


def test_bulk_assignment_needs_cases_and_an_officer_at_the_court(head, court):
    with pytest.raises(InvalidInput):
        cases_assign_bulk(actor=head, enforcement_cases=[])
    with pytest.raises(RuleViolation) as refused:
        cases_assign_bulk(actor=head, enforcement_cases=[make_ec(court)])
    assert refused.value.code == "assignment.no_officer"
