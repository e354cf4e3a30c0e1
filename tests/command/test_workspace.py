"""The officer workspace (command.workspace): each section counts and lists what is the user's to do, from the
user's own cases at the user's court only, in a fixed number of queries whatever the number of cases."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import (
    AgencyKind,
    AssetCategory,
    ControlKind,
    ControlStatus,
    RequestStatus,
    ResultOutcome,
    TrackingOutcome,
)
from assets.models import (
    Agency,
    AgencyRequest,
    Asset,
    ControlMeasure,
    QueryBatch,
    QueryResult,
    TrackingPlan,
    TrackingRun,
)
from cases.choices import PartyRole
from cases.models import CaseParty, FilingAlert
from command.models import OnSiteTask, RiskNote
from command.workspace import LIMIT, workspace, workspace_counts
from enforcement.choices import ClosingKind, Status
from enforcement.models import (
    CoerciveMeasure,
    DistributionLine,
    DistributionPlan,
    ExtensionRequest,
    FundEntry,
    FundEntryKind,
    Objection,
    TerminationProposal,
)
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
COUNTS_QUERIES = 8
WORKSPACE_QUERIES = 17


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def at_today(hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today(), dt.time(hour)))


def debtor_of(ec):
    return CaseParty.objects.get(case=ec.case, role=PartyRole.DEBTOR).party


def open_case(court, officer, *, deadline: dt.date, status=Status.INVESTIGATING):
    ec = case_in(status, court, officer=officer)
    ec.deadline_on = deadline
    ec.save(update_fields=["deadline_on"])
    return ec


def agency_of(court) -> Agency:
    agency, _created = Agency.objects.get_or_create(
        code=f"bank-{court.pk}",
        defaults={"name": f"银行{court.code}", "kind": AgencyKind.BANK, "categories": [AssetCategory.DEPOSIT]},
    )
    return agency


def freeze(ec, *, expires_on: dt.date, status=ControlStatus.ACTIVE, identifier: str = ""):
    asset = Asset.objects.create(
        case=ec.case,
        debtor=debtor_of(ec),
        category=AssetCategory.DEPOSIT,
        agency=agency_of(ec.case.court),
        identifier=identifier or f"6222{ec.pk:08d}{expires_on:%m%d}",
    )
    return ControlMeasure.objects.create(
        enforcement_case=ec, asset=asset, kind=ControlKind.FREEZE, status=status, amount=D("1000.00"),
        starts_on=expires_on - dt.timedelta(days=365), expires_on=expires_on,
    )  # fmt: skip


def answered_query(ec, *, answered_at: dt.datetime, found: bool = True):
    batch = QueryBatch.objects.create(enforcement_case=ec, categories=[AssetCategory.DEPOSIT])
    request = AgencyRequest.objects.create(
        batch=batch, agency=agency_of(ec.case.court), status=RequestStatus.ANSWERED,
        created_at=answered_at - dt.timedelta(hours=3), due_at=answered_at, answered_at=answered_at,
    )  # fmt: skip
    QueryResult.objects.create(
        request=request, debtor=debtor_of(ec), category=AssetCategory.DEPOSIT,
        outcome=ResultOutcome.FOUND if found else ResultOutcome.NONE_FOUND, asset_count=1 if found else 0,
    )  # fmt: skip
    return batch


def furnish(court, officer, head) -> dict:
    """One officer's desk, the same at every court: what counts and, beside it, what must not."""
    now = timezone.now()
    c = {
        "overdue": open_case(court, officer, deadline=days(-3)),
        "today": open_case(court, officer, deadline=today()),
        "soon": open_case(court, officer, deadline=days(5)),
        "later": open_case(court, officer, deadline=days(30)),
        # a suspended case's clock stands still: never overdue
        "suspended": open_case(court, officer, deadline=days(-10), status=Status.SUSPENDED),
        # someone else's overdue case
        "colleague": open_case(court, UserFactory(officer=True, court=court), deadline=days(-1)),
    }
    zhongben = case_in(Status.CLOSED, court, officer=officer, closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
                       closed_on=days(-200))  # fmt: skip
    c["zhongben"] = zhongben
    # dated steps: an objection due in 2 days, a detention ending today, a tracking query a day late
    Objection.objects.create(
        enforcement_case=c["later"], kind="act", objector=debtor_of(c["later"]), act_description="查封",
        grounds="超标的查封", filed_on=days(-13), review_due_on=days(2), recorded_by=officer,
    )  # fmt: skip
    CoerciveMeasure.objects.create(
        enforcement_case=c["later"], kind="detention", subject=debtor_of(c["later"]), ground="refusing_report",
        facts="拒不申报财产", days=15, status="executed", proposed_by=officer, approved_by=head,
        executed_on=days(-15), ends_on=today(),
    )  # fmt: skip
    plan = TrackingPlan.objects.create(
        enforcement_case=zhongben, starts_on=days(-200), ends_on=days(1600), next_due_on=days(-1)
    )
    # control measures: within 7 days, within 30, beyond; one released
    freeze(c["overdue"], expires_on=days(5))
    freeze(c["today"], expires_on=days(20))
    freeze(c["soon"], expires_on=days(60))
    freeze(c["later"], expires_on=days(3), status=ControlStatus.RELEASED)
    # answers: two days ago (new), twelve days ago (not); a tracking run that found property yesterday
    answered_query(c["soon"], answered_at=now - dt.timedelta(days=2))
    answered_query(c["today"], answered_at=now - dt.timedelta(days=12))
    TrackingRun.objects.create(
        plan=plan, number=1, due_on=days(-20), batch=QueryBatch.objects.create(
            enforcement_case=zhongben, categories=[AssetCategory.DEPOSIT], purpose="tracking"),
        outcome=TrackingOutcome.FOUND, completed_at=now - dt.timedelta(days=1),
        new_assets=[{"category": "deposit", "identifier": "6222"}],
    )  # fmt: skip
    # filing alerts: one on an open case, one on the closed case
    for ec in (c["soon"], zhongben):
        FilingAlert.objects.create(case=ec.case, party=debtor_of(ec), role=PartyRole.DEBTOR,
                                   message=f"被执行人 {debtor_of(ec).name}: 另有未结诉讼 1 件")  # fmt: skip
    # the officer's asks still pending: a 终本 proposal and an extension
    TerminationProposal.objects.create(
        enforcement_case=c["overdue"], reason="no_property", reason_detail="未发现财产", proposed_by=officer
    )
    ExtensionRequest.objects.create(enforcement_case=c["today"], reason="财产处置中", requested_by=officer)
    # funds: 5,000 received, 2,000 paid out → 3,000 held; an approved line of 1,200 unpaid
    for kind, amount, ref in ((FundEntryKind.RECEIPT, "5000.00", "R"), (FundEntryKind.PAYOUT, "2000.00", "P")):
        FundEntry.objects.create(enforcement_case=c["soon"], kind=kind, amount=D(amount), source="deduction",
                                 reference=f"{ref}-{court.code}-{c['soon'].pk}")  # fmt: skip
    dplan = DistributionPlan.objects.create(
        enforcement_case=c["soon"], fund_total=D("1200.00"), rule="pro_rata", status="approved",
        proposed_by=officer, decided_by=head,
    )  # fmt: skip
    DistributionLine.objects.create(
        plan=dplan, position=1, kind="ordinary", recipient=debtor_of(c["soon"]), claim=D("5000.00"),
        allocated=D("1200.00"),
    )  # fmt: skip
    # on site: today, planned, with the officer (a dog recorded on the debtor, a withdrawn violence note)
    task = OnSiteTask.objects.create(case=c["overdue"], purpose="search", address="北京市朝阳区建国路88号",
                                     scheduled_at=at_today(15), created_by=head)  # fmt: skip
    task.officers.add(officer)
    RiskNote.objects.create(party=debtor_of(c["overdue"]), kind="dog", note="院内有大型犬", recorded_by=officer)
    RiskNote.objects.create(party=debtor_of(c["overdue"]), kind="violence", recorded_by=officer,
                            withdrawn_at=timezone.now())  # fmt: skip
    tomorrow = OnSiteTask.objects.create(
        case=c["today"],
        purpose="service",
        address="明天的地址",
        scheduled_at=at_today(10) + dt.timedelta(days=1),
        created_by=head,
    )
    tomorrow.officers.add(officer)
    done = OnSiteTask.objects.create(case=c["today"], purpose="service", address="已完成", status="done",
                                     outcome="completed", completed_at=timezone.now(),
                                     scheduled_at=at_today(8), created_by=head)  # fmt: skip
    done.officers.add(officer)
    return c


@pytest.fixture
def desk():
    court = CourtFactory(chaoyang=True)
    other = CourtFactory(haidian=True)
    li = UserFactory(officer=True, court=court, username="ws-li")
    head = UserFactory(division_head=True, court=court, username="ws-head")
    zhou = UserFactory(officer=True, court=other, username="ws-zhou")
    other_head = UserFactory(division_head=True, court=other, username="ws-head-0108")
    cases = furnish(court, li, head)
    furnish(other, zhou, other_head)
    return court, li, head, zhou, cases


def test_the_counts_are_those_of_the_officers_own_cases(desk):
    court, li, head, zhou, cases = desk
    counts = workspace_counts(user=li)
    # overdue: the case 3 days late, the tracking query a day late; today: the case, the detention ending;
    # soon: the case in 5 days, the objection due in 2
    assert (counts.overdue, counts.due_today, counts.due_soon) == (2, 2, 2)
    assert (counts.expiring_7, counts.expiring_30) == (1, 2)
    assert (counts.new_answers, counts.new_finds) == (1, 1)
    assert counts.alerts == 1
    assert counts.approvals == 2  # the officer's own 终本 proposal and extension, still pending
    assert (counts.funds_cases, counts.funds_held) == (1, D("3000.00"))
    assert (counts.payouts_waiting, counts.payouts_amount) == (1, D("1200.00"))
    assert counts.onsite_today == 1


def test_the_deadlines_come_overdue_first_each_a_link_to_the_case(desk):
    court, li, head, zhou, cases = desk
    ws = workspace(user=li)
    assert [(i.kind, i.due) for i in ws.deadlines] == [
        ("deadline", days(-3)),
        ("tracking", days(-1)),
        ("deadline", today()),
        ("detention", today()),
        ("objection", days(2)),
        ("deadline", days(5)),
    ]
    first = ws.deadlines[0]
    assert first.overdue and first.number == cases["overdue"].case.number
    assert first.url == f"/enforcement/{cases['overdue'].pk}/"
    assert ws.deadlines[1].url == f"/enforcement/{cases['zhongben'].pk}/#asset-tracking"
    assert ws.deadlines[4].url == f"/enforcement/{cases['later'].pk}/#case-objections"


def test_the_measures_the_answers_the_alerts_and_the_funds_are_listed(desk):
    court, li, head, zhou, cases = desk
    ws = workspace(user=li)
    assert [(m.due, m.amount) for m in ws.measures] == [(days(5), D("1000.00")), (days(20), D("1000.00"))]
    assert ws.measures[0].url == f"/enforcement/{cases['overdue'].pk}/#asset-measures"
    assert [n.kind for n in ws.new] == ["find", "answer"]
    assert ws.new[1].label == "Agencies answered: 1 · with property: 1"
    assert [a.number for a in ws.alerts] == [cases["soon"].case.number]
    assert [(f.number, f.amount) for f in ws.funds] == [(cases["soon"].case.number, D("3000.00"))]


def test_an_officer_sees_what_he_asked_for_and_a_division_head_what_waits_for_him(desk):
    court, li, head, zhou, cases = desk
    mine = workspace(user=li)
    assert not mine.approver
    assert sorted(a.kind for a in mine.approvals) == ["extension", "termination"]
    theirs = workspace(user=head)
    assert theirs.approver
    assert sorted((a.kind, a.number) for a in theirs.approvals) == sorted(
        [("extension", cases["today"].case.number), ("termination", cases["overdue"].case.number)]
    )
    assert theirs.counts.approvals == 2


def test_a_division_head_is_not_asked_to_approve_his_own_proposal(desk):
    court, li, head, zhou, cases = desk
    TerminationProposal.objects.create(
        enforcement_case=cases["soon"], reason="no_property", reason_detail="未发现财产", proposed_by=head
    )
    assert workspace_counts(user=head).approvals == 2


def test_todays_on_site_task_shows_the_debtors_active_risks_only(desk):
    court, li, head, zhou, cases = desk
    [task] = workspace(user=li).onsite
    assert task.number == cases["overdue"].case.number and task.address == "北京市朝阳区建国路88号"
    assert [(r.kind, r.severe) for r in task.risks] == [("dog", False)]


def test_nothing_of_another_court_reaches_the_workspace(desk):
    court, li, head, zhou, cases = desk
    ws = workspace(user=li)
    numbers = [i.number for i in ws.deadlines + ws.measures + ws.new + ws.alerts + ws.approvals + ws.funds]
    numbers += [t.number for t in ws.onsite]
    assert numbers and all("京0105" in n for n in numbers)
    # the officer of the other court has the same-looking desk, and sees only his own
    theirs = workspace(user=zhou)
    assert theirs.counts == ws.counts
    theirs_numbers = [i.number for i in theirs.deadlines + theirs.measures + theirs.alerts + theirs.funds]
    assert theirs_numbers and all("京0108" in n for n in theirs_numbers)
    assert all("京0105" not in i.number for i in workspace(user=UserFactory(division_head=True, court=zhou.court))
               .approvals)  # fmt: skip


def test_a_user_without_cases_has_an_empty_workspace(desk):
    court, li, head, zhou, cases = desk
    ws = workspace(user=UserFactory(judge=True, court=court, username="ws-judge"))
    assert ws.counts.deadlines == 0 and not (ws.deadlines or ws.measures or ws.new or ws.onsite)


def _more_cases(court, officer, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        ec = open_case(court, officer, deadline=days(-1 - i % 5))
        freeze(ec, expires_on=days(1 + i % 25))
        answered_query(ec, answered_at=now - dt.timedelta(hours=1 + i))
        FilingAlert.objects.create(case=ec.case, party=debtor_of(ec), role=PartyRole.DEBTOR, message=f"提示 {i}")
        FundEntry.objects.create(enforcement_case=ec, kind=FundEntryKind.RECEIPT, amount=D("10.00"),
                                 source="payment", reference=f"more-{ec.pk}")  # fmt: skip


@pytest.mark.parametrize("extra", [3, 30])
def test_the_workspace_takes_the_same_queries_for_3_or_30_more_cases(desk, extra, django_assert_num_queries):
    court, li, head, zhou, cases = desk
    _more_cases(court, li, extra)
    with django_assert_num_queries(COUNTS_QUERIES):
        counts = workspace_counts(user=li)
    assert counts.alerts == 1 + extra and counts.new_answers == 1 + extra
    with django_assert_num_queries(WORKSPACE_QUERIES):
        ws = workspace(user=li)
    assert len(ws.deadlines) == min(LIMIT, counts.deadlines) and len(ws.alerts) == min(LIMIT, counts.alerts)
