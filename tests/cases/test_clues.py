"""Hidden-asset clues: transfers from a debtor to a related party (within two hops) made within 12 months
before filing (from the same calendar date one year earlier, inclusive) or at any time after; their reasons
and severity; the bounded query count; the API's scoping and the case page."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.choices import PartyRole
from cases.clues import clue_report, hidden_asset_clues, one_year_before
from cases.models import PartyRelation, PropertyTransfer
from cases.selectors import case_get
from tests.cases.builders import TODAY
from tests.cases.test_relations import person
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

FILED = TODAY - dt.timedelta(days=40)


def symmetric(one, other, kind: str, source: str) -> PartyRelation:
    low, high = sorted((one, other), key=lambda p: p.pk)
    return PartyRelation.objects.create(party_a=low, party_b=high, kind=kind, source=source)


@pytest.fixture
def family():
    """张三 (the debtor), 李四 his spouse, 某公司 that 李四 controls, and 路人 who is no relation."""
    debtor, spouse, company, stranger = person("张三"), person("李四"), person("某公司"), person("路人")
    symmetric(debtor, spouse, "spouse", "民政局")
    PartyRelation.objects.create(party_a=spouse, party_b=company, kind="actual_controller", source="市场监管局")
    return {"debtor": debtor, "spouse": spouse, "company": company, "stranger": stranger}


@pytest.fixture
def case(court, family):
    return CaseFactory(
        court=court,
        filing_date=FILED,
        amount=Decimal("1000000.00"),
        parties=[(PartyRole.CREDITOR, person("债权银行")), (PartyRole.DEBTOR, family["debtor"])],
    )


def moved(source, target, on: dt.date, value: str = "500000.00") -> PropertyTransfer:
    return PropertyTransfer.objects.create(
        description="朝阳区某小区1号楼101室",
        category="real_estate",
        value=Decimal(value),
        from_party=source,
        to_party=target,
        transferred_on=on,
        source="不动产登记中心",
    )


def test_the_window_starts_on_the_same_calendar_date_a_year_earlier():
    assert one_year_before(dt.date(2026, 3, 1)) == dt.date(2025, 3, 1)  # 365 days back
    assert one_year_before(dt.date(2025, 3, 1)) == dt.date(2024, 3, 1)  # 366 days back: 2024 was a leap year
    assert one_year_before(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


def test_a_transfer_to_the_spouse_before_filing_is_a_clue_with_its_reasons(case, family):
    transfer = moved(family["debtor"], family["spouse"], FILED - dt.timedelta(days=60))
    [clue] = hidden_asset_clues(case=case)
    assert (clue.transfer, clue.hops, clue.days_from_filing) == (transfer, 1, -60)
    assert clue.path == "张三 → Spouse (配偶) → 李四"
    assert [(r.code, r.text, r.points) for r in clue.reasons] == [
        ("relation", "Related party: 张三 → Spouse (配偶) → 李四", 40),
        ("before_filing", "Transferred 60 days before filing.", 25),
        ("value", "Value 500,000.00 yuan, 50% of the amount in dispute.", 20),
    ]
    assert (clue.score, clue.level) == (85, "high")


def test_a_transfer_two_hops_away_reads_the_whole_path(case, family):
    moved(family["debtor"], family["company"], FILED + dt.timedelta(days=5), value="50000.00")
    [clue] = hidden_asset_clues(case=case)
    assert clue.path == "张三 → Spouse (配偶) → 李四 → Actual controller (实际控制人) → 某公司"
    assert (clue.hops, clue.days_from_filing) == (2, 5)
    assert [r.points for r in clue.reasons] == [20, 30, 5]
    assert clue.reasons[1].text == "Transferred 5 days after filing."
    assert (clue.score, clue.level) == (55, "medium")


def test_a_relation_read_backwards_points_the_other_way(court):
    company, owner = person("某公司"), person("王五")
    PartyRelation.objects.create(party_a=owner, party_b=company, kind="shareholder", share=Decimal("60"), source="工商")
    case = CaseFactory(
        court=court, filing_date=FILED, parties=[(PartyRole.CREDITOR, person("甲")), (PartyRole.DEBTOR, company)]
    )
    moved(company, owner, FILED)
    [clue] = hidden_asset_clues(case=case)
    assert clue.path == "某公司 ← Shareholder (股东) 60% ← 王五"
    assert clue.days_from_filing == 0


def test_the_first_day_of_the_window_counts_and_the_day_before_does_not(case, family):
    first_day = one_year_before(FILED)
    inside = moved(family["debtor"], family["spouse"], first_day)
    moved(family["debtor"], family["spouse"], first_day - dt.timedelta(days=1))
    assert [clue.transfer for clue in hidden_asset_clues(case=case)] == [inside]


def test_transfers_to_unrelated_parties_are_not_clues(case, family):
    moved(family["debtor"], family["stranger"], FILED - dt.timedelta(days=10))
    moved(family["spouse"], family["company"], FILED - dt.timedelta(days=10))  # not from the debtor
    assert hidden_asset_clues(case=case) == []


def test_a_transfer_three_hops_away_is_not_a_clue(case, family):
    cousin = person("表亲")
    PartyRelation.objects.create(party_a=cousin, party_b=family["company"], kind="director", source="工商")
    moved(family["debtor"], cousin, FILED)
    assert hidden_asset_clues(case=case) == []


def test_a_shared_phone_makes_a_transfer_a_clue(case, family):
    lodger = person("租户", phone=family["debtor"].phone.replace("139", "139 "))
    moved(family["debtor"], lodger, FILED - dt.timedelta(days=200))
    [clue] = hidden_asset_clues(case=case)
    assert clue.path == "张三 → Same phone (同一电话) → 租户"
    assert clue.reasons[1].points == 10


def test_a_transfer_to_another_debtor_of_the_same_case_is_not_a_clue(court, family):
    case = CaseFactory(
        court=court,
        filing_date=FILED,
        parties=[
            (PartyRole.CREDITOR, person("甲")),
            (PartyRole.DEBTOR, family["debtor"]),
            (PartyRole.DEBTOR, family["spouse"]),
        ],
    )
    moved(family["debtor"], family["spouse"], FILED)
    assert hidden_asset_clues(case=case) == []


def test_the_clues_cost_a_fixed_handful_of_queries_whatever_the_graph(
    court, officer, family, django_assert_max_num_queries
):
    debtor = family["debtor"]
    for n in range(30):
        relative = person(f"亲属{n}")
        symmetric(relative, debtor, "relative", "公安")
        friend = person(f"朋友{n}")
        PartyRelation.objects.create(party_a=relative, party_b=friend, kind="affiliate", source="工商")
        moved(debtor, friend, FILED)
    case = CaseFactory(
        court=court, filing_date=FILED, parties=[(PartyRole.CREDITOR, person("甲")), (PartyRole.DEBTOR, debtor)]
    )
    case = case_get(user=officer, case_id=case.pk)
    with django_assert_max_num_queries(8):  # 3 per hop, names, transfers
        report = clue_report(case=case)
    assert len(report.clues) == 30 and len(report.related) == 62


# ---- the API and the page -----------------------------------------------------------------------------------


def test_the_clues_api_shows_clues_debtors_and_related_parties(api_as, officer, case, family):
    moved(family["debtor"], family["spouse"], FILED - dt.timedelta(days=60))
    body = api_as(officer).get(f"/api/v1/cases/{case.pk}/clues/").json()
    assert [d["id"] for d in body["debtors"]] == [family["debtor"].pk]
    [clue] = body["clues"]
    assert (clue["related_id"], clue["score"], clue["level"], clue["days_from_filing"]) == (
        family["spouse"].pk,
        85,
        "high",
        -60,
    )
    assert clue["transfer"]["value"] == "500000.00"
    assert [(r["party_id"], r["hops"]) for r in body["related"]] == [
        (family["spouse"].pk, 1),
        (family["company"].pk, 2),
    ]


def test_the_clues_of_another_courts_case_are_not_found(api_as, other_officer, case):
    response = api_as(other_officer).get(f"/api/v1/cases/{case.pk}/clues/")
    assert (response.status_code, response.json()["message"]) == (404, "Not found.")


def test_the_case_page_shows_the_clues_and_the_forms_to_an_officer(client_as, officer, case, family):
    moved(family["debtor"], family["spouse"], FILED - dt.timedelta(days=60))
    response = client_as(officer).get(f"/cases/{case.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hidden-asset clues" in page and "Transferred 60 days before filing." in page
    assert 'id="relation-graph-data"' in page and "echarts.min.js" in page
    assert "Record the relation" in page and "Record the transfer" in page


def test_recording_a_transfer_on_the_page_shows_it_as_a_clue(client_as, officer, case, family):
    data = {
        "tr-from_party": family["debtor"].pk,
        "tr-to_id_number": family["spouse"].id_number,
        "tr-description": "京A12345 小型轿车",
        "tr-category": "vehicle",
        "tr-value": "200000",
        "tr-transferred_on": str(FILED),
        "tr-source": "车管所",
    }
    response = client_as(officer).post(f"/cases/{case.pk}/transfers/", data)
    assert response.status_code == 302
    assert [c.transfer.description for c in hidden_asset_clues(case=case)] == ["京A12345 小型轿车"]


def test_a_refused_relation_on_the_page_shows_the_error_and_writes_nothing(client_as, officer, case, family):
    before = PartyRelation.objects.count()
    data = {
        "rel-party": family["debtor"].pk,
        "rel-reads": "this_first",
        "rel-kind": "spouse",
        "rel-other_id_number": "110105199001011234",
        "rel-source": "民政局",
    }
    response = client_as(officer).post(f"/cases/{case.pk}/relations/", data)
    assert response.status_code == 400
    assert "No party with this identifier is registered." in response.content.decode()
    assert PartyRelation.objects.count() == before
