"""Extensions of the time limit: asked in the last 5 days (法发〔2006〕35号 art. 1), decided by another
division head, 3 months each (法释〔2000〕29号 art. 5), a second one reported to the High Court."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from cases.choices import PartyRole
from core.exceptions import InvalidInput, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import ExtensionStatus, Status
from enforcement.deadlines import add_months
from enforcement.models import EnforcementCase, ExtensionRequest, StatusChange
from enforcement.services.extensions import extension_decide, extension_request
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
def officer(court):
    return UserFactory(officer=True, court=court, username="officer")


@pytest.fixture
def head(court):
    return UserFactory(division_head=True, court=court, username="head")


@pytest.fixture
def head_2(court):
    return UserFactory(division_head=True, court=court, username="head-2")


def case_due_in(court, officer, days: int, *, status=Status.INVESTIGATING) -> EnforcementCase:
    """A case filed 6 months before its deadline, which is ``days`` from today."""
    deadline = TODAY + dt.timedelta(days=days)
    filed = dt.date(deadline.year - (1 if deadline.month <= 6 else 0), (deadline.month - 7) % 12 + 1, 1)
    case = CaseFactory(
        court=court,
        filing_date=filed,
        parties=[(PartyRole.CREDITOR, PartyFactory()), (PartyRole.DEBTOR, PartyFactory())],
    )
    ec = EnforcementCase(case=case, status=status, officer=officer, deadline_on=deadline)
    ec.save()
    return ec


@pytest.mark.parametrize("days", [5, 3, 0])
def test_an_extension_may_be_asked_for_from_the_5th_day_before_the_deadline_to_the_deadline(court, officer, days):
    ec = case_due_in(court, officer, days)
    extension = extension_request(actor=officer, enforcement_case=ec, reason="财产处置中，拍卖尚未完成")
    assert (extension.status, extension.months, extension.requested_by) == (ExtensionStatus.PENDING, 3, officer)
    assert AuditLog.objects.filter(action="enforcement.extension_request").count() == 1


def test_the_6th_day_before_the_deadline_is_too_early(court, officer):
    ec = case_due_in(court, officer, 6)
    with pytest.raises(RuleViolation) as refused:
        extension_request(actor=officer, enforcement_case=ec, reason="x")
    opens = (ec.deadline_on - dt.timedelta(days=5)).isoformat()
    assert refused.value.code == "extension.too_early"
    assert refused.value.message == (
        "An extension is asked for in the last 5 days before the time limit expires (法发〔2006〕35号 art. 1): "
        f"from {opens} to {ec.deadline_on.isoformat()}."
    )
    assert not ExtensionRequest.objects.exists()


def test_after_the_deadline_it_is_too_late(court, officer):
    ec = case_due_in(court, officer, -1)
    with pytest.raises(RuleViolation) as refused:
        extension_request(actor=officer, enforcement_case=ec, reason="x")
    assert refused.value.code == "extension.expired"
    assert not ExtensionRequest.objects.exists()


def test_one_pending_request_at_a_time_and_only_by_the_officer_in_charge(court, officer):
    ec = case_due_in(court, officer, 2)
    extension_request(actor=officer, enforcement_case=ec, reason="x")
    with pytest.raises(RuleViolation) as refused:
        extension_request(actor=officer, enforcement_case=ec, reason="again")
    assert refused.value.code == "extension.pending"
    other = UserFactory(officer=True, court=court, username="other")
    with pytest.raises(RuleViolation) as refused:
        extension_request(actor=other, enforcement_case=case_due_in(court, officer, 2), reason="x")
    assert refused.value.code == "extension.not_officer"
    assert ExtensionRequest.objects.count() == 1


def test_a_reason_is_needed_and_at_most_3_months(court, officer):
    ec = case_due_in(court, officer, 2)
    with pytest.raises(InvalidInput) as refused:
        extension_request(actor=officer, enforcement_case=ec, months=4, reason=" ")
    assert set(refused.value.fields) == {"months", "reason"}


def test_a_suspended_or_closed_case_is_not_extended(court, officer):
    suspended = case_due_in(court, officer, 2, status=Status.SUSPENDED)
    with pytest.raises(RuleViolation) as refused:
        extension_request(actor=officer, enforcement_case=suspended, reason="x")
    assert refused.value.code == "extension.suspended"


def test_the_requester_cannot_approve_their_own_request(court, head, head_2):
    judge_head = head  # a division head who runs the case himself
    ec = case_due_in(court, judge_head, 1)
    extension = ExtensionRequest.objects.create(enforcement_case=ec, months=3, reason="x", requested_by=judge_head)
    with pytest.raises(RuleViolation) as refused:
        extension_decide(actor=judge_head, extension=extension, approve=True)
    assert refused.value.code == "extension.own_request"
    assert refused.value.message == (
        "You asked for this extension; another division head decides it (separation of duties)."
    )
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING
    assert extension_decide(actor=head_2, extension=extension, approve=True).status == ExtensionStatus.APPROVED


def test_an_officer_cannot_decide(court, officer):
    ec = case_due_in(court, officer, 1)
    extension = extension_request(actor=officer, enforcement_case=ec, reason="x")
    with pytest.raises(PermissionDenied):
        extension_decide(actor=officer, extension=extension, approve=True)


def test_approval_adds_the_months_and_moves_the_deadline(court, officer, head):
    ec = case_due_in(court, officer, 3)
    old_deadline = ec.deadline_on
    extension = extension_request(actor=officer, enforcement_case=ec, reason="拍卖进行中")
    extension_decide(actor=head, extension=extension, approve=True, note="同意")
    ec.refresh_from_db()
    assert ec.extended_months == 3
    assert ec.deadline_on == add_months(ec.case.filing_date, 9)  # 6 months + 3, from the filing date
    assert ec.deadline_on > old_deadline
    change = StatusChange.objects.get(enforcement_case=ec, transition="extend")
    assert (change.from_status, change.to_status, change.actor) == (Status.INVESTIGATING, Status.INVESTIGATING, head)
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by, extension.decision_note) == ("approved", head, "同意")
    assert AuditLog.objects.get(action="enforcement.extension_approve").changes["deadline_on"] == [
        old_deadline.isoformat(),
        ec.deadline_on.isoformat(),
    ]


def test_a_refusal_needs_a_note_and_leaves_the_deadline(court, officer, head):
    ec = case_due_in(court, officer, 3)
    extension = extension_request(actor=officer, enforcement_case=ec, reason="x")
    with pytest.raises(InvalidInput):
        extension_decide(actor=head, extension=extension, approve=False)
    extension_decide(actor=head, extension=extension, approve=False, note="理由不充分")
    ec.refresh_from_db()
    assert (ec.extended_months, ec.deadline_on) == (0, TODAY + dt.timedelta(days=3))
    with pytest.raises(RuleViolation) as refused:
        extension_decide(actor=head, extension=extension, approve=True)
    assert refused.value.code == "extension.decided"


def test_a_second_extension_is_noted_as_reported_to_the_high_court(court, officer, head):
    ec = case_due_in(court, officer, 1)
    first = extension_request(actor=officer, enforcement_case=ec, reason="x")
    extension_decide(actor=head, extension=first, approve=True)
    ec.refresh_from_db()
    ExtensionRequest.objects.filter(pk=first.pk).update(requested_at=timezone.now() - dt.timedelta(days=90))
    second = ExtensionRequest.objects.create(enforcement_case=ec, months=3, reason="y", requested_by=officer)
    decided = extension_decide(actor=head, extension=second, approve=True, note="同意")
    assert decided.decision_note == "同意（层报高级人民法院备案）"
    ec.refresh_from_db()
    assert ec.extended_months == 6
    assert (
        AuditLog.objects.filter(action="enforcement.extension_approve")
        .order_by("pk")
        .last()
        .changes["reported_to_high_court"]
    )
