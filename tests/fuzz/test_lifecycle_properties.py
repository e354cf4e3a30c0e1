"""Properties of the enforcement lifecycle (the django-fsm-2 state machine on ``EnforcementCase.status``, the only
``FSMField`` of the project): over random sequences of steps, only the legal ones succeed, an illegal one raises
and changes nothing, and every step that succeeds writes its status-change row.

The legal steps are written out here once more (``LIFECYCLE``), independently of the model, so that a
transition added or widened by mistake in ``enforcement/models.py`` fails these tests.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.exceptions import NotFound, PermissionDenied, RuleViolation
from enforcement.choices import ClosingKind, NoticeKind, ServiceMethod, Status
from enforcement.models import EnforcementCase, Notice, StatusChange
from enforcement.services.lifecycle import transition_apply
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

WORKING = ["notified", "investigating", "controlling", "disposing", "distributing"]
SUSPENDABLE = ["filed", "assigned", *WORKING]

# step → {from: to}; "resume" goes back to the state the case was suspended in.
LIFECYCLE: dict[str, dict[str, str]] = {
    "assign": {"filed": "assigned"},
    "notify": {"assigned": "notified"},
    "start_investigation": {"notified": "investigating"},
    "start_control": {"investigating": "controlling"},
    "start_disposal": {"controlling": "disposing"},
    "start_distribution": {"controlling": "distributing", "disposing": "distributing"},
    "suspend": dict.fromkeys(SUSPENDABLE, "suspended"),
    "resume": {"suspended": "<before>"},
    "close": dict.fromkeys([*SUSPENDABLE, "suspended"], "closed"),
}
STEPS = sorted(LIFECYCLE)
TODAY = timezone.localdate()


def _expected(step: str, status: str, before: str) -> str | None:
    target = LIFECYCLE[step].get(status)
    return before if target == "<before>" else target


def _arguments(step: str, officer) -> dict:
    if step == "assign":
        return {"officer": officer}
    if step == "close":
        return {"kind": ClosingKind.COMPLETED, "on": TODAY}
    return {}


def test_the_lifecycle_written_here_is_the_models_one():
    field = EnforcementCase._meta.get_field("status")
    declared: dict[str, set[str]] = {}
    for t in field.get_all_transitions(EnforcementCase):
        declared.setdefault(t.name, set()).add(t.source)
    assert {name: set(spec) for name, spec in LIFECYCLE.items()} == declared


# ---- in memory: the state machine itself -------------------------------------------------------------------


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    start=st.sampled_from(list(Status.values)),
    steps=st.lists(st.sampled_from([s for s in STEPS if s != "notify"]), max_size=12),
)
def test_only_the_legal_steps_move_a_case_and_an_illegal_one_changes_nothing(start, steps):
    """``notify`` has a condition that reads the database; the database-backed property below covers it."""
    case = EnforcementCase(status=start, status_before_suspension="investigating" if start == "suspended" else "")
    status, before = start, case.status_before_suspension
    for step in steps:
        expected = _expected(step, status, before)
        method = getattr(case, step)
        kwargs = _arguments(step, None)
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                method(**kwargs)
            assert case.status == status
            continue
        method(**kwargs)
        if step == "suspend":
            before = status
        assert case.status == expected
        status = expected


# ---- through the service, on the database ------------------------------------------------------------------


@pytest.fixture
def people(db):
    court = CourtFactory(chaoyang=True)
    return {
        "head": UserFactory(division_head=True, court=court, username="fuzz-head"),
        "officer": UserFactory(officer=True, court=court, username="fuzz-officer"),
        "clerk": UserFactory(clerk=True, court=court, username="fuzz-clerk"),
        "elsewhere": UserFactory(division_head=True, court=CourtFactory(haidian=True), username="fuzz-head-b"),
        "court": court,
        "debtor": PartyFactory(organisation=True),
    }


def _serve_notices(case: EnforcementCase, actor) -> None:
    for kind in NoticeKind.values:
        Notice.objects.create(
            enforcement_case=case,
            kind=kind,
            recipient=people_debtor(case),
            file=f"notices/fuzz-{case.pk}-{kind}.docx",
            issued_on=TODAY,
            issued_by=actor,
            service_method=ServiceMethod.IN_PERSON,
            served_on=TODAY,
        )


def people_debtor(case: EnforcementCase):
    return case.case.party_links.get(role="debtor").party


ACTORS = ["head"] * 6 + ["officer", "clerk", "elsewhere"]


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(notices=st.booleans(), length=st.integers(1, 14), data=st.data())
def test_every_step_through_the_service_is_legal_or_refused_and_each_success_is_recorded(people, notices, length, data):
    """Three steps in four are drawn among those the model says lead forward (closing and suspending aside), so
    that the walks reach the later states; the others among all steps."""
    with transaction.atomic():
        case = case_in(Status.FILED, people["court"], debtors=[people["debtor"]], filing_date=TODAY - dt.timedelta(30))
        if notices:
            _serve_notices(case, people["head"])
        status, before = case.status, ""
        for _ in range(length):
            forward = [s for s in STEPS if s not in ("close", "suspend") and _expected(s, status, before)]
            any_step = data.draw(st.integers(0, 3), label="any step") == 0 or not forward
            step = data.draw(st.sampled_from(STEPS if any_step else forward), label="step")
            who = data.draw(st.sampled_from(ACTORS), label="actor")
            actor = people[who]
            changes = StatusChange.objects.filter(enforcement_case=case).count()
            expected = _expected(step, status, before)
            if step == "notify" and not notices:
                expected = None
            allowed_role = who == "head" or (who == "officer" and step != "assign")
            kwargs = _arguments(step, people["officer"])
            try:
                case = transition_apply(actor=actor, enforcement_case=case, transition=step, reason="fuzz", **kwargs)
            except (NotFound, PermissionDenied, RuleViolation) as refusal:
                event(f"refused: {type(refusal).__name__}")
                case.refresh_from_db()
                assert case.status == status, f"{step} by {who} was refused but moved the case"
                assert StatusChange.objects.filter(enforcement_case=case).count() == changes
                if who == "elsewhere":
                    assert isinstance(refusal, NotFound)
                elif not allowed_role:
                    assert isinstance(refusal, PermissionDenied)
                else:
                    assert expected is None, f"{step} from {status} is legal but was refused: {refusal}"
                    assert refusal.code in ("lifecycle.illegal_transition", "lifecycle.notices_missing")
                continue
            event(f"legal step taken: {step}")
            assert who != "elsewhere"
            assert allowed_role
            assert expected is not None, f"{step} from {status} is illegal but succeeded"
            assert case.status == expected
            change = StatusChange.objects.filter(enforcement_case=case).latest("id")
            assert StatusChange.objects.filter(enforcement_case=case).count() == changes + 1
            assert (change.transition, change.from_status, change.to_status, change.actor_id) == (
                step,
                status,
                expected,
                actor.pk,
            )
            if step == "suspend":
                before = status
            status = expected
        transaction.set_rollback(True)
