"""Writes of the distribution of the case fund (清偿顺序, 参与分配) and the case-fund ageing (案款 days held).

The officer proposes a plan (``distribution_propose``): the amount to distribute (≤ the case fund's balance),
the claims (costs, secured, ordinary) and the order of the ordinary class (``pro_rata`` for a natural-person
debtor, ``control_order`` for an organisation); the lines come from ``enforcement.distribution.allocate`` and
always reconcile. A division head other than the proposer approves or refuses it; objections are recorded and
an upheld one sends the plan back to draft; payouts go line by line, idempotent on their reference, never over
the line's share. Every refusal names its rule and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyKind, PartyRole
from cases.models import Party
from core.access import require_capability
from core.audit import audit_record
from core.exceptions import Conflict, InvalidInput, RuleViolation
from core.models import User

from ..choices import Status
from ..distribution import KINDS, RULES, Claim, allocate
from ..models import (
    DistributionLine,
    DistributionObjection,
    DistributionPlan,
    EnforcementCase,
    FundEntry,
    FundEntryKind,
)
from .ledger import ZERO, fund_balance
from .lifecycle import lock_case

OPEN_PLAN_STATUSES = ("draft", "proposed", "approved")
AGEING_FLAGS = (30, 15, 10, 5)


def _debtors(case: EnforcementCase) -> list[Party]:
    return list(Party.objects.filter(case_links__case=case.case, case_links__role=PartyRole.DEBTOR).distinct())


def _party_ids(case: EnforcementCase) -> set[int]:
    return set(case.case.party_links.values_list("party_id", flat=True))


def rule_for(case: EnforcementCase) -> str | None:
    """The order the debtors call for: ``pro_rata`` when every debtor is a natural person, ``control_order``
    when every one is an organisation, None when mixed (the officer chooses and explains)."""
    kinds = {d.kind for d in _debtors(case)}
    if kinds == {PartyKind.PERSON}:
        return "pro_rata"
    if kinds == {PartyKind.ORGANISATION}:
        return "control_order"
    return None


def _claims_from(raw, case: EnforcementCase, rule: str) -> list[Claim]:
    parties = _party_ids(case)
    errors: dict[str, list[str]] = {}
    claims: list[Claim] = []
    for i, row in enumerate(raw or []):
        if isinstance(row, Claim):
            row = {
                "kind": row.kind,
                "recipient": row.recipient,
                "amount": row.amount,
                "control_position": row.control_position,
                "description": row.description,
            }
        key = f"claims[{i}]"
        kind = row.get("kind")
        recipient = row.get("recipient") or None
        if isinstance(recipient, Party):
            recipient = recipient.pk
        try:
            amount = Decimal(str(row.get("amount"))).quantize(Decimal("0.01"))
        except (ArithmeticError, TypeError, ValueError):
            amount = None
        position = row.get("control_position") or None
        if kind not in KINDS:
            errors[key] = [_("Choose the class of the claim (costs, secured, ordinary).")]
        elif amount is None or amount <= 0:
            errors[key] = [_("A claim is an amount greater than zero.")]
        elif recipient is None and kind != "costs":
            errors[key] = [_("Name the creditor of this claim.")]
        elif recipient is not None and int(recipient) not in parties:
            errors[key] = [_("The recipient is not a party of this case.")]
        elif kind == "ordinary" and rule == "control_order" and position is None:
            errors[key] = [_("Give the claim's position in the order of control (1 = first frozen).")]
        else:
            claims.append(
                Claim(
                    kind=kind,
                    recipient=int(recipient) if recipient is not None else None,
                    amount=amount,
                    control_position=int(position) if position is not None else None,
                    description=str(row.get("description") or "")[:200],
                )
            )
    if not raw:
        errors["claims"] = [_("List the claims to pay.")]
    if errors:
        raise InvalidInput(errors, code="distribution.invalid")
    return claims


def _not_reconciling() -> RuleViolation:
    return RuleViolation(
        _("The plan does not reconcile to the case fund: its lines must sum to the amount distributed."),
        code="distribution.not_reconciling",
    )


@transaction.atomic
def distribution_propose(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    fund_total: Decimal,
    claims,
    rule: str,
    note: str = "",
) -> DistributionPlan:
    """Propose a distribution of ``fund_total`` from the case fund over ``claims`` (dicts or ``Claim``: kind,
    recipient (party id), amount, control_position, description) in ``rule`` order.

    Refused, nothing written: ``distribution.case_closed``; ``distribution.open_plan`` (one open plan per
    case); ``distribution.over_fund`` (more than the fund's balance); ``distribution.rule_mismatch`` (pro rata
    only for natural-person debtors, control order only for organisations; with debtors of both kinds the
    choice needs a note); ``distribution.invalid`` (bad claims); ``distribution.not_reconciling``."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    if case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed."), code="distribution.case_closed")
    if DistributionPlan.objects.filter(enforcement_case=case, status__in=("proposed", "approved")).exists():
        raise RuleViolation(
            _("This case already has an open distribution plan: decide or pay it out first."),
            code="distribution.open_plan",
        )
    try:
        fund_total = Decimal(str(fund_total)).quantize(Decimal("0.01"))
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise InvalidInput({"fund_total": [_("Enter an amount.")]}, code="distribution.invalid") from exc
    if fund_total <= 0:
        raise InvalidInput({"fund_total": [_("The amount must be greater than zero.")]}, code="distribution.invalid")
    if rule not in RULES:
        raise InvalidInput({"rule": [_("Choose the order of the ordinary claims.")]}, code="distribution.invalid")
    balance = fund_balance(enforcement_case=case)
    if fund_total > balance:
        raise RuleViolation(
            _("The plan distributes %(total)s but the case fund holds %(balance)s (案款 not received cannot be paid).")
            % {"total": fund_total, "balance": balance},
            code="distribution.over_fund",
        )
    expected = rule_for(case)
    note = (note or "").strip()
    if expected is None and not note:
        raise RuleViolation(
            _("The debtors are persons and organisations: explain the order chosen in the note."),
            code="distribution.rule_mismatch",
        )
    if expected is not None and rule != expected:
        raise RuleViolation(
            _(
                "Ordinary claims are paid pro rata (参与分配) only against a natural-person debtor, and in the "
                "order of control (first frozen, first paid: 解释 2022 art. 514) against an organisation."
            ),
            code="distribution.rule_mismatch",
        )
    parsed = _claims_from(claims, case, rule)
    lines = allocate(fund_total, parsed, rule)
    if sum((line.allocated for line in lines), ZERO) != fund_total:
        raise _not_reconciling()
    DistributionPlan.objects.filter(enforcement_case=case, status="draft").update(status="superseded")
    plan = DistributionPlan(
        enforcement_case=case, fund_total=fund_total, rule=rule, status="proposed", proposed_by=actor, note=note
    )
    plan.full_clean()
    plan.save()
    debtors = _debtors(case)
    surplus_to = debtors[0].pk if len(debtors) == 1 else None
    for line in lines:
        row = DistributionLine(
            plan=plan,
            position=line.position,
            kind=line.kind,
            recipient_id=line.recipient if line.kind != "surplus" else surplus_to,
            description=line.description,
            claim=line.claim,
            allocated=line.allocated,
        )
        row.full_clean()
        row.save()
    audit_record(
        actor=actor,
        action="enforcement.distribution_propose",
        obj=case,
        reason=note,
        changes={"plan": plan.pk, "fund_total": str(fund_total), "rule": rule, "lines": len(lines)},
    )
    return plan


def _lock_plan(plan: DistributionPlan) -> DistributionPlan:
    return DistributionPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def distribution_decide(*, actor: User, plan: DistributionPlan, approve: bool, note: str = "") -> DistributionPlan:
    """A division head other than the proposer approves or refuses a proposed plan (refusal needs a note).
    Approval checks again that the plan reconciles and the fund still holds its total."""
    require_capability(actor, "enforcement.approve_distribution")
    case = lock_case(actor=actor, enforcement_case=plan.enforcement_case)
    plan = _lock_plan(plan)
    if plan.status != "proposed":
        raise RuleViolation(_("This distribution plan is not waiting for a decision."), code="distribution.decided")
    if plan.proposed_by_id == actor.pk:
        raise RuleViolation(
            _("A distribution plan is approved by a division head other than the one who proposed it."),
            code="distribution.self_approval",
        )
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput({"note": [_("Say why the plan is refused.")]}, code="distribution.invalid")
    if approve:
        if sum(plan.lines.values_list("allocated", flat=True), ZERO) != plan.fund_total:
            raise _not_reconciling()
        if plan.fund_total > fund_balance(enforcement_case=case):
            raise RuleViolation(_("The case fund no longer holds the plan's total."), code="distribution.over_fund")
    plan.status = "approved" if approve else "refused"
    plan.decided_by = actor
    plan.decided_at = timezone.now()
    if note:
        plan.note = f"{plan.note}\n{note}".strip()
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="enforcement.distribution_decide",
        obj=case,
        reason=note,
        changes={"plan": plan.pk, "approved": bool(approve)},
    )
    return plan


@transaction.atomic
def distribution_objection_record(
    *, actor: User, plan: DistributionPlan, party: Party, text: str, received_on: dt.date
) -> DistributionObjection:
    """Record a party's objection to a plan (分配方案异议, 解释 2022 art. 510: within 15 days of receiving it)."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=plan.enforcement_case)
    plan = _lock_plan(plan)
    errors: dict[str, list[str]] = {}
    if plan.status not in ("proposed", "approved"):
        raise RuleViolation(_("Objections are recorded against an open plan."), code="distribution.not_open")
    if party is None or party.pk not in _party_ids(case):
        errors["party"] = [_("The objector is not a party of this case.")]
    if not (text or "").strip():
        errors["text"] = [_("Write the objection.")]
    if received_on is None or received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise InvalidInput(errors, code="distribution.invalid")
    if plan.lines.filter(paid__gt=0).exists():
        raise RuleViolation(_("Payouts have started on this plan."), code="distribution.paid_started")
    objection = DistributionObjection(
        plan=plan, party=party, text=text.strip(), received_on=received_on, recorded_by=actor
    )
    objection.full_clean()
    objection.save()
    audit_record(
        actor=actor,
        action="enforcement.distribution_objection",
        obj=case,
        changes={"plan": plan.pk, "objection": objection.pk, "party": party.pk},
    )
    return objection


@transaction.atomic
def distribution_objection_decide(
    *, actor: User, objection: DistributionObjection, upheld: bool, outcome: str
) -> DistributionObjection:
    """Record the outcome of an objection; an upheld one sends the plan back to draft for a new proposal."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=objection.plan.enforcement_case)
    plan = _lock_plan(objection.plan)
    objection = DistributionObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.outcome:
        raise RuleViolation(_("This objection has already been decided."), code="distribution.objection_decided")
    outcome = (outcome or "").strip()
    if not outcome:
        raise InvalidInput({"outcome": [_("Record the outcome.")]}, code="distribution.invalid")
    if upheld and plan.lines.filter(paid__gt=0).exists():
        raise RuleViolation(_("Payouts have started on this plan."), code="distribution.paid_started")
    prefix = _("Upheld") if upheld else _("Dismissed")
    objection.outcome = f"{prefix}: {outcome}"
    objection.full_clean()
    objection.save()
    if upheld and plan.status in ("proposed", "approved"):
        plan.status = "draft"
        plan.decided_by = None
        plan.decided_at = None
        plan.full_clean()
        plan.save()
    audit_record(
        actor=actor,
        action="enforcement.distribution_objection_decide",
        obj=case,
        changes={"plan": plan.pk, "objection": objection.pk, "upheld": bool(upheld)},
    )
    return objection


@transaction.atomic
def distribution_pay(*, actor: User, line: DistributionLine, amount: Decimal, reference: str) -> FundEntry:
    """Pay ``amount`` of an approved plan's line: a PAYOUT ``FundEntry`` (idempotent on ``reference``: the same
    payout again returns the first entry, writes nothing), ``line.paid`` updated; the plan becomes ``paid``
    when every line is. Refused: ``distribution.not_approved``, ``distribution.over_plan`` (more than the
    line's allocated − paid), ``distribution.over_fund`` (the balance would go negative)."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=line.plan.enforcement_case)
    reference = (reference or "").strip()
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise InvalidInput({"amount": [_("Enter an amount.")]}, code="distribution.invalid") from exc
    if not reference:
        raise InvalidInput({"reference": [_("Give the payout's reference.")]}, code="distribution.invalid")
    existing = FundEntry.objects.filter(reference=reference).first()
    if existing is not None:
        if (
            existing.kind != FundEntryKind.PAYOUT
            or existing.enforcement_case_id != case.pk
            or existing.amount != amount
        ):
            raise Conflict(
                _("This reference is already recorded for another movement of money."),
                code="ledger.reference_reused",
            )
        return existing
    plan = _lock_plan(line.plan)
    line = DistributionLine.objects.select_for_update().get(pk=line.pk)
    if plan.status != "approved":
        raise RuleViolation(_("Only an approved plan is paid out."), code="distribution.not_approved")
    if amount <= 0:
        raise InvalidInput({"amount": [_("The amount must be greater than zero.")]}, code="distribution.invalid")
    if amount > line.allocated - line.paid:
        raise RuleViolation(
            _("A payout over the plan: this line has %(left)s left to pay.") % {"left": line.allocated - line.paid},
            code="distribution.over_plan",
        )
    if amount > fund_balance(enforcement_case=case):
        raise RuleViolation(_("The case fund does not hold this amount."), code="distribution.over_fund")
    try:
        with transaction.atomic():
            entry = FundEntry(
                enforcement_case=case,
                kind=FundEntryKind.PAYOUT,
                amount=amount,
                source=f"distribution:{plan.pk}",
                reference=reference,
                at=timezone.now(),
                actor=actor,
            )
            entry.full_clean(validate_unique=False)
            entry.save()
    except IntegrityError as exc:
        raise Conflict(_("This reference is already recorded."), code="ledger.reference_reused") from exc
    line.paid += amount
    line.full_clean()
    line.save(update_fields=["paid"])
    if not plan.lines.exclude(pk=line.pk).filter(paid__lt=F("allocated")).exists() and line.paid == line.allocated:
        plan.status = "paid"
        plan.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="enforcement.distribution_pay",
        obj=case,
        changes={"plan": plan.pk, "line": line.pk, "amount": str(amount), "reference": reference},
    )
    return entry


def paid_to_creditors(*, enforcement_case: EnforcementCase) -> Decimal:
    """What the case's plans paid to its creditors (ordinary and secured lines to a creditor of the case)."""
    creditors = set(
        enforcement_case.case.party_links.filter(role=PartyRole.CREDITOR).values_list("party_id", flat=True)
    )
    rows = DistributionLine.objects.filter(
        plan__enforcement_case=enforcement_case, recipient_id__in=creditors, kind__in=("secured", "ordinary")
    ).values_list("paid", flat=True)
    return sum(rows, ZERO)


def completion_offered(*, enforcement_case: EnforcementCase) -> bool:
    """Whether the case can be closed as 执行完毕: open, and what is owed is fully paid out to its creditors —
    or performed (``performed_amount`` covers the case amount) with nothing left held in the case fund."""
    if enforcement_case.status == Status.CLOSED:
        return False
    owed = enforcement_case.case.amount
    if paid_to_creditors(enforcement_case=enforcement_case) >= owed:
        return True
    return enforcement_case.performed_amount >= owed and fund_balance(enforcement_case=enforcement_case) <= 0


# ---- case-fund ageing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeingRow:
    """One receipt: ``days`` from receipt to its (FIFO) payout, or held so far; ``flag`` the highest of 5 / 10 /
    15 / 30 reached (0 for none); ``outstanding`` what of it is still held."""

    entry: FundEntry
    enforcement_case_id: int
    days: int
    paid_out: bool
    outstanding: Decimal
    flag: int


def _flag(days: int) -> int:
    return next((threshold for threshold in AGEING_FLAGS if days >= threshold), 0)


def fund_ageing(*, user: User, today: dt.date, enforcement_case: EnforcementCase | None = None) -> list[AgeingRow]:
    """For each receipt of the cases the user sees (one case if given), the days until it was paid out — payouts
    matched to receipts first in, first out — or held so far if not yet (fully) paid out."""
    from core.access import scope_to_user

    # a reversed receipt never held money (the buyer defaulted): it is left out, as is its reversal
    entries = FundEntry.objects.filter(kind__in=(FundEntryKind.RECEIPT, FundEntryKind.PAYOUT)).filter(
        reversal__isnull=True
    )
    entries = scope_to_user(entries, user, court_field="enforcement_case__case__court")
    if enforcement_case is not None:
        entries = entries.filter(enforcement_case=enforcement_case)
    rows: list[AgeingRow] = []
    by_case: dict[int, list[FundEntry]] = {}
    for entry in entries.order_by("enforcement_case_id", "at", "id"):
        by_case.setdefault(entry.enforcement_case_id, []).append(entry)
    for case_id, case_entries in by_case.items():
        receipts = [e for e in case_entries if e.kind == FundEntryKind.RECEIPT]
        payouts = [[e, e.amount] for e in case_entries if e.kind == FundEntryKind.PAYOUT]
        p = 0
        for receipt in receipts:
            left = receipt.amount
            last_payout_at = None
            while left > 0 and p < len(payouts):
                take = min(left, payouts[p][1])
                left -= take
                payouts[p][1] -= take
                last_payout_at = payouts[p][0].at
                if payouts[p][1] == 0:
                    p += 1
            received_on = timezone.localtime(receipt.at).date()
            if left == 0 and last_payout_at is not None:
                days = (timezone.localtime(last_payout_at).date() - received_on).days
            else:
                days = (today - received_on).days
            rows.append(
                AgeingRow(
                    entry=receipt,
                    enforcement_case_id=case_id,
                    days=max(days, 0),
                    paid_out=left == 0,
                    outstanding=Decimal(left).quantize(Decimal("0.01")),
                    flag=_flag(max(days, 0)),
                )
            )
    return rows
