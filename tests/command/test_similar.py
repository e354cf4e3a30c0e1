"""Similar-case statistics (command.similar): the closed cases comparable to this one, checked against figures
computed by hand; the comparison widened when too few match, and saying so; three queries whatever the size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Case
from command.similar import cause_family, similar_case_stats
from enforcement.choices import ClosingKind, Status
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory

pytestmark = pytest.mark.django_db
D = Decimal
ORG = "organisation"


def closed(court, *, amount, performed, kind, days, cause="民间借贷纠纷", person=False):
    filed = dt.date(2026, 1, 1)
    ec = case_in(
        Status.CLOSED,
        court,
        debtors=[PartyFactory()] if person else None,
        filing_date=filed,
        amount=amount,
        closing_kind=kind,
        closed_on=filed + dt.timedelta(days=days),
        performed_amount=D(performed),
    )
    Case.objects.filter(pk=ec.case_id).update(cause=cause)
    return ec


@pytest.fixture
def court(db):
    return CourtFactory(chaoyang=True)


@pytest.fixture
def other(db):
    return CourtFactory(haidian=True)


@pytest.fixture
def target(court):
    """An open 民间借贷 case for 100,000 yuan against an organisation."""
    return case_in(Status.INVESTIGATING, court, amount="100000.00")


@pytest.fixture
def five_alike(court):
    return [
        closed(court, amount="100000.00", performed="100000.00", kind=ClosingKind.COMPLETED, days=30),
        closed(court, amount="80000.00", performed="80000.00", kind=ClosingKind.COMPLETED, days=60),
        closed(court, amount="150000.00", performed="15000.00", kind=ClosingKind.TERMINATED_THIS_ROUND, days=100),
        closed(court, amount="60000.00", performed="0.00", kind=ClosingKind.TERMINATED_THIS_ROUND, days=120),
        closed(court, amount="200000.00", performed="100000.00", kind=ClosingKind.SETTLED, days=20),
    ]


def test_five_alike_cases_at_the_same_court_give_the_hand_computed_figures(target, five_alike, court):
    # noise: a person debtor, an amount out of the band, an open case — none of them counted
    closed(court, amount="100000.00", performed="0.00", kind=ClosingKind.COMPLETED, days=5, person=True)
    closed(court, amount="200000.01", performed="0.00", kind=ClosingKind.COMPLETED, days=5)
    case_in(Status.INVESTIGATING, court, amount="100000.00")
    stats = similar_case_stats(enforcement_case=target, debtor_kind=ORG)
    assert (stats.step, stats.widened, stats.count, stats.enough, stats.note) == (0, False, 5, True, "")
    assert stats.criteria == [
        "court: 北京市朝阳区人民法院",
        "cause: 民间借贷纠纷",
        "debtor: an organisation",
        "amount ¥50,000.00 – ¥200,000.00 (×0.5 – ×2)",
    ]
    assert [(k.kind, k.count, k.share) for k in stats.by_kind] == [
        ("completed", 2, D("0.4000")),
        ("terminated_this_round", 2, D("0.4000")),
        ("settled", 1, D("0.2000")),
    ]
    # durations 20, 30, 60, 100, 120: median (3rd of 5) 60, 90th percentile (5th of 5) 120
    assert (stats.median_days, stats.p90_days) == (60, 120)
    # realisation: (100000 + 80000 + 15000 + 0 + 100000) / (100000 + 80000 + 150000 + 60000 + 200000)
    assert (stats.amount_performed, stats.amount_applied) == (D("295000.00"), D("590000.00"))
    assert stats.realisation_rate == D("0.5000") and stats.realisation_percent == "50.0%"
    assert stats.by_kind[0].percent == "40.0%"


def test_too_few_at_the_court_widens_to_every_court_and_says_so(target, court, other):
    for _n in range(2):
        closed(court, amount="100000.00", performed="0.00", kind=ClosingKind.TERMINATED_THIS_ROUND, days=90)
    for _n in range(3):
        closed(other, amount="100000.00", performed="100000.00", kind=ClosingKind.COMPLETED, days=40)
    stats = similar_case_stats(enforcement_case=target, debtor_kind=ORG)
    assert (stats.step, stats.widened, stats.count, stats.enough) == (1, True, 5, True)
    assert stats.criteria[0] == "every court"
    assert stats.note == "Fewer than 5 cases matched the narrowest comparison: widened to the criteria shown."


def test_the_family_of_causes_widens_a_loan_to_other_loans(target, court):
    for _n in range(3):
        closed(court, amount="90000.00", performed="0.00", kind=ClosingKind.TERMINATED_THIS_ROUND, days=90,
               cause="金融借款合同纠纷")  # fmt: skip
    for _n in range(2):
        closed(court, amount="90000.00", performed="0.00", kind=ClosingKind.COMPLETED, days=90)
    closed(court, amount="90000.00", performed="0.00", kind=ClosingKind.COMPLETED, days=90, cause="劳动争议")
    stats = similar_case_stats(enforcement_case=target, debtor_kind=ORG)
    assert (stats.step, stats.count) == (2, 5)
    assert "cause family: 借贷" in stats.criteria


def test_with_too_few_even_at_the_widest_the_panel_says_so(target, court):
    closed(court, amount="5.00", performed="0.00", kind=ClosingKind.COMPLETED, days=3)
    stats = similar_case_stats(enforcement_case=target, debtor_kind=ORG)
    assert (stats.step, stats.count, stats.enough) == (5, 1, False)
    assert stats.note == "Only 1 comparable closed cases even at the widest comparison: read with care."
    assert stats.median_days == 3


def test_nothing_comparable_gives_no_figures(target):
    stats = similar_case_stats(enforcement_case=target, debtor_kind=ORG)
    assert (stats.count, stats.by_kind, stats.median_days, stats.realisation_rate) == (0, [], None, None)


def test_three_queries_whatever_the_number_of_cases(target, five_alike, court, django_assert_num_queries):
    with django_assert_num_queries(3):
        similar_case_stats(enforcement_case=target, debtor_kind=ORG)
    for _n in range(10):
        closed(court, amount="100000.00", performed="1.00", kind=ClosingKind.SETTLED, days=7)
    with django_assert_num_queries(3):
        assert similar_case_stats(enforcement_case=target, debtor_kind=ORG).count == 15


@pytest.mark.parametrize(
    ("cause", "family"),
    [("民间借贷纠纷", "借贷"), ("信用卡纠纷", "借贷"), ("买卖合同纠纷", "合同"), ("劳动争议", "劳动"),
     ("机动车交通事故责任纠纷", "侵权"), ("不当得利纠纷", None)],
)  # fmt: skip
def test_causes_fall_into_their_families(cause, family):
    found = cause_family(cause)
    assert (found[0] if found else None) == family
