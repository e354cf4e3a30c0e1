"""Writes of preservation (财产保全): applications, decisions, control measures and their carrying over into
enforcement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput
from core.models import User
from core.money import round_fen

from ..choices import (
    LITIGATION_TYPES,
    MAX_CONTROL_YEARS,
    TYPES_BY_STAGE,
    CaseType,
    MeasureKind,
    MeasureStatus,
    PartyRole,
    PreservationKind,
    PreservationStatus,
    PropertyClass,
    Stage,
)
from ..exceptions import PreservationRuleViolation
from ..models import Case, PreservationApplication, PreservationMeasure
from ._common import amount_or_error, ensure_own_case, raise_if, side_of, today


def control_cap(starts_on: dt.date, property_class: str) -> dt.date:
    """The last day a measure may run (民诉法解释 2022 art. 485): 1 year for deposits, 2 for movables, 3 for
    real estate and other property rights, counted from the first day inclusive."""
    years = MAX_CONTROL_YEARS[property_class]
    try:
        same_day = starts_on.replace(year=starts_on.year + years)
    except ValueError:  # 29 February: the period ends with February
        same_day = starts_on.replace(year=starts_on.year + years, day=28) + dt.timedelta(days=1)
    return same_day - dt.timedelta(days=1)


def _has_effective_document(case: Case) -> bool:
    return case.documents.filter(effective_on__isnull=False).exists()


@transaction.atomic
def preservation_apply(
    *,
    actor: User,
    case: Case,
    kind: str,
    applicant_id: int,
    respondent_id: int,
    amount: Decimal | str,
    security_offered: str = "",
    applied_on: dt.date,
) -> PreservationApplication:
    """Register an application for preservation: pre-suit on its own 财保 case, in-suit on a pending 民初 or
    民终 case (one without an effective document). Applicant and respondent are parties of the case on
    opposite sides; the amount stays within the claim (民诉法 2023 art. 105: 保全限于请求的范围)."""
    require_capability(actor, "preservation.apply")
    ensure_own_case(actor, case)
    errors: dict[str, list[str]] = {}
    if kind not in PreservationKind.values:
        errors["kind"] = [_("Choose pre-suit or in-suit preservation.")]
    amount = amount_or_error(amount, errors, "amount", positive=True)
    if applied_on is None:
        errors["applied_on"] = [_("Enter the date of the application.")]
    elif applied_on > today():
        errors["applied_on"] = [_("The application date cannot be in the future.")]
    raise_if(errors, "preservation.invalid")
    if kind == PreservationKind.PRE_SUIT and case.case_type != CaseType.PRESERVATION_REVIEW:
        raise PreservationRuleViolation(
            _("A pre-suit application is filed as its own preservation case (财保)."), code="preservation.pre_suit_case"
        )
    if kind == PreservationKind.IN_SUIT:
        if case.case_type not in LITIGATION_TYPES:
            raise PreservationRuleViolation(
                _("In-suit preservation is applied for in a pending civil case (民初, 民终)."),
                code="preservation.in_suit_case",
            )
        if _has_effective_document(case):
            raise PreservationRuleViolation(
                _("The case has an effective document: the lawsuit is no longer pending."),
                code="preservation.not_pending",
            )
    if applied_on < case.filing_date:
        raise PreservationRuleViolation(
            _("The application cannot be dated before the case was filed (%(date)s).") % {"date": case.filing_date},
            code="preservation.before_filing",
        )
    links = {link.party_id: link for link in case.party_links.all()}
    for party_id in (applicant_id, respondent_id):
        if party_id not in links:
            raise PreservationRuleViolation(
                _("Party %(id)s is not a party to this case.") % {"id": party_id}, code="preservation.party_not_on_case"
            )
    sides = {side_of(case.case_type, links[p].role) for p in (applicant_id, respondent_id)}
    if applicant_id == respondent_id or sides != {"claimant", "opponent"}:
        raise PreservationRuleViolation(
            _("The applicant and the respondent must be on opposite sides of the case."),
            code="preservation.same_side",
        )
    if amount > case.amount:
        raise PreservationRuleViolation(
            _("Preservation is limited to the claim (民诉法 2023 art. 105): at most %(amount)s on this case.")
            % {"amount": case.amount},
            code="preservation.above_claim",
        )
    # Registered the day it is received: an application entered for an earlier day was received that morning.
    received_at = timezone.now()
    if applied_on != today():
        received_at = timezone.make_aware(dt.datetime.combine(applied_on, dt.time(9, 0)))
    application = PreservationApplication(
        case=case,
        kind=kind,
        received_at=received_at,
        applicant_id=applicant_id,
        respondent_id=respondent_id,
        amount=amount,
        security_offered=security_offered.strip(),
        applied_on=applied_on,
    )
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="preservation.apply",
        obj=case,
        changes={"application": application.pk, "kind": kind, "amount": str(amount)},
    )
    return application


@transaction.atomic
def preservation_decide(
    *,
    actor: User,
    application: PreservationApplication,
    grant: bool,
    reason: str,
    decided_on: dt.date | None = None,
) -> PreservationApplication:
    """Grant or refuse an application, with reasons. A pre-suit application must offer security (民诉法 2023
    art. 104: 申请人应当提供担保，不提供担保的，裁定驳回申请), so it cannot be granted without; it is to be
    decided within 48 hours of receipt: a later decision is still recorded (the application must be
    answered), and the audit row says it was late. ``decided_on`` (default today) is for recording a ruling
    made earlier."""
    require_capability(actor, "preservation.decide")
    application = (
        PreservationApplication.objects.select_for_update(of=("self",)).select_related("case").get(pk=application.pk)
    )
    ensure_own_case(actor, application.case)
    if not (reason or "").strip():
        raise InvalidInput({"reason": _("Give the reasons for the decision.")}, code="preservation.invalid")
    if application.status != PreservationStatus.APPLIED:
        raise PreservationRuleViolation(
            _("This application was already decided (%(status)s).") % {"status": application.get_status_display()},
            code="preservation.already_decided",
        )
    if grant and application.kind == PreservationKind.PRE_SUIT and not application.security_offered:
        raise PreservationRuleViolation(
            _("Pre-suit preservation is granted only against security (民诉法 2023 art. 104)."),
            code="preservation.no_security",
        )
    if decided_on is not None and not (application.applied_on <= decided_on <= today()):
        raise InvalidInput(
            {
                "decided_on": _("The decision falls between the application (%(date)s) and today.")
                % {"date": application.applied_on}
            },
            code="preservation.invalid",
        )
    deadline = application.decision_deadline
    if decided_on is None or decided_on == today():
        late = deadline is not None and timezone.now() > deadline
    else:
        late = deadline is not None and decided_on > timezone.localtime(deadline).date()
    application.status = PreservationStatus.GRANTED if grant else PreservationStatus.REFUSED
    application.decided_on = decided_on or today()
    application.decided_by = actor
    application.decision_reason = reason.strip()
    application.full_clean()
    application.save(update_fields=["status", "decided_on", "decided_by", "decision_reason"])
    audit_record(
        actor=actor,
        action="preservation.decide",
        obj=application.case,
        reason=reason.strip(),
        changes={"application": application.pk, "granted": bool(grant), "late": late},
    )
    return application


@transaction.atomic
def preservation_measure_add(
    *,
    actor: User,
    application: PreservationApplication,
    kind: str,
    property_class: str,
    asset_description: str,
    amount: Decimal | str | None = None,
    starts_on: dt.date,
    expires_on: dt.date | None = None,
) -> PreservationMeasure:
    """Record a control measure taken on a granted application. Its period is capped by property class
    (民诉法解释 2022 art. 485) and defaults to the cap. A deposit freeze names its amount, and the deposits
    frozen on one application never exceed the amount preserved (the rest would be 超标的 freezing); other
    property is controlled whole, so its (valuation) amount is not capped."""
    require_capability(actor, "preservation.measure")
    application = (
        PreservationApplication.objects.select_for_update(of=("self",)).select_related("case").get(pk=application.pk)
    )
    ensure_own_case(actor, application.case)
    errors: dict[str, list[str]] = {}
    if kind not in MeasureKind.values:
        errors["kind"] = [_("Choose freeze, seal or impound.")]
    if property_class not in PropertyClass.values:
        errors["property_class"] = [_("Choose the class of property.")]
    if not (asset_description or "").strip():
        errors["asset_description"] = [_("Describe the asset controlled.")]
    if starts_on is None:
        errors["starts_on"] = [_("Enter the first day of the measure.")]
    if amount not in (None, ""):
        amount = amount_or_error(amount, errors, "amount", positive=True)
    else:
        amount = None
        if property_class == PropertyClass.DEPOSIT:
            errors["amount"] = [_("A deposit freeze names the amount frozen.")]
    raise_if(errors, "measure.invalid")
    if application.status != PreservationStatus.GRANTED:
        raise PreservationRuleViolation(
            _("Measures are taken only on a granted application."), code="measure.not_granted"
        )
    if application.decided_on and starts_on < application.decided_on:
        raise PreservationRuleViolation(
            _("A measure cannot start before the application was granted (%(date)s).")
            % {"date": application.decided_on},
            code="measure.before_decision",
        )
    cap = control_cap(starts_on, property_class)
    if expires_on is None:
        expires_on = cap
    if expires_on <= starts_on:
        raise PreservationRuleViolation(_("A measure must end after it starts."), code="measure.expires_before_start")
    if expires_on > cap:
        raise PreservationRuleViolation(
            _(
                "%(class)s may be controlled for at most %(years)d year(s) (民诉法解释 2022 art. 485): "
                "from %(start)s until %(cap)s at the latest."
            )
            % {
                "class": PropertyClass(property_class).label,
                "years": MAX_CONTROL_YEARS[property_class],
                "start": starts_on,
                "cap": cap,
            },
            code="measure.period_cap",
        )
    if property_class == PropertyClass.DEPOSIT:
        frozen = application.measures.filter(
            property_class=PropertyClass.DEPOSIT, status__in=[MeasureStatus.ACTIVE, MeasureStatus.WAITING]
        ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
        frozen = round_fen(frozen)
        if frozen + amount > application.amount:
            raise PreservationRuleViolation(
                _(
                    "Deposits frozen on this application may not exceed the amount preserved, %(preserved)s: "
                    "%(frozen)s is frozen already."
                )
                % {"preserved": application.amount, "frozen": frozen},
                code="measure.above_preserved_amount",
            )
    measure = PreservationMeasure(
        application=application,
        kind=kind,
        property_class=property_class,
        asset_description=asset_description.strip(),
        amount=amount,
        starts_on=starts_on,
        expires_on=expires_on,
    )
    measure.full_clean()
    measure.save()
    audit_record(
        actor=actor,
        action="preservation.measure",
        obj=application.case,
        changes={
            "measure": measure.pk,
            "kind": kind,
            "property_class": property_class,
            "amount": str(amount or ""),
            "starts_on": str(starts_on),
            "expires_on": str(expires_on),
        },
    )
    return measure


@transaction.atomic
def preservation_carry_over(*, actor: User, measures, enforcement_case_record: Case) -> list[PreservationMeasure]:
    """Carry preservation measures over into an enforcement case (保全转执行, 民诉法解释 2022 art. 168): they
    become the enforcement case's measures automatically and their period runs on — ``expires_on`` is never
    touched. Each measure must still be in force, not carried already, and protect this case's creditor
    against this case's debtor. Called by the enforcement filing service in its transaction."""
    require_capability(actor, "preservation.carry_over")
    target = enforcement_case_record
    ensure_own_case(actor, target)
    if target.case_type not in TYPES_BY_STAGE[Stage.ENFORCEMENT]:
        raise PreservationRuleViolation(
            _("Measures carry over only into an enforcement case (执…)."), code="carry_over.not_enforcement"
        )
    ids = [m.pk for m in measures]
    locked = list(
        PreservationMeasure.objects.select_for_update(of=("self",))
        .select_related("application", "carried_into")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    roles = {link.party_id: link.role for link in target.party_links.all()}
    for measure in locked:
        if measure.carried_into_id is not None:
            raise PreservationRuleViolation(
                _("%(measure)s was already carried into %(number)s.")
                % {"measure": measure, "number": measure.carried_into.number},
                code="carry_over.already_carried",
            )
        if measure.status not in (MeasureStatus.ACTIVE, MeasureStatus.WAITING) or measure.expires_on < today():
            raise PreservationRuleViolation(
                _("%(measure)s is no longer in force and cannot carry over.") % {"measure": measure},
                code="carry_over.not_in_force",
            )
        application = measure.application
        if application.status != PreservationStatus.GRANTED:
            raise PreservationRuleViolation(
                _("%(measure)s belongs to an application that was not granted.") % {"measure": measure},
                code="carry_over.not_granted",
            )
        if (
            roles.get(application.respondent_id) != PartyRole.DEBTOR
            or roles.get(application.applicant_id) != PartyRole.CREDITOR
        ):
            raise PreservationRuleViolation(
                _(
                    "%(measure)s protects another creditor or binds another debtor: the applicant must be the "
                    "applicant for enforcement and the respondent the person subject to enforcement."
                )
                % {"measure": measure},
                code="carry_over.other_parties",
            )
    if len(locked) != len(set(ids)):
        raise PreservationRuleViolation(_("Some of the measures do not exist."), code="carry_over.missing")
    for measure in locked:
        measure.carried_into = target
        measure.save(update_fields=["carried_into"])
        audit_record(
            actor=actor,
            action="preservation.carry_over",
            obj=target,
            changes={"measure": measure.pk, "expires_on": str(measure.expires_on)},
        )
    return locked
