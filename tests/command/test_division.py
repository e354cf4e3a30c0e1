"""The division command view's reads (command.division): each officer's workload from one aggregate query, checked
against figures computed by hand; unassigned cases by triage score; the overdue report by officer, court and days
overdue; live control measures in expiry bands; and nothing of another court."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory, ControlKind, ControlStatus
from assets.models import Asset, ControlMeasure
from command import division as d
from core.exceptions import NotFound
from core.models import CourtLevel
from enforcement.choices import Status
from enforcement.models import EnforcementCase
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def make_case(status, court, officer=None, *, filed: int, deadline: int | None = None, **fields) -> EnforcementCase:
    """A case filed ``filed`` days ago whose deadline is ``deadline`` days from today."""
    ec = case_in(status, court, officer=officer, filing_date=days(-filed), **fields)
    if deadline is not None:
        EnforcementCase.objects.filter(pk=ec.pk).update(deadline_on=days(deadline))
        ec.refresh_from_db()
    return ec


@dataclass
class World:
    court: object
    other: object
    li: object
    wang: object
    head: object
    stranger: object
    cases: dict


@pytest.fixture
def division_world():
    """京0105 under 京03 (its superior court), and 京0108. Hand-computed figures are in the tests."""
    parent = CourtFactory(code="京03", name="北京市第三中级人民法院", level=CourtLevel.INTERMEDIATE)
    court = CourtFactory(chaoyang=True, parent=parent)
    other = CourtFactory(haidian=True)
    li = UserFactory(officer=True, court=court, username="li", display_name="李执行")
    wang = UserFactory(judge=True, court=court, username="wang", display_name="王法官")
    head = UserFactory(division_head=True, court=court, username="head", display_name="赵局长")
    UserFactory(clerk=True, court=court, username="clerk")  # not an officer: no row
    UserFactory(officer=True, court=court, username="gone", is_active=False)  # inactive: no row
    stranger = UserFactory(officer=True, court=other, username="zhou")
    year_start = TODAY.replace(month=1, day=1)
    cases = {
        "overdue": make_case(Status.INVESTIGATING, court, li, filed=100, deadline=-10),
        "due": make_case(Status.CONTROLLING, court, li, filed=50, deadline=3),
        "suspended": make_case(Status.SUSPENDED, court, li, filed=200, deadline=-30),
        "closed": make_case(Status.CLOSED, court, li, filed=300, closed_on=TODAY),
        "closed_last_year": make_case(Status.CLOSED, court, li, filed=400, closed_on=year_start - dt.timedelta(days=1)),
        "wang_overdue": make_case(Status.NOTIFIED, court, wang, filed=20, deadline=-1),
        "easy": make_case(Status.FILED, court, filed=5, difficulty_score=20),
        "hard": make_case(Status.FILED, court, filed=2, difficulty_score=70),
        "elsewhere": make_case(Status.INVESTIGATING, other, stranger, filed=90, deadline=-40),
        "elsewhere_new": make_case(Status.FILED, other, filed=1, difficulty_score=99),
    }
    return World(court, other, li, wang, head, stranger, cases)


def test_each_officers_workload_matches_the_hand_computed_figures(division_world):
    w = division_world
    rows = {o.username: o for o in d.officer_workload(court=w.court, today=TODAY)}
    assert list(rows) == ["head", "li", "wang"]  # officers, judges and division heads, active, by username
    li, wang, head = rows["li"], rows["wang"], rows["head"]
    # li: open = overdue, due, suspended; the suspended case's clock stands still: not overdue
    assert (li.open_cases, li.overdue, li.due_soon, li.closed_this_year) == (3, 1, 1, 1)
    assert li.average_age == round((100 + 50 + 200) / 3, 1) == 116.7  # from the filing date
    assert (wang.open_cases, wang.overdue, wang.due_soon, wang.closed_this_year, wang.average_age) == (1, 1, 0, 0, 20.0)
    assert (head.open_cases, head.overdue, head.due_soon, head.closed_this_year, head.average_age) == (0, 0, 0, 0, None)
    assert d.workload_totals(list(rows.values())) == {
        "open_cases": 4,
        "overdue": 2,
        "due_soon": 1,
        "closed_this_year": 1,
    }


def test_the_workload_is_one_query_whatever_the_number_of_officers(division_world, django_assert_num_queries):
    for n in range(5):
        officer = UserFactory(officer=True, court=division_world.court, username=f"extra{n}")
        make_case(Status.INVESTIGATING, division_world.court, officer, filed=10 + n, deadline=-n)
    with django_assert_num_queries(1):
        rows = d.officer_workload(court=division_world.court, today=TODAY)
    assert len(rows) == 8


def test_the_unassigned_cases_come_hardest_first_and_only_from_the_court(division_world):
    w = division_world
    assert list(d.unassigned_cases(court=w.court)) == [w.cases["hard"], w.cases["easy"]]


def test_the_overdue_report_lists_open_running_cases_past_their_deadline_most_overdue_first(division_world):
    w = division_world
    report = d.with_days_overdue(d.overdue_cases(courts=[w.court], today=TODAY), TODAY)
    assert [(ec.pk, ec.days_overdue) for ec in report] == [(w.cases["overdue"].pk, 10), (w.cases["wang_overdue"].pk, 1)]
    fewest_first = d.overdue_cases(courts=[w.court], ordering="days", today=TODAY)
    assert list(fewest_first) == [w.cases["wang_overdue"], w.cases["overdue"]]
    assert list(d.overdue_cases(courts=[w.court], officer=w.wang, today=TODAY)) == [w.cases["wang_overdue"]]


def test_the_overdue_report_reconciles_with_the_workload(division_world):
    w = division_world
    rows = d.officer_workload(court=w.court, today=TODAY)
    for officer in rows:
        assert d.overdue_cases(courts=[w.court], officer=officer, today=TODAY).count() == officer.overdue


def test_a_court_sees_the_courts_under_it_and_no_other(division_world):
    w = division_world
    parent = w.court.parent
    head_above = UserFactory(division_head=True, court=parent, username="head-above")
    assert [c.code for c in d.division_courts(head_above)] == ["京0105", "京03"]
    assert [c.code for c in d.division_courts(w.head)] == ["京0105"]
    assert d.division_court(user=head_above, code="京0105") == w.court
    with pytest.raises(NotFound):
        d.division_court(user=w.head, code="京0108")
    report = d.overdue_cases(courts=d.courts_below(parent), today=TODAY)
    assert w.cases["elsewhere"] not in report and w.cases["overdue"] in report


def test_a_superuser_may_look_at_any_court(division_world):
    root = UserFactory(superuser=True, username="root")
    assert d.division_court(user=root, code="京0108") == division_world.other
    assert {c.code for c in d.division_courts(root)} >= {"京0105", "京0108", "京03"}
    assert d.division_court(user=root).code == "京0105"  # the first court with enforcement cases


def test_live_measures_come_by_expiry_in_bands_of_7_and_30_days(division_world):
    w = division_world
    bank, _key = make_agency("div-bank", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])

    def measure(ec, identifier, expires_in, status=ControlStatus.ACTIVE):
        asset = Asset.objects.create(
            case=ec.case, debtor=PartyFactory(), category=AssetCategory.DEPOSIT, agency=bank, identifier=identifier
        )
        return ControlMeasure.objects.create(
            enforcement_case=ec, asset=asset, kind=ControlKind.FREEZE, status=status, amount=Decimal("100.00"),
            starts_on=days(-300), expires_on=days(expires_in),
        )  # fmt: skip

    later = measure(w.cases["overdue"], "A1", 100)
    soon = measure(w.cases["due"], "A2", 5)
    month = measure(w.cases["overdue"], "A3", 20)
    measure(w.cases["due"], "A4", 2, status=ControlStatus.RELEASED)  # not in force
    measure(w.cases["elsewhere"], "A5", 1)  # another court
    bands, total = d.live_measures(court=w.court, today=TODAY)
    assert total == 3
    assert {b.key: [m.pk for m in b.measures] for b in bands} == {"7": [soon.pk], "30": [month.pk], "later": [later.pk]}
    assert soon.pk in [m.pk for m in bands[0].measures] and bands[0].measures[0].days_to_expiry == 5
