"""Pure allocation of the case fund (清偿顺序, 参与分配): no database, Decimal to the fen.

Enforcement costs first (each up to its claim), then secured claims (优先受偿, in their order, each up to its
claim), then ordinary claims: ``pro_rata`` (natural-person debtor, 参与分配: in proportion to the claims of the
creditors who joined, 解释 2022 arts. 506–510) or ``control_order`` (corporate debtor: first frozen, first paid,
解释 2022 art. 514). Pro-rata shares are rounded by the largest-remainder method at the fen, ties broken by
order, so the shares of a class always sum exactly to what that class receives; whatever remains after every
claim is satisfied is returned to the debtor as a ``surplus`` line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
KINDS = ("costs", "secured", "ordinary")
RULES = ("pro_rata", "control_order")


@dataclass(frozen=True)
class Claim:
    """One claim: ``kind`` costs | secured | ordinary, ``recipient`` a party id (None for costs), ``amount`` owed,
    ``control_position`` (ordinary claims under control_order: 1 = first frozen), ``description`` free text."""

    kind: str
    recipient: int | None
    amount: Decimal
    control_position: int | None = None
    description: str = ""


@dataclass(frozen=True)
class Line:
    """One allocated line: ``position`` its order in the plan, ``kind`` costs | secured | ordinary | surplus."""

    position: int
    kind: str
    recipient: int | None
    claim: Decimal
    allocated: Decimal
    description: str = ""


def _fen(value) -> Decimal:
    return Decimal(value).quantize(FEN)


def pro_rata(available: Decimal, claims: list[Decimal]) -> list[Decimal]:
    """Split ``available`` (≤ the sum of ``claims``) in proportion to ``claims``, to the fen, largest remainder
    first (ties: earlier claim first); the shares sum exactly to ``available``, none exceeds its claim."""
    available = _fen(available)
    total = sum(claims, ZERO)
    if total <= 0 or available <= 0:
        return [ZERO for _ in claims]
    if available >= total:
        return [_fen(c) for c in claims]
    cents = int(available / FEN)
    exact = [Decimal(cents) * c / total for c in claims]  # in fen
    floors = [int(x.to_integral_value(rounding=ROUND_DOWN)) for x in exact]
    left = cents - sum(floors)
    order = sorted(range(len(claims)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) * FEN for f in floors]


def in_order(available: Decimal, claims: list[Decimal]) -> list[Decimal]:
    """Pay ``claims`` one after the other, each in full before the next gets anything."""
    shares = []
    left = _fen(available)
    for claim in claims:
        share = min(left, _fen(claim))
        shares.append(share)
        left -= share
    return shares


def allocate(total: Decimal, claims: list[Claim], rule: str) -> list[Line]:
    """Allocate ``total`` over ``claims`` (see the module docstring). Returns one line per claim, in the order
    costs, secured, ordinary (sorted by control position under control_order, stable otherwise), then a
    ``surplus`` line (recipient None) if anything is left. The lines always sum to ``total``."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}")
    total = _fen(total)
    if total < 0:
        raise ValueError("negative total")
    for claim in claims:
        if claim.kind not in KINDS:
            raise ValueError(f"unknown kind {claim.kind!r}")
        if _fen(claim.amount) <= 0:
            raise ValueError("claims are positive")
    claims = [replace(c, amount=_fen(c.amount)) for c in claims]
    costs = [c for c in claims if c.kind == "costs"]
    secured = [c for c in claims if c.kind == "secured"]
    ordinary = [c for c in claims if c.kind == "ordinary"]
    if rule == "control_order":
        ordinary = sorted(
            ordinary, key=lambda c: c.control_position if c.control_position is not None else float("inf")
        )
    left = total
    shares: list[tuple[Claim, Decimal]] = []
    for group in (costs, secured):
        for claim, share in zip(group, in_order(left, [c.amount for c in group]), strict=True):
            shares.append((claim, share))
            left -= share
    amounts = [c.amount for c in ordinary]
    split = pro_rata(left, amounts) if rule == "pro_rata" else in_order(left, amounts)
    for claim, share in zip(ordinary, split, strict=True):
        shares.append((claim, share))
        left -= share
    lines = [
        Line(position=i, kind=c.kind, recipient=c.recipient, claim=c.amount, allocated=s, description=c.description)
        for i, (c, s) in enumerate(shares, start=1)
    ]
    if left > 0:
        lines.append(Line(len(lines) + 1, "surplus", None, left, left, "returned to the debtor"))
    return lines
