"""Control measures (查封、扣押、冻结、扣划): ordering, the agency's confirmation, release with 轮候 promotion,
renewal (续行), lapse at expiry, and deductions into the case-fund ledger.

Rules (legal-rules.md §2): a measure lasts at most 1 year on bank deposits, 2 on movables, 3 on real estate
and other property rights (民诉法解释 2022 art. 485); a renewal is made before expiry and lasts up to the
same cap from the old expiry; an unrenewed measure lapses at expiry (查封规定 art. 27); the first measure in
force on an asset is primary (首封), later ones wait (轮候) and take effect in order of registration when it
ends (art. 26). A waiting measure's period runs from the day it takes effect (grade M: our reading of
art. 26; the period ordered is kept, capped again from that day). A deduction never exceeds the amount still
frozen nor what is still owed on the case: both are checked under row locks on the enforcement case and the
measure (taken in that order everywhere), so concurrent deductions cannot overdraw (PostgreSQL). A deduction
above ``deduction_approval_threshold()`` waits for a division head other than the officer who ordered it
(``deduction_approve`` / ``deduction_decline``); while it waits it holds its amount against both limits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import MAX_CONTROL_YEARS, PropertyClass
from cases.models import PreservationMeasure
from core.access import get_visible_or_404, require_capability
from core.audit import audit_record
from core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import User
from enforcement.choices import Status
from enforcement.models import EnforcementCase
from enforcement.services import fund_owed, fund_receive

from ..choices import (
    AssetCategory,
    ConfirmOutcome,
    ControlKind,
    ControlStatus,
    DeductionStatus,
    RequestKind,
    RequestStatus,
)
from ..models import Agency, AgencyRequest, Asset, ControlMeasure, Deduction
from .queries import ANSWER_WINDOW

C = AssetCategory
# Which cap of art. 485 applies to an asset category. Categories that are records, not property (tax,
# registrations, documents, social security), are not controlled. Grade M: online funds, wealth products,
# provident fund and insurance are read as "other property rights" (3 years), not bank deposits.
CATEGORY_CLASS = {
    C.DEPOSIT: PropertyClass.DEPOSIT,
    C.VEHICLE: PropertyClass.MOVABLE,
    C.SHIP: PropertyClass.MOVABLE,
    C.FISHING_VESSEL: PropertyClass.MOVABLE,
    C.REAL_ESTATE: PropertyClass.REAL_ESTATE,
    C.WEALTH_PRODUCT: PropertyClass.OTHER_RIGHT,
    C.ONLINE_FUNDS: PropertyClass.OTHER_RIGHT,
    C.SECURITIES: PropertyClass.OTHER_RIGHT,
    C.EQUITY: PropertyClass.OTHER_RIGHT,
    C.PROVIDENT_FUND: PropertyClass.OTHER_RIGHT,
    C.INSURANCE: PropertyClass.OTHER_RIGHT,
}
# Money an agency can pay over to the court (扣划).
MONEY_CATEGORIES = frozenset({C.DEPOSIT, C.ONLINE_FUNDS, C.PROVIDENT_FUND})
ORDER_REQUEST = {
    ControlKind.FREEZE: RequestKind.FREEZE,
    ControlKind.SEAL: RequestKind.SEAL,
    ControlKind.IMPOUND: RequestKind.IMPOUND,
    ControlKind.DEDUCT: RequestKind.DEDUCT,
}
FREEZES = (ControlKind.FREEZE, ControlKind.DEDUCT)
IN_FORCE = (ControlStatus.ACTIVE, ControlStatus.WAITING)
ZERO = Decimal("0.00")
# A deduction above this amount waits for a second person before it is sent: a division head of the case's court
# other than the officer who ordered it (separation of duties). ``settings.ZHIXING_DEDUCTION_APPROVAL_ABOVE``
# overrides it.
DEDUCTION_APPROVAL_ABOVE = Decimal("500000.00")
# What no longer holds money back: the agency refused it, or the division head declined it.
DEDUCTION_RELEASED = (DeductionStatus.REFUSED, DeductionStatus.DECLINED)
# What the case still waits to receive: sent to the agency, or waiting for the head's approval.
DEDUCTION_OUTSTANDING = (DeductionStatus.AWAITING, DeductionStatus.PENDING)
APPROVE_DEDUCTION = "assets.approve_deduction"  # the capability of the division heads who decide (``apps.py``)


def deduction_approval_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "ZHIXING_DEDUCTION_APPROVAL_ABOVE", DEDUCTION_APPROVAL_ABOVE)))


def check_deduction_approval(*, actor: User, deduction: Deduction) -> None:
    """Refuse a decision on ``deduction`` unless it awaits approval (``deduction.not_awaiting``) and ``actor``
    did not order it (``deduction.self_approval``). The caller has checked the capability and the court."""
    if deduction.status != DeductionStatus.AWAITING:
        raise RuleViolation(
            _("This deduction is not awaiting approval (it is: %(status)s).")
            % {"status": deduction.get_status_display()},
            code="deduction.not_awaiting",
            extra={"status": deduction.status},
        )
    if deduction.ordered_by_id == actor.pk:
        raise RuleViolation(
            _("A deduction is approved by someone other than the one who orders it (separation of duties)."),
            code="deduction.self_approval",
        )


def may_decide_deduction(*, user: User, deduction: Deduction) -> bool:
    """Whether ``user`` may approve or decline ``deduction`` now (the capability and ``check_deduction_approval``),
    for the pages to show the buttons; ``deduction`` is one of the user's court (a selector's row)."""
    try:
        require_capability(user, APPROVE_DEDUCTION)
        check_deduction_approval(actor=user, deduction=deduction)
    except (PermissionDenied, RuleViolation):
        return False
    return True


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def property_class_of(asset: Asset) -> str:
    property_class = CATEGORY_CLASS.get(asset.category)
    if property_class is None:
        raise RuleViolation(
            _("%(category)s cannot be frozen, sealed or impounded.") % {"category": asset.get_category_display()},
            code="control.not_controllable",
        )
    return property_class


def control_cap(*, asset: Asset, starts_on: dt.date) -> dt.date:
    """The latest expiry allowed for a period starting on ``starts_on`` (民诉法解释 2022 art. 485)."""
    return add_years(starts_on, MAX_CONTROL_YEARS[property_class_of(asset)])


def _check_period(*, asset: Asset, starts_on: dt.date, expires_on: dt.date) -> None:
    property_class = property_class_of(asset)
    years = MAX_CONTROL_YEARS[property_class]
    cap = add_years(starts_on, years)
    if expires_on <= starts_on:
        raise InvalidInput({"expires_on": _("The period must end after it starts.")}, code="control.period_empty")
    if expires_on > cap:
        message = _(
            "%(klass)s may be controlled for at most %(years)s year(s) at a time (民诉法解释 2022 art. 485): "
            "until %(cap)s at the latest."
        ) % {"klass": PropertyClass(property_class).label, "years": years, "cap": cap.isoformat()}
        raise InvalidInput({"expires_on": message}, code="control.period_over_cap")


def _locked_case(actor: User, pk: int) -> EnforcementCase:
    queryset = EnforcementCase.objects.select_for_update(of=("self",)).select_related("case")
    return get_visible_or_404(queryset, actor, court_field="case__court", pk=pk)


def _locked_measure(actor: User, pk: int) -> ControlMeasure:
    """The measure, scoped to the actor's court, for a holder of "assets.control"; locks its case first, then
    the measure (the lock order everywhere)."""
    require_capability(actor, "assets.control")
    return _lock_measure(actor, pk)


def _lock_measure(actor: User, pk: int) -> ControlMeasure:
    seen = get_visible_or_404(ControlMeasure.objects.all(), actor, court_field="enforcement_case__case__court", pk=pk)
    case = _locked_case(actor, seen.enforcement_case_id)
    measure = ControlMeasure.objects.select_for_update(of=("self",)).select_related("asset").get(pk=pk)
    measure.enforcement_case = case
    return measure


def _send(*, measure: ControlMeasure, kind: str, order: dict, now: dt.datetime) -> AgencyRequest:
    """Queue a control order for the agency that reported the asset; agencies pull it like a query."""
    asset = measure.asset
    request = AgencyRequest(
        measure=measure,
        agency_id=asset.agency_id,
        kind=kind,
        payload={
            "case_number": measure.enforcement_case.case.number,
            "measure": measure.pk,
            "asset": {
                "category": asset.category,
                "identifier": asset.identifier,
                "debtor": asset.debtor_id,
                "name": asset.debtor.name,
                "id_number": asset.debtor.id_number,
            },
            **order,
        },
        item_count=1,
        status=RequestStatus.PENDING,
        created_at=now,
        due_at=now + ANSWER_WINDOW,
    )
    request.full_clean(validate_constraints=False)
    request.save()
    return request


def _period(measure: ControlMeasure) -> dict:
    return {
        "amount": str(measure.amount) if measure.amount is not None else None,
        "starts_on": measure.starts_on.isoformat(),
        "expires_on": measure.expires_on.isoformat(),
        "position": measure.position,
    }


@transaction.atomic
def control_order(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    asset: Asset,
    kind: str,
    amount: Decimal | None = None,
    starts_on: dt.date,
    expires_on: dt.date | None = None,
    preservation_measure: PreservationMeasure | None = None,
    now: dt.datetime | None = None,
) -> ControlMeasure:
    """Order ``kind`` on an asset of the case, from ``starts_on`` until ``expires_on`` (by default the cap of
    art. 485). The case must be open and not suspended. The measure takes the next place in line on the
    asset; it is "ordered" until the agency confirms (then in force if first, else waiting)."""
    now = now or timezone.now()
    require_capability(actor, "assets.control")
    case = _locked_case(actor, enforcement_case.pk)
    if case.status in (Status.CLOSED, Status.SUSPENDED):
        raise RuleViolation(
            _("Assets are controlled only on an open case that is not suspended."), code="control.case_not_open"
        )
    if kind not in ControlKind.values:
        raise InvalidInput({"kind": _("Unknown measure.")}, code="control.unknown_kind")
    locked = Asset.objects.select_for_update(of=("self",)).select_related("debtor").filter(pk=asset.pk).first()
    if locked is None or locked.case_id != case.case_id:
        raise InvalidInput({"asset": _("Only an asset of this case can be controlled.")}, code="control.foreign_asset")
    asset = locked
    property_class_of(asset)
    if kind == ControlKind.DEDUCT and asset.category not in MONEY_CATEGORIES:
        raise InvalidInput({"kind": _("Only money can be deducted.")}, code="control.deduct_money_only")
    if amount is not None and amount <= 0:
        raise InvalidInput({"amount": _("The amount must be greater than zero.")}, code="control.amount")
    if amount is None and kind in FREEZES and asset.category in MONEY_CATEGORIES:
        raise InvalidInput({"amount": _("Name the amount to freeze.")}, code="control.amount_required")
    expires_on = expires_on or control_cap(asset=asset, starts_on=starts_on)
    _check_period(asset=asset, starts_on=starts_on, expires_on=expires_on)
    last = ControlMeasure.objects.filter(asset=asset).aggregate(last=Max("position"))["last"] or 0
    measure = ControlMeasure(
        enforcement_case=case,
        asset=asset,
        preservation_measure=preservation_measure,
        kind=kind,
        amount=amount,
        starts_on=starts_on,
        expires_on=expires_on,
        position=last + 1,
        ordered_by=actor,
        created_at=now,
    )
    measure.full_clean(validate_constraints=False)
    measure.save()
    request = _send(measure=measure, kind=ORDER_REQUEST[kind], order=_period(measure), now=now)
    audit_record(
        actor=actor,
        action="control.order",
        obj=measure,
        changes={"kind": kind, **_period(measure), "request": request.pk},
    )
    return measure


def _take_effect(measure: ControlMeasure, *, today: dt.date) -> None:
    """Put a confirmed (or promoted) measure in force if nothing is in force on the asset; else it waits."""
    in_force = ControlMeasure.objects.filter(asset_id=measure.asset_id, status=ControlStatus.ACTIVE).exclude(
        pk=measure.pk
    )
    measure.status = ControlStatus.WAITING if in_force.exists() else ControlStatus.ACTIVE


def _promote(asset_id: int, *, today: dt.date) -> ControlMeasure | None:
    """轮候 promotion: when nothing is in force on the asset, the first waiting measure takes effect today;
    its period (as ordered) runs from today, capped again by art. 485."""
    if ControlMeasure.objects.filter(asset_id=asset_id, status=ControlStatus.ACTIVE).exists():
        return None
    following = (
        ControlMeasure.objects.select_for_update(of=("self",))
        .select_related("asset")
        .filter(asset_id=asset_id, status=ControlStatus.WAITING)
        .order_by("position", "id")
        .first()
    )
    if following is None:
        return None
    starts_on = max(today, following.starts_on)
    cap = control_cap(asset=following.asset, starts_on=starts_on)
    if following.expires_on == control_cap(asset=following.asset, starts_on=following.starts_on):
        following.expires_on = cap  # ordered for the full cap: the full cap again (years, not days)
    else:
        following.expires_on = min(starts_on + (following.expires_on - following.starts_on), cap)
    following.starts_on = starts_on
    following.status = ControlStatus.ACTIVE
    following.save(update_fields=["status", "starts_on", "expires_on"])
    audit_record(
        actor=None, action="control.promote", obj=following, changes={"expires_on": following.expires_on.isoformat()}
    )
    return following


def _confirm_order(measure: ControlMeasure, *, done: bool, reference: str, now: dt.datetime) -> None:
    if measure.status != ControlStatus.ORDERED:
        return
    today = timezone.localdate(now)
    if not done:
        measure.status, measure.ended_on = ControlStatus.REFUSED, today
        measure.save(update_fields=["status", "ended_on"])
        return
    measure.confirmed_at, measure.confirmation_reference = now, reference
    previous = measure.renewed_from
    if previous is not None and previous.status in IN_FORCE:
        # The renewal continues the old measure in its place in line.
        measure.status = previous.status
        previous.status, previous.ended_on = ControlStatus.RENEWED, previous.expires_on
        previous.save(update_fields=["status", "ended_on"])
    else:
        _take_effect(measure, today=today)
    measure.save(update_fields=["status", "confirmed_at", "confirmation_reference"])


def _confirm_release(measure: ControlMeasure, *, done: bool, now: dt.datetime) -> None:
    if not done:
        measure.release_requested_at = None
        measure.save(update_fields=["release_requested_at"])
        return
    if measure.status not in (*IN_FORCE, ControlStatus.ORDERED):
        return
    today = timezone.localdate(now)
    was_active = measure.status == ControlStatus.ACTIVE
    measure.status, measure.ended_on = ControlStatus.RELEASED, today
    measure.save(update_fields=["status", "ended_on"])
    if was_active:
        _promote(measure.asset_id, today=today)


def _confirm_deduction(
    deduction: Deduction, *, agency: Agency, request: AgencyRequest, done: bool, now: dt.datetime
) -> None:
    if deduction.status != DeductionStatus.PENDING:
        return
    deduction.status = DeductionStatus.CONFIRMED if done else DeductionStatus.REFUSED
    deduction.confirmed_at = now if done else None
    deduction.save(update_fields=["status", "confirmed_at"])
    if done:
        fund_receive(
            actor=agency.client,
            enforcement_case=deduction.measure.enforcement_case,
            amount=deduction.amount,
            source="deduction",
            reference=f"agency-request:{request.pk}",
        )


@transaction.atomic
def control_confirm(
    *, agency: Agency, request_id: int, outcome: str, reference: str = "", now: dt.datetime | None = None
) -> AgencyRequest:
    """The agency's answer to one of its control orders: done (with its own reference) or refused.

    A request of another agency is "not found", like a missing one. Confirming twice changes nothing."""
    now = now or timezone.now()
    request = (
        AgencyRequest.objects.select_for_update(of=("self",))
        .filter(pk=request_id, agency=agency)
        .exclude(kind=RequestKind.QUERY)
        .first()
    )
    if request is None:
        raise NotFound(_("Not found."))
    if outcome not in ConfirmOutcome.values:
        raise InvalidInput({"outcome": _("Unknown outcome.")}, code="control.confirm_outcome")
    if request.answered_at is not None:
        return request
    done = outcome == ConfirmOutcome.DONE
    request.status = RequestStatus.ANSWERED if done else RequestStatus.FAILED
    request.answered_at, request.next_attempt_at, request.confirmation_reference = now, None, reference[:64]
    request.save(update_fields=["status", "answered_at", "next_attempt_at", "confirmation_reference"])
    measure = (
        ControlMeasure.objects.select_for_update(of=("self",))
        .select_related("enforcement_case__case", "renewed_from")
        .get(pk=request.measure_id)
    )
    deduction = Deduction.objects.select_for_update(of=("self",)).filter(request=request).first()
    if deduction is not None:
        deduction.measure = measure
        _confirm_deduction(deduction, agency=agency, request=request, done=done, now=now)
    elif request.kind == RequestKind.RELEASE:
        _confirm_release(measure, done=done, now=now)
    else:
        _confirm_order(measure, done=done, reference=reference[:64], now=now)
    audit_record(
        actor=agency.client,
        action=f"control.confirm.{request.kind}",
        obj=measure,
        changes={"request": request.pk, "outcome": outcome, "reference": reference[:64], "status": measure.status},
    )
    return request


@transaction.atomic
def control_release(
    *, actor: User, measure: ControlMeasure, reason: str, now: dt.datetime | None = None
) -> ControlMeasure:
    """Send a release order (解除). On the agency's confirmation the measure ends and, if it was in force, the
    next one waiting on the asset takes effect."""
    now = now or timezone.now()
    measure = _locked_measure(actor, measure.pk)
    return _release(actor=actor, measure=measure, reason=reason, now=now)


def control_release_by_law(
    *, measure: ControlMeasure, reason: str, authority: str, now: dt.datetime | None = None
) -> ControlMeasure:
    """Order the release of ``measure`` by operation of law, in whatever court it is: a bankruptcy accepted
    against the debtor lifts the preservation and control measures on its property (企业破产法 art. 19; 解释
    2022 art. 513). ``authority`` names the ruling; the agency confirms the release as any other. Call inside
    the caller's transaction."""
    if not authority.strip():
        raise ValueError("A release by operation of law must name its authority.")
    now = now or timezone.now()
    seen = ControlMeasure.objects.only("enforcement_case_id").get(pk=measure.pk)
    EnforcementCase.objects.select_for_update(of=("self",)).get(pk=seen.enforcement_case_id)
    measure = ControlMeasure.objects.select_for_update(of=("self",)).select_related("asset").get(pk=measure.pk)
    return _release(actor=None, measure=measure, reason=f"{reason} ({authority})", now=now)


def _release(*, actor: User | None, measure: ControlMeasure, reason: str, now: dt.datetime) -> ControlMeasure:
    if not reason or not reason.strip():
        raise InvalidInput({"reason": _("Give the reason for the release.")}, code="control.release_reason")
    if measure.status not in (*IN_FORCE, ControlStatus.ORDERED):
        raise RuleViolation(_("Only a measure still in force can be released."), code="control.not_live")
    if measure.release_requested_at is not None:
        raise RuleViolation(_("A release of this measure is already on its way."), code="control.release_pending")
    measure.release_reason, measure.release_requested_at = reason.strip()[:200], now
    measure.save(update_fields=["release_reason", "release_requested_at"])
    request = _send(measure=measure, kind=RequestKind.RELEASE, order={"reason": measure.release_reason}, now=now)
    # a deduction still awaiting the division head would take money from a freeze on its way out: withdrawn, so
    # that no one approves it after the release order has gone to the agency
    withdrawn = list(
        measure.deductions.filter(status=DeductionStatus.AWAITING).order_by("pk").values_list("pk", flat=True)
    )
    if withdrawn:
        Deduction.objects.filter(pk__in=withdrawn).update(status=DeductionStatus.WITHDRAWN)
    changes = {"request": request.pk, **({"deductions_withdrawn": withdrawn} if withdrawn else {})}
    audit_record(actor=actor, action="control.release", obj=measure, reason=reason, changes=changes)
    return measure


@transaction.atomic
def control_renew(
    *, actor: User, measure: ControlMeasure, expires_on: dt.date, now: dt.datetime | None = None
) -> ControlMeasure:
    """Renew (续行) a measure in force, before it expires, until ``expires_on`` (at most the same cap counted
    from the old expiry). Returns the renewal, ordered from the agency; it replaces the old measure in its
    place in line when confirmed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    measure = _locked_measure(actor, measure.pk)
    if measure.enforcement_case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed."), code="control.case_not_open")
    if measure.status not in IN_FORCE:
        raise RuleViolation(_("Only a measure in force can be renewed."), code="control.not_in_force")
    if today >= measure.expires_on:
        raise RuleViolation(
            _("A measure is renewed before it expires (民诉法解释 2022 art. 485); this one expired on %(day)s.")
            % {"day": measure.expires_on.isoformat()},
            code="control.renewal_after_expiry",
        )
    if measure.renewals.filter(status=ControlStatus.ORDERED).exists():
        raise RuleViolation(_("A renewal of this measure is already on its way."), code="control.renewal_pending")
    _check_period(asset=measure.asset, starts_on=measure.expires_on, expires_on=expires_on)
    renewal = ControlMeasure(
        enforcement_case=measure.enforcement_case,
        asset=measure.asset,
        preservation_measure=measure.preservation_measure,
        kind=measure.kind,
        amount=measure.amount,
        starts_on=measure.expires_on,
        expires_on=expires_on,
        position=measure.position,
        renewed_from=measure,
        ordered_by=actor,
        created_at=now,
    )
    renewal.full_clean(validate_constraints=False)
    renewal.save()
    request = _send(measure=renewal, kind=RequestKind.RENEW, order={**_period(renewal), "renews": measure.pk}, now=now)
    audit_record(
        actor=actor,
        action="control.renew",
        obj=renewal,
        changes={"renews": measure.pk, "expires_on": expires_on.isoformat(), "request": request.pk},
    )
    return renewal


@transaction.atomic
def controls_lapse_due(*, today: dt.date | None = None, limit: int = 1000) -> dict[str, int]:
    """Periodic: measures in force whose period has ended (``expires_on`` ≤ today) and were not renewed lapse
    (查封规定 art. 27); the next waiting measure on each asset takes effect. Reads only what is due (index
    ``status, expires_on``)."""
    today = today or timezone.localdate()
    due = list(
        ControlMeasure.objects.select_for_update(skip_locked=True)
        .filter(status=ControlStatus.ACTIVE, expires_on__lte=today)
        .order_by("expires_on", "id")[:limit]
    )
    promoted = 0
    for measure in due:
        measure.status, measure.ended_on = ControlStatus.LAPSED, measure.expires_on
        measure.save(update_fields=["status", "ended_on"])
        audit_record(actor=None, action="control.lapse", obj=measure)
    for asset_id in dict.fromkeys(m.asset_id for m in due):
        if _promote(asset_id, today=today) is not None:
            promoted += 1
    return {"lapsed": len(due), "promoted": promoted}


def _sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or ZERO


def frozen_unspent(measure: ControlMeasure, *, exclude: Deduction | None = None) -> Decimal:
    """What is still frozen under ``measure``: its amount less the deductions awaiting approval, sent or
    confirmed (only those the agency refused or the division head declined give the money back), ``exclude``
    left out."""
    spent = measure.deductions.exclude(status__in=DEDUCTION_RELEASED)
    if exclude is not None:
        spent = spent.exclude(pk=exclude.pk)
    return (measure.amount or ZERO) - _sum(spent)


def _check_deduction_room(*, measure: ControlMeasure, amount: Decimal, exclude: Deduction | None = None) -> None:
    """Refuse ``amount`` over what is still frozen under ``measure`` or still owed on its case, counting every
    outstanding deduction but ``exclude`` (the one being approved). Holds: the case and measure row locks."""
    case = measure.enforcement_case
    if case.status in (Status.CLOSED, Status.SUSPENDED):
        raise RuleViolation(
            _("Assets are controlled only on an open case that is not suspended."), code="control.case_not_open"
        )
    if amount <= 0:
        raise InvalidInput({"amount": _("The amount must be greater than zero.")}, code="control.amount")
    if measure.status != ControlStatus.ACTIVE or measure.kind not in FREEZES or measure.amount is None:
        raise RuleViolation(_("Money is deducted only from a freeze in force."), code="control.not_an_active_freeze")
    available = frozen_unspent(measure, exclude=exclude)
    if amount > available:
        raise Conflict(
            _("A deduction cannot exceed the amount still frozen (%(available)s).") % {"available": available},
            code="control.deduction_exceeds_frozen",
            extra={"available": str(available)},
        )
    outstanding = Deduction.objects.filter(measure__enforcement_case=case, status__in=DEDUCTION_OUTSTANDING)
    if exclude is not None:
        outstanding = outstanding.exclude(pk=exclude.pk)
    owed = fund_owed(enforcement_case=case) - _sum(outstanding)
    if amount > owed:
        raise Conflict(
            _("A deduction cannot exceed the amount still owed on the case (%(owed)s).") % {"owed": max(owed, ZERO)},
            code="control.deduction_exceeds_owed",
            extra={"owed": str(max(owed, ZERO))},
        )


def _send_deduction(*, measure: ControlMeasure, deduction: Deduction, now: dt.datetime) -> AgencyRequest:
    """Queue the DEDUCT order for ``deduction`` (not yet sent) and mark it sent: "pending" the agency."""
    request = _send(
        measure=measure,
        kind=RequestKind.DEDUCT,
        order={"amount": str(deduction.amount), "reference": deduction.reference},
        now=now,
    )
    deduction.request, deduction.status = request, DeductionStatus.PENDING
    return request


@transaction.atomic
def control_deduct(
    *,
    actor: User,
    measure: ControlMeasure,
    amount: Decimal,
    reference: str,
    now: dt.datetime | None = None,
) -> Deduction:
    """Deduct (扣划) ``amount`` from a freeze in force. Idempotent on ``reference``: the same deduction sent
    again returns the first. Holds row locks on the case and the measure while checking that the amount
    is neither over what is still frozen nor over what is still owed (receipts and outstanding deductions
    counted), so concurrent deductions cannot overdraw.

    Up to ``deduction_approval_threshold()`` the order goes to the agency at once ("pending"). Above it the
    deduction is recorded "awaiting" a division head other than ``actor`` (``deduction_approve``), with no
    order sent; it holds its amount against the freeze and the debt meanwhile. The money reaches the
    case-fund ledger when the agency confirms."""
    now = now or timezone.now()
    measure = _locked_measure(actor, measure.pk)
    reference = (reference or "").strip()
    if not reference:
        raise InvalidInput({"reference": _("Give the deduction a reference.")}, code="control.deduction_reference")
    amount = Decimal(amount)
    existing = Deduction.objects.filter(reference=reference).first()
    if existing is not None:
        if existing.measure_id == measure.pk and existing.amount == amount:
            return existing
        raise Conflict(
            _("This reference is already used for another deduction."), code="control.deduction_reference_reused"
        )
    _check_deduction_room(measure=measure, amount=amount)
    deduction = Deduction(
        measure=measure,
        amount=amount,
        reference=reference,
        status=DeductionStatus.AWAITING,
        ordered_by=actor,
        created_at=now,
    )
    threshold = deduction_approval_threshold()
    awaiting = amount > threshold
    if not awaiting:
        _send_deduction(measure=measure, deduction=deduction, now=now)
    deduction.full_clean(validate_unique=False, validate_constraints=False)
    deduction.save()
    changes = {"amount": str(amount), "reference": reference, "deduction": deduction.pk}
    if awaiting:
        changes["threshold"] = str(threshold)
    else:
        changes["request"] = deduction.request_id
    audit_record(
        actor=actor, action="control.deduct_requested" if awaiting else "control.deduct", obj=measure, changes=changes
    )
    return deduction


def _locked_deduction(actor: User, deduction: Deduction) -> tuple[ControlMeasure, Deduction]:
    """For a holder of "assets.approve_deduction": the deduction's case, measure and the deduction itself, locked
    in that order (the order of ``control_deduct``) and scoped to the actor's court ("not found" otherwise)."""
    require_capability(actor, APPROVE_DEDUCTION)
    court_field = "measure__enforcement_case__case__court"
    seen = get_visible_or_404(Deduction.objects.only("measure_id"), actor, court_field=court_field, pk=deduction.pk)
    measure = _lock_measure(actor, seen.measure_id)
    locked = Deduction.objects.select_for_update(of=("self",)).get(pk=deduction.pk)
    locked.measure = measure
    return measure, locked


@transaction.atomic
def deduction_approve(*, actor: User, deduction: Deduction, now: dt.datetime | None = None) -> Deduction:
    """A division head of the case's court approves a deduction awaiting approval that someone else ordered
    (``deduction.self_approval``; ``deduction.not_awaiting`` once decided): the DEDUCT order goes to the agency as
    ``control_deduct`` sends it, and the deduction is "pending". The limits are checked again under the same
    locks (the case may have been paid, or the freeze released, since it was ordered)."""
    now = now or timezone.now()
    measure, deduction = _locked_deduction(actor, deduction)
    check_deduction_approval(actor=actor, deduction=deduction)
    _check_deduction_room(measure=measure, amount=deduction.amount, exclude=deduction)
    request = _send_deduction(measure=measure, deduction=deduction, now=now)
    deduction.approved_by, deduction.approved_at = actor, now
    deduction.full_clean(validate_unique=False, validate_constraints=False)
    deduction.save(update_fields=["request", "status", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="control.deduct_approved",
        obj=measure,
        changes={
            "deduction": deduction.pk,
            "amount": str(deduction.amount),
            "reference": deduction.reference,
            "ordered_by": deduction.ordered_by_id,
            "request": request.pk,
        },
    )
    return deduction


@transaction.atomic
def deduction_decline(*, actor: User, deduction: Deduction, reason: str, now: dt.datetime | None = None) -> Deduction:
    """A division head of the case's court declines a deduction awaiting approval that someone else ordered,
    with a reason: nothing is sent and its amount is free again under the freeze and the debt."""
    now = now or timezone.now()
    measure, deduction = _locked_deduction(actor, deduction)
    check_deduction_approval(actor=actor, deduction=deduction)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            {"reason": [_("Say why the deduction is declined.")]}, code="deduction.decline_reason_required"
        )
    deduction.status, deduction.approved_by, deduction.approved_at = DeductionStatus.DECLINED, actor, now
    deduction.decided_reason = reason[:200]
    deduction.full_clean(validate_unique=False, validate_constraints=False)
    deduction.save(update_fields=["status", "approved_by", "approved_at", "decided_reason"])
    audit_record(
        actor=actor,
        action="control.deduct_declined",
        obj=measure,
        reason=deduction.decided_reason,
        changes={"deduction": deduction.pk, "amount": str(deduction.amount), "ordered_by": deduction.ordered_by_id},
    )
    return deduction
