"""Decision support of an enforcement case (command.decision): the facts gathered once in a pinned number of
queries, and the suggestions with their reasons — control what was found, renew what expires, verify transfers to
related parties, 执转破 for an insolvent organisation, platforms per kind of property, the rules that apply."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory, ControlKind, ControlStatus
from assets.models import Asset, ControlMeasure
from bankruptcy.models import Suggestion
from cases.models import PartyRelation, PropertyTransfer
from command.decision import case_facts, decision_for, decision_support
from core.exceptions import NotFound, PermissionDenied
from enforcement.choices import NoticeKind, ServiceMethod, Status
from enforcement.models import EnforcementCase, Notice
from enforcement.selectors import enforcement_case_get
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = Decimal
# The case with its parties (2, the selector), notices, measures, assets, objections, listing, restriction,
# search; the pending 终本 proposal and the checklist (the network query's batch, requests and assets; credit's
# listings and restrictions; notices; sanctions); the relation graph and the transfers; the bankruptcy suggestions.
FACT_QUERIES = 27


def serve_notices(ec, debtors, officer, *, on):
    for debtor in debtors:
        for kind in NoticeKind.values:
            Notice.objects.create(
                enforcement_case=ec, kind=kind, recipient=debtor, file="notices/x.docx", issued_on=on,
                issued_by=officer, service_method=ServiceMethod.IN_PERSON, served_on=on,
            )  # fmt: skip


def add_asset(ec, debtor, agency, category, identifier, value=None, description=""):
    return Asset.objects.create(
        case=ec.case, debtor=debtor, category=category, agency=agency, identifier=identifier,
        value=D(value) if value else None, description=description,
    )  # fmt: skip


@pytest.fixture
def world():
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="officer-0105")
    company = PartyFactory(organisation=True, name="北京恒通商贸有限公司")
    boss = PartyFactory(name="王强")
    spouse = PartyFactory(name="李梅")
    ec = case_in(
        Status.CONTROLLING, court, debtors=[company, boss], officer=officer, amount="500000.00",
        filing_date=TODAY - dt.timedelta(days=60),
    )  # fmt: skip
    serve_notices(ec, [company, boss], officer, on=TODAY - dt.timedelta(days=40))
    bank, _key = make_agency("icbc", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    registry, _key = make_agency("bj-re", kind=AgencyKind.REAL_ESTATE_REGISTRY, categories=[AssetCategory.REAL_ESTATE])
    traffic, _key = make_agency("mps", kind=AgencyKind.VEHICLE_REGISTRY, categories=[AssetCategory.VEHICLE])
    make_agency("auction-a", kind=AgencyKind.AUCTION_PLATFORM, categories=[AssetCategory.REAL_ESTATE])
    deposit = add_asset(ec, company, bank, AssetCategory.DEPOSIT, "6222020200001234", "30000.00", "工行活期")
    house = add_asset(ec, boss, registry, AssetCategory.REAL_ESTATE, "京(2020)朝阳区不动产权第1号", "800000.00")
    car = add_asset(ec, boss, traffic, AssetCategory.VEHICLE, "LSVAU2180N2183294", "90000.00", "京A12345")
    freeze = ControlMeasure.objects.create(
        enforcement_case=ec, asset=car, kind=ControlKind.IMPOUND, status=ControlStatus.ACTIVE,
        starts_on=TODAY - dt.timedelta(days=700), expires_on=TODAY + dt.timedelta(days=5),
    )  # fmt: skip
    PartyRelation.objects.create(
        party_a=min(boss, spouse, key=lambda p: p.pk), party_b=max(boss, spouse, key=lambda p: p.pk), kind="spouse",
        source="民政局",
    )  # fmt: skip
    PropertyTransfer.objects.create(
        description="朝阳区某小区2号楼202室", category="real_estate", value=D("600000.00"), from_party=boss,
        to_party=spouse, transferred_on=TODAY - dt.timedelta(days=90), source="不动产登记中心",
    )  # fmt: skip
    suggestion = Suggestion.objects.create(
        debtor=company, score=70, reasons=["2 enforcement cases ended as 终本."], figures={}
    )
    return {
        "court": court, "officer": officer, "ec": ec, "company": company, "boss": boss, "deposit": deposit,
        "spouse": spouse, "house": house, "car": car, "freeze": freeze, "suggestion": suggestion, "bank": bank,
    }  # fmt: skip


def test_the_facts_of_the_case_are_gathered(world):
    facts = case_facts(world["ec"], today=TODAY)
    assert facts.debtor_names == ["北京恒通商贸有限公司", "王强"]
    assert facts.organisation_debtors == [(world["company"].pk, "北京恒通商贸有限公司")]
    assert facts.notices_complete and facts.report_order_missing == []
    assert facts.enforcement_notice_on == TODAY - dt.timedelta(days=40)
    assert [a.label for a in facts.uncontrolled_assets] == ["工行活期", "京(2020)朝阳区不动产权第1号"]
    assert [m.asset_label for m in facts.expiring_measures] == ["京A12345"]
    assert [(c.debtor_name, c.related_name) for c in facts.clues] == [("王强", "李梅")]
    assert [(b.debtor_name, b.score, b.suggestion_id) for b in facts.bankruptcy] == [
        ("北京恒通商贸有限公司", 70, world["suggestion"].pk)
    ]
    assert len(facts.termination_checks) == 5 and not facts.network_query_done
    assert facts.owed == D("500000.00") and facts.debtor_kind == "organisation"


def test_the_suggestions_say_what_to_do_and_why(world):
    decision = decision_support(user=world["officer"], enforcement_case=world["ec"], today=TODAY)
    by_code = {}
    for item in decision.preservation:
        by_code.setdefault(item.code, []).append(item)
    assert [i.title for i in by_code["control.order"]] == [
        "Freeze (冻结): Bank deposits (存款) (1)",
        "Seal (查封): Real estate (不动产) (1)",
    ]
    assert by_code["control.order"][0].reasons[0] == (
        "工行活期 of 北京恒通商贸有限公司, ¥30,000.00: found by the network query, under no control measure."
    )
    assert "at most 1 year(s)" in by_code["control.order"][0].reasons[-1]
    [renew] = by_code["control.renew"]
    assert renew.title == "Renew the Impound (扣押) of 京A12345" and renew.level == "danger"
    assert f"it expires on {TODAY + dt.timedelta(days=5)}, in 5 day(s)" in renew.reasons[0]
    assert renew.citation == "《民事诉讼法解释》（2022）第四百八十五条"
    [transfer] = by_code["clue.transfer"]
    assert transfer.title == "Verify the transfer of 朝阳区某小区2号楼202室 to 李梅"
    assert "第一条第（三）项" in transfer.citation and "第一百一十四条" in transfer.citation
    assert [b.reasons for b in decision.bankruptcy] == [["2 enforcement cases ended as 终本."]]
    assert decision.bankruptcy_url == "/bankruptcy/"
    assert [(g.category, [r.agency.code for r in g.recommendations]) for g in decision.platforms] == [
        ("real_estate", ["auction-a"]),
        ("vehicle", ["auction-a"]),
    ]
    codes = [s.article.code for s in decision.articles]
    assert codes == [
        "control.renew", "control.order", "bankruptcy.transfer", "credit.dishonest", "credit.consumption",
        "coercion.obstruction",
    ]  # fmt: skip
    assert decision.triage.stored is False and decision.triage.score is not None


def test_a_money_freeze_in_force_suggests_a_deduction(world):
    ControlMeasure.objects.create(
        enforcement_case=world["ec"], asset=world["deposit"], kind=ControlKind.FREEZE, status=ControlStatus.ACTIVE,
        amount=D("30000.00"), starts_on=TODAY, expires_on=TODAY + dt.timedelta(days=300),
    )  # fmt: skip
    decision = decision_support(user=world["officer"], enforcement_case=world["ec"], today=TODAY)
    deduct = [i for i in decision.preservation if i.code == "control.deduct"]
    assert [i.title for i in deduct] == ["Deduct (扣划) the frozen 工行活期"]
    assert deduct[0].reasons[-1] == "Frozen ¥30,000.00."
    assert "Bank deposits" not in " ".join(i.title for i in decision.preservation if i.code == "control.order")


def test_the_stored_triage_is_shown_with_its_top_reasons(world):
    ec = world["ec"]
    ec.difficulty_score, ec.track = 48, "complex"
    ec.difficulty_reasons = [{"factor": f"f{n}", "points": n, "text": f"reason {n}"} for n in range(-8, 1)]
    decision = decision_support(user=world["officer"], enforcement_case=ec, today=TODAY)
    assert decision.triage.stored and decision.triage.score == 48
    assert decision.triage.track_label == "Complex track (繁案)"
    assert [r["points"] for r in decision.triage.reasons] == [-8, -7, -6, -5, -4]


def test_a_closed_case_gets_no_preservation_suggestion(world):
    EnforcementCase.objects.filter(pk=world["ec"].pk).update(
        status=Status.CLOSED, closing_kind="terminated_this_round", closed_on=TODAY
    )
    ec = EnforcementCase.objects.get(pk=world["ec"].pk)
    decision = decision_support(user=world["officer"], enforcement_case=ec, today=TODAY)
    assert decision.preservation == []
    codes = [s.article.code for s in decision.articles]
    assert codes == ["termination.requery", "bankruptcy.transfer"]


def test_an_organisation_without_a_suggestion_is_screened_now(world):
    world["suggestion"].delete()
    [fact] = case_facts(world["ec"], today=TODAY).bankruptcy
    assert fact.suggestion_id is None and fact.debtor_name == "北京恒通商贸有限公司"
    # unpaid 500,000 against 30,000 of known property: 30 points, not indicated without another sign
    assert (fact.score, fact.indicated) == (30, False)
    assert fact.reasons[0].startswith("Unpaid 500000.00 across its cases")


def test_the_facts_take_the_same_number_of_queries_whatever_the_size(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def loaded():  # as the panel loads it: case, court and parties with it
        return enforcement_case_get(user=world["officer"], pk=world["ec"].pk)

    with CaptureQueriesContext(connection) as first:
        case_facts(loaded(), today=TODAY)
    ec = world["ec"]
    for n in range(6):
        extra = add_asset(ec, world["boss"], world["bank"], AssetCategory.DEPOSIT, f"62220202000099{n:02d}", "10.00")
        ControlMeasure.objects.create(
            enforcement_case=ec, asset=extra, kind=ControlKind.FREEZE, status=ControlStatus.ACTIVE,
            amount=D("10.00"), starts_on=TODAY, expires_on=TODAY + dt.timedelta(days=20),
        )  # fmt: skip
        PropertyTransfer.objects.create(
            description=f"车辆{n}", category="vehicle", value=D("1000.00"), from_party=world["boss"],
            to_party=world["spouse"],
            transferred_on=TODAY, source="车管所",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as second:
        facts = case_facts(loaded(), today=TODAY)
    assert len(facts.expiring_measures) == 7
    assert len(second.captured_queries) == len(first.captured_queries) == FACT_QUERIES, [
        q["sql"][:120] for q in second.captured_queries
    ]


def test_another_courts_case_is_not_found(world):
    stranger = UserFactory(officer=True, court=CourtFactory(haidian=True), username="officer-0108")
    with pytest.raises(NotFound):
        decision_for(user=stranger, pk=world["ec"].pk)
    with pytest.raises(NotFound):
        decision_for(user=world["officer"], pk=999999)


def test_a_role_without_decision_support_is_refused(world):
    clerk = UserFactory(clerk=True, court=world["court"], username="clerk-0105")
    with pytest.raises(PermissionDenied):
        decision_for(user=clerk, pk=world["ec"].pk)
