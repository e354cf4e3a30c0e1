"""Disposal of controlled assets (网拍规定 2016, legal-rules.md §6.1; 拍卖变卖规定 §6.2 where it applies): the first
online auction, the second after a failed first (流拍) or a buyer's default (悔拍), the sale (变卖) after the
second failed, and settlement in kind (以物抵债) after the sale failed. Each refusal names its rule and writes
nothing.

Readings (grade M where marked):
- Art. 10: the starting price of round 1 is at least 70 % of the *reference price* (参考价规定 art. 30 reads the
  reference price in place of the valuation; legal-rules §6.3 "Inference (M)").
- Art. 12 / 26 notice periods by asset category: vehicles, ships, fishing vessels and deposits are movables
  (15 days round 1, 7 days round 2); real estate and every other property right (equity, securities, wealth
  products, online funds, provident fund, insurance) take 30 / 15 days — the classes of ``CATEGORY_CLASS``.
- Art. 26 "within 30 days": the second round is *announced* within 30 days of the failure (M: the text says
  再次拍卖; we read the announcement, since the notice period itself may exceed the rest of the 30 days).
- Sale (变卖): the 2017 SPC notice (M, unverified) sets the sale price at the second round's starting price;
  we take that as the default and allow a lower price only down to half the reference price (拍卖变卖规定
  art. 32: never below half the valuation, read as the reference price).
- Settlement in kind: after the sale failed, a creditor (申请执行人) of the case who accepts takes the asset at
  the last starting price (拍卖变卖规定 art. 16 and 网拍 art. 26 read together, M).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyRole, PropertyClass
from core.access import get_visible_or_404, require_capability
from core.audit import audit_record
from core.exceptions import Conflict, InvalidInput, NotFound, RuleViolation
from core.models import User
from enforcement.choices import Status
from enforcement.models import EnforcementCase, FundEntry, FundEntryKind
from enforcement.services import fund_receive, fund_reverse
from enforcement.services.objections import pending_third_party_objection

from ..choices import AgencyKind, AuctionKind, AuctionStatus, ControlStatus, PriceStatus
from ..models import Agency, Asset, Auction, Bid, ControlMeasure, InKindSettlement, ReferencePrice
from .controls import CATEGORY_CLASS

LIVE = (AuctionStatus.ANNOUNCED, AuctionStatus.BIDDING)
FINISHED = (AuctionStatus.SOLD, AuctionStatus.FAILED, AuctionStatus.DEFAULTED)
FLOOR_SHARE = Decimal("0.70")  # art. 10
DEPOSIT_MIN, DEPOSIT_MAX = Decimal("0.05"), Decimal("0.20")  # art. 17
MAX_CUT = Decimal("0.20")  # art. 26
SALE_FLOOR_SHARE = Decimal("0.50")  # 拍卖变卖规定 art. 32
PARTIES_NOTICE_DAYS = 3  # art. 16
MIN_BIDDING = dt.timedelta(hours=24)  # art. 20
EXTENSION = dt.timedelta(minutes=5)  # art. 20
SECOND_ROUND_WITHIN_DAYS = 30  # art. 26
MOVABLE_CLASSES = (PropertyClass.MOVABLE, PropertyClass.DEPOSIT)
CENT = Decimal("0.01")


def is_movable(asset: Asset) -> bool:
    return CATEGORY_CLASS.get(asset.category) in MOVABLE_CLASSES


def notice_days(asset: Asset, *, round: int) -> int:
    """Days of public notice before bidding starts: art. 12 (round 1: 15 / 30), art. 26 (round 2 and the sale:
    7 / 15), movables / real estate and other property rights."""
    if round == 1:
        return 15 if is_movable(asset) else 30
    return 7 if is_movable(asset) else 15


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise InvalidInput({field: _("Enter an amount.")}, code="auction.amount") from exc
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput({field: _("The amount must be greater than zero.")}, code="auction.amount")
    return amount.quantize(CENT)


def _locked_case(actor: User | None, pk: int) -> EnforcementCase:
    queryset = EnforcementCase.objects.select_for_update(of=("self",)).select_related("case")
    if actor is None:
        return queryset.get(pk=pk)
    return get_visible_or_404(queryset, actor, court_field="case__court", pk=pk)


def _locked_auction(actor: User | None, pk: int) -> Auction:
    if actor is not None:
        get_visible_or_404(Auction.objects.all(), actor, court_field="enforcement_case__case__court", pk=pk)
    seen = Auction.objects.filter(pk=pk).only("enforcement_case_id").first()
    if seen is None:
        raise NotFound(_("Not found."), code="auction.not_found")
    case = _locked_case(actor, seen.enforcement_case_id)
    auction = Auction.objects.select_for_update(of=("self",)).select_related("asset", "platform").get(pk=pk)
    auction.enforcement_case = case
    return auction


def _require_open(case: EnforcementCase) -> None:
    if case.status in (Status.CLOSED, Status.SUSPENDED):
        raise RuleViolation(
            _("Assets are auctioned or sold only on an open case that is not suspended."),
            code="auction.case_not_open",
        )


def primary_seizure(*, enforcement_case: EnforcementCase, asset: Asset) -> ControlMeasure | None:
    """This case's measure in force at the head of the line on the asset (首封), if any."""
    return ControlMeasure.objects.filter(
        enforcement_case=enforcement_case, asset=asset, status=ControlStatus.ACTIVE, position=1
    ).first()


def valid_reference_price(*, asset: Asset, on: dt.date) -> ReferencePrice | None:
    """The reference price in force on ``on``: determined by then and not yet expired (参考价规定 art. 27)."""
    return (
        ReferencePrice.objects.filter(
            asset=asset, status=PriceStatus.DETERMINED, determined_on__lte=on, valid_until__gte=on
        )
        .order_by("-determined_on", "-id")
        .first()
    )


def _check_terms(
    *,
    asset: Asset,
    round: int,
    starting_price: Decimal,
    deposit: Decimal,
    increment: Decimal,
    announced_on: dt.date,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    parties_notified_on: dt.date | None,
) -> None:
    """The rules every round shares: deposit (art. 17), notice (art. 12/26), parties told (art. 16), bidding
    length (art. 20)."""
    low, high = (starting_price * DEPOSIT_MIN).quantize(CENT), (starting_price * DEPOSIT_MAX).quantize(CENT)
    if not low <= deposit <= high:
        raise RuleViolation(
            _("The deposit must be 5 %% to 20 %% of the starting price (网拍规定 art. 17): %(low)s to %(high)s.")
            % {"low": low, "high": high},
            code="auction.deposit",
        )
    if increment <= 0:
        raise InvalidInput({"increment": _("The amount must be greater than zero.")}, code="auction.amount")
    days = notice_days(asset, round=round)
    if timezone.localdate(starts_at) - announced_on < dt.timedelta(days=days):
        rule = _("网拍规定 art. 12") if round == 1 else _("网拍规定 art. 26")
        raise RuleViolation(
            _("The announcement must come at least %(days)s days before bidding starts (%(rule)s).")
            % {"days": days, "rule": rule},
            code="auction.notice",
        )
    if parties_notified_on is None or announced_on - parties_notified_on < dt.timedelta(days=PARTIES_NOTICE_DAYS):
        raise RuleViolation(
            _("The parties must be notified at least 3 days before the announcement (网拍规定 art. 16)."),
            code="auction.parties_notice",
        )
    if ends_at - starts_at < MIN_BIDDING:
        raise RuleViolation(_("Bidding must last at least 24 hours (网拍规定 art. 20)."), code="auction.bidding_length")


def _no_live_auction(asset: Asset) -> None:
    if Auction.objects.filter(asset=asset, status__in=LIVE).exists():
        raise Conflict(_("This asset already has an auction announced or in progress."), code="auction.live")
    if Auction.objects.filter(asset=asset, status=AuctionStatus.SOLD).exists():
        raise RuleViolation(
            _("This asset has been sold; it can be offered again only if the buyer defaults (悔拍)."),
            code="auction.sold",
        )


def _no_pending_objection(asset_id: int) -> None:
    """While a third-party objection (案外人异议) on the asset is under review, the asset is not disposed of
    (民诉法 2023 art. 238: the court stops the enforcement of the property during the review)."""
    objection = pending_third_party_objection(asset_id)
    if objection is not None:
        raise RuleViolation(
            _(
                "A third-party objection to this asset (filed on %(day)s) is under review: it is not disposed of "
                "until the objection is ruled on (民诉法 2023 art. 238)."
            )
            % {"day": objection.filed_on.isoformat()},
            code="auction.objection_pending",
        )


def _save(auction: Auction, *, actor: User, action: str) -> Auction:
    auction.full_clean(validate_constraints=False)
    auction.save()
    audit_record(
        actor=actor,
        action=action,
        obj=auction,
        changes={
            "kind": auction.kind,
            "round": auction.round,
            "starting_price": str(auction.starting_price),
            "deposit": str(auction.deposit),
            "platform": auction.platform.code,
            "starts_at": auction.starts_at.isoformat(),
            "ends_at": auction.ends_at.isoformat(),
        },
    )
    return auction


@transaction.atomic
def auction_announce(
    *,
    actor: User,
    asset: Asset,
    platform: Agency,
    starting_price,
    deposit,
    increment,
    announced_on: dt.date,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    parties_notified_on: dt.date | None,
    enforcement_case: EnforcementCase | None = None,
) -> Auction:
    """Announce the first online auction of ``asset`` on ``platform``."""
    require_capability(actor, "assets.control")
    starting_price = _money(starting_price, "starting_price")
    deposit = _money(deposit, "deposit")
    increment = _money(increment, "increment")
    get_visible_or_404(Asset.objects.all(), actor, court_field="case__court", pk=asset.pk)
    if enforcement_case is None:
        enforcement_case = EnforcementCase.objects.filter(case_id=asset.case_id).first()
    if enforcement_case is None or enforcement_case.case_id != asset.case_id:
        raise RuleViolation(_("The asset is not one of this enforcement case."), code="auction.no_case")
    case = _locked_case(actor, enforcement_case.pk)
    _require_open(case)
    _no_pending_objection(asset.pk)
    if primary_seizure(enforcement_case=case, asset=asset) is None:
        raise RuleViolation(
            _(
                "This court may not auction an asset that is not under its primary seizure (首封; 查封规定 art. 26: "
                "the primary sealing court disposes)."
            ),
            code="auction.not_primary",
        )
    reference = valid_reference_price(asset=asset, on=announced_on)
    if reference is None:
        raise RuleViolation(
            _("No valid reference price: determine one first; it is valid for one year (参考价规定 art. 27, art. 30)."),
            code="auction.no_reference_price",
        )
    floor = (reference.value * FLOOR_SHARE).quantize(CENT)
    if starting_price < floor:
        raise RuleViolation(
            _(
                "The starting price may not be below 70 %% of the reference price (网拍规定 art. 10, read with "
                "参考价规定 art. 30): at least %(floor)s."
            )
            % {"floor": floor},
            code="auction.below_floor",
        )
    if not (platform.active and platform.kind == AgencyKind.AUCTION_PLATFORM):
        raise RuleViolation(
            _("Choose an active online judicial auction platform (网拍规定 art. 2)."), code="auction.platform"
        )
    _check_terms(
        asset=asset,
        round=1,
        starting_price=starting_price,
        deposit=deposit,
        increment=increment,
        announced_on=announced_on,
        starts_at=starts_at,
        ends_at=ends_at,
        parties_notified_on=parties_notified_on,
    )
    _no_live_auction(asset)
    auction = Auction(
        enforcement_case=case,
        asset=asset,
        reference_price=reference,
        platform=platform,
        kind=AuctionKind.AUCTION,
        round=1,
        starting_price=starting_price,
        deposit=deposit,
        increment=increment,
        parties_notified_on=parties_notified_on,
        announced_on=announced_on,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    return _save(auction, actor=actor, action="auction.announce")


def _unsold_round_to_follow(actor: User, previous: Auction, *, after_round: int, refusal: RuleViolation) -> Auction:
    """``previous`` locked, if it is the auction round ``after_round`` of an open case, unsold (failed or the
    buyer defaulted) and not yet followed; ``refusal`` otherwise (网拍规定 art. 26)."""
    previous = _locked_auction(actor, previous.pk)
    _require_open(previous.enforcement_case)
    if not (
        previous.kind == AuctionKind.AUCTION
        and previous.round == after_round
        and previous.status in (AuctionStatus.FAILED, AuctionStatus.DEFAULTED)
    ):
        raise refusal
    if Auction.objects.filter(previous=previous).exists():
        raise Conflict(_("This auction already has a next round."), code="auction.next_exists")
    return previous


def _failed_on(previous: Auction) -> dt.date:
    return timezone.localdate(previous.closed_at or previous.ends_at)


@transaction.atomic
def auction_second_round(
    *,
    actor: User,
    previous: Auction,
    starting_price,
    deposit,
    increment,
    announced_on: dt.date,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    parties_notified_on: dt.date | None,
) -> Auction:
    """The second online auction after a failed (流拍) or defaulted first round (网拍规定 art. 26)."""
    require_capability(actor, "assets.control")
    starting_price = _money(starting_price, "starting_price")
    deposit = _money(deposit, "deposit")
    increment = _money(increment, "increment")
    previous = _unsold_round_to_follow(
        actor,
        previous,
        after_round=1,
        refusal=RuleViolation(
            _("A second auction follows only a first auction that failed or whose buyer defaulted (网拍规定 art. 26)."),
            code="auction.second_round_order",
        ),
    )
    _no_pending_objection(previous.asset_id)
    by = _failed_on(previous) + dt.timedelta(days=SECOND_ROUND_WITHIN_DAYS)
    if announced_on > by:
        raise RuleViolation(
            _("The second auction must be announced within 30 days of the failure (网拍规定 art. 26): by %(by)s.")
            % {"by": by.isoformat()},
            code="auction.second_round_late",
        )
    floor = (previous.starting_price * (1 - MAX_CUT)).quantize(CENT)
    if starting_price < floor:
        raise RuleViolation(
            _(
                "The starting price may fall by at most 20 %% of the previous starting price (网拍规定 art. 26): "
                "at least %(floor)s."
            )
            % {"floor": floor},
            code="auction.cut_too_deep",
        )
    _check_terms(
        asset=previous.asset,
        round=2,
        starting_price=starting_price,
        deposit=deposit,
        increment=increment,
        announced_on=announced_on,
        starts_at=starts_at,
        ends_at=ends_at,
        parties_notified_on=parties_notified_on,
    )
    _no_live_auction(previous.asset)
    auction = Auction(
        enforcement_case=previous.enforcement_case,
        asset=previous.asset,
        reference_price=previous.reference_price,
        platform=previous.platform,  # the same platform (art. 26)
        kind=AuctionKind.AUCTION,
        round=2,
        previous=previous,
        starting_price=starting_price,
        deposit=deposit,
        increment=increment,
        parties_notified_on=parties_notified_on,
        announced_on=announced_on,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    return _save(auction, actor=actor, action="auction.second_round")


@transaction.atomic
def sale_start(
    *,
    actor: User,
    previous: Auction,
    price,
    deposit,
    increment,
    announced_on: dt.date,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    parties_notified_on: dt.date | None,
) -> Auction:
    """The sale (变卖) on the same platform after the second auction failed (网拍规定 art. 26)."""
    require_capability(actor, "assets.control")
    price = _money(price, "price")
    deposit = _money(deposit, "deposit")
    increment = _money(increment, "increment")
    previous = _unsold_round_to_follow(
        actor,
        previous,
        after_round=2,
        refusal=RuleViolation(
            _("A sale (变卖) follows only a second auction that failed (网拍规定 art. 26)."), code="auction.sale_order"
        ),
    )
    _no_pending_objection(previous.asset_id)
    if price > previous.starting_price:
        raise RuleViolation(
            _("The sale price is at most the second auction's starting price %(price)s (2017 SPC notice, M).")
            % {"price": previous.starting_price},
            code="auction.sale_above",
        )
    floor = (previous.reference_price.value * SALE_FLOOR_SHARE).quantize(CENT)
    if price < floor:
        raise RuleViolation(
            _(
                "A sale price may never be below half the valuation (拍卖变卖规定 art. 32, read as the reference "
                "price): at least %(floor)s."
            )
            % {"floor": floor},
            code="auction.sale_below_half",
        )
    _check_terms(
        asset=previous.asset,
        round=3,
        starting_price=price,
        deposit=deposit,
        increment=increment,
        announced_on=announced_on,
        starts_at=starts_at,
        ends_at=ends_at,
        parties_notified_on=parties_notified_on,
    )
    _no_live_auction(previous.asset)
    auction = Auction(
        enforcement_case=previous.enforcement_case,
        asset=previous.asset,
        reference_price=previous.reference_price,
        platform=previous.platform,
        kind=AuctionKind.SALE,
        round=3,
        previous=previous,
        starting_price=price,
        deposit=deposit,
        increment=increment,
        parties_notified_on=parties_notified_on,
        announced_on=announced_on,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    return _save(auction, actor=actor, action="auction.sale_start")


def highest_bid(auction: Auction) -> Bid | None:
    return auction.bids.order_by("-amount", "at", "id").first()


@transaction.atomic
def auction_bid(*, auction: Auction, bidder: str, amount, at: dt.datetime) -> Bid:
    """A bid reported by the platform: during bidding only, at least the starting price and the highest bid
    plus the increment; a bid in the last 5 minutes extends bidding to 5 minutes after it (网拍规定 art. 20)."""
    amount = _money(amount, "amount")
    auction = _locked_auction(None, auction.pk)
    if auction.status not in LIVE or not auction.starts_at <= at < auction.ends_at:
        raise RuleViolation(_("Bids are taken only during bidding (网拍规定 art. 20)."), code="auction.not_bidding")
    if not bidder or not str(bidder).strip():
        raise InvalidInput({"bidder": _("This field is required.")}, code="auction.bidder")
    top = highest_bid(auction)
    minimum = auction.starting_price if top is None else top.amount + auction.increment
    if amount < minimum:
        raise RuleViolation(
            _("A bid must be at least %(minimum)s (the starting price, then the highest bid plus the increment).")
            % {"minimum": minimum},
            code="auction.bid_too_low",
        )
    bid = Bid(auction=auction, bidder=str(bidder).strip()[:200], amount=amount, at=at)
    bid.full_clean()
    bid.save()
    fields = []
    if auction.status != AuctionStatus.BIDDING:
        auction.status = AuctionStatus.BIDDING
        fields.append("status")
    if auction.ends_at - at < EXTENSION:
        auction.ends_at = at + EXTENSION
        fields.append("ends_at")
    if fields:
        auction.save(update_fields=fields)
    audit_record(actor=None, action="auction.bid", obj=auction, changes={"amount": str(amount), "at": at.isoformat()})
    return bid


@transaction.atomic
def auction_close(*, auction: Auction, now: dt.datetime, actor: User | None = None) -> Auction:
    """Close bidding after ``ends_at``: no bids → FAILED (流拍, art. 26); otherwise SOLD to the highest bid, whose
    proceeds enter the case fund once (reference ``auction-<pk>``)."""
    auction = _locked_auction(None, auction.pk)
    if auction.status not in LIVE:
        raise Conflict(_("This auction is already closed."), code="auction.closed")
    if now < auction.ends_at:
        raise RuleViolation(_("Bidding has not ended yet (网拍规定 art. 20)."), code="auction.not_ended")
    top = highest_bid(auction)
    auction.closed_at = now
    if top is None:
        auction.status = AuctionStatus.FAILED
    else:
        auction.status = AuctionStatus.SOLD
        auction.final_price = top.amount
        auction.buyer = top.bidder
    auction.save(update_fields=["status", "closed_at", "final_price", "buyer"])
    audit_record(
        actor=actor,
        action="auction.close",
        obj=auction,
        changes={"status": auction.status, "final_price": str(auction.final_price or "")},
    )
    if auction.status == AuctionStatus.SOLD:
        fund_receive(
            # the ledger records who reported the money: the officer, else the platform's client, else the
            # officer who announced the auction (the periodic job has no user)
            actor=actor or auction.platform.client or auction.created_by,
            enforcement_case=auction.enforcement_case,
            amount=auction.final_price,
            source="auction",
            reference=f"auction-{auction.pk}",
        )
    return auction


@transaction.atomic
def auction_default(*, actor: User, auction: Auction, reason: str = "") -> Auction:
    """The buyer did not pay (悔拍, 网拍规定 art. 24): the sale's receipt in the case fund is reversed (the price
    never arrived) and the deposit, which is not returned, enters the case fund in its place — the article
    applies it to the costs of the new auction, any shortfall of its price, then the debtor's debts, which is
    the distribution order. The asset can then be announced again."""
    require_capability(actor, "assets.control")
    auction = _locked_auction(actor, auction.pk)
    if auction.status != AuctionStatus.SOLD:
        raise RuleViolation(_("Only a sold auction's buyer can default (网拍规定 art. 24)."), code="auction.not_sold")
    reason = (reason or "").strip() or _("The buyer did not pay the price (悔拍).")
    receipt = FundEntry.objects.filter(reference=f"auction-{auction.pk}", kind=FundEntryKind.RECEIPT).first()
    if receipt is not None:
        fund_reverse(actor=actor, receipt=receipt, reason=reason)
    auction.status = AuctionStatus.DEFAULTED
    auction.save(update_fields=["status"])
    fund_receive(
        actor=actor,
        enforcement_case=auction.enforcement_case,
        amount=auction.deposit,
        source="forfeited_deposit",
        reference=f"auction-{auction.pk}-deposit",
    )
    audit_record(
        actor=actor,
        action="auction.default",
        obj=auction,
        reason=reason,
        changes={"buyer": auction.buyer, "deposit_forfeited": str(auction.deposit)},
    )
    return auction


def _stop(*, actor: User, auction: Auction, reason: str, status: str, action: str) -> Auction:
    require_capability(actor, "assets.control")
    if not reason or not reason.strip():
        raise InvalidInput({"reason": _("Give the reason.")}, code="auction.reason")
    auction = _locked_auction(actor, auction.pk)
    if auction.status not in LIVE:
        raise RuleViolation(
            _("Only an announced auction or one in bidding can be withdrawn or suspended."), code="auction.not_live"
        )
    auction.status = status
    auction.save(update_fields=["status"])
    audit_record(actor=actor, action=action, obj=auction, reason=reason.strip())
    return auction


@transaction.atomic
def auction_withdraw(*, actor: User, auction: Auction, reason: str) -> Auction:
    """Withdraw (撤回) a live auction (网拍规定 art. 31 grounds; reason required)."""
    return _stop(actor=actor, auction=auction, reason=reason, status=AuctionStatus.WITHDRAWN, action="auction.withdraw")


@transaction.atomic
def auction_suspend(*, actor: User, auction: Auction, reason: str) -> Auction:
    """Suspend (中止) a live auction (网拍规定 art. 32 grounds; reason required)."""
    return _stop(actor=actor, auction=auction, reason=reason, status=AuctionStatus.SUSPENDED, action="auction.suspend")


def auctions_close_due(*, now: dt.datetime | None = None) -> int:
    """The periodic job: close every live auction whose bidding ended (index ``auction_due_idx``)."""
    now = now or timezone.now()
    closed = 0
    due = (
        Auction.objects.filter(status__in=LIVE, ends_at__lte=now).order_by("ends_at", "id").values_list("pk", flat=True)
    )
    for pk in list(due[:500]):
        auction = Auction.objects.get(pk=pk)
        try:
            auction_close(auction=auction, now=now)
        except Conflict:  # closed meanwhile by the platform
            continue
        closed += 1
    return closed


@transaction.atomic
def in_kind_settlement_record(
    *, actor: User, asset: Asset, creditor, value=None, accepted_on: dt.date
) -> InKindSettlement:
    """以物抵债: after the sale failed, a creditor of the case who accepts takes the asset at the last starting
    price (拍卖变卖规定 art. 16, M)."""
    require_capability(actor, "assets.control")
    get_visible_or_404(Asset.objects.all(), actor, court_field="case__court", pk=asset.pk)
    last = Auction.objects.filter(asset=asset).order_by("-round", "-id").first()
    if last is None or last.kind != AuctionKind.SALE or last.status != AuctionStatus.FAILED:
        raise RuleViolation(
            _("Settlement in kind (以物抵债) comes only after the auctions and the sale failed."),
            code="auction.in_kind_order",
        )
    case = _locked_case(actor, last.enforcement_case_id)
    _no_pending_objection(asset.pk)
    if not case.case.party_links.filter(party=creditor, role=PartyRole.CREDITOR).exists():
        raise RuleViolation(
            _("Only a creditor (申请执行人) of this case can accept the asset in settlement."),
            code="auction.in_kind_creditor",
        )
    if InKindSettlement.objects.filter(asset=asset).exists():
        raise Conflict(_("This asset was already settled in kind."), code="auction.in_kind_done")
    expected = last.starting_price
    if value is not None and _money(value, "value") != expected:
        raise RuleViolation(
            _("The asset is credited at the last starting price, %(price)s.") % {"price": expected},
            code="auction.in_kind_value",
        )
    settlement = InKindSettlement(
        asset=asset, enforcement_case=case, creditor=creditor, value=expected, accepted_on=accepted_on,
        recorded_by=actor,
    )  # fmt: skip
    settlement.full_clean()
    settlement.save()
    audit_record(
        actor=actor,
        action="auction.in_kind",
        obj=settlement,
        changes={"creditor": creditor.pk, "value": str(expected), "accepted_on": accepted_on.isoformat()},
    )
    return settlement


def disposal_timeline(enforcement_case: EnforcementCase, *, today: dt.date | None = None) -> list[dict]:
    """The disposal deadlines of the case, ordered by date: for each asset, what happened and what is due next,
    each with its status (done, pending, overdue) and rule."""
    today = today or timezone.localdate()
    entries: list[dict] = []

    def add(date, what, status, rule, asset, auction=None):
        entries.append({"date": date, "what": what, "status": status, "rule": rule, "asset": asset, "auction": auction})

    auctions = list(
        Auction.objects.filter(enforcement_case=enforcement_case).select_related("asset", "platform").order_by("id")
    )
    followed = {a.previous_id for a in auctions if a.previous_id}
    for auction in auctions:
        asset = auction.asset
        label = (
            _("Sale (变卖)") if auction.kind == AuctionKind.SALE else _("Auction round %(n)s") % {"n": auction.round}
        )
        add(
            auction.announced_on,
            _("%(what)s announced") % {"what": label},
            "done",
            _("网拍规定 art. 12"),
            asset,
            auction,
        )
        ends = timezone.localdate(auction.ends_at)
        if auction.status in LIVE:
            add(ends, _("%(what)s: bidding ends") % {"what": label}, "pending", _("网拍规定 art. 20"), asset, auction)
            continue
        add(
            timezone.localdate(auction.closed_at or auction.ends_at),
            _("%(what)s: %(status)s") % {"what": label, "status": auction.get_status_display()},
            "done",
            _("网拍规定 art. 26"),
            asset,
            auction,
        )
        if auction.pk in followed or auction.status not in (AuctionStatus.FAILED, AuctionStatus.DEFAULTED):
            continue
        if auction.kind == AuctionKind.AUCTION and auction.round == 1:
            by = _failed_on(auction) + dt.timedelta(days=SECOND_ROUND_WITHIN_DAYS)
            add(
                by,
                _("Announce the second auction by this day"),
                "overdue" if today > by else "pending",
                _("网拍规定 art. 26"),
                asset,
                auction,
            )
        elif auction.kind == AuctionKind.AUCTION:
            by = _failed_on(auction) + dt.timedelta(days=7)
            add(
                by,
                _("Announce the sale (变卖) on the same platform (about 7 days, M)"),
                "overdue" if today > by else "pending",
                _("网拍规定 art. 26; 2017 SPC notice (M)"),
                asset,
                auction,
            )
        elif not InKindSettlement.objects.filter(asset=asset).exists():
            add(
                _failed_on(auction),
                _("Sale failed: a creditor may accept the asset in settlement (以物抵债), or the seizure is lifted"),
                "pending",
                _("拍卖变卖规定 art. 16 (M)"),
                asset,
                auction,
            )
    disposed = {a.asset_id for a in auctions}
    prices = ReferencePrice.objects.filter(
        enforcement_case=enforcement_case, status=PriceStatus.DETERMINED
    ).select_related("asset")
    for price in prices:
        if price.asset_id in disposed or price.valid_until is None:
            continue
        add(
            price.valid_until,
            _("Reference price valid until: announce the first auction by this day"),
            "overdue" if today > price.valid_until else "pending",
            _("参考价规定 art. 27"),
            price.asset,
        )
    for settlement in InKindSettlement.objects.filter(enforcement_case=enforcement_case).select_related("asset"):
        add(
            settlement.accepted_on,
            _("Settled in kind (以物抵债)"),
            "done",
            _("拍卖变卖规定 art. 16 (M)"),
            settlement.asset,
        )
    entries.sort(key=lambda e: (e["date"], e["asset"].pk if e["asset"] else 0))
    return entries
