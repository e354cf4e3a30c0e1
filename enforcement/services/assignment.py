"""Writes of 繁简分流 and assignment: storing the triage, overriding the track, assigning officers (one case
or many, by hand or by track and workload)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.models import User
from core.roles import Role

from ..choices import OPEN_STATUSES, Status, Track
from ..models import EnforcementCase
from ..triage import triage_score
from .lifecycle import lock_case, record_status_change, transition_apply

# Who may run a case: an enforcement officer (执行员) or a judge (执行法官) of the case's court.
ASSIGNABLE_ROLES = (Role.OFFICER, Role.JUDGE)
OVERRIDE_FACTOR = "override"


def _locked(actor: User, enforcement_case: EnforcementCase) -> EnforcementCase:
    """The case re-read under a row lock; ``NotFound`` alike if missing or at another court."""
    return lock_case(actor=actor, enforcement_case=enforcement_case)


def _refuse_closed(enforcement_case: EnforcementCase, code: str) -> None:
    if enforcement_case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed; reopen it by restoration (执恢) first."), code=code)


# ---- triage -------------------------------------------------------------------------------------------------


@transaction.atomic
def case_triage(*, actor: User, enforcement_case: EnforcementCase) -> EnforcementCase:
    """Score the case (``triage.triage_score``) and store the score, its reasons and the track.

    A track set by a division head (``case_set_track``) stays: the new score is stored beside the override,
    which remains the first reason shown.
    """
    require_capability(actor, "enforcement.act")
    case = _locked(actor, enforcement_case)
    _refuse_closed(case, "triage.closed")
    result = triage_score(case)
    override = [r for r in case.difficulty_reasons or [] if r.get("factor") == OVERRIDE_FACTOR]
    before = {"score": case.difficulty_score, "track": case.track}
    case.difficulty_score = result.score
    case.difficulty_reasons = override + result.reasons
    if not override:
        case.track = result.track
    case.full_clean(exclude=["case", "source_document", "restored_from", "officer", "status"])
    case.save(update_fields=["difficulty_score", "difficulty_reasons", "track"])
    audit_record(
        actor=actor,
        action="enforcement.triage",
        obj=case,
        changes={
            "score": [before["score"], case.difficulty_score],
            "track": [before["track"], case.track],
            "suggested_track": result.track,
        },
    )
    enforcement_case.refresh_from_db()
    return enforcement_case


@transaction.atomic
def case_set_track(*, actor: User, enforcement_case: EnforcementCase, track: str, reason: str) -> EnforcementCase:
    """A division head puts the case on a track other than (or the same as) the score suggests, saying why.
    The override is recorded as the first triage reason, so the next re-score keeps it."""
    require_capability(actor, "enforcement.assign")
    errors = {}
    if track not in Track.values:
        errors["track"] = [_("Choose the simple or the complex track.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for setting the track by hand.")]
    if errors:
        raise InvalidInput(errors, code="triage.invalid")
    case = _locked(actor, enforcement_case)
    _refuse_closed(case, "triage.closed")
    before = case.track
    kept = [r for r in case.difficulty_reasons or [] if r.get("factor") != OVERRIDE_FACTOR]
    note = _("Track set to %(track)s by %(who)s: %(reason)s") % {
        "track": Track(track).label,
        "who": str(actor),
        "reason": reason.strip(),
    }
    case.track = track
    case.difficulty_reasons = [{"factor": OVERRIDE_FACTOR, "points": 0, "text": note}, *kept]
    case.save(update_fields=["track", "difficulty_reasons"])
    audit_record(
        actor=actor, action="enforcement.set_track", obj=case, reason=reason.strip(), changes={"track": [before, track]}
    )
    enforcement_case.refresh_from_db()
    return enforcement_case


# ---- assignment ---------------------------------------------------------------------------------------------


def assignable_officers(court_id: int):
    """The active officers and judges of a court, by username."""
    return User.objects.filter(court_id=court_id, role__in=ASSIGNABLE_ROLES, is_active=True).order_by("username")


def _check_officer(officer: User | None, court_id: int) -> None:
    if officer is None:
        raise InvalidInput({"officer": _("Choose the officer to assign.")}, code="assignment.invalid")
    if officer.court_id != court_id:
        raise RuleViolation(
            _("An enforcement case is assigned to an officer of its own court; %(name)s is at another court.")
            % {"name": str(officer)},
            code="assignment.other_court",
        )
    if officer.role not in ASSIGNABLE_ROLES or not officer.is_active:
        raise RuleViolation(
            _("%(name)s is not an active enforcement officer or judge.") % {"name": str(officer)},
            code="assignment.not_an_officer",
        )


@transaction.atomic
def case_assign(*, actor: User, enforcement_case: EnforcementCase, officer: User, reason: str = "") -> EnforcementCase:
    """Assign the case to ``officer`` (a division head's act).

    The first assignment moves filed → assigned through the lifecycle (``transition_apply``); assigning an
    already assigned case to someone else keeps its status and records a "reassign" step (from = to).
    Refused, with nothing written: another court's officer (``assignment.other_court``), someone who is not an
    active officer or judge, a closed case, the officer who already has it.
    """
    require_capability(actor, "enforcement.assign")
    case = _locked(actor, enforcement_case)
    _check_officer(officer, case.case.court_id)
    _refuse_closed(case, "assignment.closed")
    reason = (reason or "").strip()
    if case.status == Status.FILED:
        transition_apply(actor=actor, enforcement_case=case, transition="assign", reason=reason, officer=officer)
    else:
        if case.officer_id == officer.pk:
            raise RuleViolation(
                _("The case is already assigned to %(name)s.") % {"name": str(officer)}, code="assignment.same_officer"
            )
        previous = case.officer
        case.officer = officer
        case.assigned_at = timezone.now()
        case.save(update_fields=["officer", "assigned_at"])
        record_status_change(
            actor=actor,
            enforcement_case=case,
            transition="reassign",
            from_status=case.status,
            to_status=case.status,
            reason=reason,
            details={
                "from_officer": previous.get_username() if previous else "",
                "to_officer": officer.get_username(),
            },
        )
        audit_record(
            actor=actor,
            action="enforcement.reassign",
            obj=case,
            reason=reason,
            changes={"officer": [previous.get_username() if previous else None, officer.get_username()]},
        )
    enforcement_case.refresh_from_db()
    return enforcement_case


def _open_load(court_id: int) -> dict[int, dict[str, int]]:
    """Open cases per officer of the court, overall and per track (one query)."""
    rows = (
        EnforcementCase.objects.filter(officer__court_id=court_id, status__in=OPEN_STATUSES)
        .values("officer_id")
        .annotate(
            total=Count("id"),
            simple=Count("id", filter=Q(track=Track.SIMPLE)),
            complex=Count("id", filter=Q(track=Track.COMPLEX)),
        )
    )
    return {
        r["officer_id"]: {"total": r["total"], Track.SIMPLE: r["simple"], Track.COMPLEX: r["complex"]} for r in rows
    }


@transaction.atomic
def cases_assign_bulk(
    *,
    actor: User,
    enforcement_cases: Iterable[EnforcementCase],
    officer: User | None = None,
    reason: str = "",
    progress: Callable[[int], object] | None = None,
) -> list[tuple[EnforcementCase, User]]:
    """Assign several cases at once, all or nothing (one transaction: any refusal leaves every case as it was).

    With ``officer`` every case goes to that officer. Without, each goes automatically to the officer of its
    court with the fewest open cases on its track, then the fewest open cases overall, then by username;
    the cases handed out in this batch count towards the load as they are assigned. ``progress``, when given,
    is called with the number of cases assigned so far after each one (it must not write to this transaction's
    rows: the caller publishes the figure elsewhere, see ``core.jobs.job_progress``).
    """
    require_capability(actor, "enforcement.assign")
    cases = list(enforcement_cases)
    if not cases:
        raise InvalidInput({"cases": _("Choose at least one case.")}, code="assignment.invalid")
    loads: dict[int, dict[int, dict[str, int]]] = {}
    officers: dict[int, list[User]] = {}
    done = []
    for case in sorted(cases, key=lambda c: (c.case.filing_date, c.pk)):
        chosen = officer
        if chosen is None:
            court_id = case.case.court_id
            if court_id not in officers:
                officers[court_id] = list(assignable_officers(court_id))
                loads[court_id] = _open_load(court_id)
            if not officers[court_id]:
                raise RuleViolation(
                    _("%(court)s has no active enforcement officer to assign cases to.") % {"court": case.case.court},
                    code="assignment.no_officer",
                )
            candidates = [o for o in officers[court_id] if o.pk != case.officer_id] or officers[court_id]
            load = loads[court_id]
            empty = {"total": 0, Track.SIMPLE: 0, Track.COMPLEX: 0}
            chosen = min(
                candidates,
                key=lambda o: (
                    load.get(o.pk, empty).get(case.track, 0) if case.track else 0,
                    load.get(o.pk, empty)["total"],
                    o.username,
                ),
            )
            entry = load.setdefault(chosen.pk, dict(empty))
            entry["total"] += 1
            if case.track:
                entry[case.track] += 1
        case_assign(
            actor=actor,
            enforcement_case=case,
            officer=chosen,
            reason=reason or (_("Automatic assignment by track and workload") if officer is None else ""),
        )
        done.append((case, chosen))
        if progress is not None:
            progress(len(done))
    return done
