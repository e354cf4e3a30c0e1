"""Money is Decimal to the fen; never float."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.money import format_yuan, parse_amount, round_fen, validate_positive_amount


@pytest.mark.parametrize(
    ("given", "expected"),
    [("123456.78", "123456.78"), ("1,234.5", "1234.50"), (" 7 ", "7.00"), (0.1, "0.10"), (Decimal("3"), "3.00")],
)
def test_parse_amount_reads_yuan_exactly(given, expected):
    assert parse_amount(given) == Decimal(expected)


def test_parse_amount_refuses_a_third_decimal_instead_of_rounding_it_away():
    with pytest.raises(ValidationError) as caught:
        parse_amount("0.005")
    assert caught.value.messages == ["An amount has at most two decimal places (fen)."]


@pytest.mark.parametrize("given", ["abc", "", "1e", "NaN", "-Infinity", None])
def test_parse_amount_refuses_what_is_not_a_number(given):
    with pytest.raises(ValidationError) as caught:
        parse_amount(given)
    assert caught.value.code == "amount_format"


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-0.01")])
def test_an_amount_must_be_positive(amount):
    with pytest.raises(ValidationError) as caught:
        validate_positive_amount(amount)
    assert caught.value.messages == ["The amount must be greater than zero."]


def test_round_fen_rounds_half_up_and_format_yuan_groups_thousands():
    assert round_fen(Decimal("2.675")) == Decimal("2.68")
    assert round_fen(Decimal("2.665")) == Decimal("2.67")
    assert format_yuan(Decimal("1234567.8")) == "¥1,234,567.80"
    assert format_yuan(None) == ""
