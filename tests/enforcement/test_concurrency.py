"""Two officers take two different steps on one case at the same moment: exactly one wins (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from core.exceptions import Conflict, RuleViolation
from enforcement.choices import Status
from enforcement.models import EnforcementCase, StatusChange
from enforcement.services import transition_apply
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def race(attempts: list[tuple]) -> list[tuple[str, str]]:
    """Run ``transition_apply`` for each (officer, instance, transition) in its own thread, all released at
    once; returns ("ok", new status) or ("refused", code) per attempt."""
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(attempts))

    def run(officer, instance, transition):
        try:
            barrier.wait(timeout=30)
            result = transition_apply(actor=officer, enforcement_case=instance, transition=transition)
            outcome = ("ok", result.status)
        except (Conflict, RuleViolation) as exc:
            outcome = ("refused", exc.code)
        except BaseException as exc:  # reported by the caller's assertion
            outcome = ("error", repr(exc))
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a transition thread hung"
    return outcomes


def test_two_concurrent_steps_from_the_same_state_leave_exactly_one():
    court = CourtFactory(chaoyang=True)
    officers = [UserFactory(officer=True, court=court) for _ in range(2)]
    for _ in range(ROUNDS):
        ec = case_in(Status.CONTROLLING, court)
        # Both officers look at the case while it is "controlling" and decide on different next steps.
        seen = [EnforcementCase.objects.select_related("case").get(pk=ec.pk) for _ in officers]
        outcomes = race(list(zip(officers, seen, ["start_disposal", "start_distribution"], strict=True)))

        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        refusal = next(detail for kind, detail in outcomes if kind == "refused")
        assert refusal in {"lifecycle.conflict", "lifecycle.illegal_transition"}
        winner = next(detail for kind, detail in outcomes if kind == "ok")
        assert StatusChange.objects.filter(enforcement_case=ec).count() == 1
        assert EnforcementCase.objects.get(pk=ec.pk).status == winner
