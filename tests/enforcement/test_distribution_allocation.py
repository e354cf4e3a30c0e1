"""The pure allocation of the case fund (enforcement.distribution): costs, then secured, then ordinary claims
pro rata (参与分配) or in the order of control (解释 2022 art. 514); property-based tests with hypothesis that
the lines always reconcile to the total and nobody gets more than their claim."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement.distribution import Claim, allocate, pro_rata

D = Decimal
FEN = D("0.01")

money = st.integers(min_value=1, max_value=10_000_000).map(lambda cents: D(cents) * FEN)
totals = st.integers(min_value=0, max_value=30_000_000).map(lambda cents: D(cents) * FEN)


@st.composite
def claim_lists(draw, rule):
    claims = []
    for _ in range(draw(st.integers(0, 2))):
        claims.append(Claim("costs", None, draw(money)))
    for i in range(draw(st.integers(0, 3))):
        claims.append(Claim("secured", 100 + i, draw(money)))
    n = draw(st.integers(0, 6))
    positions = draw(st.permutations(list(range(1, n + 1))))
    for i in range(n):
        claims.append(Claim("ordinary", 200 + i, draw(money), control_position=positions[i] if rule else None))
    return claims


def _check_common(total, claims, lines):
    assert sum((line.allocated for line in lines), D("0")) == total
    for line in lines:
        assert line.allocated >= 0
        assert line.allocated <= line.claim
        assert line.allocated == line.allocated.quantize(FEN)
    by_kind = {kind: [line for line in lines if line.kind == kind] for kind in ("costs", "secured", "ordinary")}
    # a class gets something only once every claim of the classes before it is satisfied
    if any(line.allocated for line in by_kind["secured"]):
        assert all(line.allocated == line.claim for line in by_kind["costs"])
    if any(line.allocated for line in by_kind["ordinary"]):
        assert all(line.allocated == line.claim for line in by_kind["costs"] + by_kind["secured"])
    surplus = [line for line in lines if line.kind == "surplus"]
    if surplus:
        assert all(line.allocated == line.claim for line in lines)
        assert surplus[0].allocated == total - sum((c.amount for c in claims), D("0"))
    else:
        assert total <= sum((c.amount for c in claims), D("0"))
    return by_kind


@settings(max_examples=300, deadline=None)
@given(data=st.data(), total=totals)
def test_pro_rata_always_reconciles_and_stays_within_a_fen_of_the_exact_share(data, total):
    claims = data.draw(claim_lists(rule=None))
    lines = allocate(total, claims, "pro_rata")
    by_kind = _check_common(total, claims, lines)
    ordinary = by_kind["ordinary"]
    available = sum((line.allocated for line in ordinary), D("0"))
    claimed = sum((line.claim for line in ordinary), D("0"))
    for line in ordinary:
        exact = available * line.claim / claimed
        assert abs(line.allocated - exact) < FEN


@settings(max_examples=300, deadline=None)
@given(data=st.data(), total=totals)
def test_control_order_pays_earlier_positions_in_full_first(data, total):
    claims = data.draw(claim_lists(rule="control_order"))
    lines = allocate(total, claims, "control_order")
    by_kind = _check_common(total, claims, lines)
    positions = {c.recipient: c.control_position for c in claims if c.kind == "ordinary"}
    ordinary = sorted(by_kind["ordinary"], key=lambda line: positions[line.recipient])
    assert [line.recipient for line in ordinary] == [line.recipient for line in by_kind["ordinary"]]
    for earlier, later in zip(ordinary, ordinary[1:], strict=False):
        if later.allocated > 0:
            assert earlier.allocated == earlier.claim


def test_costs_are_paid_first():
    lines = allocate(D("500"), [Claim("ordinary", 1, D("1000")), Claim("costs", None, D("800"))], "pro_rata")
    assert [(line.kind, line.allocated) for line in lines] == [("costs", D("500.00")), ("ordinary", D("0.00"))]


def test_secured_claims_come_before_ordinary_ones_in_their_order():
    claims = [
        Claim("ordinary", 1, D("1000")),
        Claim("secured", 2, D("300")),
        Claim("secured", 3, D("400")),
        Claim("costs", None, D("100")),
    ]
    lines = allocate(D("600"), claims, "pro_rata")
    assert [(line.kind, line.recipient, line.allocated) for line in lines] == [
        ("costs", None, D("100.00")),
        ("secured", 2, D("300.00")),
        ("secured", 3, D("200.00")),
        ("ordinary", 1, D("0.00")),
    ]


def test_pro_rata_with_a_fen_remainder_goes_to_the_largest_remainder_then_the_earlier_claim():
    assert pro_rata(D("100.00"), [D("100"), D("100"), D("100")]) == [D("33.34"), D("33.33"), D("33.33")]
    assert pro_rata(D("0.02"), [D("1"), D("1"), D("1")]) == [D("0.01"), D("0.01"), D("0.00")]
    # 10 split 1:2 → 3.333… and 6.666…: the larger remainder (the second) takes the fen
    assert pro_rata(D("10.00"), [D("100"), D("200")]) == [D("3.33"), D("6.67")]


def test_control_order_pays_the_first_frozen_first():
    claims = [
        Claim("ordinary", 1, D("600"), control_position=2),
        Claim("ordinary", 2, D("500"), control_position=1),
        Claim("ordinary", 3, D("500"), control_position=3),
    ]
    lines = allocate(D("800"), claims, "control_order")
    assert [(line.recipient, line.allocated) for line in lines] == [
        (2, D("500.00")),
        (1, D("300.00")),
        (3, D("0.00")),
    ]


def test_a_remainder_after_every_claim_is_returned_to_the_debtor():
    lines = allocate(D("1000"), [Claim("costs", None, D("100")), Claim("ordinary", 1, D("500"))], "pro_rata")
    assert lines[-1].kind == "surplus"
    assert lines[-1].allocated == D("400.00")


@pytest.mark.parametrize(
    "claims",
    [[Claim("ordinary", 1, D("0"))], [Claim("other", 1, D("10"))]],
)
def test_bad_claims_are_refused(claims):
    with pytest.raises(ValueError):
        allocate(D("10"), claims, "pro_rata")


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        allocate(D("10"), [], "first_come")
