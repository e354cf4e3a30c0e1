"""Objections against enforcement (执行异议, 执异) and their reconsideration by the higher court (执行复议, 执复).

- An objection to an enforcement act (执行行为异议, 民诉法 2023 art. 236) by a party or an interested person, or a
  third-party objection to the property enforced on (案外人异议, art. 238) by someone who is not a party, is filed
  as a 执异 case at the enforcement court and reviewed within 15 days (``review_due_on``; a later ruling is
  allowed but flagged ``overdue``).
- An act objection must come before enforcement ends (异议复议规定 2015 art. 6; 解释 2022): once the case is
  closed it is refused ("objection.late"), except an objection to the closing itself. A third-party objection
  must come before the enforcement of that property ends (解释 2022 art. 462): on an asset already sold or taken
  in settlement it is refused.
- The ruling on an act objection is served and may be taken to the court one level up within 10 days of service
  (art. 236); the higher court decides within 30 days of receipt, extendable once by 30 days with the president's
  approval (异议复议规定 2015 art. 12).
- While a third-party objection on an asset is pending the asset is not disposed of (art. 238; checked by
  assets.services.auctions); ``objection_decided`` (sent after the commit) lets assets lift the control measures
  when the objection is upheld.

Enforcement comes before assets: what it needs of an asset comes from the provider assets registers
(``enforcement.checks.asset_facts``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import CaseType, PartyRole
from cases.models import Party
from cases.services import PartyInput, case_file
from core.access import get_or_404, get_visible_or_404, require_capability, scope_to_user
from core.audit import audit_record
from core.exceptions import InvalidInput, PermissionDenied, RuleViolation
from core.models import User
from core.roles import Role

from ..checks import asset_facts
from ..choices import ObjectionKind, ObjectionStatus, ReconsiderationStatus, Status
from ..models import EnforcementCase, Objection, Reconsideration, StatusChange
from ..signals import objection_decided
from .lifecycle import lock_case

CAPABILITY = "enforcement.objections"
PRESIDENT_CAPABILITY = "enforcement.approve_coercion"
REVIEW_DAYS = 15  # 民诉法 2023 arts. 236, 238
RECONSIDERATION_WINDOW_DAYS = 10  # art. 236: within 10 days of service
RECONSIDERATION_DAYS = 30  # 异议复议规定 2015 art. 12
EXTENSION_DAYS = 30  # once, with the president's approval
DECIDING_ROLES = (Role.JUDGE, Role.DIVISION_HEAD)
COURT = "enforcement_case__case__court"


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(day: dt.date | None, field: str, code: str) -> None:
    if day is None:
        raise InvalidInput({field: [_("Enter the date.")]}, code=code)
    if day > _today():
        raise RuleViolation(_("The date cannot be in the future."), code=code)


def _text(value: str, field: str, message: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput({field: [message]}, code=code)
    return value


def may_decide(user: User) -> bool:
    """A judge or the division head rules on an objection (a collegial panel's ruling, signed by them)."""
    return bool(user.is_authenticated and (user.is_superuser or (user.role in DECIDING_ROLES and user.can(CAPABILITY))))


def may_extend(user: User) -> bool:
    """The extension of a reconsideration needs the president's approval (异议复议规定 2015 art. 12): recorded by
    the president (capability ``enforcement.approve_coercion``, the same holder as for coercion, art. 119)."""
    return bool(user.is_authenticated and (user.is_superuser or user.can(PRESIDENT_CAPABILITY)))


def _asset_facts(asset_id: int) -> dict | None:
    """What enforcement needs of an asset: assets registers the provider (``enforcement.checks``)."""
    facts = asset_facts(asset_id)
    return None if facts is None else {"case_id": facts.case_id, "label": facts.label, "disposed": facts.disposed}


def _case_parties(case: EnforcementCase) -> list:
    return list(case.case.party_links.select_related("party").order_by("position", "id"))


# ---- objections (执异) ----------------------------------------------------------------------------------------------


@transaction.atomic
def objection_file(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    kind: str,
    objector: Party,
    grounds: str,
    filed_on: dt.date,
    act: StatusChange | None = None,
    act_description: str = "",
    act_on: dt.date | None = None,
    asset_id: int | None = None,
) -> Objection:
    """File an objection as a 执异 case at the enforcement case's court: the case's creditors and debtors, plus the
    objector as a third party when not already a party. The review is due ``REVIEW_DAYS`` after filing.

    Every check runs before anything is written."""
    require_capability(actor, CAPABILITY)
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    if kind not in ObjectionKind.values:
        raise InvalidInput({"kind": [_("Choose the kind of objection.")]}, code="objection.kind")
    _not_future(filed_on, "filed_on", "objection.date_in_future")
    grounds = _text(grounds, "grounds", _("Give the grounds of the objection."), "objection.grounds")
    links = _case_parties(case)
    roles_of_objector = {link.role for link in links if link.party_id == objector.pk}
    asset_label = ""
    if kind == ObjectionKind.ACT:
        if act is not None and act.enforcement_case_id != case.pk:
            raise InvalidInput({"act": [_("The act is not one of this case.")]}, code="objection.act")
        act_description = (act_description or "").strip() or (act.transition if act else "")
        if not act_description:
            raise InvalidInput({"act_description": [_("Name the act objected to.")]}, code="objection.act")
        closing_objected = act is not None and act.to_status == Status.CLOSED
        if case.status == Status.CLOSED and not closing_objected:
            raise RuleViolation(
                _(
                    "Enforcement of this case ended on %(day)s: an objection to an enforcement act must be raised "
                    "before enforcement ends (异议复议规定 2015 art. 6; 民诉法 2023 art. 236), unless it is to the "
                    "closing itself."
                )
                % {"day": case.closed_on.isoformat() if case.closed_on else "—"},
                code="objection.late",
            )
        asset_id = None
    else:
        if PartyRole.CREDITOR in roles_of_objector or PartyRole.DEBTOR in roles_of_objector:
            raise RuleViolation(
                _(
                    "A party to the enforcement cannot raise a third-party objection (案外人异议, 民诉法 2023 "
                    "art. 238): a party objects to the act under art. 236."
                ),
                code="objection.objector_is_party",
            )
        if not asset_id:
            raise InvalidInput(
                {"asset_id": [_("A third-party objection names the property objected to (民诉法 2023 art. 238).")]},
                code="objection.asset_required",
            )
        facts = _asset_facts(asset_id)
        if facts is None or facts["case_id"] != case.case_id:
            raise InvalidInput({"asset_id": [_("The asset is not one of this case.")]}, code="objection.asset")
        if facts["disposed"]:
            raise RuleViolation(
                _(
                    "The enforcement of this property has ended (sold or settled in kind): a third-party objection "
                    "must be raised before it ends (解释 2022 art. 462)."
                ),
                code="objection.late",
            )
        if case.status == Status.CLOSED:
            raise RuleViolation(
                _(
                    "Enforcement of this case has ended: a third-party objection comes before it ends "
                    "(解释 2022 art. 462)."
                ),
                code="objection.late",
            )
        asset_label = facts["label"]
        act, act_description, act_on = None, "", None

    parties = [
        PartyInput(role=link.role, party_id=link.party_id) for link in links if link.role != PartyRole.THIRD_PARTY
    ]
    if not roles_of_objector or roles_of_objector == {PartyRole.THIRD_PARTY}:
        parties.append(PartyInput(role=PartyRole.THIRD_PARTY, party_id=objector.pk))
    kind_label = ObjectionKind(kind).label
    record = case_file(
        actor=actor,
        court=case.case.court,
        case_type=CaseType.ENFORCEMENT_OBJECTION,
        capability=CAPABILITY,
        filing_date=filed_on,
        amount=case.case.amount,
        cause=case.case.cause or str(kind_label),
        parties=parties,
        summary=_("%(kind)s in %(number)s by %(objector)s")
        % {"kind": kind_label, "number": case.case.number, "objector": objector.name},
    )
    objection = Objection(
        enforcement_case=case,
        case=record,
        kind=kind,
        objector=objector,
        act=act,
        act_description=act_description[:200],
        act_on=act_on,
        asset_id=asset_id,
        asset_label=asset_label,
        grounds=grounds,
        filed_on=filed_on,
        review_due_on=filed_on + dt.timedelta(days=REVIEW_DAYS),
        recorded_by=actor,
    )
    objection.full_clean()
    objection.save()
    audit_record(
        actor=actor,
        action="objection.file",
        obj=objection,
        changes={
            "case": case.case.number,
            "objection_case": record.number,
            "kind": kind,
            "objector": objector.pk,
            "asset_id": asset_id,
            "filed_on": str(filed_on),
        },
    )
    return objection


def _locked_objection(actor: User, objection: Objection) -> Objection:
    return get_visible_or_404(
        Objection.objects.select_for_update(of=("self",)).select_related("enforcement_case__case__court", "objector"),
        actor,
        court_field=COURT,
        pk=objection.pk,
    )


@transaction.atomic
def objection_decide(*, actor: User, objection: Objection, upheld: bool, on: dt.date, ruling: str) -> Objection:
    """Rule on a pending objection (a judge or the division head). A ruling after ``review_due_on`` is recorded
    but flagged ``overdue`` in the audit trail and on the page. ``objection_decided`` follows the commit."""
    require_capability(actor, CAPABILITY)
    objection = _locked_objection(actor, objection)
    if not may_decide(actor):
        raise PermissionDenied(_("A judge or the division head rules on an objection."), code="objection.decider")
    if objection.status != ObjectionStatus.PENDING:
        raise RuleViolation(
            _("This objection was already ruled on (%(status)s).") % {"status": objection.get_status_display()},
            code="objection.already_decided",
        )
    _not_future(on, "on", "objection.date_in_future")
    if on < objection.filed_on:
        raise RuleViolation(_("The ruling cannot come before the objection was filed."), code="objection.date_order")
    ruling = _text(ruling, "ruling", _("Give the ruling and its reasons."), "objection.ruling")
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.decided_on, objection.decided_by, objection.ruling = on, actor, ruling
    objection.full_clean()
    objection.save(update_fields=["status", "decided_on", "decided_by", "ruling"])
    overdue = on > objection.review_due_on
    audit_record(
        actor=actor,
        action="objection.decide",
        obj=objection,
        changes={"status": objection.status, "decided_on": str(on), "overdue": overdue},
    )
    transaction.on_commit(
        lambda: objection_decided.send(sender=Objection, objection=objection, upheld=bool(upheld), actor=actor)
    )
    return objection


@transaction.atomic
def objection_withdraw(*, actor: User, objection: Objection, on: dt.date, reason: str) -> Objection:
    """Record the objector's withdrawal of a pending objection (撤回异议): it is no longer reviewed and nothing is
    served. ``decided_on`` is the day of the withdrawal, ``decided_by`` the actor recording it, ``ruling`` the
    reason. ``objection_decided`` follows the commit with ``upheld=False``: a withdrawn third-party objection no
    longer holds up the disposal of the asset and releases nothing (art. 238 applies only when upheld)."""
    require_capability(actor, CAPABILITY)
    objection = _locked_objection(actor, objection)
    if objection.status != ObjectionStatus.PENDING:
        raise RuleViolation(_("Only a pending objection can be withdrawn."), code="objection.not_pending")
    _not_future(on, "on", "objection.date_in_future")
    if on < objection.filed_on:
        raise RuleViolation(
            _("The withdrawal cannot come before the objection was filed."), code="objection.date_order"
        )
    reason = _text(reason, "reason", _("Give the reason for the withdrawal."), "objection.reason")
    objection.status = ObjectionStatus.WITHDRAWN
    objection.decided_on, objection.decided_by, objection.ruling = on, actor, reason
    objection.full_clean()
    objection.save(update_fields=["status", "decided_on", "decided_by", "ruling"])
    audit_record(
        actor=actor,
        action="objection.withdraw",
        obj=objection,
        reason=reason,
        changes={"status": objection.status, "decided_on": str(on)},
    )
    transaction.on_commit(
        lambda: objection_decided.send(sender=Objection, objection=objection, upheld=False, actor=actor)
    )
    return objection


@transaction.atomic
def objection_serve(*, actor: User, objection: Objection, served_on: dt.date) -> Objection:
    """Record the service of the ruling: the 10 days for reconsideration run from it (art. 236)."""
    require_capability(actor, CAPABILITY)
    objection = _locked_objection(actor, objection)
    if objection.status not in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED):
        raise RuleViolation(_("Only a ruling made can be served."), code="objection.not_decided")
    if objection.served_on is not None:
        raise RuleViolation(_("The ruling was already served."), code="objection.already_served")
    _not_future(served_on, "served_on", "objection.date_in_future")
    if served_on < objection.decided_on:
        raise RuleViolation(_("The ruling cannot be served before it was made."), code="objection.date_order")
    objection.served_on = served_on
    objection.save(update_fields=["served_on"])
    audit_record(actor=actor, action="objection.serve", obj=objection, changes={"served_on": str(served_on)})
    return objection


def review_overdue(objection: Objection, *, today: dt.date | None = None) -> bool:
    """Ruled after its due date, or still pending past it."""
    if objection.decided_on is not None:
        return objection.decided_on > objection.review_due_on
    return objection.status == ObjectionStatus.PENDING and (today or _today()) > objection.review_due_on


def reconsideration_window_ends(objection: Objection) -> dt.date | None:
    if objection.kind != ObjectionKind.ACT or objection.served_on is None:
        return None
    return objection.served_on + dt.timedelta(days=RECONSIDERATION_WINDOW_DAYS)


# ---- reconsideration (执复) -----------------------------------------------------------------------------------------


@transaction.atomic
def reconsideration_file(
    *, actor: User, objection: Objection, applicant: Party, grounds: str, filed_on: dt.date
) -> Reconsideration:
    """Record an application for reconsideration of an act-objection ruling, for the court one level up.

    Rules: the objection is to an act (a third-party objection goes to a suit, art. 238), ruled on and served,
    and the application comes within 10 days of service (art. 236, "reconsideration.late"); the applicant is the
    objector or a party of the enforcement case; the court has a superior court. The 执复 case is filed at the
    higher court when the actor may file there (a superuser, or a user of that court); a clerk or officer of the
    lower court recording it cannot (``case_file`` files only at one's own court), so the application is then
    recorded without a case, for the higher court to file on receipt."""
    require_capability(actor, CAPABILITY)
    objection = _locked_objection(actor, objection)
    if objection.kind != ObjectionKind.ACT:
        raise RuleViolation(
            _(
                "A ruling on a third-party objection is not reconsidered: the objector or a party may bring a suit "
                "within 15 days of service (民诉法 2023 art. 238)."
            ),
            code="reconsideration.not_act",
        )
    if objection.status not in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED) or objection.served_on is None:
        raise RuleViolation(
            _("Reconsideration is applied for after the ruling is served (民诉法 2023 art. 236)."),
            code="reconsideration.not_served",
        )
    if Reconsideration.objects.filter(objection=objection).exists():
        raise RuleViolation(_("Reconsideration was already applied for."), code="reconsideration.exists")
    _not_future(filed_on, "filed_on", "reconsideration.date_in_future")
    if filed_on < objection.served_on:
        raise RuleViolation(
            _("The application cannot come before the ruling was served."), code="reconsideration.date_order"
        )
    window_end = reconsideration_window_ends(objection)
    if filed_on > window_end:
        raise RuleViolation(
            _(
                "Reconsideration must be applied for within 10 days of service of the ruling (民诉法 2023 art. 236): "
                "the ruling was served on %(served)s, the time ran out on %(end)s."
            )
            % {"served": objection.served_on.isoformat(), "end": window_end.isoformat()},
            code="reconsideration.late",
        )
    ec = objection.enforcement_case
    links = _case_parties(ec)
    if applicant.pk != objection.objector_id and applicant.pk not in {link.party_id for link in links}:
        raise RuleViolation(
            _("Only the objector or a party of the case may apply for reconsideration."),
            code="reconsideration.applicant",
        )
    higher = ec.case.court.parent
    if higher is None:
        raise RuleViolation(
            _("This court has no superior court recorded: the reconsideration cannot be sent up."),
            code="reconsideration.no_higher_court",
        )
    grounds = _text(grounds, "grounds", _("Give the grounds of the application."), "reconsideration.grounds")
    record = None
    if actor.is_superuser or actor.court_id == higher.pk:
        parties = [PartyInput(role=link.role, party_id=link.party_id) for link in links if link.role != "third_party"]
        if objection.objector_id not in {link.party_id for link in links}:
            parties.append(PartyInput(role=PartyRole.THIRD_PARTY, party_id=objection.objector_id))
        record = case_file(
            actor=actor,
            court=higher,
            case_type=CaseType.ENFORCEMENT_RECONSIDERATION,
            capability=CAPABILITY,
            filing_date=filed_on,
            amount=ec.case.amount,
            cause=ec.case.cause or "执行复议",
            parties=parties,
            summary=_("Reconsideration of the ruling in %(number)s")
            % {"number": objection.case.number if objection.case else ec.case.number},
        )
    reconsideration = Reconsideration(
        objection=objection,
        court=higher,
        case=record,
        applicant=applicant,
        grounds=grounds,
        filed_on=filed_on,
        decision_due_on=filed_on + dt.timedelta(days=RECONSIDERATION_DAYS),
        recorded_by=actor,
    )
    reconsideration.full_clean()
    reconsideration.save()
    audit_record(
        actor=actor,
        action="reconsideration.file",
        obj=reconsideration,
        changes={
            "objection": objection.pk,
            "court": higher.code,
            "case": record.number if record else None,
            "filed_on": str(filed_on),
        },
    )
    return reconsideration


def _locked_reconsideration(actor: User, reconsideration: Reconsideration) -> Reconsideration:
    """Visible to the lower court (where it was recorded) and to the higher court (which decides)."""
    queryset = Reconsideration.objects.select_for_update(of=("self",)).select_related(
        "objection__enforcement_case__case__court", "court"
    )
    if not actor.is_superuser:
        queryset = queryset.filter(
            Q(court_id=actor.court_id) | Q(objection__enforcement_case__case__court_id=actor.court_id)
        )
    return get_or_404(queryset, pk=reconsideration.pk)


def _require_higher_court(actor: User, reconsideration: Reconsideration) -> None:
    if not actor.is_superuser and actor.court_id != reconsideration.court_id:
        raise PermissionDenied(
            _("Only the higher court (%(court)s) decides the reconsideration.") % {"court": reconsideration.court.name},
            code="reconsideration.court",
        )


@transaction.atomic
def reconsideration_extend(*, actor: User, reconsideration: Reconsideration, reason: str) -> Reconsideration:
    """Extend the 30 days once by 30 more, with the president's approval (异议复议规定 2015 art. 12): the actor is
    the president of the higher court (``enforcement.approve_coercion``)."""
    reconsideration = _locked_reconsideration(actor, reconsideration)
    if not may_extend(actor):
        raise PermissionDenied(
            _("The extension needs the president's approval (异议复议规定 2015 art. 12)."),
            code="capability.enforcement.approve_coercion",
        )
    _require_higher_court(actor, reconsideration)
    if reconsideration.status != ReconsiderationStatus.PENDING:
        raise RuleViolation(_("This reconsideration was already decided."), code="reconsideration.already_decided")
    if reconsideration.extended:
        raise RuleViolation(
            _("The time may be extended only once (异议复议规定 2015 art. 12)."), code="reconsideration.extended_once"
        )
    reason = _text(reason, "reason", _("Give the reason for the extension."), "reconsideration.reason")
    reconsideration.extended = True
    reconsideration.decision_due_on = reconsideration.decision_due_on + dt.timedelta(days=EXTENSION_DAYS)
    reconsideration.save(update_fields=["extended", "decision_due_on"])
    audit_record(
        actor=actor,
        action="reconsideration.extend",
        obj=reconsideration,
        reason=reason,
        changes={"decision_due_on": str(reconsideration.decision_due_on)},
    )
    return reconsideration


@transaction.atomic
def reconsideration_decide(
    *, actor: User, reconsideration: Reconsideration, upheld: bool, on: dt.date, ruling: str
) -> Reconsideration:
    """The higher court's decision (a judge or division head of that court); after the due date it is recorded
    and flagged ``overdue``."""
    require_capability(actor, CAPABILITY)
    reconsideration = _locked_reconsideration(actor, reconsideration)
    _require_higher_court(actor, reconsideration)
    if not may_decide(actor):
        raise PermissionDenied(_("A judge or the division head decides."), code="reconsideration.decider")
    if reconsideration.status != ReconsiderationStatus.PENDING:
        raise RuleViolation(_("This reconsideration was already decided."), code="reconsideration.already_decided")
    _not_future(on, "on", "reconsideration.date_in_future")
    if on < reconsideration.filed_on:
        raise RuleViolation(_("The decision cannot come before the application."), code="reconsideration.date_order")
    ruling = _text(ruling, "ruling", _("Give the decision and its reasons."), "reconsideration.ruling")
    reconsideration.status = ReconsiderationStatus.UPHELD if upheld else ReconsiderationStatus.DISMISSED
    reconsideration.decided_on, reconsideration.decided_by, reconsideration.ruling = on, actor, ruling
    reconsideration.save(update_fields=["status", "decided_on", "decided_by", "ruling"])
    audit_record(
        actor=actor,
        action="reconsideration.decide",
        obj=reconsideration,
        changes={
            "status": reconsideration.status,
            "decided_on": str(on),
            "overdue": on > reconsideration.decision_due_on,
        },
    )
    return reconsideration


# ---- selectors ------------------------------------------------------------------------------------------------------


def objections_of_case(*, user: User, enforcement_case: EnforcementCase) -> list[Objection]:
    """The objections of a case with their deadlines, scoped to the user's court."""
    today = _today()
    rows = list(
        scope_to_user(Objection.objects.all(), user, court_field=COURT)
        .filter(enforcement_case=enforcement_case)
        .select_related("objector", "case", "act", "decided_by", "reconsideration__court", "reconsideration__case")
    )
    for row in rows:
        row.overdue = review_overdue(row, today=today)
        row.window_ends_on = reconsideration_window_ends(row)
        row.reconsideration_row = getattr(row, "reconsideration", None) if _has_reconsideration(row) else None
        row.window_open = bool(row.window_ends_on and row.reconsideration_row is None and today <= row.window_ends_on)
        rec = row.reconsideration_row
        if rec is not None:
            rec.overdue = (rec.decided_on or today) > rec.decision_due_on and (
                rec.decided_on is not None or rec.status == ReconsiderationStatus.PENDING
            )
    return rows


def _has_reconsideration(objection: Objection) -> bool:
    try:
        objection.reconsideration  # noqa: B018
    except Reconsideration.DoesNotExist:
        return False
    return True


def pending_deadlines(*, user: User, today: dt.date | None = None) -> list[dict]:
    """Objections under review and reconsiderations pending before the user's court(s), soonest due first."""
    today = today or _today()
    items = []
    for objection in scope_to_user(
        Objection.objects.filter(status=ObjectionStatus.PENDING), user, court_field=COURT
    ).select_related("enforcement_case__case"):
        items.append(
            {
                "kind": "objection",
                "object": objection,
                "due_on": objection.review_due_on,
                "overdue": today > objection.review_due_on,
            }  # fmt: skip
        )
    for rec in scope_to_user(
        Reconsideration.objects.filter(status=ReconsiderationStatus.PENDING), user, court_field="court"
    ).select_related("objection__enforcement_case__case"):
        items.append(
            {
                "kind": "reconsideration",
                "object": rec,
                "due_on": rec.decision_due_on,
                "overdue": today > rec.decision_due_on,
            }  # fmt: skip
        )
    return sorted(items, key=lambda item: item["due_on"])


def pending_third_party_objection(asset_id: int) -> Objection | None:
    """The pending third-party objection on an asset, if any (the disposal waits for it, art. 238)."""
    return (
        Objection.objects.filter(kind=ObjectionKind.THIRD_PARTY, status=ObjectionStatus.PENDING, asset_id=asset_id)
        .order_by("filed_on", "id")
        .first()
    )


__all__ = [
    "objection_decide",
    "objection_file",
    "objection_serve",
    "objection_withdraw",
    "objections_of_case",
    "pending_deadlines",
    "pending_third_party_objection",
    "reconsideration_decide",
    "reconsideration_extend",
    "reconsideration_file",
]
