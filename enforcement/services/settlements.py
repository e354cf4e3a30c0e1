"""Writes of settlement agreements (执行和解, 民诉法 2023 art. 241; 和解规定 2018): the officer records what the
parties agreed during enforcement and, later, that it was performed. A case is closed as 和解结案 only once a
settlement recorded here has been performed (``lifecycle.closing_refusal``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.models import User

from ..choices import Status
from ..models import EnforcementCase, Settlement
from .lifecycle import lock_case


def _require_open(case: EnforcementCase) -> None:
    if case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed."), code="settlement.case_closed")


def _check_date(day: dt.date, *, not_before: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise InvalidInput({field: [_("The date cannot be in the future.")]}, code="settlement.invalid")
    if day < not_before:
        raise InvalidInput(
            {field: [_("The date cannot be before %(day)s.") % {"day": not_before.isoformat()}]},
            code="settlement.invalid",
        )


@transaction.atomic
def settlement_record(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    agreed_on: dt.date,
    terms: str,
    amount: Decimal | None = None,
) -> Settlement:
    """Record a settlement agreement reached on ``agreed_on`` (on or after filing, not in the future) while the
    case is open; ``amount`` (optional) is what the debtor agreed to pay."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    _require_open(case)
    terms = (terms or "").strip()
    errors = {}
    if not terms:
        errors["terms"] = [_("Record what the parties agreed.")]
    if amount is not None and amount <= 0:
        errors["amount"] = [_("The amount agreed must be positive.")]
    if errors:
        raise InvalidInput(errors, code="settlement.invalid")
    _check_date(agreed_on, not_before=case.case.filing_date, field="agreed_on")
    settlement = Settlement(enforcement_case=case, agreed_on=agreed_on, terms=terms, amount=amount, recorded_by=actor)
    settlement.full_clean()
    settlement.save()
    audit_record(
        actor=actor,
        action="enforcement.settlement_record",
        obj=case,
        changes={
            "settlement": settlement.pk,
            "agreed_on": agreed_on.isoformat(),
            "amount": str(amount) if amount is not None else None,
        },
    )
    return settlement


@transaction.atomic
def settlement_mark_performed(*, actor: User, settlement: Settlement, on: dt.date) -> Settlement:
    """Record that the settlement was performed on ``on`` (not before it was agreed, not in the future), while
    the case is open; once only."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=settlement.enforcement_case)
    _require_open(case)
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.performed_on is not None:
        raise RuleViolation(
            _("This settlement was already recorded as performed on %(day)s.")
            % {"day": settlement.performed_on.isoformat()},
            code="settlement.already_performed",
        )
    _check_date(on, not_before=settlement.agreed_on, field="on")
    settlement.performed_on = on
    settlement.performance_recorded_by = actor
    settlement.full_clean()
    settlement.save(update_fields=["performed_on", "performance_recorded_by"])
    audit_record(
        actor=actor,
        action="enforcement.settlement_performed",
        obj=case,
        changes={"settlement": settlement.pk, "performed_on": on.isoformat()},
    )
    return settlement
