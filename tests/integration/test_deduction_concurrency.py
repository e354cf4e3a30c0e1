"""50 concurrent deductions against one freeze never exceed it: the row locks on the enforcement case and the
measure serialise the checks (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from assets.choices import AgencyKind, AssetCategory, DeductionStatus
from assets.models import Asset, Deduction
from assets.services import control_deduct
from core.exceptions import Conflict
from enforcement.choices import Status
from tests.assets.builders import make_agency
from tests.assets.test_controls import order_confirmed
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 50
FROZEN = Decimal("10000.00")
EACH = Decimal("700.00")  # 14 fit (9 800.00); the other 36 must be refused


def test_fifty_concurrent_deductions_never_exceed_the_freeze():
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court)
    debtor = PartyFactory(organisation=True)
    ec = case_in(Status.CONTROLLING, court, debtors=[debtor], officer=officer, amount="500000.00")
    bank, _key = make_agency("icbc-race", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    asset = Asset.objects.create(
        case=ec.case, debtor=debtor, category=AssetCategory.DEPOSIT, agency=bank, identifier="6222020200998877665"
    )
    freeze = order_confirmed(officer, ec, asset, amount=FROZEN)

    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(ATTEMPTS)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            control_deduct(actor=officer, measure=freeze, amount=EACH, reference=f"race-{i}")
            outcome = ("ok", "")
        except Conflict as exc:
            outcome = ("conflict", f"{exc.status_code} {exc.code}")
        except BaseException as exc:  # reported by the assertion below
            outcome = ("error", repr(exc))
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a deduction thread hung"

    assert not [o for o in outcomes if o[0] == "error"], outcomes
    successes = [o for o in outcomes if o[0] == "ok"]
    failures = [o for o in outcomes if o[0] == "conflict"]
    assert len(successes) + len(failures) == ATTEMPTS
    assert {detail for _kind, detail in failures} == {"409 control.deduction_exceeds_frozen"}
    deducted = Deduction.objects.filter(measure=freeze).exclude(status=DeductionStatus.REFUSED)
    total = deducted.aggregate(total=Sum("amount"))["total"]
    assert total <= FROZEN
    assert deducted.count() == len(successes) == int(FROZEN // EACH)
