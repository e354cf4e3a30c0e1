"""The case-fund ledger (案款): money received for a case and what is still owed.

``fund_receive`` is idempotent on ``reference`` (a unique column): the second call with the same reference
returns the first entry and writes nothing, so an agency confirming a deduction twice, or a task retried,
never counts the money twice. It also keeps ``EnforcementCase.performed_amount`` equal to the receipts less
their reversals. ``fund_reverse`` cancels a receipt whose money never arrived (a buyer at auction who defaulted,
网拍规定 art. 24) with a reversal entry — the ledger stays append-only.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.exceptions import Conflict, InvalidInput, RuleViolation
from core.models import User

from ..models import EnforcementCase, FundEntry, FundEntryKind

ZERO = Decimal("0.00")


def _check_same(entry: FundEntry, *, enforcement_case: EnforcementCase, amount: Decimal) -> FundEntry:
    if (
        entry.enforcement_case_id != enforcement_case.pk
        or entry.amount != amount
        or entry.kind != FundEntryKind.RECEIPT
    ):
        raise Conflict(
            _("This reference is already recorded for another movement of money."), code="ledger.reference_reused"
        )
    return entry


def fund_receive(
    *, actor: User | None, enforcement_case: EnforcementCase, amount: Decimal, source: str, reference: str
) -> tuple[FundEntry, bool]:
    """Record ``amount`` received for the case; returns (entry, created). Idempotent on ``reference``: the same
    reference again returns the entry already recorded (``Conflict`` if it names a different movement)."""
    amount = Decimal(amount)
    if amount <= 0:
        raise InvalidInput({"amount": _("The amount must be greater than zero.")}, code="ledger.amount")
    existing = FundEntry.objects.filter(reference=reference).first()
    if existing is not None:
        return _check_same(existing, enforcement_case=enforcement_case, amount=amount), False
    try:
        # A savepoint: a concurrent insert of the same reference loses on the unique index, not the caller's
        # whole transaction.
        with transaction.atomic():
            entry = FundEntry(
                enforcement_case=enforcement_case,
                kind=FundEntryKind.RECEIPT,
                amount=amount,
                source=source,
                reference=reference,
                at=timezone.now(),
                actor=actor if actor is not None and actor.pk else None,
            )
            entry.full_clean(validate_unique=False)
            entry.save()
            EnforcementCase.objects.filter(pk=enforcement_case.pk).update(
                performed_amount=F("performed_amount") + amount
            )
            audit_record(
                actor=actor,
                action="fund.receive",
                obj=enforcement_case,
                changes={"amount": str(amount), "source": source, "reference": reference},
            )
    except IntegrityError:
        existing = FundEntry.objects.get(reference=reference)
        return _check_same(existing, enforcement_case=enforcement_case, amount=amount), False
    return entry, True


def _totals(enforcement_case: EnforcementCase) -> dict[str, Decimal]:
    rows = FundEntry.objects.filter(enforcement_case=enforcement_case).values("kind").annotate(total=Sum("amount"))
    return {row["kind"]: row["total"] for row in rows}


def fund_received(*, enforcement_case: EnforcementCase) -> Decimal:
    """Everything received for the case so far (receipts less their reversals)."""
    totals = _totals(enforcement_case)
    return totals.get(FundEntryKind.RECEIPT, ZERO) - totals.get(FundEntryKind.REVERSAL, ZERO)


def fund_balance(*, enforcement_case: EnforcementCase) -> Decimal:
    """Money held for the case: receipts less their reversals, less payouts."""
    totals = _totals(enforcement_case)
    return (
        totals.get(FundEntryKind.RECEIPT, ZERO)
        - totals.get(FundEntryKind.REVERSAL, ZERO)
        - totals.get(FundEntryKind.PAYOUT, ZERO)
    )


def _committed(enforcement_case: EnforcementCase) -> Decimal:
    """What an open distribution plan (proposed or approved) still has to pay out of the fund."""
    from ..models import DistributionLine

    rows = DistributionLine.objects.filter(
        plan__enforcement_case=enforcement_case, plan__status__in=("proposed", "approved")
    ).aggregate(allocated=Sum("allocated"), paid=Sum("paid"))
    return (rows["allocated"] or ZERO) - (rows["paid"] or ZERO)


def fund_reverse(*, actor: User | None, receipt: FundEntry, reason: str) -> FundEntry:
    """Reverse ``receipt`` (冲销): its money never arrived. Idempotent (a receipt is reversed once: the second
    call returns the first reversal). Refused when the money is no longer all held — paid out, or committed to
    an open distribution plan — since the fund cannot give back what it has promised or paid."""
    if not reason or not reason.strip():
        raise InvalidInput({"reason": _("Give the reason.")}, code="ledger.reason")
    receipt = FundEntry.objects.select_for_update().get(pk=receipt.pk)
    if receipt.kind != FundEntryKind.RECEIPT:
        raise RuleViolation(_("Only a receipt can be reversed."), code="ledger.not_receipt")
    existing = FundEntry.objects.filter(reverses=receipt).first()
    if existing is not None:
        return existing
    case = EnforcementCase.objects.select_for_update().get(pk=receipt.enforcement_case_id)
    free = fund_balance(enforcement_case=case) - _committed(case)
    if receipt.amount > free:
        raise RuleViolation(
            _(
                "The case fund no longer holds this money free (%(free)s of %(amount)s): it has been paid out or "
                "is in an open distribution plan. Withdraw or settle the plan first."
            )
            % {"free": max(free, ZERO), "amount": receipt.amount},
            code="ledger.reversal_exceeds_fund",
        )
    entry = FundEntry(
        enforcement_case=case,
        kind=FundEntryKind.REVERSAL,
        amount=receipt.amount,
        source=receipt.source,
        reference=f"{receipt.reference}:reversed"[:80],
        at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        reverses=receipt,
    )
    entry.full_clean(validate_unique=False)
    entry.save()
    EnforcementCase.objects.filter(pk=case.pk).update(
        performed_amount=Greatest(F("performed_amount") - receipt.amount, Value(ZERO))
    )
    audit_record(
        actor=actor,
        action="fund.reverse",
        obj=case,
        reason=reason.strip(),
        changes={"amount": str(receipt.amount), "reference": receipt.reference},
    )
    return entry


def fund_owed(*, enforcement_case: EnforcementCase) -> Decimal:
    """What is still owed on the case: the case amount less the receipts (never below zero)."""
    return max(enforcement_case.case.amount - fund_received(enforcement_case=enforcement_case), ZERO)
