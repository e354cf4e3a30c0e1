"""Demo data of disposal (处置, issue 7): three of demo-officer's cases at 京0105 in the middle of it, so that
logging in as demo-officer shows each situation on its case page.

- Case A: the debtor's car, found by the network query, impounded (扣押), priced by the parties (当事人议价),
  and in its first online auction now: bidding started three days ago and ends in two, three bids reported by
  the demo auction platform (网拍规定 art. 20: 24 hours at least, 5-minute extension).
- Case B: the debtor's flat, sealed (查封) and priced by the parties; the first auction failed (流拍) three weeks
  ago; the second is announced with the full 20 % cut, within 30 days of the failure, bidding in eight days
  (网拍规定 art. 26).
- Case C: the debtor's car, sold at its first auction (a bid in the last 5 minutes extended bidding); the
  proceeds are in the case fund; demo-officer proposed a distribution (the execution fee first, then the
  applicant's claim; pro rata for a natural-person debtor) and demo-head approved it; the fee is paid out,
  the applicant's share is still due, so the case-fund ageing page shows the money held.

Everything goes through the services (``query_order`` and the agencies' answers, ``control_order`` and
``control_confirm``, ``price_start``/``price_negotiated``, ``auction_announce``, ``auction_bid``,
``auction_close``, ``auction_second_round``, ``distribution_propose``/``distribution_decide``/
``distribution_pay``), on days counted back from today, so every rule is checked as in production. As the
other demos do, the times the services stamp with "now" (the query, the fund entries, the plan's proposal and
decision) are then dated back to the day of each step.

The cases are demo-officer's cases "in disposal" that no other demo uses (no query, asset, measure, money or
extension request of their own, not planned for 终本), newest first, a natural-person debtor's case for C
when there is one. Idempotent: the marker ``SEEDED`` (an audit row) is written with the data; once it exists
nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.demo import DEMO_REASON, DemoContext
from core.models import AuditLog, User

from .choices import AssetCategory, ConfirmOutcome, ControlKind, PriceMethod
from .models import Agency, AgencyRequest, Asset

COURT = "京0105"
OFFICER = "demo-officer"
HEAD = "demo-head"
SEEDED = "demo.disposal_seeded"
PLATFORM = "auction-platform"
VEHICLE_REGISTRY = "mps-traffic"
REAL_ESTATE_REGISTRY = "bj-real-estate"

# Reference prices agreed by the parties, and the starting prices (80 % of the reference price, above the 70 %
# floor of 网拍规定 art. 10); deposits 10 % (art. 17: 5–20 %).
CAR_A_PRICE = Decimal("186000.00")
FLAT_B_PRICE = Decimal("3250000.00")
CAR_C_PRICE = Decimal("128000.00")
START_SHARE = Decimal("0.80")
DEPOSIT_SHARE = Decimal("0.10")
SECOND_ROUND_SHARE = Decimal("0.80")  # the deepest cut art. 26 allows (20 %)
CENT = Decimal("0.01")

# 诉讼费用交纳办法 art. 14(1): the execution fee (申请执行费) by the amount enforced, in brackets.
FEE_BRACKETS = (
    (Decimal("500000"), Decimal("0.015")),
    (Decimal("5000000"), Decimal("0.01")),
    (Decimal("10000000"), Decimal("0.005")),
    (None, Decimal("0.001")),
)


def execution_fee(amount: Decimal) -> Decimal:
    """申请执行费 for ``amount``: 50 yuan up to 10,000, then 1.5 % / 1 % / 0.5 % / 0.1 % of each bracket."""
    fee, low = Decimal("50"), Decimal("10000")
    for high, rate in FEE_BRACKETS:
        if amount <= low:
            break
        part = (amount if high is None else min(amount, high)) - low
        fee += part * rate
        if high is None:
            break
        low = high
    return fee.quantize(CENT)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _share(value: Decimal, share: Decimal) -> Decimal:
    return (value * share).quantize(CENT)


def _candidates(context: DemoContext, officer: User) -> list:
    """demo-officer's cases in disposal at 京0105 that no other demo touched, newest first."""
    from enforcement.choices import Status
    from enforcement.demo import terminated_demo_candidates
    from enforcement.models import EnforcementCase, ExtensionRequest, FundEntry

    from .models import Auction, ControlMeasure, QueryBatch

    planned = {ec.pk for ec in terminated_demo_candidates(context)}
    busy = (
        set(QueryBatch.objects.values_list("enforcement_case_id", flat=True))
        | set(ControlMeasure.objects.values_list("enforcement_case_id", flat=True))
        | set(Auction.objects.values_list("enforcement_case_id", flat=True))
        | set(FundEntry.objects.values_list("enforcement_case_id", flat=True))
        | set(ExtensionRequest.objects.values_list("enforcement_case_id", flat=True))
    )
    cases = (
        EnforcementCase.objects.filter(case__court__code=COURT, officer=officer, status=Status.DISPOSING)
        .exclude(pk__in=planned | busy)
        .select_related("case")
        .order_by("-pk")
    )
    return [ec for ec in cases if not Asset.objects.filter(case=ec.case).exists()]


def _person_debtors_only(ec) -> bool:
    from enforcement.services.distribution import rule_for

    return rule_for(ec) == "pro_rata"


def _found_asset(context: DemoContext, officer: User, ec, *, category: str, agency_code: str, asked_on: dt.date):
    """A network query of the case over every category, ordered by the officer on ``asked_on`` and answered
    three hours later as the simulator would, except that only ``agency_code`` finds something, of
    ``category``, for the first debtor: the asset the demo disposes of."""
    from .models import QueryBatch
    from .serializers import AnswerSerializer
    from .services import batch_fan_out, query_order, request_answer
    from .simulator import simulated_result

    asked_at = _at(asked_on, 9, 30)
    answered_at = asked_at + dt.timedelta(hours=3)
    batch = query_order(actor=officer, enforcement_case=ec)
    QueryBatch.objects.filter(pk=batch.pk).update(created_at=asked_at)
    batch_fan_out(batch_id=batch.pk, now=asked_at)
    debtor = min(item["debtor"] for request in batch.requests.all() for item in request.payload["items"])
    for request in AgencyRequest.objects.filter(batch=batch).select_related("agency").order_by("pk"):
        results = []
        for item in request.payload["items"]:
            if request.agency.code == agency_code and item["category"] == category and item["debtor"] == debtor:
                results.append(
                    simulated_result(
                        seed=context.seed, agency=agency_code, request_id=request.pk, item=item, gained=True
                    )
                )
            else:
                results.append({"debtor": item["debtor"], "category": item["category"], "outcome": "none_found"})
        answer = AnswerSerializer(data={"results": results})
        answer.is_valid(raise_exception=True)
        request_answer(
            agency=request.agency, request_id=request.pk, results=answer.validated_data["results"], now=answered_at
        )
    return Asset.objects.filter(case=ec.case, category=category, agency__code=agency_code).order_by("pk").first()


def _control(officer: User, ec, asset: Asset, *, kind: str, on: dt.date) -> None:
    """The measure ordered in the morning and confirmed by the registry in the afternoon (in force, 首封)."""
    from .services import control_confirm, control_order

    measure = control_order(actor=officer, enforcement_case=ec, asset=asset, kind=kind, starts_on=on, now=_at(on, 10))
    order = AgencyRequest.objects.filter(measure=measure).latest("pk")
    control_confirm(
        agency=order.agency,
        request_id=order.pk,
        outcome=ConfirmOutcome.DONE,
        reference=f"DEMO-{order.pk}",
        now=_at(on, 15),
    )


def _agreed_price(officer: User, ec, asset: Asset, *, value: Decimal, started_on: dt.date, agreed_on: dt.date):
    """当事人议价 (参考价规定 art. 4): both parties give the same figure, which becomes the reference price."""
    from .services import price_negotiated, price_start

    price = price_start(actor=officer, asset=asset, method=PriceMethod.NEGOTIATION, enforcement_case=ec, on=started_on)
    return price_negotiated(actor=officer, price=price, creditor_figure=value, debtor_figure=value, on=agreed_on)


def _announce(officer: User, ec, asset: Asset, platform: Agency, *, price: Decimal, increment: str, **days):
    from .services import auction_announce

    starting = _share(price, START_SHARE)
    return auction_announce(
        actor=officer,
        asset=asset,
        platform=platform,
        enforcement_case=ec,
        starting_price=starting,
        deposit=_share(starting, DEPOSIT_SHARE),
        increment=Decimal(increment),
        **days,
    )


def _case_a(context: DemoContext, officer: User, ec, platform: Agency) -> None:
    """The car in its first auction now: announced 20 days ago (15 days' notice for a movable, art. 12),
    bidding from three days ago until the day after tomorrow, three bids so far."""
    from .services import auction_bid

    today = context.today
    car = _found_asset(
        context,
        officer,
        ec,
        category=AssetCategory.VEHICLE,
        agency_code=VEHICLE_REGISTRY,
        asked_on=today - dt.timedelta(70),
    )
    _control(officer, ec, car, kind=ControlKind.IMPOUND, on=today - dt.timedelta(60))
    _agreed_price(
        officer, ec, car, value=CAR_A_PRICE, started_on=today - dt.timedelta(50), agreed_on=today - dt.timedelta(45)
    )
    auction = _announce(
        officer, ec, car, platform,
        price=CAR_A_PRICE, increment="1000.00",
        parties_notified_on=today - dt.timedelta(24),
        announced_on=today - dt.timedelta(20),
        starts_at=_at(today - dt.timedelta(3), 10),
        ends_at=_at(today + dt.timedelta(2), 10),
    )  # fmt: skip
    bids = (
        ("竞买号 A3719", auction.starting_price, _at(today - dt.timedelta(3), 14, 20)),
        ("竞买号 B0562", auction.starting_price + 2 * auction.increment, _at(today - dt.timedelta(2), 9, 45)),
        ("竞买号 A3719", auction.starting_price + 4 * auction.increment, _at(today - dt.timedelta(1), 16, 10)),
    )
    for bidder, amount, at in bids:
        auction_bid(auction=auction, bidder=bidder, amount=amount, at=at)


def _case_b(context: DemoContext, officer: User, ec, platform: Agency) -> None:
    """The flat: the first auction (30 days' notice for real estate) failed 23 days ago with no bid; the second
    was announced 8 days ago at the previous starting price less 20 %, bidding in 8 days (15 days' notice)."""
    from .services import auction_close, auction_second_round

    today = context.today
    flat = _found_asset(
        context, officer, ec, category=AssetCategory.REAL_ESTATE, agency_code=REAL_ESTATE_REGISTRY,
        asked_on=today - dt.timedelta(130),
    )  # fmt: skip
    _control(officer, ec, flat, kind=ControlKind.SEAL, on=today - dt.timedelta(120))
    _agreed_price(
        officer, ec, flat, value=FLAT_B_PRICE, started_on=today - dt.timedelta(100), agreed_on=today - dt.timedelta(95)
    )
    first = _announce(
        officer, ec, flat, platform,
        price=FLAT_B_PRICE, increment="10000.00",
        parties_notified_on=today - dt.timedelta(60),
        announced_on=today - dt.timedelta(56),
        starts_at=_at(today - dt.timedelta(24), 10),
        ends_at=_at(today - dt.timedelta(23), 10),
    )  # fmt: skip
    first = auction_close(auction=first, now=first.ends_at)  # no bid: 流拍
    starting = _share(first.starting_price, SECOND_ROUND_SHARE)
    auction_second_round(
        actor=officer,
        previous=first,
        starting_price=starting,
        deposit=_share(starting, DEPOSIT_SHARE),
        increment=first.increment,
        parties_notified_on=today - dt.timedelta(12),
        announced_on=today - dt.timedelta(8),
        starts_at=_at(today + dt.timedelta(8), 10),
        ends_at=_at(today + dt.timedelta(9), 10),
    )


def _case_c(context: DemoContext, officer: User, head: User, ec, platform: Agency) -> None:
    """The car sold 18 days ago (a bid in the last 5 minutes moved the end by 5 minutes), the proceeds in the
    case fund; the plan proposed 6 days ago, approved the day after, the execution fee paid out 2 days ago."""
    from enforcement.models import DistributionPlan, FundEntry
    from enforcement.services.distribution import distribution_decide, distribution_pay, distribution_propose, rule_for

    from .services import auction_bid, auction_close

    today = context.today
    car = _found_asset(
        context,
        officer,
        ec,
        category=AssetCategory.VEHICLE,
        agency_code=VEHICLE_REGISTRY,
        asked_on=today - dt.timedelta(110),
    )
    _control(officer, ec, car, kind=ControlKind.IMPOUND, on=today - dt.timedelta(100))
    _agreed_price(
        officer, ec, car, value=CAR_C_PRICE, started_on=today - dt.timedelta(90), agreed_on=today - dt.timedelta(85)
    )
    sale_day = today - dt.timedelta(18)
    auction = _announce(
        officer, ec, car, platform,
        price=CAR_C_PRICE, increment="500.00",
        parties_notified_on=today - dt.timedelta(40),
        announced_on=today - dt.timedelta(36),
        starts_at=_at(sale_day - dt.timedelta(1), 10),
        ends_at=_at(sale_day, 10),
    )  # fmt: skip
    step = auction.increment
    for bidder, raises, at in (
        ("竞买号 C2210", 0, _at(sale_day - dt.timedelta(1), 11, 5)),
        ("竞买号 D7785", 3, _at(sale_day, 9, 31)),
        ("竞买号 C2210", 5, _at(sale_day, 9, 57)),  # in the last 5 minutes: bidding now ends at 10:02
    ):
        auction_bid(auction=auction, bidder=bidder, amount=auction.starting_price + raises * step, at=at)
    auction.refresh_from_db()
    closed_at = auction.ends_at + dt.timedelta(minutes=1)
    auction = auction_close(auction=auction, now=closed_at, actor=officer)
    FundEntry.objects.filter(reference=f"auction-{auction.pk}").update(at=closed_at)

    creditors = [link.party for link in ec.case.party_links.filter(role="creditor").order_by("position", "pk")]
    rule = rule_for(ec) or "pro_rata"
    claims = [{"kind": "costs", "amount": execution_fee(ec.case.amount), "description": "申请执行费（申请执行人预交）"}]
    each = (ec.case.amount / len(creditors)).quantize(CENT)
    for index, creditor in enumerate(creditors):
        amount = ec.case.amount - each * (len(creditors) - 1) if index == len(creditors) - 1 else each
        claims.append(
            {
                "kind": "ordinary",
                "recipient": creditor.pk,
                "amount": amount,
                "control_position": 1 if rule == "control_order" else None,
                "description": "申请执行人债权（生效法律文书确定的金额）",
            }
        )
    plan = distribution_propose(
        actor=officer,
        enforcement_case=ec,
        fund_total=auction.final_price,
        claims=claims,
        rule=rule,
        note="拍卖款已到账：先清偿执行费用，余款按比例分配给申请执行人。",
    )
    plan = distribution_decide(actor=head, plan=plan, approve=True, note="同意分配方案。")
    DistributionPlan.objects.filter(pk=plan.pk).update(
        proposed_at=_at(today - dt.timedelta(6), 15), decided_at=_at(today - dt.timedelta(5), 10)
    )
    costs = plan.lines.get(kind="costs")
    entry = distribution_pay(
        actor=officer, line=costs, amount=costs.allocated, reference=f"DEMO-PAYOUT-{ec.case.number}-1"
    )
    FundEntry.objects.filter(pk=entry.pk).update(at=_at(today - dt.timedelta(2), 14))


def seed_disposal(context: DemoContext) -> None:
    """Seed the three disposal situations on demo-officer's cases (see the module docstring); once only."""
    if AuditLog.objects.filter(action=SEEDED).exists():
        context.log("assets: demo disposal already seeded.")
        return
    officer = context.users.get(OFFICER) or User.objects.filter(username=OFFICER).first()
    head = context.users.get(HEAD) or User.objects.filter(username=HEAD).first()
    platform = Agency.objects.filter(code=PLATFORM, active=True).first()
    if officer is None or head is None or platform is None:
        context.log("assets: no demo officer, head or auction platform; no disposal demo.")
        return
    cases = _candidates(context, officer)
    if len(cases) < 3:
        context.log(f"assets: only {len(cases)} demo cases free for the disposal demo; none seeded.")
        return
    c = next((ec for ec in cases if _person_debtors_only(ec)), cases[0])
    a, b = [ec for ec in cases if ec.pk != c.pk][:2]
    with transaction.atomic():
        _case_a(context, officer, a, platform)
        _case_b(context, officer, b, platform)
        _case_c(context, officer, head, c, platform)
        numbers = {"live_auction": a.case.number, "second_round": b.case.number, "distribution": c.case.number}
        audit_record(actor=None, action=SEEDED, reason=DEMO_REASON, changes=numbers)
    context.log(
        f"assets: disposal — auction in bidding on {a.case.number}; second auction announced after 流拍 on "
        f"{b.case.number}; sold, distribution approved and partly paid out on {c.case.number}."
    )
