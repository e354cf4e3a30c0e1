"""Properties of the money rules, over generated amounts (Decimal, to the fen):

- the allocation of a distribution (``enforcement.distribution.allocate``): its lines sum exactly to the money
  distributed, no creditor gets more than the claim, each class is paid only once the classes before it are
  full, pro-rata shares are within a fen of the exact proportion, and every amount is in whole fen;
- a deduction (``assets.services.control_deduct``) succeeds exactly when it is within both what is still frozen
  and what is still owed, so the deductions never exceed the freeze and the money taken never exceeds the debt;
- the case-fund ledger (receipts, reversals, distribution payouts), driven by a Hypothesis state machine,
  never holds a negative balance and always equals receipts − reversals − payouts.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from assets.choices import AgencyKind, AssetCategory, RequestKind
from assets.models import AgencyRequest, Asset, Deduction
from assets.services import control_confirm, control_deduct, control_order
from core.exceptions import ApplicationError, Conflict, InvalidInput, RuleViolation
from enforcement.choices import Status
from enforcement.distribution import FEN, Claim, allocate, pro_rata
from enforcement.models import DistributionLine, EnforcementCase
from enforcement.services.distribution import distribution_decide, distribution_pay, distribution_propose
from enforcement.services.ledger import fund_balance, fund_receive, fund_received, fund_reverse
from tests.assets.builders import make_agency
from tests.enforcement.builders import case_in
from tests.enforcement.distribution_builders import creditors, fund_case
from tests.factories import CourtFactory, PartyFactory, UserFactory

ZERO = Decimal("0.00")


def fen(low: int = 1, high: int = 10_000_000_00) -> st.SearchStrategy[Decimal]:
    """An amount in yuan with two decimals, from ``low`` to ``high`` fen."""
    return st.integers(low, high).map(lambda cents: Decimal(cents) * FEN)


claims_strategy = st.lists(
    st.builds(
        Claim,
        kind=st.sampled_from(["costs", "secured", "ordinary"]),
        recipient=st.integers(1, 5),
        amount=fen(1, 5_000_000_00),
        control_position=st.integers(1, 9),
    ),
    max_size=8,
)


# ---- the allocation (pure) ---------------------------------------------------------------------------------


@settings(max_examples=300, derandomize=True, deadline=None)
@given(total=fen(0), claims=claims_strategy, rule=st.sampled_from(["pro_rata", "control_order"]))
def test_a_distribution_always_reconciles_and_pays_no_one_above_the_claim(total, claims, rule):
    lines = allocate(total, claims, rule)
    assert sum((line.allocated for line in lines), ZERO) == total
    for line in lines:
        assert line.allocated == line.allocated.quantize(FEN)
        assert ZERO <= line.allocated <= line.claim
    surplus = [line for line in lines if line.kind == "surplus"]
    paid = [line for line in lines if line.kind != "surplus"]
    assert len(paid) == len(claims)
    if surplus:
        assert all(line.allocated == line.claim for line in paid), "money is returned only when every claim is paid"
        assert surplus[0].allocated == total - sum((c.amount for c in claims), ZERO)
    # Each class is paid only once every class before it is paid in full.
    order = {"costs": 0, "secured": 1, "ordinary": 2}
    for line in paid:
        if line.allocated > 0:
            earlier = [e for e in paid if order[e.kind] < order[line.kind]]
            assert all(e.allocated == e.claim for e in earlier)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(claims=st.lists(fen(1, 1_000_000_00), min_size=1, max_size=8), share=st.fractions(0, 1))
def test_pro_rata_shares_sum_to_what_is_available_and_are_within_a_fen_of_the_exact_share(claims, share):
    total = sum(claims, ZERO)
    available = (total * Decimal(share.numerator) / Decimal(share.denominator)).quantize(FEN, rounding="ROUND_DOWN")
    shares = pro_rata(available, claims)
    assert sum(shares, ZERO) == available
    for claim, got in zip(claims, shares, strict=True):
        assert ZERO <= got <= claim
        exact = available * claim / total
        assert abs(got - exact) < FEN


@settings(max_examples=200, derandomize=True, deadline=None)
@given(total=fen(1), claims=st.lists(fen(1, 1_000_000_00), min_size=2, max_size=6))
def test_under_control_order_the_first_frozen_is_paid_in_full_before_the_next_gets_anything(total, claims):
    ordinary = [Claim("ordinary", i + 1, a, control_position=len(claims) - i) for i, a in enumerate(claims)]
    lines = [line for line in allocate(total, ordinary, "control_order") if line.kind != "surplus"]
    by_position = [c.recipient for c in sorted(ordinary, key=lambda c: c.control_position)]
    assert [line.recipient for line in lines] == by_position
    for earlier, later in zip(lines, lines[1:], strict=False):
        assert later.allocated == 0 or earlier.allocated == earlier.claim


# ---- deductions from a freeze (database) -------------------------------------------------------------------


@pytest.fixture
def control_world(db):
    court = CourtFactory(chaoyang=True)
    bank, _key = make_agency("fuzz-bank", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    return {
        "court": court,
        "officer": UserFactory(officer=True, court=court, username="fuzz-money-officer"),
        "bank": bank,
    }


def _answer(measure, kind: str, outcome: str, reference: str) -> None:
    request = AgencyRequest.objects.filter(measure=measure, kind=kind).latest("id")
    control_confirm(agency=request.agency, request_id=request.pk, outcome=outcome, reference=reference)


@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    owed=fen(1_000_00, 200_000_00),
    received_share=st.sampled_from([0, 0, 25, 90, 100]),
    frozen=fen(1_000_00, 300_000_00),
    attempts=st.lists(
        st.tuples(fen(1, 150_000_00), st.sampled_from(["done", "refused", "pending"])), min_size=1, max_size=6
    ),
)
def test_a_deduction_succeeds_exactly_when_within_the_frozen_and_the_owed_amounts(
    control_world, owed, received_share, frozen, attempts
):
    officer = control_world["officer"]
    with transaction.atomic():
        debtor = PartyFactory(organisation=True)
        case = case_in(Status.CONTROLLING, control_world["court"], debtors=[debtor], officer=officer, amount=str(owed))
        received = (owed * received_share / 100).quantize(FEN)
        if received > 0:
            fund_receive(actor=officer, enforcement_case=case, amount=received, source="payment", reference="fz-r0")
        asset = Asset.objects.create(
            case=case.case,
            debtor=debtor,
            category=AssetCategory.DEPOSIT,
            agency=control_world["bank"],
            identifier="6222020200112233445",
        )
        measure = control_order(
            actor=officer,
            enforcement_case=case,
            asset=asset,
            kind="freeze",
            amount=frozen,
            starts_on=timezone.localdate(),
        )
        _answer(measure, RequestKind.FREEZE, "done", "fz-freeze")
        measure.refresh_from_db()

        spent = ZERO  # deductions sent or confirmed (a refused one frees its amount again)
        pending = ZERO
        for i, (amount, outcome) in enumerate(attempts):
            within = min(frozen - spent, owed - received - pending)
            try:
                control_deduct(actor=officer, measure=measure, amount=amount, reference=f"fz-d{i}")
            except Conflict as refusal:
                assert amount > within, f"{amount} within {within} was refused: {refusal.code}"
                assert refusal.code in ("control.deduction_exceeds_frozen", "control.deduction_exceeds_owed")
                event(f"deduction refused: {refusal.code}")
                continue
            assert amount <= within, f"{amount} over {within} was accepted"
            event(f"deduction accepted, then {outcome}")
            if outcome == "pending":
                spent += amount
                pending += amount
                continue
            _answer(measure, RequestKind.DEDUCT, outcome, f"fz-c{i}")
            if outcome == "done":
                spent += amount
                received += amount
        case.refresh_from_db()
        taken = sum((d.amount for d in Deduction.objects.filter(measure=measure).exclude(status="refused")), start=ZERO)
        assert taken == spent <= frozen
        assert fund_received(enforcement_case=case) == received <= owed
        assert case.performed_amount == received
        transaction.set_rollback(True)


# ---- the case-fund ledger (database, state machine) --------------------------------------------------------


class LedgerMachine(RuleBasedStateMachine):
    """Receipts, reversals, distribution plans and payouts on one case in random order; a model of the fund
    kept here predicts every acceptance and refusal."""

    world: dict = {}
    outcomes: Counter = Counter()  # what the runs did, to show that they reach payouts and reversals

    def _seen(self, what: str) -> None:
        event(what)
        self.outcomes[what.split(":")[0]] += 1

    @initialize()
    def open_case(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        w = self.world
        self.case = fund_case(w["court"], w["officer"], person=True, amount="500000.00", extra_creditors=2)
        self.receipts: list[tuple[object, bool]] = []  # (entry, reversed)
        self.balance = ZERO
        self.received = ZERO
        self.lines: list[DistributionLine] = []
        self.counter = 0

    def teardown(self):
        if hasattr(self, "_atomic"):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    def _ref(self, tag: str) -> str:
        self.counter += 1
        return f"fz-{tag}-{self.counter}"

    def _committed(self) -> Decimal:
        return sum((line.allocated - line.paid for line in self.lines), ZERO)

    @rule(amount=fen(1, 100_000_00))
    def receive(self, amount):
        entry, created = fund_receive(
            actor=self.world["officer"],
            enforcement_case=self.case,
            amount=amount,
            source="payment",
            reference=self._ref("r"),
        )
        assert created
        self.receipts.append((entry, False))
        self.balance += amount
        self.received += amount

    @precondition(lambda self: any(not done for _entry, done in self.receipts))
    @rule(data=st.data())
    def reverse(self, data):
        if not self.receipts:
            return
        i = data.draw(st.integers(0, len(self.receipts) - 1))
        entry, reversed_already = self.receipts[i]
        free = self.balance - self._committed()
        try:
            fund_reverse(actor=self.world["officer"], receipt=entry, reason="fuzz: the money never arrived")
        except RuleViolation as refusal:
            assert not reversed_already and entry.amount > free, refusal.code
            assert refusal.code == "ledger.reversal_exceeds_fund"
            self._seen("reversal refused")
            return
        self._seen("reversal done" if not reversed_already else "reversal repeated")
        if not reversed_already:
            assert entry.amount <= free
            self.receipts[i] = (entry, True)
            self.balance -= entry.amount
            self.received -= entry.amount

    @precondition(lambda self: self.balance > 0)
    @rule(share=st.integers(1, 150), claims=st.lists(fen(1, 300_000_00), min_size=1, max_size=3))
    def distribute(self, share, claims):
        w = self.world
        total = (self.balance * share / 100).quantize(FEN)
        ids = creditors(self.case)
        rows = [{"kind": "ordinary", "recipient": ids[i % len(ids)], "amount": a} for i, a in enumerate(claims)]
        try:
            plan = distribution_propose(
                actor=w["officer"], enforcement_case=self.case, fund_total=total, claims=rows, rule="pro_rata"
            )
        except (RuleViolation, InvalidInput) as refusal:
            open_plan = any(line.paid < line.allocated for line in self.lines)
            assert open_plan or total <= 0 or total > self.balance, refusal.code
            self._seen(f"plan refused: {refusal.code}")
            return
        self._seen("plan approved")
        assert total <= self.balance and not any(line.paid < line.allocated for line in self.lines)
        plan = distribution_decide(actor=w["head"], plan=plan, approve=True, note="")
        lines = list(plan.lines.order_by("position"))
        assert sum((line.allocated for line in lines), ZERO) == total
        self.lines = lines  # the surplus line too: the plan is paid out only when the debtor has it back

    @precondition(lambda self: any(line.paid < line.allocated for line in self.lines))
    @rule(data=st.data(), share=st.integers(1, 130))
    def pay(self, data, share):
        open_lines = [line for line in self.lines if line.paid < line.allocated]
        if not open_lines:
            return
        line = open_lines[data.draw(st.integers(0, len(open_lines) - 1))]
        amount = max(((line.allocated - line.paid) * share / 100).quantize(FEN), FEN)
        try:
            distribution_pay(actor=self.world["officer"], line=line, amount=amount, reference=self._ref("p"))
        except (RuleViolation, ApplicationError) as refusal:
            assert amount > line.allocated - line.paid or amount > self.balance, refusal.code
            self._seen(f"payout refused: {refusal.code}")
            return
        self._seen("payout done")
        assert amount <= line.allocated - line.paid and amount <= self.balance
        line.refresh_from_db()
        self.balance -= amount

    @invariant()
    def the_fund_is_never_negative_and_matches_the_model(self):
        if not hasattr(self, "case"):
            return
        balance = fund_balance(enforcement_case=self.case)
        assert balance == self.balance >= ZERO
        assert fund_received(enforcement_case=self.case) == self.received
        assert EnforcementCase.objects.get(pk=self.case.pk).performed_amount == self.received
        for line in self.lines:
            assert ZERO <= line.paid <= line.allocated


def test_the_case_fund_never_goes_negative_whatever_the_order_of_receipts_reversals_and_payouts(db):
    court = CourtFactory(chaoyang=True)
    LedgerMachine.world = {
        "court": court,
        "officer": UserFactory(officer=True, court=court, username="fuzz-ledger-officer"),
        "head": UserFactory(division_head=True, court=court, username="fuzz-ledger-head"),
    }
    LedgerMachine.outcomes.clear()
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=12,
            derandomize=True,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    seen = LedgerMachine.outcomes
    assert seen["plan approved"] and seen["payout done"] and seen["reversal done"], seen
    assert seen["payout refused"] and seen["reversal refused"] and seen["plan refused"], seen
