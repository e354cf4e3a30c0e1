"""The case-fund ledger (案款): money received for a case and what is still owed.

``fund_receive`` is idempotent on ``reference`` (a unique column): the second call with the same reference
returns the first entry and writes nothing, so an agency confirming a deduction twice, or a task retried,
never counts the money twice. It also keeps ``EnforcementCase.performed_amount`` equal to the receipts.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.exceptions import Conflict, InvalidInput
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


def fund_received(*, enforcement_case: EnforcementCase) -> Decimal:
    """Everything received for the case so far."""
    total = FundEntry.objects.filter(enforcement_case=enforcement_case, kind=FundEntryKind.RECEIPT).aggregate(
        total=Sum("amount")
    )["total"]
    return total or ZERO


def fund_balance(*, enforcement_case: EnforcementCase) -> Decimal:
    """Money held for the case: receipts less payouts."""
    rows = FundEntry.objects.filter(enforcement_case=enforcement_case).values("kind").annotate(total=Sum("amount"))
    totals = {row["kind"]: row["total"] for row in rows}
    return totals.get(FundEntryKind.RECEIPT, ZERO) - totals.get(FundEntryKind.PAYOUT, ZERO)


def fund_owed(*, enforcement_case: EnforcementCase) -> Decimal:
    """What is still owed on the case: the case amount less the receipts (never below zero)."""
    return max(enforcement_case.case.amount - fund_received(enforcement_case=enforcement_case), ZERO)
