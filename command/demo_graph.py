"""Demo data for the relation graph (知识图谱): one debtor of an enforcement case at 京0105 with a web worth
drawing. ``seed(context)`` runs after the other apps' demo data (it needs their cases, assets and users).

The debtor is the person debtor of an open enforcement case at 京0105, filed 60 days ago or earlier, with
the most assets found (ties: the lowest id). Around it: a spouse, a parent at the same address, a company the
debtor represents (法定代表人) and the spouse holds 60 % of, that company's affiliate; a lawsuit against
the debtor at 京0108 and an enforcement case against the company at 沪0115 (related cases across courts);
and four transfers: a flat to the spouse 45 days before filing and money to the parent 10 days after
(clues, one hop), equity to the affiliate 15 days after (a clue, two hops), a car to the spouse two years
before (too old to be a clue).

Idempotent: the marker ``SEEDED`` (an audit row naming the debtor and the cases filed) is written with the
data in one transaction; once it exists nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max

from assets.models import Asset
from cases.choices import CaseType, PartyKind, PartyRole, RelationKind, TransferCategory
from cases.demo import CLERKS, OFFICER, PartyPool, PartySpec
from cases.models import Case, Party
from cases.services import PartyInput, case_file, party_register
from cases.services.relations import party_relation_record, property_transfer_record
from core.audit import audit_record
from core.demo import DEMO_REASON, DemoContext
from core.models import AuditLog
from enforcement.choices import Status
from enforcement.models import EnforcementCase

COURT, LAWSUIT_COURT, ENFORCEMENT_COURT = "京0105", "京0108", "沪0115"
SOURCE = "国家企业信用信息公示系统"
SEEDED = "demo.command_graph_seeded"
MIN_AGE_DAYS = 60


def graph_debtor(context: DemoContext) -> EnforcementCase | None:
    """The enforcement case whose person debtor the graph demo builds on (see the module)."""
    return (
        EnforcementCase.objects.filter(
            case__court__code=COURT,
            case__filing_date__lte=context.today - dt.timedelta(days=MIN_AGE_DAYS),
            case__party_links__role=PartyRole.DEBTOR,
            case__party_links__party__kind=PartyKind.PERSON,
        )
        .exclude(status=Status.CLOSED)
        .annotate(found=Count("case__assets", distinct=True))
        .select_related("case")
        .order_by("-found", "pk")
        .first()
    )


def _register(officer, spec: PartySpec, **overrides) -> Party:
    existing = Party.objects.filter(id_number=spec.id_number).first()
    if existing is not None:
        return existing
    data = {
        "kind": spec.kind,
        "name": spec.name,
        "id_number": spec.id_number,
        "legal_representative": spec.legal_representative,
        "phone": spec.phone,
        "address": spec.address,
        **overrides,
    }
    return party_register(actor=officer, data=PartyInput(role="", **data))


def _not_before_latest(court, case_type: str, wanted: dt.date) -> dt.date:
    """``wanted``, or the latest filing date of the court's cases of that type that year if later: serials
    follow filing dates, and these cases are filed after the rest of the demo."""
    latest = Case.objects.filter(court=court, case_type=case_type, year=wanted.year).aggregate(day=Max("filing_date"))[
        "day"
    ]
    return max(wanted, latest) if latest else wanted


def seed(context: DemoContext) -> None:
    if AuditLog.objects.filter(action=SEEDED).exists():
        context.log("command: graph demo already seeded.")
        return
    ec = graph_debtor(context)
    if ec is None:
        context.log("command: no enforcement case at 京0105 for the graph demo.")
        return
    officer = context.users[OFFICER]
    with transaction.atomic():
        case = ec.case
        debtor = case.party_links.filter(role=PartyRole.DEBTOR, party__kind=PartyKind.PERSON).order_by("position")
        debtor = debtor.first().party
        pool = PartyPool(f"{context.seed}:graph")
        spouse = _register(officer, pool.person("beijing"))
        parent = _register(officer, pool.person("beijing"), address=debtor.address)
        company_spec = pool.company("beijing")
        company = _register(officer, company_spec, legal_representative=debtor.name)
        affiliate = _register(officer, pool.company("beijing"))
        bank = _register(officer, pool.company("beijing"))
        for a, b, kind, share in (
            (debtor, spouse, RelationKind.SPOUSE, None),
            (parent, debtor, RelationKind.RELATIVE, None),
            (debtor, company, RelationKind.LEGAL_REPRESENTATIVE, None),
            (spouse, company, RelationKind.SHAREHOLDER, Decimal("60")),
            (company, affiliate, RelationKind.AFFILIATE, None),
        ):
            party_relation_record(
                actor=officer, party_a_id=a.pk, party_b_id=b.pk, kind=kind, share=share, source=SOURCE
            )
        filed = case.filing_date
        lawsuit_on = max(filed - dt.timedelta(days=120), context.today - dt.timedelta(days=700))
        lawsuit = case_file(
            actor=context.users[CLERKS[LAWSUIT_COURT]],
            court=context.courts[LAWSUIT_COURT],
            case_type=CaseType.CIVIL_FIRST,
            filing_date=_not_before_latest(context.courts[LAWSUIT_COURT], CaseType.CIVIL_FIRST, lawsuit_on),
            amount=Decimal("860000.00"),
            cause="金融借款合同纠纷",
            parties=[
                PartyInput(role=PartyRole.PLAINTIFF, party_id=bank.pk),
                PartyInput(role=PartyRole.DEFENDANT, party_id=debtor.pk),
                PartyInput(role=PartyRole.DEFENDANT, party_id=company.pk),
            ],
        )
        elsewhere = case_file(
            actor=context.users[CLERKS[ENFORCEMENT_COURT]],
            court=context.courts[ENFORCEMENT_COURT],
            case_type=CaseType.ENFORCEMENT,
            filing_date=_not_before_latest(
                context.courts[ENFORCEMENT_COURT],
                CaseType.ENFORCEMENT,
                min(filed + dt.timedelta(days=30), context.today),
            ),
            amount=Decimal("1250000.00"),
            cause="买卖合同纠纷",
            parties=[
                PartyInput(role=PartyRole.CREDITOR, party_id=affiliate.pk),
                PartyInput(role=PartyRole.DEBTOR, party_id=company.pk),
            ],
        )
        for target, category, what, value, day, source in (
            (spouse, TransferCategory.REAL_ESTATE, "朝阳区某小区住宅一套", "1980000.00", -45, "不动产登记中心"),
            (parent, TransferCategory.DEPOSIT, "银行转账", "300000.00", 10, "中国工商银行"),
            (affiliate, TransferCategory.EQUITY, f"{company.name}40%股权", "800000.00", 15, "市场监督管理局"),
            (spouse, TransferCategory.VEHICLE, "小型轿车一辆", "160000.00", -730, "车管所"),
        ):
            property_transfer_record(
                actor=officer,
                from_party_id=debtor.pk,
                to_party_id=target.pk,
                description=what,
                category=category,
                value=value,
                transferred_on=min(filed + dt.timedelta(days=day), context.today),
                source=source,
            )
        found = Asset.objects.filter(debtor=debtor).count()
        audit_record(
            actor=None,
            action=SEEDED,
            reason=DEMO_REASON,
            changes={"party": debtor.pk, "cases": [lawsuit.pk, elsewhere.pk]},
        )
    context.log(
        f"command: relation graph demo around {debtor.name} (party {debtor.pk}, {case.number}, {found} assets): "
        f"/command/graph/{debtor.pk}/"
    )
