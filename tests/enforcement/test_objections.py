# ruff: noqa: F811 - the fixtures imported from the assets builders are parameters of the tests
"""Objections against enforcement (执异, 民诉法 2023 arts. 236, 238) and their reconsideration by the higher court
(执复, 异议复议规定 2015 art. 12): filing, the 15-day review, service, the 10-day window, the 30 days and their one
extension, and every refusal writing nothing."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest

from cases.choices import CaseType, PartyRole
from cases.models import Case
from core.exceptions import InvalidInput, PermissionDenied, RuleViolation
from core.models import AuditLog, CourtLevel
from enforcement.choices import ObjectionStatus, ReconsiderationStatus, Status
from enforcement.models import Objection, Reconsideration, StatusChange
from enforcement.services import objections as svc
from enforcement.signals import objection_decided
from tests.assets.auction_builders import platform, terms, vehicle  # noqa: F401 - fixtures
from tests.assets.builders import debtors, enforcement_case, vehicles  # noqa: F401 - fixtures
from tests.enforcement.builders import TODAY, case_in, row_counts
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def objection_counts() -> dict:
    counts = row_counts()
    counts["objections"] = sorted(Objection.objects.values_list("pk", "status", "decided_on", "served_on", "ruling"))
    counts["reconsiderations"] = sorted(
        Reconsideration.objects.values_list("pk", "status", "extended", "decision_due_on", "decided_on")
    )
    counts["audit"] = AuditLog.objects.count()
    return counts


@contextmanager
def nothing_written():
    before = objection_counts()
    yield
    assert objection_counts() == before


def higher_court_of(court):
    higher = CourtFactory(code="京03", name="北京市第三中级人民法院", level=CourtLevel.INTERMEDIATE)
    court.parent = higher
    court.save(update_fields=["parent"])
    return higher


def an_act(ec, *, days_ago: int = 5) -> StatusChange:
    return StatusChange.objects.create(
        enforcement_case=ec,
        transition="control",
        from_status=Status.INVESTIGATING,
        to_status=Status.CONTROLLING,
        at=dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(10), tzinfo=dt.UTC),
        reason="冻结被执行人银行存款",
    )


def parties(ec):
    links = {link.role: link.party for link in ec.case.party_links.all()}
    return links[PartyRole.CREDITOR], links[PartyRole.DEBTOR]


def file_act_objection(ec, actor, *, filed_on=None, objector=None, **kwargs):
    objector = objector or parties(ec)[1]
    return svc.objection_file(
        actor=actor,
        enforcement_case=ec,
        kind="act",
        objector=objector,
        grounds="冻结的账户为工资账户",
        filed_on=filed_on or TODAY,
        act=kwargs.pop("act", None) or ec.status_changes.first() or an_act(ec),
        **kwargs,
    )


def served_ruling(ec, officer, judge, *, filed_on, decided_on, served_on, upheld=False):
    objection = file_act_objection(ec, officer, filed_on=filed_on)
    svc.objection_decide(actor=judge, objection=objection, upheld=upheld, on=decided_on, ruling="驳回异议")
    return svc.objection_serve(actor=officer, objection=objection, served_on=served_on)


@pytest.fixture
def ec(court, officer):
    case = case_in(Status.CONTROLLING, court, officer=officer)
    an_act(case)
    return case


# ---- filing --------------------------------------------------------------------------------------------------------


def test_an_act_objection_is_filed_as_a_zhiyi_case_with_the_case_parties_and_a_15_day_review(ec, officer):
    outsider = PartyFactory(name="王利害")
    objection = file_act_objection(ec, officer, filed_on=TODAY - dt.timedelta(days=2), objector=outsider)

    assert objection.status == ObjectionStatus.PENDING
    assert objection.review_due_on == TODAY - dt.timedelta(days=2) + dt.timedelta(days=15)
    record = objection.case
    assert record.case_type == CaseType.ENFORCEMENT_OBJECTION
    assert record.court_id == ec.case.court_id
    roles = sorted(record.party_links.values_list("role", "party__name"))
    creditor, debtor = parties(ec)
    assert roles == sorted(
        [(PartyRole.CREDITOR, creditor.name), (PartyRole.DEBTOR, debtor.name), (PartyRole.THIRD_PARTY, "王利害")]
    )
    assert AuditLog.objects.filter(action="objection.file").count() == 1


def test_a_party_objecting_to_an_act_is_not_added_twice_to_the_zhiyi_case(ec, officer):
    objection = file_act_objection(ec, officer)
    assert objection.case.party_links.count() == 2


def test_an_act_objection_after_the_case_was_closed_is_refused_as_late_naming_the_rule(court, officer):
    closed = case_in(Status.CLOSED, court, officer=officer, closed_on=TODAY - dt.timedelta(days=3))
    act = an_act(closed, days_ago=20)
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        file_act_objection(closed, officer, act=act)
    assert refusal.value.code == "objection.late"
    assert "art. 6" in refusal.value.message
    assert not Case.objects.filter(case_type=CaseType.ENFORCEMENT_OBJECTION).exists()


def test_an_objection_to_the_closing_itself_is_allowed_after_the_case_closed(court, officer):
    closed = case_in(Status.CLOSED, court, officer=officer, closed_on=TODAY - dt.timedelta(days=3))
    closing = StatusChange.objects.create(
        enforcement_case=closed, transition="close", from_status=Status.INVESTIGATING, to_status=Status.CLOSED
    )
    objection = file_act_objection(closed, officer, act=closing)
    assert objection.pk


def test_an_objection_filed_in_the_future_is_refused(ec, officer):
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        file_act_objection(ec, officer, filed_on=TODAY + dt.timedelta(days=1))
    assert refusal.value.code == "objection.date_in_future"


def test_a_third_party_objection_without_an_asset_is_refused(ec, officer):
    from core.exceptions import InvalidInput

    outsider = PartyFactory()
    with nothing_written(), pytest.raises(InvalidInput) as refusal:
        svc.objection_file(
            actor=officer, enforcement_case=ec, kind="third_party", objector=outsider, grounds="房屋系本人所有",
            filed_on=TODAY,
        )  # fmt: skip
    assert refusal.value.code == "objection.asset_required"


@pytest.mark.parametrize("role", [PartyRole.CREDITOR, PartyRole.DEBTOR])
def test_a_party_of_the_enforcement_cannot_raise_a_third_party_objection(ec, officer, role):
    party = {link.role: link.party for link in ec.case.party_links.all()}[role]
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.objection_file(
            actor=officer, enforcement_case=ec, kind="third_party", objector=party, grounds="财产不属于被执行人",
            filed_on=TODAY, asset_id=1,
        )  # fmt: skip
    assert refusal.value.code == "objection.objector_is_party"
    assert "art. 236" in refusal.value.message


def test_a_clerk_without_the_capability_cannot_file_an_objection(ec, clerk):
    with nothing_written(), pytest.raises(PermissionDenied):
        file_act_objection(ec, clerk)


# ---- the ruling and the 15 days ------------------------------------------------------------------------------------


def test_a_judge_rules_within_15_days_and_the_ruling_is_not_overdue(
    ec, officer, judge, django_capture_on_commit_callbacks
):
    objection = file_act_objection(ec, officer, filed_on=TODAY - dt.timedelta(days=10))
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    objection_decided.connect(listener, dispatch_uid="test.objection_decided")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            svc.objection_decide(actor=judge, objection=objection, upheld=True, on=TODAY, ruling="撤销冻结")
    finally:
        objection_decided.disconnect(dispatch_uid="test.objection_decided")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD and objection.decided_by == judge
    assert not svc.review_overdue(objection)
    assert received and received[0]["upheld"] is True and received[0]["objection"].pk == objection.pk
    assert AuditLog.objects.get(action="objection.decide").changes["overdue"] is False


def test_a_ruling_after_the_15_days_is_recorded_but_flagged_overdue(ec, officer, division_head):
    objection = file_act_objection(ec, officer, filed_on=TODAY - dt.timedelta(days=20))
    assert svc.review_overdue(objection)  # pending past its due date
    svc.objection_decide(actor=division_head, objection=objection, upheld=False, on=TODAY, ruling="驳回")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    assert svc.review_overdue(objection)
    assert AuditLog.objects.get(action="objection.decide").changes["overdue"] is True


def test_an_officer_cannot_rule_on_an_objection(ec, officer):
    objection = file_act_objection(ec, officer)
    with nothing_written(), pytest.raises(PermissionDenied):
        svc.objection_decide(actor=officer, objection=objection, upheld=True, on=TODAY, ruling="撤销")


def test_a_ruling_is_made_once(ec, officer, judge):
    objection = file_act_objection(ec, officer)
    svc.objection_decide(actor=judge, objection=objection, upheld=False, on=TODAY, ruling="驳回")
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.objection_decide(actor=judge, objection=objection, upheld=True, on=TODAY, ruling="撤销")
    assert refusal.value.code == "objection.already_decided"


def test_a_pending_objection_cannot_be_served(ec, officer):
    objection = file_act_objection(ec, officer)
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.objection_serve(actor=officer, objection=objection, served_on=TODAY)
    assert refusal.value.code == "objection.not_decided"


def test_the_pending_deadlines_list_the_objections_under_review_soonest_first(ec, officer):
    later = file_act_objection(ec, officer, filed_on=TODAY)
    sooner = file_act_objection(ec, officer, filed_on=TODAY - dt.timedelta(days=16))
    items = svc.pending_deadlines(user=officer)
    assert [item["object"].pk for item in items] == [sooner.pk, later.pk]
    assert [item["overdue"] for item in items] == [True, False]


# ---- the objector's withdrawal (撤回异议) ---------------------------------------------------------------------------


def test_the_objector_withdraws_a_pending_objection_which_leaves_the_review_and_is_audited_with_the_reason(
    ec, officer, django_capture_on_commit_callbacks
):
    objection = file_act_objection(ec, officer, filed_on=TODAY - dt.timedelta(days=3))
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    objection_decided.connect(listener, dispatch_uid="test.objection_withdrawn")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            svc.objection_withdraw(actor=officer, objection=objection, on=TODAY, reason="双方已达成和解")
    finally:
        objection_decided.disconnect(dispatch_uid="test.objection_withdrawn")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.WITHDRAWN
    assert objection.decided_on == TODAY and objection.decided_by == officer and objection.ruling == "双方已达成和解"
    assert received and received[0]["upheld"] is False and received[0]["objection"].pk == objection.pk
    entry = AuditLog.objects.get(action="objection.withdraw")
    assert entry.reason == "双方已达成和解" and entry.changes["status"] == ObjectionStatus.WITHDRAWN
    assert svc.pending_deadlines(user=officer) == []
    assert not svc.review_overdue(objection)


def test_a_ruled_or_already_withdrawn_objection_cannot_be_withdrawn(ec, officer, judge):
    ruled = file_act_objection(ec, officer)
    svc.objection_decide(actor=judge, objection=ruled, upheld=False, on=TODAY, ruling="驳回")
    withdrawn = file_act_objection(ec, officer)
    svc.objection_withdraw(actor=officer, objection=withdrawn, on=TODAY, reason="撤回")
    for objection in (ruled, withdrawn):
        with nothing_written(), pytest.raises(RuleViolation) as refusal:
            svc.objection_withdraw(actor=officer, objection=objection, on=TODAY, reason="撤回")
        assert refusal.value.code == "objection.not_pending"


def test_a_withdrawal_without_a_reason_is_refused(ec, officer):
    objection = file_act_objection(ec, officer)
    with nothing_written(), pytest.raises(InvalidInput) as refusal:
        svc.objection_withdraw(actor=officer, objection=objection, on=TODAY, reason="  ")
    assert refusal.value.code == "objection.reason"


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (TODAY + dt.timedelta(days=1), "objection.date_in_future"),
        (TODAY - dt.timedelta(days=3), "objection.date_order"),
    ],
)
def test_a_withdrawal_dated_in_the_future_or_before_the_filing_is_refused(ec, officer, on, code):
    objection = file_act_objection(ec, officer, filed_on=TODAY - dt.timedelta(days=2))
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.objection_withdraw(actor=officer, objection=objection, on=on, reason="撤回")
    assert refusal.value.code == code


def test_a_clerk_without_the_capability_cannot_record_a_withdrawal(ec, officer, clerk):
    objection = file_act_objection(ec, officer)
    with nothing_written(), pytest.raises(PermissionDenied):
        svc.objection_withdraw(actor=clerk, objection=objection, on=TODAY, reason="撤回")


def test_a_withdrawn_objection_has_no_ruling_to_serve(ec, officer):
    objection = svc.objection_withdraw(
        actor=officer, objection=file_act_objection(ec, officer), on=TODAY, reason="撤回"
    )
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.objection_serve(actor=officer, objection=objection, served_on=TODAY)
    assert refusal.value.code == "objection.not_decided"


def test_a_withdrawn_third_party_objection_no_longer_blocks_the_auction_and_releases_nothing(
    officer, enforcement_case, vehicle, platform, django_capture_on_commit_callbacks
):
    from assets.models import ControlMeasure
    from assets.services import auction_announce

    objection = svc.objection_file(
        actor=officer, enforcement_case=enforcement_case, kind="third_party", objector=PartyFactory(name="赵案外"),
        grounds="该车辆系本人所有", filed_on=TODAY, asset_id=vehicle.pk,
    )  # fmt: skip
    with pytest.raises(RuleViolation) as refusal:
        auction_announce(actor=officer, asset=vehicle, platform=platform[0], **terms())
    assert refusal.value.code == "auction.objection_pending"

    with django_capture_on_commit_callbacks(execute=True):
        svc.objection_withdraw(actor=officer, objection=objection, on=TODAY, reason="案外人撤回异议")
    assert svc.pending_third_party_objection(vehicle.pk) is None
    assert ControlMeasure.objects.get(asset=vehicle).release_requested_at is None
    assert auction_announce(actor=officer, asset=vehicle, platform=platform[0], **terms()).round == 1


# ---- reconsideration: the 10-day window, the higher court, the 30 days ----------------------------------------------


def test_reconsideration_within_10_days_of_service_is_recorded_for_the_higher_court(court, ec, officer, judge):
    higher = higher_court_of(court)
    objection = served_ruling(
        ec, officer, judge, filed_on=TODAY - dt.timedelta(days=20), decided_on=TODAY - dt.timedelta(days=12),
        served_on=TODAY - dt.timedelta(days=10),
    )  # fmt: skip
    creditor, debtor = parties(ec)
    rec = svc.reconsideration_file(actor=officer, objection=objection, applicant=debtor, grounds="不服", filed_on=TODAY)
    assert rec.court == higher
    assert rec.decision_due_on == TODAY + dt.timedelta(days=30)
    assert rec.case is None  # a lower-court officer cannot file a case at the higher court: recorded without one
    assert rec.status == ReconsiderationStatus.PENDING


def test_reconsideration_recorded_by_a_superuser_files_the_zhifu_case_at_the_higher_court(
    court, ec, officer, judge, superuser
):
    higher = higher_court_of(court)
    objection = served_ruling(ec, officer, judge, filed_on=TODAY, decided_on=TODAY, served_on=TODAY)
    rec = svc.reconsideration_file(
        actor=superuser, objection=objection, applicant=parties(ec)[1], grounds="不服", filed_on=TODAY
    )
    assert rec.case.case_type == CaseType.ENFORCEMENT_RECONSIDERATION
    assert rec.case.court == higher


def test_reconsideration_after_the_10_days_is_refused_as_late(court, ec, officer, judge):
    higher_court_of(court)
    objection = served_ruling(
        ec, officer, judge, filed_on=TODAY - dt.timedelta(days=20), decided_on=TODAY - dt.timedelta(days=12),
        served_on=TODAY - dt.timedelta(days=11),
    )  # fmt: skip
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.reconsideration_file(
            actor=officer, objection=objection, applicant=parties(ec)[1], grounds="不服", filed_on=TODAY
        )
    assert refusal.value.code == "reconsideration.late"
    assert "art. 236" in refusal.value.message


def test_reconsideration_before_service_is_refused(court, ec, officer, judge):
    higher_court_of(court)
    objection = file_act_objection(ec, officer)
    svc.objection_decide(actor=judge, objection=objection, upheld=False, on=TODAY, ruling="驳回")
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.reconsideration_file(
            actor=officer, objection=objection, applicant=parties(ec)[1], grounds="不服", filed_on=TODAY
        )
    assert refusal.value.code == "reconsideration.not_served"


def test_reconsideration_without_a_higher_court_is_refused(ec, officer, judge):
    objection = served_ruling(ec, officer, judge, filed_on=TODAY, decided_on=TODAY, served_on=TODAY)
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.reconsideration_file(
            actor=officer, objection=objection, applicant=parties(ec)[1], grounds="不服", filed_on=TODAY
        )
    assert refusal.value.code == "reconsideration.no_higher_court"


def _pending_reconsideration(court, ec, officer, judge, *, filed_days_ago=0):
    higher = higher_court_of(court)
    day = TODAY - dt.timedelta(days=filed_days_ago)
    objection = served_ruling(ec, officer, judge, filed_on=day, decided_on=day, served_on=day)
    rec = svc.reconsideration_file(
        actor=officer, objection=objection, applicant=parties(ec)[1], grounds="不服", filed_on=day
    )
    return higher, rec


def test_the_president_of_the_higher_court_extends_the_30_days_once_by_30(court, ec, officer, judge):
    higher, rec = _pending_reconsideration(court, ec, officer, judge)
    president = UserFactory(president=True, court=higher, username="president-03")
    svc.reconsideration_extend(actor=president, reconsideration=rec, reason="案情复杂")
    rec.refresh_from_db()
    assert rec.extended and rec.decision_due_on == TODAY + dt.timedelta(days=60)
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        svc.reconsideration_extend(actor=president, reconsideration=rec, reason="再延长")
    assert refusal.value.code == "reconsideration.extended_once"


def test_a_judge_cannot_extend_the_reconsideration_without_the_president(court, ec, officer, judge):
    higher, rec = _pending_reconsideration(court, ec, officer, judge)
    higher_judge = UserFactory(judge=True, court=higher, username="judge-03")
    with nothing_written(), pytest.raises(PermissionDenied):
        svc.reconsideration_extend(actor=higher_judge, reconsideration=rec, reason="案情复杂")


def test_the_higher_court_decides_and_a_late_decision_is_flagged_overdue(court, ec, officer, judge):
    higher, rec = _pending_reconsideration(court, ec, officer, judge, filed_days_ago=31)
    higher_judge = UserFactory(judge=True, court=higher, username="judge-03")
    svc.reconsideration_decide(actor=higher_judge, reconsideration=rec, upheld=False, on=TODAY, ruling="驳回复议申请")
    rec.refresh_from_db()
    assert rec.status == ReconsiderationStatus.DISMISSED
    assert AuditLog.objects.get(action="reconsideration.decide").changes["overdue"] is True


def test_the_lower_court_cannot_decide_the_reconsideration(court, ec, officer, judge):
    _, rec = _pending_reconsideration(court, ec, officer, judge)
    with nothing_written(), pytest.raises(PermissionDenied) as refusal:
        svc.reconsideration_decide(actor=judge, reconsideration=rec, upheld=True, on=TODAY, ruling="撤销")
    assert refusal.value.code == "reconsideration.court"
