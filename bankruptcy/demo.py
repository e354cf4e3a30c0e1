"""Demo data of bankruptcy (破, issue 8): 执转破 as the courts see it after ``seed_demo``.

- Company A, registered in Chaoyang (USCC region 110105, so 京0105 is its domicile court): two 执 cases at
  京0105 ended as 终本 (through the enforcement demo's own path: network query, restriction, listing, proposal
  and demo-head's approval) and one open case at 京0108, three creditors, nothing found to take. The screening
  job (``suggestions_refresh``) raises it on the list at /bankruptcy/ for 京0105 and 京0108.
- Company B, registered in Chaoyang too, with two open cases at 京0108: demo-officer2 proposed the transfer to
  京0105 three days ago (the 执转破告知书 is generated), one applicant consented. The demo has no division head
  at 京0108, so the transfer waits for its ruling (移送裁定); 京0105 sees it coming.
- Company C, registered in Chaoyang, with an open case at 京0105 and one at 京0108 shared with a guarantor:
  demo-judge accepted a bankruptcy case against it at 京0105 today (direct acceptance at the domicile court); the
  acceptance was applied to both cases (京0105's suspended; 京0108's goes on against the guarantor, C's measures
  released), an administrator is appointed with a claims period, two claims are filed (one prefilled from its
  enforcement case) and one of them is reviewed.

The 执 cases are filed on the last day of a past year (``filing_day``), so that they follow the cases demo's
serials and the two of company A are old enough for 终本.

Everything goes through the services (``cases.services.case_file``, the enforcement demo's ``_run`` for the
enforcement steps, ``bankruptcy.services``). Idempotent: the marker ``SEEDED`` (an audit row) is written with the
data; once it exists nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from cases.choices import CaseType, PartyKind, PartyRole
from cases.models import Case, Party
from cases.services import PartyInput, case_file
from core.audit import audit_record
from core.demo import DEMO_REASON, DemoContext
from core.identifiers import make_credit_code, normalize_credit_code
from core.models import AuditLog, User
from enforcement.choices import ClosingKind, Status
from enforcement.models import EnforcementCase, StatusChange

from .choices import ClaimKind
from .models import BankruptcyCase, Transfer

DOMICILE = "京0105"
OTHER = "京0108"
CLERKS = {DOMICILE: "demo-clerk", OTHER: "demo-clerk-haidian"}
OFFICER_0105 = "demo-officer-b"  # not demo-officer: the enforcement demo leaves demo-officer's last 终本 pending
OFFICER_0108 = "demo-officer2"
HEAD = "demo-head"
JUDGE = "demo-judge"
SEEDED = "demo.bankruptcy_seeded"
ADMINISTRATOR = "北京某某律师事务所（演示）"
CAUSE = "买卖合同纠纷"
GUARANTOR = "北京信达担保有限公司（演示）"  # the co-debtor of company C's case at 京0108
FILED = "bankruptcy.demo_cases"  # context.data key: the numbers of the cases this demo files

COMPANIES = {
    "screened": ("北京恒远商贸有限公司（演示）", "赵恒远"),
    "transfer": ("北京瑞丰建材有限公司（演示）", "钱瑞丰"),
    "accepted": ("北京嘉禾餐饮管理有限公司（演示）", "孙嘉禾"),
}
CREDITORS = (
    ("北京金桥物流有限公司（演示）", "110108"),
    ("北京华信设备租赁有限公司（演示）", "110105"),
    ("北京东方印务有限公司（演示）", "110101"),
    ("北京广源食品有限公司（演示）", "110108"),
    ("北京中联装饰工程有限公司（演示）", "110105"),
    ("北京天成科技有限公司（演示）", "110108"),
    ("北京永安包装有限公司（演示）", "110105"),
)


def _credit_code(context: DemoContext, region: str, name: str) -> str:
    from cases.demo import _organisation_code

    rng = context.random_for("bankruptcy", name)
    return normalize_credit_code(make_credit_code("91", region, _organisation_code(rng)))


def _party(context: DemoContext, role: str, name: str, region: str, representative: str = "") -> PartyInput:
    number = _credit_code(context, region, name)
    existing = Party.objects.filter(id_number=number).first()
    if existing is not None:
        return PartyInput(role=role, party_id=existing.pk)
    return PartyInput(
        role=role,
        kind=PartyKind.ORGANISATION,
        name=name,
        id_number=number,
        legal_representative=representative or "王经理",
        address="北京市",
    )


def filing_day(today: dt.date) -> dt.date:
    """The day the demo's 执 cases are filed: the last day of a past year at least 120 days ago. Serials follow
    filing dates within a court, type and year (the cases demo filed up to today), so a case dated back must be
    the last of its year; and a 终本 ruling needs 3 months after filing (终本规定 art. 1)."""
    day = dt.date(today.year - 1, 12, 31)
    return day if (today - day).days >= 120 else dt.date(today.year - 2, 12, 31)


def _file(
    context: DemoContext, court: str, debtor: PartyInput, creditor: int, amount: str, also: PartyInput | None = None
) -> Case:
    name, region = CREDITORS[creditor]
    parties = [_party(context, PartyRole.CREDITOR, name, region), debtor, *([also] if also else [])]
    case = case_file(
        actor=context.users[CLERKS[court]],
        court=context.courts[court],
        case_type=CaseType.ENFORCEMENT,
        filing_date=filing_day(context.today),
        amount=Decimal(amount),
        cause=CAUSE,
        parties=parties,
        summary="演示数据：执转破",
    )
    context.data.setdefault(FILED, []).append(case.number)
    return case


def _debtor_input(context: DemoContext, key: str) -> PartyInput:
    name, representative = COMPANIES[key]
    return _party(context, PartyRole.DEBTOR, name, "110105", representative)


def _debtor(context: DemoContext, key: str) -> Party:
    return Party.objects.get(id_number=_credit_code(context, "110105", COMPANIES[key][0]))


def _enforce_at_0105(context: DemoContext, case: Case, status: str, closing_kind: str = "") -> EnforcementCase:
    """The enforcement demo's own steps (triage, assignment, notices, lifecycle; a 终本 plan is marked for
    ``close_terminated_demo_cases``)."""
    from enforcement.demo import Plan, _ensure_officers, _run

    officers = _ensure_officers(context)
    plan = Plan(case=case, status=status, officer=OFFICER_0105, closing_kind=closing_kind)
    rng = context.random_for("bankruptcy", case.number)
    return _run(plan, head=context.users[HEAD], officers=officers, today=context.today, rng=rng)


def _enforce_at_0108(context: DemoContext, case: Case) -> EnforcementCase:
    """A 执 case of 京0108 entering enforcement (as the enforcement demo does for 京0105) and triaged by
    demo-officer2; the demo has no division head at 京0108 to assign it, so it stays "filed"."""
    from enforcement.deadlines import compute_deadline
    from enforcement.services.assignment import case_triage

    ec = EnforcementCase(
        case=case, limit_months=6, deadline_on=compute_deadline(filing_date=case.filing_date, limit_months=6)
    )
    ec.full_clean(exclude=["status"])
    ec.save()
    StatusChange.objects.create(
        enforcement_case=ec,
        transition="file",
        from_status=Status.FILED,
        to_status=Status.FILED,
        actor=None,
        reason="演示数据：由立案登记的执行案件转入执行流程",
    )
    return case_triage(actor=context.users[OFFICER_0108], enforcement_case=ec)


def _screened_company(context: DemoContext) -> list[str]:
    """Company A: two 终本 cases at 京0105 (closed by the enforcement demo's 终本 path) and an open one at 京0108."""
    first = _file(context, DOMICILE, _debtor_input(context, "screened"), 0, "860000.00")
    debtor = first.party_links.get(role=PartyRole.DEBTOR).party
    by_id = PartyInput(role=PartyRole.DEBTOR, party_id=debtor.pk)
    second = _file(context, DOMICILE, by_id, 1, "420000.00")
    third = _file(context, OTHER, by_id, 2, "275000.00")
    for case in (first, second):
        _enforce_at_0105(context, case, Status.CLOSED, ClosingKind.TERMINATED_THIS_ROUND)
    _enforce_at_0108(context, third)
    return [first.number, second.number, third.number]


def _terminate_screened(context: DemoContext) -> None:
    """The 终本 path of the other demos, for the cases just marked (each step idempotent, other cases untouched),
    and the 5-year tracking every 终本 case gets (as credit's demo runs it after the 终本 rulings)."""
    from assets.demo import _seed_termination_queries, seed_tracking
    from credit.demo import list_and_restrict_termination_candidates
    from enforcement.demo import close_terminated_demo_cases

    _seed_termination_queries(context)
    list_and_restrict_termination_candidates(context)
    close_terminated_demo_cases(context)
    seed_tracking(context)


def _transfer(context: DemoContext) -> Transfer:
    from .services import consent_record, transfer_propose

    first = _file(context, OTHER, _debtor_input(context, "transfer"), 3, "1260000.00")
    debtor = first.party_links.get(role=PartyRole.DEBTOR).party
    second = _file(context, OTHER, PartyInput(role=PartyRole.DEBTOR, party_id=debtor.pk), 4, "530000.00")
    for case in (first, second):
        _enforce_at_0108(context, case)
    officer = context.users[OFFICER_0108]
    transfer = transfer_propose(
        actor=officer,
        debtor=debtor,
        receiving_court=context.courts[DOMICILE],
        grounds="被执行人在本院两案均无可供执行的财产，不能清偿到期债务，且明显缺乏清偿能力（企业破产法第二条）。",
        on=context.today - dt.timedelta(days=3),
    )
    applicant = first.party_links.get(role=PartyRole.CREDITOR).party
    consent_record(
        actor=officer,
        transfer=transfer,
        party=applicant,
        consents=True,
        answered_on=context.today - dt.timedelta(days=1),
        note="申请执行人书面同意移送破产审查。",
    )
    ruler = User.objects.filter(court__code=OTHER, role="division_head", is_active=True).first()
    if ruler is not None:
        from .services import transfer_rule

        transfer = transfer_rule(actor=ruler, transfer=transfer, on=context.today)
    return transfer


def _accepted(context: DemoContext) -> BankruptcyCase:
    from .services import (
        administrator_appoint,
        bankruptcy_accept,
        bankruptcy_apply_effects,
        claim_file,
        claim_prefill,
        claim_review,
    )

    here = _file(context, DOMICILE, _debtor_input(context, "accepted"), 5, "380000.00")
    debtor = here.party_links.get(role=PartyRole.DEBTOR).party
    guarantor = _party(context, PartyRole.DEBTOR, GUARANTOR, "110108", "李保证")
    there = _file(context, OTHER, PartyInput(role=PartyRole.DEBTOR, party_id=debtor.pk), 6, "145000.00", guarantor)
    _enforce_at_0105(context, here, Status.INVESTIGATING)
    _enforce_at_0108(context, there)
    judge = context.users[JUDGE]
    accepted_on = context.today  # a 破 case dated back would break the order of 京0105's serials
    bc = bankruptcy_accept(actor=judge, debtor=debtor, on=accepted_on)
    bankruptcy_apply_effects(bankruptcy_case_id=bc.pk)  # the on-commit task finds it applied and does nothing
    bc = administrator_appoint(
        actor=judge,
        bankruptcy_case=bc,
        administrator=ADMINISTRATOR,
        on=accepted_on,
        claims_deadline_on=accepted_on + dt.timedelta(days=60),
    )
    row = next(r for r in claim_prefill(bc) if r["enforcement_case"].case_id == here.pk)
    prefilled = claim_file(
        actor=judge,
        bankruptcy_case=bc,
        creditor=row["creditor"],
        kind=ClaimKind.ORDINARY,
        amount=row["amount"],
        enforcement_case=row["enforcement_case"],
        on=context.today,
    )
    claim_review(actor=judge, claim=prefilled, admitted_amount=prefilled.amount, on=context.today)
    other = there.party_links.get(role=PartyRole.CREDITOR).party
    claim_file(
        actor=judge,
        bankruptcy_case=bc,
        creditor=other,
        kind=ClaimKind.ORDINARY,
        amount=Decimal("152000.00"),
        enforcement_case=EnforcementCase.objects.get(case=there),
        documents="供货合同、对账单及逾期付款违约金计算表（超出执行依据部分）",
        on=context.today,
    )
    return bc


def seed(context: DemoContext) -> None:
    from .services import suggestions_refresh

    if AuditLog.objects.filter(action=SEEDED).exists():
        context.log("bankruptcy: demo data already seeded.")
        return
    needed = [CLERKS[DOMICILE], CLERKS[OTHER], OFFICER_0108, HEAD, JUDGE]
    if any(code not in context.courts for code in (DOMICILE, OTHER)) or any(u not in context.users for u in needed):
        context.log("bankruptcy: the demo courts or users are missing; nothing to do.")
        return
    with transaction.atomic():
        screened = _screened_company(context)
        _terminate_screened(context)
        transfer = _transfer(context)
        bc = _accepted(context)
        counts = suggestions_refresh()
        audit_record(
            actor=None,
            action=SEEDED,
            reason=DEMO_REASON,
            changes={
                "screened": _debtor(context, "screened").pk,
                "screened_cases": screened,
                "transfer": transfer.pk,
                "bankruptcy_case": bc.case.number,
                "cases": [*context.data.get(FILED, []), bc.case.number],  # every case this demo filed
            },
        )
    context.log(
        f"bankruptcy: {COMPANIES['screened'][0]} on the screening list at {DOMICILE} and {OTHER} "
        f"({'、'.join(screened)}; {counts['new']} suggestions in all); transfer of {COMPANIES['transfer'][0]} "
        f"from {OTHER} to {DOMICILE} {transfer.get_status_display()}; bankruptcy case {bc.case.number} of "
        f"{COMPANIES['accepted'][0]} accepted by {JUDGE}, administrator appointed, 2 claims filed, 1 reviewed."
    )
