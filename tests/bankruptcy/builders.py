"""Builders for the bankruptcy tests: a company registered in Chaoyang (region 110105, so 京0105 is its domicile
court) with enforcement cases in three courts, each with a live control measure on its property, and the users
of each court."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory, ControlKind, ControlStatus
from assets.models import Asset, ControlMeasure
from core.models import Court, User
from enforcement.choices import Status
from enforcement.models import EnforcementCase
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

TODAY = timezone.localdate()


@dataclass
class World:
    company: object
    chaoyang: Court  # the domicile court
    haidian: Court  # the enforcement court that transfers
    pudong: Court  # a third court, far away
    cases: dict[str, EnforcementCase]
    officer: User  # 海淀 officer
    head: User  # 海淀 division head
    judge: User  # 朝阳 bankruptcy judge
    bank: object


def court_users(court: Court, tag: str) -> dict[str, User]:
    return {
        "officer": UserFactory(officer=True, court=court, username=f"officer-{tag}"),
        "head": UserFactory(division_head=True, court=court, username=f"head-{tag}"),
        "judge": UserFactory(judge=True, court=court, username=f"judge-{tag}"),
    }


def controlled(ec: EnforcementCase, agency, debtor, identifier: str) -> ControlMeasure:
    asset = Asset.objects.create(
        case=ec.case, debtor=debtor, category=AssetCategory.DEPOSIT, agency=agency, identifier=identifier,
        value="10000.00",
    )  # fmt: skip
    return ControlMeasure.objects.create(
        enforcement_case=ec,
        asset=asset,
        kind=ControlKind.FREEZE,
        status=ControlStatus.ACTIVE,
        starts_on=TODAY - dt.timedelta(days=30),
        expires_on=TODAY + dt.timedelta(days=300),
        confirmed_at=timezone.now(),
    )


def company_in_three_courts() -> World:
    chaoyang = CourtFactory(chaoyang=True)
    haidian = CourtFactory(haidian=True)
    pudong = CourtFactory(code="沪0115", name="上海市浦东新区人民法院", region_code="310115")
    company = PartyFactory(organisation=True, name="北京某某贸易有限公司")  # USCC region 110105
    assert company.id_number[2:8] == "110105"
    users = {tag: court_users(court, tag) for tag, court in (("hd", haidian), ("cy", chaoyang), ("pd", pudong))}
    bank, _key = make_agency("bankruptcy-bank", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    cases = {
        "haidian": case_in(Status.CONTROLLING, haidian, debtors=[company], officer=users["hd"]["officer"],
                           amount="500000.00", filing_date=TODAY - dt.timedelta(days=200)),
        "chaoyang": case_in(Status.INVESTIGATING, chaoyang, debtors=[company], officer=users["cy"]["officer"],
                            amount="300000.00", filing_date=TODAY - dt.timedelta(days=150)),
        "pudong": case_in(Status.CONTROLLING, pudong, debtors=[company], officer=users["pd"]["officer"],
                          amount="200000.00", filing_date=TODAY - dt.timedelta(days=100)),
    }  # fmt: skip
    for name, ec in cases.items():
        controlled(ec, bank, company, f"6222-{name}")
    return World(
        company=company, chaoyang=chaoyang, haidian=haidian, pudong=pudong, cases=cases,
        officer=users["hd"]["officer"], head=users["hd"]["head"], judge=users["cy"]["judge"], bank=bank,
    )  # fmt: skip
