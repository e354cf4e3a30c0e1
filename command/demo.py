"""Demo data of command: risk notes on demo debtors (violence, dogs, a crowd) and on-site tasks (现场执行).

At 京0105, demo-officer has tasks planned today and this week (one on the debtor with the dangerous dogs, one on
the violent debtor), and tasks done in the past weeks with their outcomes; one was cancelled. At 京0108,
demo-officer2 has one task planned and one done. Everything goes through ``command.services`` (past tasks are
planned and completed with their own ``now``). Idempotent: the marker ``SEEDED`` (an audit row) is written with
the data; once it exists nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.choices import PartyRole
from core.audit import audit_record
from core.demo import DEMO_REASON, DemoContext
from core.models import AuditLog, User
from enforcement.choices import Status
from enforcement.models import EnforcementCase

from .choices import OnSiteOutcome, OnSitePurpose, RiskKind
from .services import cancel_onsite_task, complete_onsite_task, plan_onsite_task, record_risk_note

SEEDED = "demo.command_onsite_seeded"
COURT, OTHER = "京0105", "京0108"
OFFICER, OFFICER2, JUDGE = "demo-officer", "demo-officer2", "demo-judge"

RISKS = (
    (RiskKind.VIOLENCE, "被执行人曾持木棍威胁送达人员，情绪激动，现场执行须通知司法警察随同。"),
    (RiskKind.DOG, "院内饲养两条大型犬（未拴养），进入前须联系社区民警协助控制。"),
    (RiskKind.CROWD, "曾纠集亲友十余人围堵执行人员，拟提前与街道、派出所沟通。"),
)
# (case index, days from today, hour, purpose); the first two cases are those of the violent and the dog owner.
PLANNED = (
    (1, 0, None, OnSitePurpose.SEIZURE),  # today, within the next hours
    (0, 2, 9, OnSitePurpose.SEARCH),
    (3, 4, 14, OnSitePurpose.SERVICE),
)
DONE = (
    (
        2,
        -3,
        10,
        OnSitePurpose.INVESTIGATION,
        OnSiteOutcome.ABSENT,
        "现场无人，向邻居了解被执行人已外出务工，留置联系卡。",
    ),
    (
        4,
        -8,
        9,
        OnSitePurpose.SEIZURE,
        OnSiteOutcome.COMPLETED,
        "查封被执行人名下小型轿车一辆，贴封条，车辆移交停车场保管。",
    ),
    (0, -15, 15, OnSitePurpose.SERVICE, OnSiteOutcome.OBSTRUCTED, "被执行人拒绝签收并辱骂执行人员，已留置送达并录像。"),
)


def _at(today: dt.date, days: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))


def _soon() -> dt.datetime:
    """The next full hour after an hour from now: "today" for a demo seeded during the day."""
    now = timezone.localtime() + dt.timedelta(hours=1)
    return now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def _cases(court_code: str, officer: User | None, count: int) -> list[EnforcementCase]:
    """The officer's open (not suspended) cases with a debtor, oldest first; ``officer`` None: any open case of the
    court (京0108's demo cases wait for an officer or are suspended)."""
    cases = EnforcementCase.objects.filter(case__court__code=court_code)
    if officer is not None:
        cases = cases.filter(officer=officer).exclude(status=Status.SUSPENDED)
    cases = (
        cases.exclude(status=Status.CLOSED)
        .select_related("case", "case__court")
        .prefetch_related("case__party_links__party")
        .order_by("case__filing_date", "pk")
    )
    return [ec for ec in cases if _debtor(ec) is not None][:count]


def _debtor(ec: EnforcementCase):
    for link in ec.case.party_links.all():
        if link.role == PartyRole.DEBTOR:
            return link.party
    return None


def _address(ec: EnforcementCase) -> str:
    return _debtor(ec).address or f"{ec.case.court.name}辖区"


def _plan(actor, ec, purpose, when, officers, *, now=None):
    return plan_onsite_task(
        actor=actor,
        enforcement_case=ec,
        purpose=purpose,
        address=_address(ec),
        scheduled_at=when,
        officers=officers,
        notes="出发前核对被执行人身份信息，携带执法记录仪。",
        now=now,
    )


def _seed_court(context: DemoContext, officer: User, partners: list[User], today: dt.date) -> dict[str, int]:
    cases = _cases(officer.court.code, officer, 5)
    counts = {"risk_notes": 0, "planned": 0, "done": 0, "cancelled": 0}
    if len(cases) < 5:
        return counts
    team = [officer, *partners]
    for ec, (kind, note) in zip(cases, RISKS, strict=False):
        record_risk_note(actor=officer, enforcement_case=ec, party=_debtor(ec), kind=kind, note=note)
        counts["risk_notes"] += 1
    for index, days, hour, purpose in PLANNED:
        when = _soon() if hour is None else _at(today, days, hour)
        _plan(officer, cases[index], purpose, when, team)
        counts["planned"] += 1
    for index, days, hour, purpose, outcome, notes in DONE:
        when = _at(today, days, hour)
        task = _plan(officer, cases[index], purpose, when, team, now=when - dt.timedelta(days=2))
        complete_onsite_task(
            actor=officer,
            task=task,
            outcome=outcome,
            outcome_notes=notes,
            completed_at=when + dt.timedelta(hours=2),
        )
        counts["done"] += 1
    when = _at(today, -5, 9)
    task = _plan(officer, cases[3], OnSitePurpose.EVICTION, when, team, now=when - dt.timedelta(days=3))
    cancel_onsite_task(actor=officer, task=task, reason="申请执行人与被执行人达成和解，撤回强制迁出申请。")
    counts["cancelled"] += 1
    return counts


def _seed_other(officer: User, today: dt.date) -> dict[str, int]:
    counts = {"planned": 0, "done": 0}
    cases = _cases(officer.court.code, None, 2)
    if not cases:
        return counts
    _plan(officer, cases[0], OnSitePurpose.INVESTIGATION, _at(today, 1, 10), [officer])
    counts["planned"] += 1
    when = _at(today, -6, 14)
    task = _plan(officer, cases[-1], OnSitePurpose.SEIZURE, when, [officer], now=when - dt.timedelta(days=1))
    complete_onsite_task(
        actor=officer,
        task=task,
        outcome=OnSiteOutcome.PARTIAL,
        outcome_notes="扣押办公设备若干，被执行人法定代表人未到场。",
        completed_at=when + dt.timedelta(hours=3),
    )
    counts["done"] += 1
    return counts


def seed(context: DemoContext) -> None:
    from . import demo_graph

    demo_graph.seed(context)  # the relation graph's demo debtor (idempotent on its own marker)
    if AuditLog.objects.filter(action=SEEDED).exists():
        context.log("command: on-site demo data already seeded.")
        return
    users = {
        name: context.users.get(name) or User.objects.filter(username=name).first()
        for name in (OFFICER, OFFICER2, JUDGE)
    }
    if users[OFFICER] is None:
        context.log("command: no demo-officer; nothing to do.")
        return
    today = context.today
    with transaction.atomic():
        partners = [u for u in (users[JUDGE],) if u is not None and u.court_id == users[OFFICER].court_id]
        counts = _seed_court(context, users[OFFICER], partners, today)
        other = _seed_other(users[OFFICER2], today) if users[OFFICER2] is not None else {}
        audit_record(actor=None, action=SEEDED, reason=DEMO_REASON, changes={COURT: counts, OTHER: other})
    context.log(
        f"command: {counts['risk_notes']} risk notes and {counts['planned']} planned, {counts['done']} done, "
        f"{counts['cancelled']} cancelled on-site tasks at {COURT}; {other.get('planned', 0)} planned and "
        f"{other.get('done', 0)} done at {OTHER}."
    )
