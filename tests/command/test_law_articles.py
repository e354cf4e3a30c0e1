"""The law-article table (command.law_articles): every entry's predicate holds on a minimal case that triggers it
and not on a near miss, and every entry cites a rule that stands in the project's legal-rules.md."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from assets.choices import ControlKind, ControlStatus
from command.decision import AssetFact, CheckFact, ClueFact, Facts, MeasureFact, ObjectionFact
from command.law_articles import LAW_ARTICLES, article, suggest_articles
from enforcement.choices import ClosingKind, Status

TODAY = dt.date(2026, 6, 1)
# The project's copy of the team's legal reference (../shared/legal-rules.md), kept with the code it grounds.
LEGAL_RULES = Path(__file__).resolve().parents[2] / "docs" / "legal-rules.md"


def base(**overrides) -> Facts:
    """An open case filed 30 days ago against one adult person, notices not yet served, nothing found: no entry
    of the table applies to it."""
    facts = Facts(
        today=TODAY,
        enforcement_case_id=1,
        status=Status.INVESTIGATING,
        closing_kind="",
        filing_date=TODAY - dt.timedelta(days=30),
        amount=Decimal("100000.00"),
        performed=Decimal("0.00"),
        cause="民间借贷纠纷",
        deadline_on=TODAY + dt.timedelta(days=150),
        debtor_names=["王强"],
        adult_debtors=1,
    )
    return replace(facts, **overrides)


def measure(days_left: int, status: str = ControlStatus.ACTIVE) -> MeasureFact:
    return MeasureFact(
        id=1,
        asset_label="6222020200001234",
        category="deposit",
        kind=ControlKind.FREEZE,
        kind_label="冻结",
        status=status,
        amount=Decimal("5000.00"),
        expires_on=TODAY + dt.timedelta(days=days_left),
        days_left=days_left,
    )


def asset(*, controlled: bool) -> AssetFact:
    return AssetFact(
        id=1,
        category="vehicle",
        category_label="车辆",
        label="京A12345",
        debtor_name="王强",
        value=Decimal("80000.00"),
        controlled=controlled,
        control_kind=ControlKind.IMPOUND,
        max_years=2,
    )


CLUE = ClueFact("王强", "李梅", "朝阳区某小区1号楼101室", Decimal("900000.00"), TODAY, "王强 —配偶— 李梅", 90, "high")
NOTICE = {"enforcement_notice_on": TODAY - dt.timedelta(days=20)}
CLOSED_ZHONGBEN = {"status": Status.CLOSED, "closing_kind": ClosingKind.TERMINATED_THIS_ROUND}
ACT = ObjectionFact("act", "执行行为异议", "王强", TODAY, TODAY + dt.timedelta(days=15))
THIRD = ObjectionFact("third_party", "案外人异议", "李梅", TODAY, TODAY + dt.timedelta(days=15))
FAR_BACK = TODAY - dt.timedelta(days=200)

# code: (facts that trigger the entry, a near miss that does not)
CASES = {
    "control.renew": ({"measures": [measure(10)]}, {"measures": [measure(31)]}),
    "control.order": ({"assets": [asset(controlled=False)]}, {"assets": [asset(controlled=True)]}),
    "report.property": ({"report_order_missing": ["王强"]}, {"report_order_missing": ["王强"], **CLOSED_ZHONGBEN}),
    "termination.conditions": (
        {"network_query_done": True, "termination_checks": [CheckFact("termination.notices", False, "发出通知")]},
        {"network_query_done": True, "assets": [asset(controlled=False)]},
    ),
    "termination.requery": (CLOSED_ZHONGBEN, {"status": Status.CLOSED, "closing_kind": ClosingKind.COMPLETED}),
    "bankruptcy.transfer": (
        {"organisation_debtors": [(7, "北京恒通商贸有限公司")], **CLOSED_ZHONGBEN},
        {"organisation_debtors": [(7, "北京恒通商贸有限公司")], **CLOSED_ZHONGBEN, "performed": Decimal("100000.00")},
    ),
    "credit.dishonest": (NOTICE, {**NOTICE, "listed": True}),
    "credit.minor": ({"minor_debtors": ["王小明"]}, {"minor_debtors": ["王小明"], **CLOSED_ZHONGBEN}),
    "credit.consumption": (NOTICE, {**NOTICE, "consumption_restricted": True}),
    "coercion.obstruction": ({"clues": [CLUE]}, {"clues": [CLUE], **CLOSED_ZHONGBEN}),
    "deadline.six_months": (
        {"deadline_on": TODAY + dt.timedelta(days=10)},
        {"deadline_on": TODAY + dt.timedelta(days=10), "status": Status.SUSPENDED},
    ),
    "deadline.higher_court": (
        {"filing_date": FAR_BACK, "deadline_on": TODAY + dt.timedelta(days=60)},
        {"filing_date": FAR_BACK, "deadline_on": TODAY + dt.timedelta(days=60), "performed": Decimal("1000.00")},
    ),
    "objection.act": ({"objections": [ACT]}, {"objections": [THIRD]}),
    "objection.third_party": ({"objections": [THIRD]}, {"objections": [ACT]}),
}


def test_the_baseline_case_triggers_no_entry():
    assert suggest_articles(base()) == []


def test_every_entry_of_the_table_has_a_trigger_and_a_near_miss_here():
    assert set(CASES) == {entry.code for entry in LAW_ARTICLES}
    assert len({entry.code for entry in LAW_ARTICLES}) == len(LAW_ARTICLES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_entry_applies_to_the_case_that_triggers_it_with_a_reason(code):
    entry = article(code)
    facts = base(**CASES[code][0])
    assert entry.applies(facts)
    suggested = {a.code: reason for a, reason in suggest_articles(facts)}
    assert code in suggested and suggested[code].strip()


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_entry_does_not_apply_to_the_near_miss(code):
    assert not article(code).applies(base(**CASES[code][1]))


def test_the_consumption_restriction_is_mandatory_for_a_listed_debtor():
    reason = article("credit.consumption").reason(base(**NOTICE, listed=True))
    assert reason == "The debtor is on the dishonest list but not restricted: the restriction is mandatory."


def test_the_dishonest_list_points_to_evasion_when_property_moved_to_related_parties():
    reason = article("credit.dishonest").reason(base(**NOTICE, clues=[CLUE]))
    assert reason.endswith("Property moved to related parties points to ground (三), evasion.")


def test_the_termination_reason_lists_the_conditions_not_met():
    facts = base(
        network_query_done=True,
        termination_checks=[
            CheckFact("termination.notices", True, "ok"),
            CheckFact("termination.three_months", False, "Not before 2026-07-02."),
        ],
    )
    assert article("termination.conditions").reason(facts) == (
        "No property in hand; 1 of 2 conditions met. Missing: Not before 2026-07-02."
    )


# ---- the table against legal-rules.md -------------------------------------------------------------------------


def legal_rule_sections() -> dict[str, str]:
    """legal-rules.md split at its ``### n.m`` headings: {"2.1": "the section's text", …}."""
    sections: dict[str, str] = {}
    current = None
    for line in LEGAL_RULES.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^###\s+(\d+\.\d+)\s", line)
        if heading:
            current = heading.group(1)
            sections[current] = ""
        elif line.startswith("## "):
            current = None
        elif current:
            sections[current] += line + "\n"
    return sections


def test_the_file_is_parsed_into_its_sections():
    sections = legal_rule_sections()
    assert "第四百八十五条" in sections["2.1"]
    assert "第五百一十一条" in sections["7.1"]


@pytest.mark.parametrize("entry", LAW_ARTICLES, ids=lambda e: e.code)
def test_every_entry_cites_a_rule_present_in_legal_rules(entry):
    sections = legal_rule_sections()
    assert entry.rule in sections, f"{entry.code}: no section {entry.rule} in legal-rules.md"
    assert entry.quote in sections[entry.rule], f"{entry.code}: {entry.quote!r} is not in section {entry.rule}"
    assert entry.confidence in ("V-full", "V-page", "M")


@pytest.mark.parametrize("entry", LAW_ARTICLES, ids=lambda e: e.code)
def test_every_citation_is_in_chinese_style(entry):
    assert re.match(r"^《[^》]+》(（\d{4}）)?第[一二三四五六七八九十百零]+条", entry.citation), entry.citation
    assert entry.text and str(entry.title)
