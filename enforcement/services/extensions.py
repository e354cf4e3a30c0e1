"""Writes of time-limit extensions: the officer asks in the last 5 days (法发〔2006〕35号 art. 1), a division
head other than the requester decides (separation of duties), approval adds the months and moves the
deadline (法释〔2000〕29号 art. 5: 3 months; a further extension is reported to the High Court for record)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.models import User

from ..choices import ExtensionStatus, Status
from ..deadlines import deadline_of
from ..models import EnforcementCase, ExtensionRequest
from .lifecycle import lock_case, record_status_change

REQUEST_WINDOW_DAYS = 5  # 法发〔2006〕35号 art. 1: asked for within the last 5 days before expiry
MAX_MONTHS = 3  # 法释〔2000〕29号 art. 5: the president may extend by 3 months
HIGH_COURT_NOTE = "层报高级人民法院备案"


def request_window(deadline_on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day on which an extension may be asked for."""
    return deadline_on - dt.timedelta(days=REQUEST_WINDOW_DAYS), deadline_on


@transaction.atomic
def extension_request(
    *, actor: User, enforcement_case: EnforcementCase, months: int = MAX_MONTHS, reason: str
) -> ExtensionRequest:
    """Ask to extend the case's time limit. Allowed from the 5th day before ``deadline_on`` to the deadline
    itself; earlier or later is refused naming the rule; one pending request at a time."""
    require_capability(actor, "enforcement.request_extension")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason the case cannot be concluded in time.")]
    if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        errors["months"] = [
            _("An extension is of at most %(max)d months (法释〔2000〕29号 art. 5).") % {"max": MAX_MONTHS}
        ]
    if errors:
        raise InvalidInput(errors, code="extension.invalid")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    if case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed; its time limit no longer runs."), code="extension.closed")
    if case.status == Status.SUSPENDED:
        raise RuleViolation(
            _("The case is suspended and its time limit does not run; ask after it resumes."),
            code="extension.suspended",
        )
    if case.deadline_on is None:
        raise RuleViolation(_("The case has no time limit set."), code="extension.no_deadline")
    if not (actor.is_superuser or case.officer_id == actor.pk):
        raise RuleViolation(
            _("Only the officer in charge of the case asks to extend its time limit."), code="extension.not_officer"
        )
    today = timezone.localdate()
    opens, closes = request_window(case.deadline_on)
    if today > closes:
        raise RuleViolation(
            _(
                "The time limit expired on %(deadline)s; an extension must be asked for before it expires "
                "(法发〔2006〕35号 art. 1)."
            )
            % {"deadline": case.deadline_on.isoformat()},
            code="extension.expired",
        )
    if today < opens:
        raise RuleViolation(
            _(
                "An extension is asked for in the last %(days)d days before the time limit expires "
                "(法发〔2006〕35号 art. 1): from %(opens)s to %(deadline)s."
            )
            % {"days": REQUEST_WINDOW_DAYS, "opens": opens.isoformat(), "deadline": case.deadline_on.isoformat()},
            code="extension.too_early",
        )
    if ExtensionRequest.objects.filter(enforcement_case=case, status=ExtensionStatus.PENDING).exists():
        raise RuleViolation(
            _("An extension request for this case is already waiting for a decision."), code="extension.pending"
        )
    extension = ExtensionRequest(enforcement_case=case, months=months, reason=reason.strip(), requested_by=actor)
    extension.full_clean()
    try:
        with transaction.atomic():
            extension.save()
    except IntegrityError as exc:  # a concurrent request won the race for the one pending slot
        raise RuleViolation(
            _("An extension request for this case is already waiting for a decision."), code="extension.pending"
        ) from exc
    audit_record(
        actor=actor,
        action="enforcement.extension_request",
        obj=case,
        reason=extension.reason,
        changes={"extension": extension.pk, "months": months, "deadline_on": case.deadline_on.isoformat()},
    )
    return extension


@transaction.atomic
def extension_decide(*, actor: User, extension: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    """Approve or refuse a pending request. The decider is a division head who did not ask (separation of
    duties). Approval adds the months to the case and moves its deadline; an approval after an earlier
    approved extension is noted as reported to the High Court for record (法释〔2000〕29号 art. 5)."""
    require_capability(actor, "enforcement.approve_extension")
    # The case first, then the request: the same order as extension_request, so the two never deadlock.
    case = lock_case(actor=actor, enforcement_case=extension.enforcement_case)
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.PENDING:
        raise RuleViolation(_("This extension request has already been decided."), code="extension.decided")
    if extension.requested_by_id == actor.pk:
        raise RuleViolation(
            _("You asked for this extension; another division head decides it (separation of duties)."),
            code="extension.own_request",
        )
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput({"note": _("Say why the extension is refused.")}, code="extension.invalid")
    if approve and case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed; its time limit no longer runs."), code="extension.closed")
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    changes: dict = {"extension": extension.pk, "approved": approve}
    if approve:
        earlier = ExtensionRequest.objects.filter(enforcement_case=case, status=ExtensionStatus.APPROVED).exists()
        if earlier:
            note = f"{note}（{HIGH_COURT_NOTE}）" if note else HIGH_COURT_NOTE
            changes["reported_to_high_court"] = True
        before = case.deadline_on
        case.extended_months += extension.months
        case.deadline_on = deadline_of(case)
        case.save(update_fields=["extended_months", "deadline_on"])
        changes["deadline_on"] = [before.isoformat() if before else None, case.deadline_on.isoformat()]
        record_status_change(
            actor=actor,
            enforcement_case=case,
            transition="extend",
            from_status=case.status,
            to_status=case.status,
            reason=extension.reason,
            details={"months": extension.months, "deadline_on": case.deadline_on, "note": note},
        )
    extension.decision_note = note
    extension.full_clean()
    extension.save()
    audit_record(
        actor=actor,
        action="enforcement.extension_approve" if approve else "enforcement.extension_refuse",
        obj=case,
        reason=note,
        changes=changes,
    )
    return extension
