"""Post-termination tracking (终本规定 2016 art. 9): the plan starts on 终本, a query every 6 months for 5 years
(10, then none), the applicant told each result, the officer alerted on new property, the art. 10(4) flag,
restoration carrying assets and measures over, and answers for an untracked case refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.choices import (
    AssetCategory,
    BatchPurpose,
    BatchStatus,
    ControlKind,
    ControlStatus,
    RequestStatus,
    TrackingOutcome,
    TrackingStatus,
)
from assets.models import AgencyRequest, Asset, ControlMeasure, QueryBatch, TrackingPlan, TrackingRun
from assets.services import (
    request_answer,
    requests_time_out_due,
    tracking_dispatch_due,
    tracking_evaluate,
    tracking_start,
)
from assets.services.queries import MAX_ATTEMPTS
from assets.signals import delisting_due
from cases.models import Notification
from core import sms
from core.exceptions import RuleViolation
from enforcement.choices import Status
from enforcement.deadlines import add_months
from enforcement.models import EnforcementCase
from enforcement.services import case_restore
from enforcement.signals import case_closed, property_lead_received
from tests.assets.builders import nothing_written
from tests.assets.tracking_builders import (
    CLOSED_ON,
    answer,
    answer_batch,
    deposit,
    dispatch,
    noon,
    terminated_case,
)
from tests.enforcement.builders import case_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def zhongben(court, officer, debtors, bank):
    return terminated_case(court, officer=officer, debtors=debtors)


@pytest.fixture
def plan(zhongben):
    return tracking_start(enforcement_case=zhongben)


def _last_run(plan) -> TrackingRun:
    return TrackingRun.objects.filter(plan=plan).select_related("batch").latest("number")


# ---- start --------------------------------------------------------------------------------------------------


def test_closing_a_case_as_terminated_this_round_starts_its_tracking_plan(zhongben, officer):
    case_closed.send(sender=EnforcementCase, enforcement_case=zhongben, kind="terminated_this_round", actor=officer)
    plan = TrackingPlan.objects.get(enforcement_case=zhongben)
    assert (plan.status, plan.starts_on, plan.ends_on, plan.next_due_on, plan.runs_done) == (
        TrackingStatus.ACTIVE,
        CLOSED_ON,
        dt.date(2031, 1, 15),
        dt.date(2026, 7, 15),
        0,
    )


def test_starting_again_keeps_the_one_plan_of_the_case(zhongben):
    first = tracking_start(enforcement_case=zhongben)
    again = tracking_start(enforcement_case=zhongben, on=dt.date(2026, 3, 1))
    assert again.pk == first.pk and TrackingPlan.objects.count() == 1 and again.starts_on == CLOSED_ON


def test_other_closing_kinds_start_no_tracking(court, officer):
    completed = case_in(Status.CLOSED, court, closing_kind="completed", closed_on=CLOSED_ON)
    case_closed.send(sender=EnforcementCase, enforcement_case=completed, kind="completed", actor=officer)
    assert not TrackingPlan.objects.exists()


def test_tracking_a_case_that_is_not_terminated_this_round_is_refused(court, enforcement_case):
    with pytest.raises(RuleViolation) as error, nothing_written():
        tracking_start(enforcement_case=enforcement_case)
    assert error.value.code == "tracking.not_terminated"
    assert error.value.message == (
        "Only a case closed as 终结本次执行程序 (终本) is tracked after termination (终本规定 2016 art. 9): "
        "this case is not."
    )
    assert not TrackingPlan.objects.exists()


# ---- the schedule ---------------------------------------------------------------------------------------------


def test_nothing_is_sent_before_the_first_run_is_due(plan, capture):
    assert dispatch(capture, on=dt.date(2026, 7, 14))["dispatched"] == 0
    assert not QueryBatch.objects.exists()


def test_a_query_every_six_months_for_five_years_is_ten_queries_then_none(plan, capture):
    sent_on = []
    day = CLOSED_ON
    while day <= dt.date(2032, 12, 31):
        counts = dispatch(capture, on=day)
        if counts["dispatched"]:
            sent_on.append(day)
            answer(capture, _last_run(plan).batch, now=noon(day))
        day += dt.timedelta(days=15)
    runs = list(TrackingRun.objects.filter(plan=plan).order_by("number"))
    assert [r.number for r in runs] == list(range(1, 11))
    assert [r.due_on for r in runs] == [add_months(CLOSED_ON, 6 * k) for k in range(1, 11)]
    assert all(r.batch.purpose == BatchPurpose.TRACKING and r.batch.ordered_by is None for r in runs)
    assert all(r.outcome == TrackingOutcome.EMPTY for r in runs)
    assert len(sent_on) == 10 and sent_on[-1] <= dt.date(2031, 1, 30)
    plan.refresh_from_db()
    assert (plan.status, plan.next_due_on, plan.runs_done) == (TrackingStatus.ENDED, None, 10)
    assert plan.end_reason == "Five years done (tracking ended)."


def test_a_late_run_is_sent_at_the_next_dispatch_and_the_schedule_stays_on_its_dates(plan, capture):
    dispatch(capture, on=dt.date(2026, 9, 1))  # run 1 was due on 15 July
    plan.refresh_from_db()
    run = _last_run(plan)
    assert (run.number, run.due_on, plan.next_due_on) == (1, dt.date(2026, 7, 15), dt.date(2027, 1, 15))


def test_after_the_tenth_query_the_plan_waits_for_its_answers_and_ends_at_the_final_check(plan, capture):
    TrackingPlan.objects.filter(pk=plan.pk).update(runs_done=9, next_due_on=dt.date(2031, 1, 15))
    dispatch(capture, on=dt.date(2031, 1, 15))
    plan.refresh_from_db()
    assert (plan.status, plan.runs_done, plan.next_due_on) == (TrackingStatus.ACTIVE, 10, dt.date(2031, 7, 15))
    assert dispatch(capture, on=dt.date(2031, 3, 1)) == {
        "dispatched": 0,
        "waiting_for_quota": 0,
        "ended": 0,
        "stopped": 0,
    }
    assert dispatch(capture, on=dt.date(2031, 7, 15))["ended"] == 1
    plan.refresh_from_db()
    assert (plan.status, plan.next_due_on) == (TrackingStatus.ENDED, None)
    assert TrackingRun.objects.filter(plan=plan).count() == 1


def test_the_dispatcher_queues_the_fan_out_of_what_it_sent_when_it_commits(plan, bank, capture):
    with capture(execute=True) as queued:
        tracking_dispatch_due(now=noon(dt.date(2026, 7, 15)))
    assert len(queued) == 1
    run = _last_run(plan)
    assert AgencyRequest.objects.filter(batch=run.batch).count() == 1
    assert QueryBatch.objects.get(pk=run.batch_id).status == BatchStatus.SENT


def test_the_tracking_tasks_run_on_the_tracking_queue():
    from config.celery import app
    from config.settings import CELERY_TASK_ROUTES

    for name in ("tracking_dispatch_due", "tracking_fan_out", "tracking_evaluate"):
        task = app.tasks[f"assets.tasks.{name}"]
        assert app.amqp.router.route({}, task.name)["queue"].name == "tracking"
    assert app.conf.beat_schedule["asset-tracking-dispatch"] == {
        "task": "assets.tasks.tracking_dispatch_due",
        "schedule": 600.0,
    }
    assert "assets.tasks.tracking_*" in CELERY_TASK_ROUTES


def test_a_plan_whose_case_is_no_longer_terminated_is_stopped_not_queried(court, enforcement_case, capture):
    TrackingPlan.objects.create(
        enforcement_case=enforcement_case, starts_on=CLOSED_ON, ends_on=dt.date(2031, 1, 15), next_due_on=CLOSED_ON
    )
    assert dispatch(capture, on=CLOSED_ON)["stopped"] == 1
    assert TrackingPlan.objects.get().status == TrackingStatus.STOPPED
    assert not QueryBatch.objects.exists()


# ---- scale: quotas and cost -------------------------------------------------------------------------------------


def _due_plans(court, count: int, due: dt.date = dt.date(2026, 7, 15)):
    plans = []
    for _ in range(count):
        plans.append(tracking_start(enforcement_case=terminated_case(court)))
    TrackingPlan.objects.filter(pk__in=[p.pk for p in plans]).update(next_due_on=due)
    return plans


def test_each_agency_takes_its_daily_quota_and_the_rest_wait_for_later_days(court, bank, capture, settings):
    settings.ZHIXING_TRACKING_DAILY_QUOTA = 2
    _due_plans(court, 5)
    day = dt.date(2026, 7, 15)
    first = dispatch(capture, on=day)
    assert (first["dispatched"], first["waiting_for_quota"]) == (2, 3)
    assert dispatch(capture, on=day)["dispatched"] == 0  # same day: the quota is used up
    assert dispatch(capture, on=day + dt.timedelta(days=1))["dispatched"] == 2
    assert dispatch(capture, on=day + dt.timedelta(days=2))["dispatched"] == 1
    per_day = sorted(AgencyRequest.objects.values_list("created_at__date", flat=True))
    assert [d.day for d in per_day] == [15, 15, 16, 16, 17]
    waiting = TrackingPlan.objects.filter(runs_done=0)
    assert not waiting.exists()


def test_batches_not_yet_fanned_out_count_against_the_quota(court, bank, settings):
    settings.ZHIXING_TRACKING_DAILY_QUOTA = 2
    _due_plans(court, 3)
    assert tracking_dispatch_due(now=noon(dt.date(2026, 7, 15)))["dispatched"] == 2  # fan-outs not run
    assert tracking_dispatch_due(now=noon(dt.date(2026, 7, 15)))["dispatched"] == 0


def test_an_agency_may_have_its_own_quota(court, bank, capture, settings):
    settings.ZHIXING_TRACKING_DAILY_QUOTA = 100
    agency, _key = bank
    agency.tracking_daily_quota = 1
    agency.save()
    _due_plans(court, 3)
    assert dispatch(capture, on=dt.date(2026, 7, 15))["dispatched"] == 1


def test_the_batch_limit_caps_one_dispatch(court, bank, capture):
    _due_plans(court, 4)
    assert dispatch(capture, on=dt.date(2026, 7, 15), limit=3)["dispatched"] == 3


def _dispatch_queries(court, not_due: int) -> int:
    for _ in range(not_due):
        tracking_start(enforcement_case=terminated_case(court, closed_on=dt.date(2026, 6, 1)))
    with CaptureQueriesContext(connection) as queries:
        counts = tracking_dispatch_due(now=noon(dt.date(2026, 7, 15)))
    assert counts["dispatched"] == 3
    return len(queries)


def test_the_dispatcher_cost_does_not_grow_with_the_plans_not_due(court, other_court, bank):
    _due_plans(court, 3)
    few = _dispatch_queries(court, 10)
    TrackingRun.objects.all().delete()
    QueryBatch.objects.all().delete()
    TrackingPlan.objects.filter(runs_done=1).update(runs_done=0, next_due_on=dt.date(2026, 7, 15))
    many = _dispatch_queries(court, 190)
    assert TrackingPlan.objects.count() == 203
    assert many == few


# ---- evaluation -----------------------------------------------------------------------------------------------


def test_new_property_found_by_a_run_is_reported_to_the_applicant_and_alerts_the_officer(
    plan, zhongben, debtors, officer, capture
):
    sms.outbox.clear()
    dispatch(capture, on=dt.date(2026, 7, 15))
    run = _last_run(plan)
    answer(capture, run.batch, found={(debtors[0].pk, AssetCategory.DEPOSIT): [deposit()]})
    run.refresh_from_db()
    assert run.outcome == TrackingOutcome.FOUND
    assert run.new_assets == [
        {"category": "deposit", "identifier": "6222020000000000001", "description": "活期", "value": "52000.00"}
    ]
    assert run.completed_at is not None and run.applicant_notified_at is not None
    creditor = zhongben.case.party_links.get(role="creditor").party
    told = Notification.objects.get(kind="tracking.result")
    assert (told.recipient_party, told.case, told.status) == (creditor, zhongben.case, "sent")
    # Parties are written to in the court's language, whatever the language of the run.
    assert told.subject == f"案件 {zhongben.case.number}：发现被执行人新的财产"
    assert "622202*********0001 ¥52,000.00" in told.body
    assert creditor.id_number not in told.body and debtors[0].id_number not in told.body
    assert [m.phone for m in sms.outbox] == [creditor.phone]
    alert = Notification.objects.get(kind="tracking.property_found")
    assert (alert.recipient_user, alert.link) == (officer, f"/enforcement/{zhongben.pk}/")
    assert alert.subject == f"Property found on 终本 case {zhongben.case.number}"
    plan.refresh_from_db()
    assert plan.empty_runs == 0


def test_a_run_that_finds_nothing_new_is_empty_and_the_applicant_is_still_told(plan, zhongben, debtors, bank, capture):
    agency, _key = bank
    Asset.objects.create(
        case=zhongben.case,
        debtor=debtors[0],
        category="deposit",
        agency=agency,
        identifier="6222020000000000001",
        value=Decimal("10.00"),
        first_reported_at=noon(dt.date(2025, 9, 1)),
    )  # fmt: skip  — known before the termination: reported again, it is not new
    dispatch(capture, on=dt.date(2026, 7, 15))
    run = _last_run(plan)
    answer(capture, run.batch, found={(debtors[0].pk, AssetCategory.DEPOSIT): [deposit()]})
    run.refresh_from_db()
    plan.refresh_from_db()
    assert (run.outcome, run.new_assets, plan.empty_runs) == (TrackingOutcome.EMPTY, [], 1)
    told = Notification.objects.get(kind="tracking.result")
    assert told.subject == f"案件 {zhongben.case.number}：跟踪查询结果"
    assert not Notification.objects.filter(kind="tracking.property_found").exists()


def test_evaluating_a_run_twice_changes_nothing(plan, capture):
    dispatch(capture, on=dt.date(2026, 7, 15))
    run = _last_run(plan)
    answer(capture, run.batch)
    before = (Notification.objects.count(), TrackingPlan.objects.get().empty_runs)
    tracking_evaluate(batch_id=run.batch_id)
    assert (Notification.objects.count(), TrackingPlan.objects.get().empty_runs) == before


def test_a_tracking_batch_whose_requests_fail_completes_and_is_evaluated(plan, capture):
    dispatch(capture, on=dt.date(2026, 7, 15))
    run = _last_run(plan)
    AgencyRequest.objects.filter(batch=run.batch).update(attempts=MAX_ATTEMPTS)
    request = AgencyRequest.objects.get(batch=run.batch)
    with capture(execute=True):
        assert requests_time_out_due(now=request.due_at)["failed"] == 1
    run.refresh_from_db()
    assert run.batch.status == BatchStatus.COMPLETE and run.outcome == TrackingOutcome.EMPTY


# ---- 失信规定 art. 10(4) ---------------------------------------------------------------------------------------


def _two_empty_runs(plan, capture):
    for day in (dt.date(2026, 7, 15), dt.date(2027, 1, 15)):
        dispatch(capture, on=day)
        answer(capture, _last_run(plan).batch)


def test_two_empty_runs_without_a_lead_flag_the_case_for_dishonest_list_deletion(plan, zhongben, capture):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    delisting_due.connect(receiver)
    try:
        dispatch(capture, on=dt.date(2026, 7, 15))
        answer(capture, _last_run(plan).batch)
        plan.refresh_from_db()
        assert plan.delisting_flagged_at is None
        dispatch(capture, on=dt.date(2027, 1, 15))
        answer(capture, _last_run(plan).batch)
        dispatch(capture, on=dt.date(2027, 7, 15))
        answer(capture, _last_run(plan).batch)
    finally:
        delisting_due.disconnect(receiver)
    plan.refresh_from_db()
    assert plan.empty_runs == 3 and plan.delisting_flagged_at is not None
    assert len(received) == 1 and received[0]["enforcement_case"] == zhongben
    assert received[0]["plan"].pk == plan.pk


def test_a_lead_from_the_applicant_keeps_the_case_from_being_flagged(plan, zhongben, capture):
    property_lead_received.send(sender=EnforcementCase, enforcement_case=zhongben, on=dt.date(2026, 5, 1))
    _two_empty_runs(plan, capture)
    plan.refresh_from_db()
    assert (plan.lead_supplied_on, plan.empty_runs, plan.delisting_flagged_at) == (dt.date(2026, 5, 1), 2, None)


# ---- restoration ------------------------------------------------------------------------------------------------


@pytest.fixture
def restorer(court):
    return UserFactory(division_head=True, court=court, username="head-restore")


def test_restoring_ends_the_plan_copies_the_assets_and_moves_the_live_measures(
    plan, zhongben, debtors, bank, restorer, capture
):
    agency, _key = bank
    asset = Asset.objects.create(
        case=zhongben.case, debtor=debtors[0], category="deposit", agency=agency, identifier="6222000011112222333",
        value=Decimal("8000.00"), details={"bank": "ICBC"},
    )  # fmt: skip
    live = ControlMeasure.objects.create(
        enforcement_case=zhongben, asset=asset, kind=ControlKind.FREEZE, status=ControlStatus.ACTIVE,
        amount=Decimal("8000.00"), starts_on=dt.date(2026, 1, 1), expires_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    released = ControlMeasure.objects.create(
        enforcement_case=zhongben, asset=asset, kind=ControlKind.FREEZE, status=ControlStatus.RELEASED,
        amount=Decimal("1.00"), starts_on=dt.date(2025, 1, 1), expires_on=dt.date(2025, 12, 31), position=2,
    )  # fmt: skip
    with capture(execute=True):
        new = case_restore(actor=restorer, enforcement_case=zhongben, on=dt.date.today(), reason="发现新财产")
    plan.refresh_from_db()
    assert (plan.status, plan.next_due_on) == (TrackingStatus.RESTORED, None)
    assert plan.end_reason == f"Restored as {new.case.number}."
    copy = Asset.objects.get(case=new.case)
    assert (copy.category, copy.agency, copy.identifier, copy.value, copy.details, copy.debtor) == (
        "deposit", agency, "6222000011112222333", Decimal("8000.00"), {"bank": "ICBC"}, debtors[0],
    )  # fmt: skip
    live.refresh_from_db()
    released.refresh_from_db()
    assert (live.enforcement_case, live.asset, live.expires_on) == (new, copy, dt.date(2026, 12, 31))
    assert (released.enforcement_case, released.asset) == (zhongben, asset)
    assert Asset.objects.filter(case=zhongben.case).count() == 1  # the old record keeps its history


def test_a_late_answer_for_a_case_no_longer_tracked_is_refused_and_nothing_is_written(
    plan, zhongben, debtors, restorer, capture
):
    dispatch(capture, on=dt.date(2026, 7, 15))
    run = _last_run(plan)
    with capture(execute=True):
        case_restore(actor=restorer, enforcement_case=zhongben, on=dt.date.today(), reason="申请执行人提供财产线索")
    with pytest.raises(RuleViolation) as error, nothing_written():
        answer_batch(run.batch, found={(debtors[0].pk, AssetCategory.DEPOSIT): [deposit()]})
    assert error.value.code == "tracking.not_tracked"
    assert error.value.message == (
        "The case is no longer tracked (restored / five years done): a tracking answer for it is refused "
        "(终本规定 2016 art. 9)."
    )
    assert not AgencyRequest.objects.filter(batch=run.batch).exclude(status=RequestStatus.PENDING).exists()


def test_an_answer_after_the_five_years_is_refused(plan, capture):
    TrackingPlan.objects.filter(pk=plan.pk).update(runs_done=9, next_due_on=dt.date(2031, 1, 15))
    dispatch(capture, on=dt.date(2031, 1, 15))
    run = _last_run(plan)
    TrackingPlan.objects.filter(pk=plan.pk).update(status=TrackingStatus.ENDED, next_due_on=None)
    request = AgencyRequest.objects.filter(batch=run.batch).select_related("agency").first()
    with pytest.raises(RuleViolation) as error, nothing_written():
        request_answer(agency=request.agency, request_id=request.pk, results=[])
    assert error.value.code == "tracking.not_tracked"
