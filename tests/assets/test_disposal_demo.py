"""The demo's disposal (处置): after ``seed_demo``, demo-officer has a car in its first auction with bids, a flat
whose second auction follows a failed first, and a car sold whose proceeds are distributed by an approved plan
with one line paid out and one due; a second run writes nothing."""

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assets.choices import AssetCategory, AuctionStatus, ControlStatus, PriceMethod, PriceStatus
from assets.demo_disposal import SEEDED, execution_fee
from assets.models import Auction, Bid, ControlMeasure, ReferencePrice
from core.models import AuditLog, User
from enforcement.models import DistributionPlan, EnforcementCase, FundEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_settings(settings, tmp_path):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    models = (Auction, Bid, ReferencePrice, ControlMeasure, FundEntry, DistributionPlan, AuditLog)
    return tuple(model.objects.count() for model in models)


def the_case(number: str) -> EnforcementCase:
    return EnforcementCase.objects.select_related("case", "officer").get(case__number=number)


def test_the_demo_shows_a_live_auction_a_second_round_and_a_distribution_and_a_second_run_writes_nothing(client):
    output = seed()
    numbers = AuditLog.objects.get(action=SEEDED).changes
    now, today = timezone.now(), timezone.localdate()
    cases = {key: the_case(number) for key, number in numbers.items()}
    for ec in cases.values():
        assert ec.officer.username == "demo-officer" and ec.case.court.code == "京0105"
        assert ec.status not in ("closed", "suspended")
        price = ReferencePrice.objects.get(enforcement_case=ec)
        assert (price.method, price.status) == (PriceMethod.NEGOTIATION, PriceStatus.DETERMINED)
        measure = ControlMeasure.objects.get(enforcement_case=ec)
        assert (measure.status, measure.position) == (ControlStatus.ACTIVE, 1)  # 首封, in force
    assert f"auction in bidding on {numbers['live_auction']}" in output

    # A: the car in bidding now, three bids, each at least the last plus the increment
    live = Auction.objects.get(enforcement_case=cases["live_auction"])
    assert live.asset.category == AssetCategory.VEHICLE
    assert (live.round, live.status) == (1, AuctionStatus.BIDDING)
    assert live.starts_at < now < live.ends_at
    assert live.starting_price >= live.reference_price.value * 70 / 100
    assert live.starting_price * 5 / 100 <= live.deposit <= live.starting_price * 20 / 100
    amounts = list(live.bids.order_by("at").values_list("amount", flat=True))
    assert len(amounts) == 3 and amounts[0] == live.starting_price
    assert all(later >= earlier + live.increment for earlier, later in zip(amounts, amounts[1:], strict=False))

    # B: the flat's first auction failed without a bid, the second announced within 30 days at a cut ≤ 20 %
    first, second = Auction.objects.filter(enforcement_case=cases["second_round"]).order_by("round")
    assert first.asset == second.asset and first.asset.category == AssetCategory.REAL_ESTATE
    assert (first.status, first.bids.count()) == (AuctionStatus.FAILED, 0)
    assert (second.round, second.previous, second.status) == (2, first, AuctionStatus.ANNOUNCED)
    assert second.announced_on - timezone.localdate(first.closed_at) <= dt.timedelta(days=30)
    assert second.starting_price >= first.starting_price * 80 / 100
    assert second.announced_on <= today < timezone.localdate(second.starts_at)

    # C: the car sold (a bid in the last 5 minutes extended bidding), the proceeds in the fund, the plan approved
    ec = cases["distribution"]
    sold = Auction.objects.get(enforcement_case=ec)
    assert sold.status == AuctionStatus.SOLD and sold.final_price == sold.bids.order_by("-amount").first().amount
    assert sold.ends_at > sold.bids.order_by("-at").first().at > sold.starts_at
    receipt = FundEntry.objects.get(enforcement_case=ec, kind="receipt")
    assert (receipt.amount, receipt.reference) == (sold.final_price, f"auction-{sold.pk}")
    plan = DistributionPlan.objects.get(enforcement_case=ec)
    assert (plan.status, plan.rule, plan.fund_total) == ("approved", "pro_rata", sold.final_price)
    assert (plan.proposed_by.username, plan.decided_by.username) == ("demo-officer", "demo-head")
    costs, creditor = plan.lines.order_by("position")
    assert (costs.kind, costs.allocated, costs.paid) == ("costs", execution_fee(ec.case.amount), costs.allocated)
    assert (creditor.kind, creditor.paid) == ("ordinary", 0)  # the applicant's share is still due
    assert costs.allocated + creditor.allocated == plan.fund_total
    payout = FundEntry.objects.get(enforcement_case=ec, kind="payout")
    assert payout.amount == costs.allocated and receipt.at < payout.at < now

    # what demo-officer sees: the disposal page of each case and the money held on the fund-ageing page
    client.force_login(User.objects.get(username="demo-officer"))
    for ec in cases.values():
        assert client.get(reverse("assets:case-disposal", args=[ec.pk])).status_code == 200
    assert numbers["distribution"] in client.get("/enforcement/funds/ageing/").content.decode()

    before = counts()
    assert "demo disposal already seeded" in seed()
    assert counts() == before


def test_the_execution_fee_follows_the_brackets_of_the_litigation_costs_measures():
    assert execution_fee(D("8000")) == D("50.00")
    assert execution_fee(D("156427.06")) == D("2246.41")  # 50 + 1.5 % of 146,427.06
    assert execution_fee(D("600000")) == D("8400.00")  # 50 + 1.5 % of 490,000 + 1 % of 100,000
