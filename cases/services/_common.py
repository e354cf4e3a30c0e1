"""Helpers the cases services share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.access import require_visible_court
from core.exceptions import InvalidInput
from core.models import User
from core.money import parse_amount

from ..choices import ROLE_SIDES
from ..models import Case


def ensure_own_case(actor: User, case: Case) -> None:
    """The actor works on cases of their own court: another court's case is "not found" (no existence leak)."""
    require_visible_court(actor, case.court_id)


def amount_or_error(value, errors: dict, field: str, *, positive: bool = False) -> Decimal | None:
    """Parse a money amount; a problem goes into ``errors[field]``."""
    from django.utils.translation import gettext as _

    if value is None or value == "":
        errors[field] = [_("Enter an amount.")]
        return None
    try:
        amount = parse_amount(value)
    except ValidationError as exc:
        errors[field] = [str(m) for m in exc.messages]
        return None
    if amount < 0 or (positive and amount == 0):
        errors[field] = [
            _("The amount must be greater than zero.") if positive else _("The amount cannot be negative.")
        ]
        return None
    return amount


def side_of(case_type: str, role: str) -> str:
    """ "claimant", "opponent" or "other" for a role on a case of ``case_type``."""
    claimants, opponents, _others = ROLE_SIDES[case_type]
    if role in claimants:
        return "claimant"
    if role in opponents:
        return "opponent"
    return "other"


def today() -> dt.date:
    return timezone.localdate()


def raise_if(errors: dict, code: str) -> None:
    if errors:
        raise InvalidInput(errors, code=code)
