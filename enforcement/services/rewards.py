"""Reward notices (悬赏公告) and public tip-offs (线索举报).

On a creditor's request the court publishes a reward notice (``reward_publish``): the debtor, the amount still
owed and the reward rule (a share of what a lead recovers, capped). It leaves the public pages when it is
withdrawn (``reward_withdraw``) or expires (``rewards_expire_due``, the daily job).

Which cases may carry a notice: a case *in enforcement* — open and not suspended (中止: enforcement is paused,
no lead can be acted on), or closed as 终结本次执行程序 (终本: the case waits for property to be found, and a
reward notice is the typical way to find it; a lead leads to restoration). Any other closed case (执行完毕,
终结执行, 和解, 不予执行, 移送破产) is refused with ``reward.case_not_in_enforcement``.

Anyone may send a lead (``tip_submit``) — no user, only the sender's address, kept as a keyed hash
(``client_key``, HMAC with ``SECRET_KEY``; the address itself is never stored) — on a published, unexpired
notice, or on the case of a publicly listed debtor: a case in enforcement (as above) that has a public entry
(a dishonest-list entry in force, read through the reverse relation ``dishonest_listings`` so that
enforcement imports nothing of credit; a public 终本 entry; or a published reward notice). Limits, counted in
the table itself (so a refusal writes nothing): ``CLIENT_LIMIT`` leads per client per hour, ``TARGET_LIMIT`` leads
per notice (or case) per hour; beyond either, ``TooManyTips`` (HTTP 429) names the limit.

The case officer records the outcome (``tip_handle``): verified or unfounded, what the lead recovered and the
reward paid, at most min(cap, rate × recovered) (``reward.over_rule``). The tipster's name and contact are
shown only to the officer of the case and the auditor (``tip_identity_visible``); each time they are shown the
read is audited (``tip_reveal``), everyone else sees them masked (张**, 138****5678).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyRole
from cases.models import Party
from core.access import get_or_404, require_capability
from core.audit import audit_record
from core.context import client_ip_var
from core.exceptions import ApplicationError, Conflict, InvalidInput, PermissionDenied, RuleViolation
from core.identifiers import mask_identifier, mask_name
from core.models import User
from core.roles import Role

from ..choices import WORKING_STATUSES, ClosingKind, RewardStatus, Status, TipStatus
from ..models import EnforcementCase, RewardNotice, TipOff
from .lifecycle import lock_case

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
CLIENT_LIMIT = 5  # leads per client per hour
TARGET_LIMIT = 30  # leads per notice (or case) per hour, from all clients together
WINDOW = dt.timedelta(hours=1)
MIN_WHAT = 10  # characters of "what you know"
IN_ENFORCEMENT = (Status.ASSIGNED, *WORKING_STATUSES)


class TooManyTips(ApplicationError):
    """A flood of tip-offs: answered 429 with the limit named."""

    status_code = 429
    default_code = "tip.rate_limited"


# ---- which cases -----------------------------------------------------------------------------------------------


def in_enforcement(case: EnforcementCase) -> bool:
    """Assigned and working (not merely filed, not suspended), or closed as 终本 (waiting for property)."""
    if case.status == Status.CLOSED:
        return case.closing_kind == ClosingKind.TERMINATED_THIS_ROUND
    return case.status in IN_ENFORCEMENT


def _not_in_enforcement() -> RuleViolation:
    return RuleViolation(
        _(
            "A reward notice is published only for a case in enforcement (or terminated this round, 终本): this "
            "case is closed or suspended."
        ),
        code="reward.case_not_in_enforcement",
    )


def _parties(case: EnforcementCase, role: str) -> list[Party]:
    return list(Party.objects.filter(case_links__case_id=case.case_id, case_links__role=role).distinct())


def amount_owed(case: EnforcementCase) -> Decimal:
    return max(case.case.amount - (case.performed_amount or ZERO), ZERO).quantize(CENT)


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise InvalidInput({field: [_("Enter a number.")]}, code="reward.invalid") from exc


# ---- notices ---------------------------------------------------------------------------------------------------


@transaction.atomic
def reward_publish(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    applicant: Party,
    reward_rate,
    reward_cap,
    expires_on: dt.date,
    text: str = "",
    debtor: Party | None = None,
    today: dt.date | None = None,
) -> RewardNotice:
    """Publish a reward notice on ``applicant``'s request (a creditor of the case) against ``debtor`` (the
    case's only debtor when not given).

    Refused, nothing written: ``reward.case_not_in_enforcement`` (closed other than 终本, or suspended);
    ``reward.not_a_creditor``; ``reward.not_a_debtor`` (or ``reward.choose_debtor`` when the case has several);
    ``reward.rate`` (the share must be in (0, 1]); ``reward.cap`` (> 0); ``reward.expiry`` (after today);
    ``reward.nothing_owed``; ``reward.already_published`` (one notice in force per debtor and case)."""
    require_capability(actor, "enforcement.rewards")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    today = today or timezone.localdate()
    if not in_enforcement(case):
        raise _not_in_enforcement()
    if applicant is None or applicant.pk not in {p.pk for p in _parties(case, PartyRole.CREDITOR)}:
        raise RuleViolation(
            _("A reward notice is published on the request of a creditor (申请执行人) of the case."),
            code="reward.not_a_creditor",
        )
    debtors = _parties(case, PartyRole.DEBTOR)
    if debtor is None:
        if len(debtors) != 1:
            raise InvalidInput({"debtor": [_("Choose the debtor the notice is about.")]}, code="reward.choose_debtor")
        debtor = debtors[0]
    elif debtor.pk not in {d.pk for d in debtors}:
        raise RuleViolation(_("The notice names a debtor of the case."), code="reward.not_a_debtor")
    rate = _decimal(reward_rate, "reward_rate")
    if not (ZERO < rate <= 1):
        raise RuleViolation(
            _("The reward is a share of what the lead recovers: more than 0 and at most 1 (100%)."),
            code="reward.rate",
        )
    cap = _decimal(reward_cap, "reward_cap").quantize(CENT)
    if cap <= 0:
        raise RuleViolation(_("The reward cap must be greater than zero."), code="reward.cap")
    if not isinstance(expires_on, dt.date) or expires_on <= today:
        raise RuleViolation(_("A reward notice expires after the day it is published."), code="reward.expiry")
    owed = amount_owed(case)
    if owed <= 0:
        raise RuleViolation(_("Nothing is owed on this case: there is nothing to reward."), code="reward.nothing_owed")
    if RewardNotice.objects.filter(
        enforcement_case=case, debtor=debtor, status=RewardStatus.PUBLISHED, expires_on__gte=today
    ).exists():
        raise Conflict(
            _("A reward notice on this debtor is already published for this case: withdraw it first."),
            code="reward.already_published",
        )
    notice = RewardNotice(
        enforcement_case=case,
        debtor=debtor,
        applicant=applicant,
        amount_owed=owed,
        reward_rate=rate,
        reward_cap=cap,
        text=(text or "").strip(),
        status=RewardStatus.PUBLISHED,
        published_on=today,
        expires_on=expires_on,
        published_by=actor,
    )
    notice.full_clean()
    notice.save()
    audit_record(
        actor=actor,
        action="enforcement.reward_publish",
        obj=case,
        changes={
            "notice": notice.pk,
            "debtor": debtor.pk,
            "applicant": applicant.pk,
            "amount_owed": str(owed),
            "reward_rate": str(rate),
            "reward_cap": str(cap),
            "expires_on": expires_on.isoformat(),
        },
    )
    return notice


@transaction.atomic
def reward_withdraw(*, actor: User, notice: RewardNotice, reason: str, today: dt.date | None = None) -> RewardNotice:
    """Withdraw a published notice (the applicant asks, the debt is paid…): ``reward.not_published``;
    a reason is required."""
    require_capability(actor, "enforcement.rewards")
    case = lock_case(actor=actor, enforcement_case=notice.enforcement_case)
    notice = RewardNotice.objects.select_for_update().get(pk=notice.pk)
    reason = (reason or "").strip()
    if notice.status != RewardStatus.PUBLISHED:
        raise RuleViolation(_("Only a published reward notice can be withdrawn."), code="reward.not_published")
    if not reason:
        raise InvalidInput({"reason": [_("Say why the notice is withdrawn.")]}, code="reward.invalid")
    notice.status = RewardStatus.WITHDRAWN
    notice.withdrawn_on = today or timezone.localdate()
    notice.withdrawal_reason = reason[:200]
    notice.save(update_fields=["status", "withdrawn_on", "withdrawal_reason"])
    audit_record(
        actor=actor, action="enforcement.reward_withdraw", obj=case, reason=reason, changes={"notice": notice.pk}
    )
    return notice


@transaction.atomic
def rewards_expire_due(*, today: dt.date | None = None) -> int:
    """The daily job: published notices whose last day (``expires_on``) has passed become expired. Safe to run
    twice; returns how many expired."""
    today = today or timezone.localdate()
    due = list(
        RewardNotice.objects.select_for_update()
        .filter(status=RewardStatus.PUBLISHED, expires_on__lt=today)
        .select_related("enforcement_case__case")
    )
    for notice in due:
        notice.status = RewardStatus.EXPIRED
        notice.save(update_fields=["status"])
        audit_record(
            actor=None,
            action="enforcement.reward_expire",
            obj=notice.enforcement_case,
            reason="expires_on",
            changes={"notice": notice.pk, "expires_on": notice.expires_on.isoformat()},
        )
    return len(due)


# ---- public reads --------------------------------------------------------------------------------------------


def public_notices(*, today: dt.date | None = None) -> models.QuerySet[RewardNotice]:
    """The notices the public sees: published and not past their last day."""
    today = today or timezone.localdate()
    return (
        RewardNotice.objects.filter(status=RewardStatus.PUBLISHED, expires_on__gte=today)
        .select_related("debtor", "enforcement_case__case__court")
        .order_by("-published_on", "-id")
    )


def public_notice_get(*, pk) -> RewardNotice:
    """One public notice; ``NotFound`` alike when missing, withdrawn or expired."""
    return get_or_404(public_notices(), pk=pk)


def _has_public_entry(case: EnforcementCase) -> bool:
    listings = getattr(case, "dishonest_listings", None)  # credit's entries, by the reverse relation
    if listings is not None and listings.filter(status="listed").exists():
        return True
    entry = getattr(case, "public_entry", None) if hasattr(case, "public_entry") else None
    if entry is not None and entry.is_public:
        return True
    return public_notices().filter(enforcement_case=case).exists()


def public_case_for_tips(*, number: str) -> EnforcementCase:
    """The case of a listed debtor, by its (public) case number: in enforcement and with a public entry;
    ``NotFound`` otherwise (as for a case that does not exist)."""
    case = get_or_404(EnforcementCase.objects.select_related("case__court"), case__number=(number or "").strip())
    if not (in_enforcement(case) and _has_public_entry(case)):
        get_or_404(EnforcementCase.objects.none(), pk=case.pk)
    return case


# ---- tip-offs ------------------------------------------------------------------------------------------------


def client_key_of(client_ip: str) -> str:
    """A keyed hash of the sender's address (the address itself is never stored)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (client_ip or "unknown").encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def tip_submit(
    *,
    what: str,
    where: str = "",
    tipster_name: str = "",
    tipster_contact: str,
    client_ip: str,
    reward_notice: RewardNotice | None = None,
    enforcement_case: EnforcementCase | None = None,
    trap: str = "",
    now: dt.datetime | None = None,
) -> TipOff:
    """A lead from the public (no user) on ``reward_notice`` or on ``enforcement_case`` (a listed debtor's).

    Refused, nothing written: ``tip.spam`` (the hidden field ``trap`` was filled: only robots fill it);
    ``tip.not_public`` (the notice is withdrawn or expired, the case is not in enforcement or has no public
    entry); ``tip.too_short`` / ``tip.invalid``; ``tip.rate_limited`` (429: ``CLIENT_LIMIT`` an hour per
    client) and ``tip.flood`` (429: ``TARGET_LIMIT`` an hour per notice or case)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if (trap or "").strip():
        raise RuleViolation(_("The form was not filled in by a person."), code="tip.spam")
    if reward_notice is not None:
        notice = RewardNotice.objects.select_related("enforcement_case").filter(pk=reward_notice.pk).first()
        if notice is None or notice.status != RewardStatus.PUBLISHED or notice.expires_on < today:
            raise RuleViolation(
                _("This reward notice is no longer published: leads are taken on published notices only."),
                code="tip.not_public",
            )
        case = notice.enforcement_case
    elif enforcement_case is not None:
        case = enforcement_case
        if not (in_enforcement(case) and _has_public_entry(case)):
            raise RuleViolation(
                _("Leads are taken on a reward notice or on the case of a publicly listed debtor."),
                code="tip.not_public",
            )
        notice = public_notices(today=today).filter(enforcement_case=case).first()
    else:
        raise InvalidInput({"case": [_("Say which notice or case the lead is about.")]}, code="tip.invalid")
    what = (what or "").strip()
    contact = (tipster_contact or "").strip()
    errors: dict[str, list[str]] = {}
    if len(what) < MIN_WHAT:
        errors["what"] = [
            _("Tell us what you know in at least %(n)d characters (where the property or the debtor is).")
            % {"n": MIN_WHAT}
        ]
    if not contact:
        errors["tipster_contact"] = [_("Leave a phone number or an address where the court can reach you.")]
    elif len(contact) > 100:
        errors["tipster_contact"] = [_("At most 100 characters.")]
    if len((where or "").strip()) > 200:
        errors["where"] = [_("At most 200 characters.")]
    if len((tipster_name or "").strip()) > 100:
        errors["tipster_name"] = [_("At most 100 characters.")]
    if errors:
        code = "tip.too_short" if "what" in errors else "tip.invalid"
        raise InvalidInput(errors, code=code)
    key = client_key_of(client_ip)
    since = now - WINDOW
    if TipOff.objects.filter(client_key=key, received_at__gt=since).count() >= CLIENT_LIMIT:
        raise TooManyTips(
            _("Too many leads from your connection: at most %(n)d an hour. Please try again later.")
            % {"n": CLIENT_LIMIT},
            code="tip.rate_limited",
        )
    target = TipOff.objects.filter(received_at__gt=since)
    target = target.filter(reward_notice=notice) if notice is not None else target.filter(enforcement_case=case)
    if target.count() >= TARGET_LIMIT:
        raise TooManyTips(
            _("This notice has received too many leads in the last hour (at most %(n)d). Please try again later.")
            % {"n": TARGET_LIMIT},
            code="tip.flood",
        )
    tip = TipOff(
        enforcement_case=case,
        reward_notice=notice,
        what=what,
        where=(where or "").strip(),
        tipster_name=(tipster_name or "").strip(),
        tipster_contact=contact,
        client_key=key,
        received_at=now,
    )
    tip.full_clean()
    tip.save()
    token = client_ip_var.set(None)  # the audit row keeps no address of the tipster either
    try:
        audit_record(
            actor=None,
            action="enforcement.tip_submit",
            obj=case,
            changes={"tip": tip.pk, "notice": notice.pk if notice else None},
        )
    finally:
        client_ip_var.reset(token)
    return tip


def reward_rule_limit(notice: RewardNotice | None, recovered: Decimal) -> Decimal:
    """The most the rule allows: min(cap, rate × recovered), cents rounded down; 0 without a notice."""
    if notice is None:
        return ZERO
    share = (notice.reward_rate * recovered).quantize(CENT, rounding="ROUND_DOWN")
    return min(notice.reward_cap, share)


@transaction.atomic
def tip_handle(
    *,
    actor: User,
    tip: TipOff,
    status: str,
    recovered=ZERO,
    reward_paid=ZERO,
    note: str = "",
    today: dt.date | None = None,
) -> TipOff:
    """The case officer records the outcome of a lead.

    Refused, nothing written: ``tip.not_officer`` (only the officer of the case); ``tip.handled`` (recorded
    already); ``tip.invalid`` (status verified/unfounded, amounts ≥ 0); ``tip.unfounded_paid`` (an unfounded
    lead recovers nothing and earns nothing); ``reward.over_rule`` (more than min(cap, rate × recovered), or any
    reward on a lead without a reward notice)."""
    require_capability(actor, "enforcement.rewards")
    case = lock_case(actor=actor, enforcement_case=tip.enforcement_case)
    tip = TipOff.objects.select_for_update(of=("self",)).select_related("reward_notice").get(pk=tip.pk)
    if not (actor.is_superuser or case.officer_id == actor.pk):
        raise PermissionDenied(_("Only the officer of the case records the outcome of a lead."), code="tip.not_officer")
    if tip.status != TipStatus.NEW:
        raise Conflict(_("The outcome of this lead is already recorded."), code="tip.handled")
    if status not in (TipStatus.VERIFIED, TipStatus.UNFOUNDED):
        raise InvalidInput({"status": [_("Choose verified or unfounded.")]}, code="tip.invalid")
    recovered = _decimal(recovered or 0, "recovered").quantize(CENT)
    reward_paid = _decimal(reward_paid or 0, "reward_paid").quantize(CENT)
    if recovered < 0 or reward_paid < 0:
        raise InvalidInput({"recovered": [_("Amounts cannot be negative.")]}, code="tip.invalid")
    if status == TipStatus.UNFOUNDED and (recovered or reward_paid):
        raise RuleViolation(_("An unfounded lead recovers nothing and earns no reward."), code="tip.unfounded_paid")
    limit = reward_rule_limit(tip.reward_notice, recovered)
    if reward_paid > limit:
        raise RuleViolation(
            _(
                "The reward paid (%(paid)s) is more than the notice's rule allows: at most the cap or the share of "
                "what the lead recovered, whichever is less (%(limit)s)."
            )
            % {"paid": reward_paid, "limit": limit},
            code="reward.over_rule",
        )
    tip.status = status
    tip.recovered = recovered
    tip.reward_paid = reward_paid
    tip.note = (note or "").strip()
    tip.handled_by = actor
    tip.handled_on = today or timezone.localdate()
    tip.full_clean()
    tip.save()
    audit_record(
        actor=actor,
        action="enforcement.tip_handle",
        obj=case,
        reason=tip.note,
        changes={"tip": tip.pk, "status": status, "recovered": str(recovered), "reward_paid": str(reward_paid)},
    )
    return tip


# ---- who sees the tipster ------------------------------------------------------------------------------------


_PHONE = re.compile(r"^\+?\d[\d\s-]{6,}$")


def mask_contact(value: str) -> str:
    """138****5678 for a phone number; the first character and the domain of an e-mail address; otherwise the
    first and last characters."""
    value = (value or "").strip()
    if not value:
        return ""
    if _PHONE.match(value):
        digits = re.sub(r"\D", "", value)
        return digits[:3] + "****" + digits[-4:] if len(digits) > 7 else "*" * len(digits)
    if "@" in value:
        local, _at, domain = value.partition("@")
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    return mask_identifier(value) if len(value) > 8 else value[:1] + "*" * (len(value) - 1)


def tip_identity_visible(user: User, tip: TipOff) -> bool:
    """The officer of the tip's case, the auditor of its court, a superuser."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    case = tip.enforcement_case
    if user.role == Role.AUDITOR:
        return user.court_id == case.case.court_id
    return case.officer_id is not None and case.officer_id == user.pk


def tip_reveal(*, user: User, tip: TipOff, purpose: str = "") -> dict:
    """The tipster's name and contact for ``user``: in full for the officer and the auditor (the read audited,
    one row each time), masked for everyone else. Returns ``{"name", "contact", "revealed"}``."""
    if tip_identity_visible(user, tip):
        audit_record(
            actor=user,
            action="enforcement.tip_read_identity",
            obj=tip,
            reason=purpose,
            changes={"case": tip.enforcement_case_id},
        )
        return {"name": tip.tipster_name, "contact": tip.tipster_contact, "revealed": True}
    return {"name": mask_name(tip.tipster_name), "contact": mask_contact(tip.tipster_contact), "revealed": False}


def tips_waiting_for(*, user: User) -> models.QuerySet[TipOff]:
    """The new (unhandled) leads on the open or 终本 cases of which ``user`` is the officer."""
    if not (user and user.is_authenticated):
        return TipOff.objects.none()
    return (
        TipOff.objects.filter(status=TipStatus.NEW, enforcement_case__officer=user)
        .select_related("enforcement_case__case", "reward_notice")
        .order_by("-received_at", "-id")
    )
