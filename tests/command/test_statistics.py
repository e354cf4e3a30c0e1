"""Statistics of a court over a period (command.statistics), checked against figures computed by hand on a fixed
data set, and against the case lists they summarise."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory, ControlKind, ControlStatus, RequestStatus
from assets.models import AgencyRequest, Asset, ControlMeasure, QueryBatch
from command.statistics import Scope, cases_closed, cases_received, closed_kind_counts, percentile, statistics
from enforcement.choices import ClosingKind, Status
from enforcement.models import EnforcementCase, FundEntry, FundEntryKind
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
FROM, TO = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def closed(court, officer, *, filed, closed_on, kind, amount, performed, suspended_days=0):
    ec = case_in(
        Status.CLOSED,
        court,
        officer=officer,
        filing_date=filed,
        amount=amount,
        closing_kind=kind,
        closed_on=closed_on,
        performed_amount=D(performed),
        suspended_days=suspended_days,
    )
    return ec


@pytest.fixture
def world():
    court = CourtFactory(chaoyang=True)
    other = CourtFactory(haidian=True)
    li = UserFactory(officer=True, court=court, username="li")
    wang = UserFactory(officer=True, court=court, username="wang")
    stranger = UserFactory(officer=True, court=other, username="zhou")
    cases = {
        # received in the period and still open
        "open": case_in(Status.INVESTIGATING, court, officer=li, filing_date=dt.date(2026, 2, 10), amount="1000.00"),
        # received and closed in the period: fully performed after 40 days
        "done": closed(court, li, filed=dt.date(2026, 1, 5), closed_on=dt.date(2026, 2, 14),
                       kind=ClosingKind.COMPLETED, amount="2000.00", performed="2000.00"),
        # received before, closed in the period as 终本 after 200 days less 20 suspended
        "zhongben": closed(court, wang, filed=dt.date(2025, 9, 1), closed_on=dt.date(2026, 3, 20),
                           kind=ClosingKind.TERMINATED_THIS_ROUND, amount="10000.00", performed="500.00",
                           suspended_days=20),
        # received and closed in the period, settled after 10 days
        "settled": closed(court, li, filed=dt.date(2026, 4, 1), closed_on=dt.date(2026, 4, 11),
                          kind=ClosingKind.SETTLED, amount="3000.00", performed="1500.00"),
        # closed after the period: not counted as closed
        "later": closed(court, li, filed=dt.date(2026, 5, 1), closed_on=dt.date(2026, 7, 2),
                        kind=ClosingKind.COMPLETED, amount="500.00", performed="500.00"),
        # another court's case in the period: never counted
        "elsewhere": closed(other, stranger, filed=dt.date(2026, 2, 1), closed_on=dt.date(2026, 2, 2),
                            kind=ClosingKind.COMPLETED, amount="9999.00", performed="9999.00"),
    }  # fmt: skip
    bank, _key = make_agency("stats-bank", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    for ec, created, hours in ((cases["open"], dt.date(2026, 2, 11), 2), (cases["done"], dt.date(2026, 1, 6), 6)):
        batch = QueryBatch.objects.create(enforcement_case=ec, categories=[AssetCategory.DEPOSIT])
        AgencyRequest.objects.create(
            batch=batch, agency=bank, status=RequestStatus.ANSWERED, created_at=at(created),
            due_at=at(created + dt.timedelta(days=1)), answered_at=at(created) + dt.timedelta(hours=hours),
        )  # fmt: skip
    asset = Asset.objects.create(
        case=cases["open"].case, debtor=PartyFactory(), category=AssetCategory.DEPOSIT, agency=bank, identifier="6222"
    )
    ControlMeasure.objects.create(
        enforcement_case=cases["open"], asset=asset, kind=ControlKind.FREEZE, status=ControlStatus.ACTIVE,
        starts_on=dt.date(2026, 2, 12), expires_on=dt.date(2027, 2, 11), amount=D("800.00"),
        created_at=at(dt.date(2026, 2, 12)),
    )  # fmt: skip
    for ec, kind, source, amount, day, ref in (
        (cases["done"], FundEntryKind.RECEIPT, "deduction", "2000.00", dt.date(2026, 2, 1), "R1"),
        (cases["done"], FundEntryKind.PAYOUT, "distribution:1", "1900.00", dt.date(2026, 2, 10), "P1"),
        (cases["settled"], FundEntryKind.RECEIPT, "payment", "1500.00", dt.date(2026, 4, 5), "R2"),
        (cases["later"], FundEntryKind.RECEIPT, "deduction", "500.00", dt.date(2026, 7, 1), "R3"),
    ):
        FundEntry.objects.create(
            enforcement_case=ec, kind=kind, source=source, amount=D(amount), reference=ref, at=at(day)
        )
    return court, li, wang, cases


def test_the_court_figures_match_the_hand_computed_ones(world):
    court, li, wang, cases = world
    stats = statistics(Scope(court=court, date_from=FROM, date_to=TO))
    # received: open (02-10), done (01-05), settled (04-01), later (05-01); 终本 case filed in 2025
    assert stats.received == 4
    assert stats.received_by_month == {"2026-01": 1, "2026-02": 1, "2026-04": 1, "2026-05": 1}
    # closed in the period: done, zhongben, settled
    assert stats.closed == 3
    assert stats.closed_by_kind == {"completed": 1, "terminated_this_round": 1, "settled": 1}
    assert stats.completion_rate == D("0.3333") and stats.termination_share == D("0.3333")
    # realisation: (2000 + 500 + 1500) / (2000 + 10000 + 3000)
    assert (stats.amount_performed, stats.amount_applied) == (D("4000.00"), D("15000.00"))
    assert stats.realisation_rate == D("0.2667")
    # durations: 40, 200 - 20 = 180, 10 → mean 76.7, p90 (nearest rank of 3: the 3rd) 180
    assert stats.mean_days == D("76.7") and stats.p90_days == 180
    assert stats.frozen == D("800.00")
    assert stats.deducted == D("2000.00")  # R3 is after the period; R2 is a payment, not a deduction
    assert stats.paid_out == D("1900.00")
    [bank] = stats.queries
    assert (bank.sent, bank.answered, bank.mean_hours, bank.p90_hours) == (2, 2, D("4.0"), D("6.0"))


def test_the_figures_reconcile_with_the_case_lists_they_summarise(world):
    court, li, wang, cases = world
    scope = Scope(court=court, date_from=FROM, date_to=TO)
    stats = statistics(scope)
    listed = EnforcementCase.objects.filter(
        case__court=court, case__filing_date__gte=FROM, case__filing_date__lte=TO
    ).count()
    assert stats.received == listed == cases_received(scope).count()
    assert stats.closed == cases_closed(scope).count() == sum(stats.closed_by_kind.values())
    assert stats.closed_by_kind == closed_kind_counts(scope)
    assert cases["elsewhere"] not in cases_received(scope)


def test_an_officers_figures_cover_only_his_cases(world):
    court, li, wang, cases = world
    stats = statistics(Scope(court=court, date_from=FROM, date_to=TO, officer=wang))
    assert (stats.received, stats.closed, stats.closed_by_kind) == (0, 1, {"terminated_this_round": 1})
    assert stats.mean_days == D("180.0") and stats.queries == []


def test_an_empty_period_divides_by_nothing():
    court = CourtFactory(chaoyang=True)
    stats = statistics(Scope(court=court, date_from=FROM, date_to=TO))
    assert (stats.received, stats.closed, stats.completion_rate, stats.realisation_rate, stats.p90_days) == (
        0, 0, None, None, None
    )  # fmt: skip


@pytest.mark.parametrize(
    "values, expected", [([], None), ([5], 5), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9), ([10, 1, 3], 10)]
)
def test_the_90th_percentile_is_the_nearest_rank(values, expected):
    assert percentile(values) == expected
