"""Money is Decimal to the fen (two places); never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DIGITS = 18
DECIMAL_PLACES = 2
FEN = Decimal("0.01")


class MoneyField(models.DecimalField):
    """A yuan amount, ``max_digits=18, decimal_places=2``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)


def parse_amount(value: object) -> Decimal:
    """Parse a money amount exactly; refuse floats' rounding, more than two decimals, and non-numbers."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter an amount in yuan, such as 12345.67."), code="amount_format") from exc
    if not amount.is_finite():
        raise ValidationError(_("Enter an amount in yuan, such as 12345.67."), code="amount_format")
    if amount.as_tuple().exponent < -DECIMAL_PLACES:
        raise ValidationError(_("An amount has at most two decimal places (fen)."), code="amount_places")
    if amount.adjusted() >= MAX_DIGITS - DECIMAL_PLACES:  # also what quantize() could not hold
        raise ValidationError(
            _("An amount has at most %(digits)s digits before the decimal point.")
            % {"digits": MAX_DIGITS - DECIMAL_PLACES},
            code="amount_too_large",
        )
    return amount.quantize(FEN)


def validate_positive_amount(value: Decimal) -> None:
    if value is None:
        return
    if Decimal(value) <= 0:
        raise ValidationError(_("The amount must be greater than zero."), code="amount_not_positive")
    if Decimal(value).as_tuple().exponent < -DECIMAL_PLACES:
        raise ValidationError(_("An amount has at most two decimal places (fen)."), code="amount_places")


def round_fen(value: Decimal) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def format_yuan(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"¥{Decimal(value):,.2f}"
