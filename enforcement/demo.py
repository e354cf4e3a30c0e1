"""Demo data owned by enforcement: the 执 cases of 京0105 (filed by the cases demo) become enforcement cases
in every state of the lifecycle, so that a new user sees a living pipeline.

Everything goes through the services: triage (``case_triage``), assignment by the division head
(``case_assign``), notices (``notice_issue``, which moves a case to "notified" once both documents reached
every debtor), the lifecycle steps (``transition_apply``), suspension and resumption, closing, and an
extension request. So every status change has its ``StatusChange`` row and its audit row, as in production.
The steps are then dated back to plausible days after filing (the timeline would otherwise show the whole
history as happening today); the audit rows keep the real time of writing.

What the data shows at 京0105:
- the 80 most recent 执 cases become enforcement cases (older ones stay plain case records);
- the most recent cases waiting for an officer (bulk assignment page), triaged simple or complex;
- cases assigned, notified, investigating, controlling, disposing, distributing; suspended ones (one
  suspension ended, its days excluded from the clock); cases closed as 执行完毕, 终本, 终结, 和解, 不予执行 and
  移送破产; old open cases past their 6-month deadline (overdue);
- most cases with demo-officer (李执行), some with demo-officer-b (刘执行) and demo-judge (张法官);
- one extension request waiting for demo-head's decision;
- each demo case filed on an effective document of the cases demo (a 民初 judgment or mediation statement,
  an arbitral award, a notarised debt instrument) has it as its enforcement basis, with the time limit that
  goes with it (3 months for non-litigation documents);
- a few effective documents nobody had applied on yet are applied on today through ``enforcement_file``
  (the real path: 执 case number, parties in their enforcement roles, preservation carried over), triaged and
  waiting for an officer; the others stay on the "documents awaiting enforcement" list.

- closing by law: 和解结案 after a settlement recorded and performed (``settlement_record``,
  ``settlement_mark_performed``), 终结执行 on a ground of 民诉法 art. 268, 不予执行 only of arbitral awards and
  notarised debt instruments; the cases planned to end as 终本 stop at "controlling" and are terminated
  through a proposal and demo-head's approval by ``close_terminated_demo_cases``, called after assets' demo
  has answered a full network query for them (the 终本 checklist needs it).

Idempotent: a court that already has enforcement cases is left as it is, so a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cases.choices import CaseType, DocumentKind, PartyKind, PartyRole
from cases.demo import enforceable_documents
from cases.models import Case, EffectiveDocument
from core.audit import audit_record
from core.demo import DEMO_REASON, DemoContext
from core.models import AuditLog, User
from core.money import round_fen
from core.roles import Role

from .checks import termination_facts
from .choices import (
    ApplicantOpinion,
    ClosingKind,
    ListingDecision,
    NonEnforcementGround,
    NoticeKind,
    ProposalStatus,
    ServiceMethod,
    Status,
    SuspensionGround,
    TerminationGround,
    TerminationReason,
)
from .deadlines import add_months, application_last_day, compute_deadline, limit_months_for
from .models import EnforcementCase, StatusChange, TerminationProposal
from .services.assignment import case_assign, case_triage
from .services.extensions import REQUEST_WINDOW_DAYS, extension_request
from .services.filing import enforcement_file
from .services.ledger import fund_receive
from .services.lifecycle import case_close, case_resume, case_suspend, transition_apply
from .services.notices import notice_issue
from .services.settlements import settlement_mark_performed, settlement_record
from .services.termination import termination_decide, termination_propose
from .termination import earliest_termination_day, property_found

COURT = "京0105"
HEAD = "demo-head"
CLERK = "demo-clerk"
# Effective documents without an enforcement case on which the demo applies today (the rest stay waiting).
APPLIED_ON_TODAY = 3
EXTRA_OFFICERS = (("demo-officer-b", "刘执行"),)
# Who runs the cases: mostly the demo officer, so that "My cases" is full when logging in as demo-officer.
OFFICER_WEIGHTS = (("demo-officer", 70), ("demo-officer-b", 18), ("demo-judge", 12))
WAITING, JUST_ASSIGNED, JUST_NOTIFIED = 6, 5, 5
# The most recent 执 cases become enforcement cases (enough for every state and a full "My cases"); older
# ones stay plain case records. Each notice is a generated .docx, the slow part of seeding.
MAX_CASES = 80

# The path through the lifecycle to each open state (after assignment and the notices).
PATH = {
    Status.ASSIGNED: [],
    Status.NOTIFIED: [],
    Status.INVESTIGATING: ["start_investigation"],
    Status.CONTROLLING: ["start_investigation", "start_control"],
    Status.DISPOSING: ["start_investigation", "start_control", "start_disposal"],
    Status.DISTRIBUTING: ["start_investigation", "start_control", "start_disposal", "start_distribution"],
}
# Where a case stands when it is closed as each kind.
CLOSED_FROM = {
    ClosingKind.COMPLETED: Status.DISTRIBUTING,
    ClosingKind.TERMINATED_THIS_ROUND: Status.CONTROLLING,
    ClosingKind.SETTLED: Status.INVESTIGATING,
    ClosingKind.TERMINATED: Status.INVESTIGATING,
    ClosingKind.NOT_ENFORCED: Status.NOTIFIED,
    ClosingKind.TRANSFERRED_TO_BANKRUPTCY: Status.CONTROLLING,
}
CLOSING_REASONS = {
    ClosingKind.COMPLETED: "被执行人已全部履行生效法律文书确定的义务，执行款已发放申请执行人。",
    ClosingKind.TERMINATED_THIS_ROUND: (
        "经网络查控及实地调查，未发现被执行人有可供执行的财产，申请执行人同意终结本次执行程序。"
    ),
    ClosingKind.SETTLED: "双方当事人自愿达成执行和解协议并已履行完毕。",
    ClosingKind.TERMINATED: "申请执行人撤销执行申请。",
    ClosingKind.NOT_ENFORCED: "经审查，执行依据存在法定不予执行情形，裁定不予执行。",
    ClosingKind.TRANSFERRED_TO_BANKRUPTCY: (
        "被执行人不能清偿到期债务且资产不足以清偿全部债务，经申请执行人同意移送破产审查。"
    ),
}
# 终结执行 and 不予执行 grounds the demo closes on (the application withdrawn fits any debtor; 不予执行 by the
# kind of document, 民诉法 2023 arts. 248–249).
TERMINATION_GROUND = TerminationGround.APPLICATION_WITHDRAWN
NOT_ENFORCED_GROUNDS = {
    DocumentKind.ARBITRAL_AWARD: NonEnforcementGround.PROCEDURE_VIOLATED,
    DocumentKind.NOTARISED_DEBT: NonEnforcementGround.NOTARISED_DOCUMENT_WRONG,
}
SETTLEMENT_TERMS = "双方自愿达成执行和解协议：被执行人于协议签订后十五日内一次性支付和解款项，申请执行人放弃其余请求。"
# The cases the plan closes as 终本 stop at "controlling" here, marked with this audit action (the day planned
# in ``changes["on"]``); ``close_terminated_demo_cases`` proposes and approves them once assets' demo has
# answered a full network query for them (the checklist needs it, 终本规定 art. 1(3)).
TERMINATION_PLANNED = "demo.termination_planned"
SUSPENSION_REASONS = {
    SuspensionGround.THIRD_PARTY_OBJECTION: "案外人对查封的房产提出书面异议，异议审查期间中止对该房产的执行。",
    SuspensionGround.APPLICANT_AGREES: "申请执行人书面同意被执行人延期履行三个月。",
    SuspensionGround.RETRIAL: "执行依据已被裁定再审，中止执行。",
}


@dataclass
class Plan:
    case: Case
    status: str
    officer: str = ""
    closing_kind: str = ""
    suspended: bool = False  # an open suspension (status SUSPENDED)
    resumed: bool = False  # suspended once and resumed (days excluded from the clock)
    days: list[dt.date] = field(default_factory=list)  # the day of each step, in order
    document: EffectiveDocument | None = None  # the enforcement basis, when the cases demo recorded it


def _ensure_officers(context: DemoContext) -> dict[str, User]:
    court = context.courts[COURT]
    existing = {u.username: u for u in User.objects.filter(username__in=[name for name, _ in EXTRA_OFFICERS])}
    for username, display_name in EXTRA_OFFICERS:
        user = existing.get(username)
        if user is None:
            user = User(
                username=username,
                role=Role.OFFICER,
                display_name=display_name,
                court=court,
                password=make_password(settings.DEMO_PASSWORD),
            )
            user.full_clean()
            user.save()
            audit_record(actor=None, action="user.create", obj=user, reason=DEMO_REASON, changes={"role": user.role})
        context.users[username] = user
    return {name: context.users[name] for name, _ in OFFICER_WEIGHTS}


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _is_organisation(case: Case) -> bool:
    kinds = {link.party.kind for link in case.party_links.all() if link.role == PartyRole.DEBTOR}
    return kinds == {PartyKind.ORGANISATION}


def _plan(cases: list[Case], today: dt.date, rng: random.Random) -> list[Plan]:
    """Decide each case's state from its age: the newest wait for an officer, the oldest are mostly closed,
    some old ones are still open past their deadline."""
    newest_first = sorted(cases, key=lambda c: (c.filing_date, c.pk), reverse=True)
    plans: list[Plan] = []
    for index, case in enumerate(newest_first):
        age = (today - case.filing_date).days
        officer = _weighted(rng, OFFICER_WEIGHTS)
        if index < WAITING:
            plans.append(Plan(case, Status.FILED))
            continue
        if index < WAITING + JUST_ASSIGNED:
            plans.append(Plan(case, Status.ASSIGNED, officer))
            continue
        if index < WAITING + JUST_ASSIGNED + JUST_NOTIFIED:
            plans.append(Plan(case, Status.NOTIFIED, officer))
            continue
        if age < 100:
            status = _weighted(
                rng,
                ((Status.INVESTIGATING, 45), (Status.CONTROLLING, 30), (Status.DISPOSING, 10), ("closed", 15)),
            )
        elif age < 183:
            status = _weighted(
                rng,
                (
                    (Status.INVESTIGATING, 20),
                    (Status.CONTROLLING, 25),
                    (Status.DISPOSING, 20),
                    (Status.DISTRIBUTING, 10),
                    ("closed", 25),
                ),
            )
        else:
            status = _weighted(
                rng, ((Status.CONTROLLING, 8), (Status.DISPOSING, 8), (Status.INVESTIGATING, 6), ("closed", 78))
            )
        plan = Plan(case, status, officer)
        if status == "closed":
            plan.status = Status.CLOSED
            kinds = [
                (ClosingKind.COMPLETED, 35),
                (ClosingKind.SETTLED, 15),
                (ClosingKind.TERMINATED, 8),
                (ClosingKind.NOT_ENFORCED, 4),
            ]
            if age > 110:
                kinds.append((ClosingKind.TERMINATED_THIS_ROUND, 30))
            if _is_organisation(case):
                kinds.append((ClosingKind.TRANSFERRED_TO_BANKRUPTCY, 6))
            plan.closing_kind = _weighted(rng, kinds)
        plans.append(plan)
    _make_sure_every_state_is_there(plans, today)
    return plans


def _make_sure_every_state_is_there(plans: list[Plan], today: dt.date) -> None:
    """Suspensions (three open, two ended) and at least one case in each state and of each closing kind."""
    working = [p for p in plans if p.status in (Status.INVESTIGATING, Status.CONTROLLING, Status.DISPOSING)]
    for plan in working[2:5]:
        plan.suspended = True
    for plan in working[6:8]:
        plan.resumed = True
    present = {p.status for p in plans}
    spare = [p for p in plans if p.status == Status.CLOSED and (today - p.case.filing_date).days > 150]
    for status in (Status.CONTROLLING, Status.DISPOSING, Status.DISTRIBUTING):
        if status not in present and spare:
            plan = spare.pop()
            plan.status, plan.closing_kind = status, ""
    kinds = {p.closing_kind for p in plans if p.status == Status.CLOSED}
    closed = [p for p in plans if p.status == Status.CLOSED and (today - p.case.filing_date).days > 120]
    for kind in ClosingKind.values:
        if kind in kinds:
            continue
        candidates = [p for p in closed if kind != ClosingKind.TRANSFERRED_TO_BANKRUPTCY or _is_organisation(p.case)]
        counts = {k: sum(1 for p in closed if p.closing_kind == k) for k in ClosingKind.values}
        candidates = [p for p in candidates if counts[p.closing_kind] > 1]
        if candidates:
            candidates[0].closing_kind = kind
            kinds.add(kind)


def _step_days(case: Case, count: int, today: dt.date, rng: random.Random) -> list[dt.date]:
    """``count`` increasing days from the filing date, a few days to a few weeks apart (never after today):
    assignment within days of filing, the notices soon after, then the working steps."""
    days, day = [], case.filing_date
    for index in range(count):
        day += dt.timedelta(days=rng.randint(1, 4) if index < 2 else rng.randint(5, 40))
        days.append(min(day, today))
    return days


def _backdate(ec: EnforcementCase, days: dict[str, dt.date]) -> None:
    """Date the steps on the days the plan chose (the audit rows keep when they were written)."""
    tz = timezone.get_current_timezone()
    for change in StatusChange.objects.filter(enforcement_case=ec).order_by("id"):
        day = days.get(change.transition)
        if day is not None:
            at = dt.datetime.combine(day, dt.time(9, 30), tzinfo=tz)
            StatusChange.objects.filter(pk=change.pk).update(at=at)
    if "assign" in days:
        at = dt.datetime.combine(days["assign"], dt.time(9, 30), tzinfo=tz)
        EnforcementCase.objects.filter(pk=ec.pk).update(assigned_at=at)


def _run(plan: Plan, *, head: User, officers: dict[str, User], today: dt.date, rng: random.Random) -> EnforcementCase:
    case = plan.case
    document = plan.document
    limit_months = limit_months_for(non_litigation=document.is_non_litigation) if document else 6
    ec = EnforcementCase(
        case=case,
        source_document=document,
        limit_months=limit_months,
        deadline_on=compute_deadline(filing_date=case.filing_date, limit_months=limit_months),
    )
    ec.full_clean(exclude=["status"])
    ec.save()
    StatusChange.objects.create(
        enforcement_case=ec,
        transition="file",
        from_status=Status.FILED,
        to_status=Status.FILED,
        actor=None,
        at=dt.datetime.combine(case.filing_date, dt.time(9, 0), tzinfo=timezone.get_current_timezone()),
        reason="演示数据：由立案登记的执行案件转入执行流程",
    )
    ec = case_triage(actor=head, enforcement_case=ec)
    if plan.status == Status.FILED:
        return ec
    officer = officers[plan.officer]
    target = CLOSED_FROM[plan.closing_kind] if plan.status == Status.CLOSED else plan.status
    if plan.status == Status.SUSPENDED:
        target = Status.INVESTIGATING
    steps = [] if target == Status.ASSIGNED else PATH[target]
    extra = int(plan.suspended) + 2 * int(plan.resumed) + int(plan.status == Status.CLOSED)
    days = _step_days(case, 2 + len(steps) + extra, today, rng)
    when: dict[str, dt.date] = {}
    ec = case_assign(actor=head, enforcement_case=ec, officer=officer)
    when["assign"] = days.pop(0)
    if target != Status.ASSIGNED:
        issued = days.pop(0)
        debtors = [link.party_id for link in case.party_links.all() if link.role == PartyRole.DEBTOR]
        for debtor in debtors:
            for kind in NoticeKind.values:
                notice_issue(
                    actor=officer,
                    enforcement_case=ec,
                    kind=kind,
                    recipient_id=debtor,
                    service_method=ServiceMethod.IN_PERSON if rng.random() < 0.6 else ServiceMethod.POST,
                    served_on=min(issued + dt.timedelta(days=rng.randint(0, 2)), today),
                    issued_on=issued,
                )
        when["notify"] = issued
        ec.refresh_from_db()
    for step in steps:
        ec = transition_apply(actor=officer, enforcement_case=ec, transition=step)
        when[step] = days.pop(0)
    if plan.resumed:
        start, end = days.pop(0), days.pop(0)
        ground = SuspensionGround.APPLICANT_AGREES
        ec = case_suspend(
            actor=officer, enforcement_case=ec, ground=ground, reason=SUSPENSION_REASONS[ground], on=start
        )
        ec = case_resume(actor=officer, enforcement_case=ec, on=end, reason="延期履行期满，恢复执行。")
        when["suspend"], when["resume"] = start, end
    if plan.suspended:
        on = days.pop(0)
        ground = rng.choice(list(SUSPENSION_REASONS))
        ec = case_suspend(actor=officer, enforcement_case=ec, ground=ground, reason=SUSPENSION_REASONS[ground], on=on)
        when["suspend"] = on
    if plan.status == Status.CLOSED:
        on = days.pop(0)
        if plan.closing_kind == ClosingKind.TERMINATED_THIS_ROUND:
            on = min(max(on, add_months(case.filing_date, 3) + dt.timedelta(days=1)), today)
            audit_record(
                actor=None, action=TERMINATION_PLANNED, obj=ec, reason=DEMO_REASON, changes={"on": on.isoformat()}
            )
            _backdate(ec, when)
            return ec
        on = min(on, today)
        if plan.closing_kind == ClosingKind.SETTLED:
            agreed = max(case.filing_date, on - dt.timedelta(days=20))
            settlement = settlement_record(actor=officer, enforcement_case=ec, agreed_on=agreed, terms=SETTLEMENT_TERMS)
            settlement_mark_performed(actor=officer, settlement=settlement, on=on)
        ground = ""
        if plan.closing_kind == ClosingKind.TERMINATED:
            ground = TERMINATION_GROUND
        elif plan.closing_kind == ClosingKind.NOT_ENFORCED:
            ground = NOT_ENFORCED_GROUNDS[document.kind]
        ec = case_close(
            actor=officer,
            enforcement_case=ec,
            kind=plan.closing_kind,
            reason=CLOSING_REASONS[plan.closing_kind],
            on=on,
            performed_amount=case.amount if plan.closing_kind == ClosingKind.COMPLETED else None,
            ground=ground,
        )
        when["close"] = on
    _backdate(ec, when)
    return ec


def _fit_not_enforced(plans: list[Plan]) -> None:
    """不予执行 only of an arbitral award or a notarised debt instrument (民诉法 2023 arts. 248–249): a plan to
    close otherwise trades its kind with a closed plan on such a document; failing that, it is closed as
    终结执行 instead."""
    fits = {DocumentKind.ARBITRAL_AWARD, DocumentKind.NOTARISED_DEBT}

    def suits(plan: Plan) -> bool:
        return plan.document is not None and plan.document.kind in fits

    for plan in plans:
        if plan.status != Status.CLOSED or plan.closing_kind != ClosingKind.NOT_ENFORCED or suits(plan):
            continue
        swap = next(
            (
                other
                for other in plans
                if other.status == Status.CLOSED
                and other.closing_kind in (ClosingKind.COMPLETED, ClosingKind.SETTLED)
                and suits(other)
            ),
            None,
        )
        if swap is None:
            plan.closing_kind = ClosingKind.TERMINATED
        else:
            plan.closing_kind, swap.closing_kind = swap.closing_kind, plan.closing_kind


def _pending_extension(cases: list[EnforcementCase], today: dt.date, rng: random.Random) -> str:
    """One extension request waiting for demo-head, made through ``extension_request`` in the last 5 days
    before a deadline (法发〔2006〕35号 art. 1). If no demo case is in that window today, a recently overdue
    case had a suspension (ended) long enough to bring its deadline into the window, through the services."""
    working = [
        ec
        for ec in cases
        if ec.status in (Status.INVESTIGATING, Status.CONTROLLING, Status.DISPOSING)
        and ec.officer_id
        and not ec.suspensions.exists()
    ]
    in_window = [ec for ec in working if 0 <= (ec.deadline_on - today).days <= REQUEST_WINDOW_DAYS]
    if not in_window:
        late = sorted((ec for ec in working if ec.deadline_on < today), key=lambda ec: ec.deadline_on, reverse=True)
        if not late:
            return ""
        ec = late[0]
        days = (today - ec.deadline_on).days + 2  # the deadline moves to the day after tomorrow
        start = max(today - dt.timedelta(days=days + 20), ec.case.filing_date + dt.timedelta(days=10))
        end = start + dt.timedelta(days=days)
        ground = SuspensionGround.APPLICANT_AGREES
        ec = case_suspend(
            actor=ec.officer, enforcement_case=ec, ground=ground, reason=SUSPENSION_REASONS[ground], on=start
        )
        ec = case_resume(actor=ec.officer, enforcement_case=ec, on=end, reason="延期履行期满，恢复执行。")
        _backdate(ec, {"suspend": start, "resume": end})
        in_window = [ec]
    ec = in_window[0]
    reason = "案涉房产已进入网络司法拍卖程序，拍卖公告期未满，需延长执行期限三个月。"
    extension_request(actor=ec.officer, enforcement_case=ec, months=3, reason=reason)
    return ec.case.number


def _apply_on_waiting_documents(
    pairs: list[tuple[EffectiveDocument, Case | None]], *, clerk: User, head: User, today: dt.date
) -> list[EnforcementCase]:
    """立案执行 through ``enforcement_file`` on the longest-waiting effective documents of litigation cases
    that no 执 case was filed on, whose performance period is over and application period still open; filed
    today (so that serial numbers keep following filing dates) and triaged by the division head."""
    waiting = [
        document
        for document, enforced in pairs
        if enforced is None
        and document.case.case_type != CaseType.ENFORCEMENT
        and document.effective_on <= today
        and document.period_start() < today <= application_last_day(document.period_start())
    ]
    filed = []
    for document in waiting[:APPLIED_ON_TODAY]:
        ec = enforcement_file(
            actor=clerk,
            document=document,
            court=document.case.court,
            applicant_ids=[party.pk for party in document.obligees.all()],
            respondent_ids=[party.pk for party in document.obligors.all()],
            filing_date=today,
        )
        filed.append(case_triage(actor=head, enforcement_case=ec))
    return filed


def seed(context: DemoContext) -> None:
    """Turn 京0105's 执 cases into enforcement cases, in one transaction; done once per court."""
    court = context.courts.get(COURT)
    if court is None:
        context.log("enforcement: no demo court 京0105; nothing to do.")
        return
    with transaction.atomic():
        officers = _ensure_officers(context)
        if EnforcementCase.objects.filter(case__court=court).exists():
            count = EnforcementCase.objects.filter(case__court=court).count()
            context.log(f"enforcement: {COURT} already seeded ({count} enforcement cases).")
            return
        rng = context.random_for("enforcement", COURT)
        cases = list(
            Case.objects.filter(court=court, case_type=CaseType.ENFORCEMENT, enforcement__isnull=True)
            .prefetch_related("party_links__party")
            .order_by("filing_date", "id")
        )
        cases = sorted(cases, key=lambda c: (c.filing_date, c.pk))[-MAX_CASES:]
        pairs = enforceable_documents(COURT)
        basis = {enforced.pk: document for document, enforced in pairs if enforced is not None}
        plans = _plan(cases, context.today, rng)
        for plan in plans:
            plan.document = basis.get(plan.case.pk)
        _fit_not_enforced(plans)
        head = context.users[HEAD]
        made = [_run(plan, head=head, officers=officers, today=context.today, rng=rng) for plan in plans]
        for ec in made:
            ec.refresh_from_db()
        planned = {
            ec.pk
            for ec, plan in zip(made, plans, strict=True)
            if plan.closing_kind == ClosingKind.TERMINATED_THIS_ROUND
        }
        extension_case = _pending_extension([ec for ec in made if ec.pk not in planned], context.today, rng)
        applied = _apply_on_waiting_documents(pairs, clerk=context.users[CLERK], head=head, today=context.today)
    states = {}
    for ec in made:
        states[ec.status] = states.get(ec.status, 0) + 1
    overdue = sum(
        1 for ec in made if ec.status not in (Status.CLOSED, Status.SUSPENDED) and ec.deadline_on < context.today
    )
    summary = ", ".join(f"{Status(s).label} {n}" for s, n in sorted(states.items()))
    context.log(
        f"enforcement: {len(made)} enforcement cases at {COURT} ({summary}); {overdue} overdue; "
        f"extension waiting on {extension_case or '—'}."
    )
    numbers = "、".join(ec.case.number for ec in applied) or "—"
    linked = sum(1 for ec in made if ec.source_document_id)
    context.log(
        f"enforcement: {linked} demo cases linked to their effective documents; applied for enforcement on "
        f"{len(applied)} waiting documents ({numbers})."
    )


# ---- 终本 through the proposal, after assets' demo ------------------------------------------------------------


def terminated_demo_candidates(context: DemoContext) -> list[EnforcementCase]:
    """The demo cases planned to end as 终本 and still open (marked ``TERMINATION_PLANNED`` by ``seed``): the
    ones on which a full network query must have completed before ``close_terminated_demo_cases``."""
    ids = [
        int(pk)
        for pk in AuditLog.objects.filter(action=TERMINATION_PLANNED, object_type="enforcement.enforcementcase")
        .values_list("object_id", flat=True)
        .order_by("id")
    ]
    return list(
        EnforcementCase.objects.filter(pk__in=ids, case__court__code=COURT)
        .exclude(status=Status.CLOSED)
        .select_related("case", "officer")
        .order_by("pk")
    )


def planned_termination_day(enforcement_case: EnforcementCase, today: dt.date) -> dt.date:
    """The day the demo plans to rule 终本 on this case (never before 3 months after filing, never after today)."""
    marker = AuditLog.objects.filter(action=TERMINATION_PLANNED, object_id=str(enforcement_case.pk)).first()
    planned = dt.date.fromisoformat(marker.changes["on"]) if marker and marker.changes.get("on") else today
    return min(max(planned, earliest_termination_day(enforcement_case)), today)


def _demo_reason(index: int, found: list) -> tuple[str, str]:
    """A varied reason that fits what the query found (property found is never "no property", art. 4)."""
    if found:
        return (
            TerminationReason.NOT_DISPOSABLE,
            "被执行人名下登记有车辆，经多次查找未能实际扣押，无法处置变现（《终本规定》第四条）；"
            "经网络查控及实地调查，未发现其他可供执行的财产。",
        )
    if index % 4 == 2:
        return TerminationReason.DEBTOR_MISSING, "被执行人下落不明，经查找未果，亦未发现可供执行的财产。"
    if index % 4 == 1:
        return TerminationReason.PARTLY_PERFORMED, "被执行人已履行部分款项，经网络查控及实地调查，无其他可供执行财产。"
    return TerminationReason.NO_PROPERTY, "经网络查控及实地调查，未发现被执行人有可供执行的财产。"


def close_terminated_demo_cases(context: DemoContext) -> None:
    """Terminate this round (终本) of the demo cases planned for it, the way the court does: the officer
    proposes with the consumption restriction, the dishonest listing, an on-site investigation and the
    applicant heard and signed (or a collegial panel), and demo-head approves; the ruling is generated and the
    case published (终本规定 2016 arts. 1, 5, 12; 解释 2022 art. 517).

    Call it after assets' demo has answered a network query over every category for these cases
    (``terminated_demo_candidates``): a case without one is left open and named in the log. Idempotent: a
    case closed already is not a candidate."""
    court = context.courts.get(COURT)
    head = context.users.get(HEAD) or User.objects.filter(username=HEAD).first()
    if court is None or head is None:
        return
    today = context.today
    closed, waiting, pending = [], [], []
    candidates = terminated_demo_candidates(context)
    # The demo officer's latest candidate is proposed today and left for demo-head (/enforcement/terminations/).
    left_pending = next(
        (ec.pk for ec in reversed(candidates) if ec.officer is not None and ec.officer.username == "demo-officer"),
        None,
    )
    with transaction.atomic():
        for index, ec in enumerate(candidates):
            if ec.terminations.filter(status=ProposalStatus.PENDING).exists():
                continue  # proposed by an earlier run, waiting for demo-head
            facts = termination_facts(ec)
            network = facts.get("network_query")
            if network is None or not network.met or ec.officer is None:
                waiting.append(ec.case.number)
                continue
            on = today if ec.pk == left_pending else planned_termination_day(ec, today)
            filed = ec.case.filing_date
            found, _value = property_found(facts)
            signed = index % 3 != 2  # every third case: a collegial panel instead of the applicant's signature
            reason, detail = _demo_reason(index, found)
            if reason == TerminationReason.PARTLY_PERFORMED:
                fund_receive(
                    actor=ec.officer,
                    enforcement_case=ec,
                    amount=round_fen(ec.case.amount * Decimal("0.15")),
                    source="payment",
                    reference=f"DEMO-PART-{ec.case.number}",
                )  # the debtor paid part before nothing more could be found
                ec.refresh_from_db()
            missing = reason == TerminationReason.DEBTOR_MISSING
            proposal = termination_propose(
                actor=ec.officer,
                enforcement_case=ec,
                reason=reason,
                reason_detail=detail,
                consumption_restriction_on=min(filed + dt.timedelta(days=15), on),
                listing_decision=ListingDecision.LISTED,
                onsite_investigation_on=max(filed, on - dt.timedelta(days=10)),
                onsite_investigation_note="前往被执行人住所地及经营场所调查，未发现其他可供执行的财产。",
                debtor_missing=missing,
                search_note="经向公安机关查询户籍及出行记录、在住所地张贴公告，仍下落不明。" if missing else "",
                applicant_informed_on=max(filed, on - dt.timedelta(days=5)),
                applicant_opinion=ApplicantOpinion.AGREES,
                applicant_opinion_text="同意终结本次执行程序，发现财产线索后申请恢复执行。",
                applicant_signed=signed,
                panel_members="" if signed else "张法官、李执行、王法官",
                on=on,
            )
            if ec.pk == left_pending:
                pending.append(ec.case.number)
                continue
            termination_decide(actor=head, proposal=proposal, approve=True, note="同意终结本次执行程序。", on=on)
            _backdate(ec, {"propose_termination": on, "close": on})
            at = timezone.make_aware(dt.datetime.combine(on, dt.time(15, 0)))
            TerminationProposal.objects.filter(pk=proposal.pk).update(
                proposed_at=at - dt.timedelta(hours=4), decided_at=at
            )
            closed.append(ec.case.number)
    context.log(
        f"enforcement: {len(closed)} cases terminated for this round (终本) through a proposal approved by "
        f"{HEAD}; {len(pending)} proposed and waiting for approval ({'、'.join(pending) or '—'}); "
        f"{len(waiting)} waiting for a completed network query ({'、'.join(waiting) or '—'})."
    )
