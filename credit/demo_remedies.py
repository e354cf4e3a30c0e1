"""Demo data of remedies and coercion (issue 9): objections, coercive measures, the search for a missing debtor,
a reward notice and tip-offs, on demo-officer's open cases at 京0105, so that each situation shows on its case
page after ``seed_demo``.

- Objection to an enforcement act (执行行为异议, 民诉法 2023 art. 236): the debtor of case A objects to the
  execution notice; filed 12 days ago as a 执异 case, pending, its 15-day review due in 3 days.
- Third-party objection (案外人异议, art. 238): an outsider (registered as a new party) claims the deposit frozen on
  case B as hers; pending, so the asset's disposal panel shows the block.
- Case C (a natural-person debtor): demo-officer proposed a fine for refusing to report property and a
  detention for hiding property; demo-president approved both (the 罚款决定书 / 拘留决定书 are generated, numbered
  之一 and 之二); the fine is paid, the detention executed and ends the day after tomorrow.
- Case D (a natural-person debtor): the search for the missing debtor (查人), two attempts recorded.
- Case E: a reward notice (悬赏公告) published ten days ago at the applicant's request; two leads from the public:
  one verified (money recovered, the reward paid within the notice's rule), one new — demo-officer sees it in the
  workspace, the public sees the notice at /public/reward-notices/.

Everything goes through the services (``objection_file``, ``coercion_propose``/``coercion_decide``/
``coercion_execute``, ``debtor_search_start``/``debtor_search_attempt``, ``reward_publish``, ``tip_submit``,
``tip_handle``, ``party_register``), on days counted back from today. As the other demos do, the approval time the
service stamps with "now" is dated back to the day of the decision.

The cases are demo-officer's cases at 京0105 in enforcement that no other demo uses (no auction, distribution
plan, termination proposal, listing or restriction, extension or restoration request, money, settlement, not
planned for 终本 and not one of the disposal demo's). The one exception is case B: the only property under
seizure outside the disposal demo is the deposits frozen by the assets demo on cases whose debtors credit's demo
listed, so the third-party objection is on one of them (nothing else of those cases is touched). It lives in
credit, which runs it at the end of its own seed: it reads assets' and credit's rows to keep clear of the other
demos, which enforcement may not import (architecture.md).

The 执异 cases are filed on the latest 执异 filing date of 京0105 or later, so that serials keep following filing
dates. Idempotent: the marker ``SEEDED`` (an audit row, with the numbers of the cases used and filed) is written
with the data; once it exists nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assets.models import Auction, ControlMeasure
from cases.choices import CaseType, PartyKind, PartyRole
from cases.demo import MAX_DEBTOR_CASES
from cases.models import Case, CaseParty, Party
from cases.services import PartyInput, party_register
from core.audit import audit_record
from core.demo import DEMO_REASON, DemoContext
from core.identifiers import make_resident_id, normalize_resident_id
from core.models import AuditLog, User
from credit.models import DishonestListing, Restriction
from enforcement.checks import asset_facts
from enforcement.choices import CoerciveKind, ObjectionKind, ObstructionGround, Status
from enforcement.models import (
    CoerciveMeasure,
    DebtorSearch,
    DistributionPlan,
    EnforcementCase,
    ExtensionRequest,
    FundEntry,
    Objection,
    RestorationRequest,
    RewardNotice,
    Settlement,
    TerminationProposal,
    TipOff,
)

COURT = "京0105"
OFFICER = "demo-officer"
PRESIDENT = "demo-president"
SEEDED = "demo.remedies_seeded"
DISPOSAL_SEEDED = "demo.disposal_seeded"  # assets' disposal demo: its cases are left alone
OBJECTION_COUNTED = (  # the case types on which the seeded demo counts a debtor's cases
    CaseType.ENFORCEMENT,
    CaseType.ENFORCEMENT_RESTORED,
    CaseType.ENFORCEMENT_PRESERVATION,
    CaseType.ENFORCEMENT_OBJECTION,
    CaseType.BANKRUPTCY_PETITION,
)
WORKING = (Status.INVESTIGATING, Status.CONTROLLING, Status.DISPOSING)
OUTSIDER = ("刘文静", "110105", dt.date(1984, 6, 18), 202)  # name, region, birth date, sequence (even: a woman)
OUTSIDER_PHONE = "13911880246"
TIPSTERS = (
    # (client address (documentation range), name, contact, what, where, days ago, hour)
    (
        "203.0.113.17",
        "张先生",
        "13701234567",
        "被执行人名下的一辆白色轿车每天晚上停在朝阳区某小区地下车库，车主本人近期经常开车出入。",
        "北京市朝阳区望京西路某小区地下车库B2层",
        6,
        20,
    ),
    (
        "198.51.100.42",
        "",
        "zhao.demo@example.com",
        "被执行人在通州区开了一家建材门市，以其亲属名义经营，店内有大量库存货物，每天营业。",
        "北京市通州区梨园镇某建材市场",
        1,
        11,
    ),
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _case_ids(model, field: str = "enforcement_case_id") -> set[int]:
    return set(model.objects.values_list(field, flat=True))


def _busy_case_ids(context: DemoContext) -> tuple[set[int], set[int]]:
    """The enforcement cases another demo uses for its own situation, and those whose debtor credit's demo listed
    or restricted (left alone too, except for the asset of the third-party objection: the only property under
    seizure outside the disposal demo is the deposits frozen on listed debtors' cases)."""
    from enforcement.demo import terminated_demo_candidates

    busy = {ec.pk for ec in terminated_demo_candidates(context)}
    for model in (
        DistributionPlan,
        TerminationProposal,
        ExtensionRequest,
        RestorationRequest,
        FundEntry,
        Settlement,
        Objection,
        CoerciveMeasure,
        DebtorSearch,
        RewardNotice,
    ):
        busy |= set(model.objects.values_list("enforcement_case_id", flat=True))
    busy |= _case_ids(Auction)
    marker = AuditLog.objects.filter(action=DISPOSAL_SEEDED).first()
    if marker is not None:
        numbers = [n for n in (marker.changes or {}).values() if isinstance(n, str)]
        busy |= set(EnforcementCase.objects.filter(case__number__in=numbers).values_list("pk", flat=True))
    return busy, _case_ids(DishonestListing) | _case_ids(Restriction)


def _debtors(ec: EnforcementCase) -> list[Party]:
    return [link.party for link in ec.case.party_links.filter(role=PartyRole.DEBTOR).select_related("party")]


def _creditor(ec: EnforcementCase) -> Party:
    return ec.case.party_links.filter(role=PartyRole.CREDITOR).order_by("position", "pk").first().party


def _room_for_objection(ec: EnforcementCase) -> bool:
    """A 执异 case lists the case's debtors again: none of them may end up on more enforcement-type cases than
    the cases demo allows a debtor (``MAX_DEBTOR_CASES``)."""
    return all(
        CaseParty.objects.filter(party=debtor, role=PartyRole.DEBTOR, case__case_type__in=OBJECTION_COUNTED)
        .values("case_id")
        .distinct()
        .count()
        < MAX_DEBTOR_CASES
        for debtor in _debtors(ec)
    )


def _person_debtor(ec: EnforcementCase) -> Party | None:
    debtors = _debtors(ec)
    return debtors[0] if len(debtors) == 1 and debtors[0].kind == PartyKind.PERSON else None


def _seized_asset(officer: User, busy: set[int]) -> tuple[EnforcementCase, int] | None:
    """An asset under an active control measure on one of demo-officer's working cases at 京0105 outside the
    other demos' situations (no auction, plan, proposal…), not disposed of: (its case, its id)."""
    rows = (
        ControlMeasure.objects.filter(
            status="active",
            enforcement_case__officer=officer,
            enforcement_case__case__court__code=COURT,
            enforcement_case__status__in=WORKING,
        )
        .exclude(enforcement_case_id__in=busy)
        .order_by("-enforcement_case_id", "pk")
        .values_list("enforcement_case_id", "asset_id")
    )
    for case_id, asset_id in rows:
        ec = EnforcementCase.objects.select_related("case").get(pk=case_id)
        facts = asset_facts(asset_id)
        if facts is not None and facts.case_id == ec.case_id and not facts.disposed and _room_for_objection(ec):
            return ec, asset_id
    return None


def _objection_day(context: DemoContext, wanted: dt.date) -> dt.date:
    """``wanted``, or the latest 执异 filing date of the court that year if later (serials follow filing dates)."""
    latest = Case.objects.filter(
        court__code=COURT, case_type=CaseType.ENFORCEMENT_OBJECTION, year=wanted.year
    ).aggregate(day=Max("filing_date"))["day"]
    return max(wanted, latest) if latest else wanted


def _outsider(officer: User) -> Party:
    name, region, born, sequence = OUTSIDER
    number = normalize_resident_id(make_resident_id(region, born, sequence))
    existing = Party.objects.filter(id_number=number).first()
    if existing is not None:
        return existing
    return party_register(
        actor=officer,
        data=PartyInput(
            role=PartyRole.THIRD_PARTY,
            kind=PartyKind.PERSON,
            name=name,
            id_number=number,
            phone=OUTSIDER_PHONE,
            address="北京市朝阳区",
        ),
    )


def _objections(context: DemoContext, officer: User, act_case: EnforcementCase, asset: tuple) -> list[Objection]:
    from enforcement.services.objections import objection_file

    today = context.today
    first_day = _objection_day(context, today - dt.timedelta(days=12))
    debtor = _debtors(act_case)[0]
    act = objection_file(
        actor=officer,
        enforcement_case=act_case,
        kind=ObjectionKind.ACT,
        objector=debtor,
        act_description="执行通知书（责令履行及加倍支付迟延履行期间的债务利息）",
        act_on=min(first_day, act_case.case.filing_date + dt.timedelta(days=10)),
        grounds="异议人认为执行通知书计算的迟延履行期间的债务利息起算日错误，应自判决确定的履行期限届满之次日起算，"
        "请求撤销执行通知书中关于利息的部分。",
        filed_on=first_day,
    )
    asset_case, asset_id = asset
    third = objection_file(
        actor=officer,
        enforcement_case=asset_case,
        kind=ObjectionKind.THIRD_PARTY,
        objector=_outsider(officer),
        asset_id=asset_id,
        grounds="案外人主张被冻结账户内的资金系其交由被执行人代为保管的购房款，并非被执行人的财产，"
        "已提交转账凭证及双方的保管协议，请求解除冻结并停止对该笔资金的处分。",
        filed_on=max(first_day, _objection_day(context, today - dt.timedelta(days=4))),
    )
    return [act, third]


def _coercion(context: DemoContext, officer: User, president: User, ec: EnforcementCase) -> list[CoerciveMeasure]:
    """A fine paid and a detention ending the day after tomorrow, both approved by the president."""
    from enforcement.services.coercion import coercion_decide, coercion_execute, coercion_propose

    today = context.today
    person = _person_debtor(ec)
    measures = []
    plans = (
        # kind, ground, facts, amount, days, approved (days ago), executed (days ago), outcome
        (
            CoerciveKind.FINE,
            ObstructionGround.REFUSING_REPORT,
            "被执行人收到报告财产令后逾期拒不报告财产，经传唤仍不到庭说明情况。",
            Decimal("20000.00"),
            None,
            9,
            7,
            "被执行人已于当日缴纳罚款。",
        ),
        (
            CoerciveKind.DETENTION,
            ObstructionGround.HIDING_PROPERTY,
            "被执行人在法院查控期间将名下存款转至其亲属账户，转移可供执行的财产。",
            None,
            10,
            8,
            7,
            "已送北京市朝阳区拘留所执行。",
        ),
    )
    for kind, ground, facts, amount, days, approved_ago, executed_ago, outcome in plans:
        measure = coercion_propose(
            actor=officer,
            enforcement_case=ec,
            kind=kind,
            subject=person,
            ground=ground,
            facts=facts,
            amount=amount,
            days=days,
        )
        decided_on = today - dt.timedelta(days=approved_ago)
        measure = coercion_decide(actor=president, measure=measure, approve=True, on=decided_on)
        CoerciveMeasure.objects.filter(pk=measure.pk).update(approved_at=_at(decided_on, 16))
        measure.refresh_from_db()
        measures.append(
            coercion_execute(
                actor=officer, measure=measure, executed_on=today - dt.timedelta(days=executed_ago), outcome=outcome
            )
        )
    return measures


def _search(context: DemoContext, officer: User, ec: EnforcementCase) -> DebtorSearch:
    from enforcement.services.coercion import debtor_search_attempt, debtor_search_start

    today = context.today
    search = debtor_search_start(
        actor=officer, enforcement_case=ec, debtor=_person_debtor(ec), on=today - dt.timedelta(days=20)
    )
    for ago, kind, where, result in (
        (18, "address", "被执行人户籍地址（北京市朝阳区）", "无人居住，邻居称被执行人已搬离一年以上。"),
        (9, "agency", "公安机关（住宿登记及出行信息协查）", "近三个月有北京市通州区的住宿记录，已请求进一步协查。"),
    ):
        search = debtor_search_attempt(
            actor=officer, search=search, on=today - dt.timedelta(days=ago), kind=kind, where=where, result=result
        )
    return search


def _rewards(context: DemoContext, officer: User, ec: EnforcementCase) -> tuple[RewardNotice, list[TipOff]]:
    from enforcement.services.rewards import reward_publish, reward_rule_limit, tip_handle, tip_submit

    today = context.today
    published = today - dt.timedelta(days=10)
    notice = reward_publish(
        actor=officer,
        enforcement_case=ec,
        applicant=_creditor(ec),
        reward_rate=Decimal("0.10"),
        reward_cap=Decimal("50000.00"),
        expires_on=published + dt.timedelta(days=90),
        text="申请执行人申请悬赏：凡提供被执行人可供执行财产线索，经查证属实并实际执行到位的，"
        "按执行到位金额的10%给予奖励，最高5万元。",
        today=published,
    )
    tips = []
    for client_ip, name, contact, what, where, ago, hour in TIPSTERS:
        tips.append(
            tip_submit(
                what=what,
                where=where,
                tipster_name=name,
                tipster_contact=contact,
                client_ip=client_ip,
                reward_notice=notice,
                now=_at(today - dt.timedelta(days=ago), hour),
            )
        )
    recovered = min(Decimal("60000.00"), notice.amount_owed)
    tips[0] = tip_handle(
        actor=officer,
        tip=tips[0],
        status="verified",
        recovered=recovered,
        reward_paid=reward_rule_limit(notice, recovered),
        note="经查属实：扣押车辆并由被执行人交款赎回，执行到位；按悬赏公告支付奖励。",
        today=today - dt.timedelta(days=2),
    )
    return notice, tips


def _pick(
    cases: list[EnforcementCase], taken: set[int], *, person: bool = False, objection: bool = False
) -> EnforcementCase | None:
    for ec in cases:
        if ec.pk in taken or (objection and not _room_for_objection(ec)):
            continue
        if not person or _person_debtor(ec) is not None:
            taken.add(ec.pk)
            return ec
    return None


def seed_remedies(context: DemoContext) -> None:
    """Seed the remedies and coercion situations (see the module docstring); once only."""
    if AuditLog.objects.filter(action=SEEDED).exists():
        context.log("enforcement: remedies demo already seeded.")
        return
    officer = context.users.get(OFFICER) or User.objects.filter(username=OFFICER).first()
    president = context.users.get(PRESIDENT) or User.objects.filter(username=PRESIDENT).first()
    if officer is None or president is None:
        context.log("enforcement: no demo officer or president; no remedies demo.")
        return
    busy, listed = _busy_case_ids(context)
    asset = _seized_asset(officer, busy)
    if asset is None:
        context.log("enforcement: no asset under seizure free for the third-party objection; no remedies demo.")
        return
    taken = {asset[0].pk}
    cases = list(
        EnforcementCase.objects.filter(case__court__code=COURT, officer=officer, status__in=WORKING)
        .exclude(pk__in=busy | listed)
        .select_related("case")
        .order_by("-pk")
    )
    coerced = _pick(cases, taken, person=True)
    searched = _pick(cases, taken, person=True)
    act_case = _pick(cases, taken, objection=True)
    rewarded = _pick(cases, taken)
    if None in (coerced, searched, act_case, rewarded):
        context.log("enforcement: too few demo cases free for the remedies demo; none seeded.")
        return
    with transaction.atomic():
        act, third = _objections(context, officer, act_case, asset)
        fine, detention = _coercion(context, officer, president, coerced)
        search = _search(context, officer, searched)
        notice, tips = _rewards(context, officer, rewarded)
        numbers = {
            "act_objection": act_case.case.number,
            "third_party_objection": asset[0].case.number,
            "coercion": coerced.case.number,
            "debtor_search": searched.case.number,
            "reward_notice": rewarded.case.number,
            "cases": [act.case.number, third.case.number],  # the 执异 cases this demo filed
        }
        audit_record(
            actor=None,
            action=SEEDED,
            reason=DEMO_REASON,
            changes={
                **numbers,
                "objections": [act.pk, third.pk],
                "measures": [fine.pk, detention.pk],
                "search": search.pk,
                "notice": notice.pk,
                "tips": [tip.pk for tip in tips],
            },
        )
    context.log(
        f"enforcement: remedies — act objection {act.case.number} on {act_case.case.number} (review due "
        f"{act.review_due_on}); third-party objection {third.case.number} on {third.asset_label} of "
        f"{asset[0].case.number}; fine and detention (ends {detention.ends_on}) approved by {PRESIDENT} on "
        f"{coerced.case.number}; debtor search on {searched.case.number}; reward notice with 2 leads on "
        f"{rewarded.case.number}."
    )
