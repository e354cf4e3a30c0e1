"""Writes of the consumption restriction (限制消费令, 限制消费规定 法释〔2015〕17号) and the exit restriction
(限制出境, 民诉法 2023 art. 266): issuing (with the order as .docx), lifting, temporary permission.

Every issue, lifting and permission writes one credit-feed event (``credit.feed.feed_record``) in the same
transaction, with what an airline, railway or bank needs to act: the full name and identifier of the debtor
and of the persons an organisation's order binds, the items, the case number, the court and the dates.

Readings of the law taken here (legal-rules.md §4 unless said):

- **When** (art. 1, V-page): mandatory for a debtor on the dishonest list (para. 2), otherwise optional once
  the debtor has not performed within the period the 执行通知书 set (para. 1). The notice this system
  generates (``enforcement.documents.enforcement_notice_docx``) orders performance "自收到本通知之日起立即
  履行", so the period ends on the day of service: an optional restriction may be issued from the day after
  the notice was served on that debtor (``NOTICE_PERFORMANCE_DAYS`` = 0). Graded **M** (a reading of the
  generated notice; courts that set a longer period in the notice would change the constant).
- **After 终本** (终本规定 art. 15, M): measures stay in force, and a restriction may still be issued on a case
  closed as 终本; any other closed case is refused.
- **Items** (art. 3, V-page): the nine ``ProhibitedConsumption`` values, all nine by default.
- **Organisations** (art. 3 para. 2, V-page): the order binds the legal representative, the main person in
  charge, the person directly responsible and the actual controller. The order must name **at least the legal
  representative**, with a resident ID number: an agency cannot act on a name alone, and ``BoundPerson``
  keeps an identifier. When that row gives no name, the debtor's recorded legal representative is used.
  A natural-person debtor binds no one else.
- **Exit** (民诉法 2023 art. 266, V-full as to its subject; 执行程序解释 2008/2020 arts. 23–25, **M**): on a
  debtor who has not performed (the same notice deadline as above); for an organisation, on its legal
  representative, main person in charge or person directly responsible, named with their ID numbers (the
  organisation itself cannot travel; the actual controller is not in art. 24 as remembered, so refused).
  No items. Lifted when performed (must), or with security or the applicant's consent (may): art. 25, M.
- **Lifting** (art. 9, V-full 2010 / V-page 2015): must when fully performed, may with genuine security or
  the applicant's consent (a note is required for those and for any other ground). A consumption restriction
  of a debtor who is on the dishonest list cannot be lifted while listed (art. 1 para. 2 makes it
  mandatory) except because the debt was performed.
- **Temporary permission** (art. 3 para. 2, V-page: private consumption with one's own money, "应予准许";
  art. 8, V-full 2010: a need for living or business, with the court's approval; 法发〔2019〕35号 art. 17,
  V-page: temporary lifting for medical care, funerals and the like). The brief's "art. 9" is the lifting
  article in legal-rules; permissions cite arts. 3 and 8. Agencies must know of a permission to sell the
  ticket, so a permission writes a ``restriction.issued`` event whose payload has ``"action": "permission"``
  and the ``permission`` (items, dates, purpose).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyKind, PartyRole
from cases.models import Party
from core.access import require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.identifiers import normalize_resident_id
from core.models import User
from core.signing import document_sign
from enforcement.choices import ClosingKind, NoticeKind, Status
from enforcement.models import EnforcementCase, Notice
from enforcement.services.lifecycle import lock_case

from ..choices import (
    BoundPersonRole,
    FeedEventKind,
    LiftGround,
    ListingStatus,
    ProhibitedConsumption,
    RestrictionKind,
    RestrictionStatus,
)
from ..documents_restrictions import TITLES, order_number, render_order
from ..feed import feed_record
from ..models import BoundPerson, DishonestListing, Restriction, TemporaryPermission

NOTICE_PERFORMANCE_DAYS = 0  # the generated 执行通知书 orders immediate performance (see the module docstring)
EXIT_ROLES = (
    BoundPersonRole.LEGAL_REPRESENTATIVE,
    BoundPersonRole.MAIN_RESPONSIBLE,
    BoundPersonRole.DIRECTLY_RESPONSIBLE,
)
NOTED_GROUNDS = (LiftGround.SECURITY, LiftGround.APPLICANT_CONSENT, LiftGround.OTHER)


# ---- helpers -------------------------------------------------------------------------------------------------


def _already_active(kind: str) -> RuleViolation:
    return RuleViolation(
        _("A %(kind)s is already in force on this debtor in this case.") % {"kind": RestrictionKind(kind).label},
        code="restriction.already_active",
    )


def obligation_performed(enforcement_case: EnforcementCase) -> bool:
    """The case's obligation is performed: closed as 执行完毕, or the amount performed reaches the amount."""
    return (
        enforcement_case.closing_kind == ClosingKind.COMPLETED
        or enforcement_case.performed_amount >= enforcement_case.case.amount
    )


def notice_deadline(enforcement_case: EnforcementCase, debtor: Party) -> dt.date | None:
    """The last day of the performance period the 执行通知书 served on ``debtor`` set (``None`` when not served):
    the day of service plus ``NOTICE_PERFORMANCE_DAYS``. A restriction without a listing may follow from the
    next day (限制消费规定 art. 1 para. 1)."""
    served_on = (
        Notice.objects.filter(enforcement_case=enforcement_case, kind=NoticeKind.ENFORCEMENT_NOTICE, recipient=debtor)
        .values_list("served_on", flat=True)
        .first()
    )
    return served_on + dt.timedelta(days=NOTICE_PERFORMANCE_DAYS) if served_on else None


def active_listing(enforcement_case: EnforcementCase, debtor: Party) -> DishonestListing | None:
    return DishonestListing.objects.filter(
        enforcement_case=enforcement_case, debtor=debtor, status=ListingStatus.LISTED
    ).first()


def _clean_prohibited(kind: str, prohibited) -> list[str]:
    if kind == RestrictionKind.EXIT:
        if prohibited:
            raise InvalidInput(
                {"prohibited": _("An exit restriction lists no kinds of consumption.")},
                code="restriction.prohibited_exit",
            )
        return []
    if prohibited is None:
        return list(ProhibitedConsumption.values)
    values = list(dict.fromkeys(prohibited))
    unknown = [value for value in values if value not in ProhibitedConsumption.values]
    if unknown:
        raise InvalidInput(
            {
                "prohibited": _("Unknown kind of consumption: %(values)s (限制消费规定 art. 3 lists nine kinds).")
                % {"values": ", ".join(map(str, unknown))}
            },
            code="restriction.prohibited_unknown",
        )
    if not values:
        raise InvalidInput(
            {"prohibited": _("Choose at least one kind of consumption to prohibit (限制消费规定 art. 3).")},
            code="restriction.prohibited_empty",
        )
    return [value for value in ProhibitedConsumption.values if value in values]  # the rule's order


def _clean_bound_persons(kind: str, debtor: Party, bound_persons) -> list[dict]:
    """Validate the persons an organisation's restriction binds; ``[{"role", "name", "id_number", "party"}]``."""
    rows = list(bound_persons or [])
    if debtor.kind != PartyKind.ORGANISATION:
        if rows:
            raise RuleViolation(
                _(
                    "A restriction on a natural person binds only the debtor: persons are bound only when the "
                    "debtor is an organisation (限制消费规定 art. 3(2))."
                ),
                code="restriction.bound_persons_for_person",
            )
        return []
    if not rows:
        if kind == RestrictionKind.EXIT:
            raise RuleViolation(
                _(
                    "Name the persons of the organisation to restrict from leaving the country: the legal "
                    "representative, the main person in charge or the person directly responsible "
                    "(民诉法 art. 266)."
                ),
                code="restriction.exit_persons_required",
            )
        raise RuleViolation(
            _(
                "A consumption restriction on an organisation binds at least its legal representative: name "
                "them with their resident ID number (限制消费规定 art. 3(2))."
            ),
            code="restriction.legal_representative_required",
        )
    cleaned: list[dict] = []
    errors: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for index, row in enumerate(rows):
        key = f"bound_persons.{index}"
        role = (row.get("role") or "").strip()
        name = (row.get("name") or "").strip()
        if role not in BoundPersonRole.values:
            errors[key] = [_("Choose the person's role.")]
            continue
        if kind == RestrictionKind.EXIT and role not in EXIT_ROLES:
            errors[key] = [
                _(
                    "An exit restriction on an organisation reaches its legal representative, main person in "
                    "charge or person directly responsible (民诉法 art. 266)."
                )
            ]
            continue
        if not name and role == BoundPersonRole.LEGAL_REPRESENTATIVE:
            name = debtor.legal_representative
        if not name:
            errors[key] = [_("Give the person's name.")]
            continue
        try:
            id_number = normalize_resident_id(row.get("id_number") or "")
        except ValidationError as exc:
            errors[key] = [_("%(name)s: %(error)s") % {"name": name, "error": exc.messages[0]}]
            continue
        if (role, id_number) in seen:
            errors[key] = [_("%(name)s is named twice in the same role.") % {"name": name}]
            continue
        seen.add((role, id_number))
        party = Party.objects.filter(id_number=id_number, kind=PartyKind.PERSON).first()
        cleaned.append({"role": role, "name": name, "id_number": id_number, "party": party})
    if errors:
        raise InvalidInput(errors, code="restriction.bound_persons")
    if kind == RestrictionKind.CONSUMPTION and not any(
        p["role"] == BoundPersonRole.LEGAL_REPRESENTATIVE for p in cleaned
    ):
        raise RuleViolation(
            _(
                "A consumption restriction on an organisation binds at least its legal representative: name "
                "them with their resident ID number (限制消费规定 art. 3(2))."
            ),
            code="restriction.legal_representative_required",
        )
    return cleaned


def restriction_payload(restriction: Restriction, *, action: str) -> dict:
    """What an agency needs to act on a restriction (full identifiers: the feed is authenticated)."""
    ec = restriction.enforcement_case
    debtor = restriction.debtor
    payload = {
        "action": action,
        "restriction": restriction.pk,
        "kind": restriction.kind,
        "order_number": restriction.order_number,
        "name": debtor.name,
        "identifier": debtor.id_number,
        "party_kind": debtor.kind,
        "prohibited": list(restriction.prohibited or []),
        "bound_persons": [
            {"role": p.role, "name": p.name, "id_number": p.id_number} for p in restriction.bound_persons.order_by("id")
        ],
        "case_number": ec.case.number,
        "court": ec.case.court.name,
        "issued_on": restriction.issued_on.isoformat(),
        "status": restriction.status,
    }
    if restriction.lifted_on:
        payload.update(lifted_on=restriction.lifted_on.isoformat(), lift_ground=restriction.lift_ground)
    return payload


def _day(on: dt.date | None, *, field: str = "on") -> dt.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise InvalidInput({field: _("The date cannot be in the future.")}, code="restriction.date")
    return on


def _lock_restriction(restriction: Restriction) -> Restriction:
    return (
        Restriction.objects.select_for_update(of=("self",)).select_related("debtor", "listing").get(pk=restriction.pk)
    )


# ---- issuing ---------------------------------------------------------------------------------------------


@transaction.atomic
def restriction_issue(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    debtor: Party,
    kind: str,
    reason: str,
    prohibited: list[str] | None = None,
    bound_persons: list[dict] | None = None,
    listing: DishonestListing | None = None,
    on: dt.date | None = None,
) -> Restriction:
    """Issue a consumption restriction order or an exit restriction on ``debtor`` of ``enforcement_case`` on
    ``on`` (today by default), generate the order (.docx), record the feed event and audit.

    Capability ``credit.restrict`` (officers, judges, division heads: the listing approval calls this with the
    approving division head and ``listing``, a listing of this case and debtor whose status is "listed").
    Locks the case row. Refusals (nothing written), each naming its rule: ``restriction.not_debtor``,
    ``restriction.case_closed``, ``restriction.performed``, ``restriction.listing_mismatch``,
    ``restriction.notice_not_served`` / ``restriction.notice_deadline`` (art. 1 para. 1, when not listed),
    ``restriction.prohibited_*``, ``restriction.bound_persons*`` / ``restriction.legal_representative_required``
    / ``restriction.exit_persons_required``, ``restriction.already_active`` (one per case, debtor and kind).
    """
    require_capability(actor, "credit.restrict")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    errors: dict[str, list[str]] = {}
    if kind not in RestrictionKind.values:
        errors["kind"] = [_("Choose the kind of restriction.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Give the reason for the restriction.")]
    if errors:
        raise InvalidInput(errors, code="restriction.invalid")
    on = _day(on)
    if on < case.case.filing_date:
        raise InvalidInput({"on": _("The date cannot be before the filing date.")}, code="restriction.date")
    if not case.case.party_links.filter(party_id=debtor.pk, role=PartyRole.DEBTOR).exists():
        raise RuleViolation(
            _("A restriction is issued on a debtor of the case (被执行人)."), code="restriction.not_debtor"
        )
    if case.status == Status.CLOSED and case.closing_kind != ClosingKind.TERMINATED_THIS_ROUND:
        raise RuleViolation(
            _(
                "The case is closed: restrictions are issued on an open case, or on one closed as 终本 whose "
                "measures stay in force (终本规定 art. 15)."
            ),
            code="restriction.case_closed",
        )
    if obligation_performed(case):
        raise RuleViolation(
            _("The obligation has been performed: there is nothing to restrict (限制消费规定 art. 9)."),
            code="restriction.performed",
        )
    if listing is not None:
        if (
            kind != RestrictionKind.CONSUMPTION
            or listing.enforcement_case_id != case.pk
            or listing.debtor_id != debtor.pk
            or listing.status != ListingStatus.LISTED
        ):
            raise RuleViolation(
                _(
                    "The listing must be this debtor's current listing in this case, and a listing calls for a "
                    "consumption restriction (限制消费规定 art. 1(2))."
                ),
                code="restriction.listing_mismatch",
            )
    elif kind == RestrictionKind.CONSUMPTION:
        listing = active_listing(case, debtor)
    if listing is None:  # optional: only once the notice's performance period has passed (art. 1 para. 1)
        deadline = notice_deadline(case, debtor)
        if deadline is None:
            raise RuleViolation(
                _(
                    "Serve the enforcement notice on %(name)s first: a debtor who is not on the dishonest list is "
                    "restricted only after failing to perform within the notice's period (限制消费规定 art. 1)."
                )
                % {"name": debtor.name},
                code="restriction.notice_not_served",
            )
        if on <= deadline:
            raise RuleViolation(
                _(
                    "The period the enforcement notice set runs until %(deadline)s: a debtor who is not on the "
                    "dishonest list is restricted only after it (限制消费规定 art. 1)."
                )
                % {"deadline": deadline.isoformat()},
                code="restriction.notice_deadline",
            )
    items = _clean_prohibited(kind, prohibited)
    persons = _clean_bound_persons(kind, debtor, bound_persons)
    if Restriction.objects.filter(enforcement_case=case, debtor=debtor, kind=kind, status="active").exists():
        raise _already_active(kind)

    sequence = Restriction.objects.filter(enforcement_case=case).count() + 1  # serial under the case lock
    restriction = Restriction(
        kind=kind,
        enforcement_case=case,
        debtor=debtor,
        listing=listing if kind == RestrictionKind.CONSUMPTION else None,
        prohibited=items,
        reason=reason,
        order_number=order_number(case.case.number, sequence),
        issued_on=on,
        issued_by=actor,
    )
    restriction.full_clean()
    try:
        with transaction.atomic():
            restriction.save()
    except IntegrityError as exc:  # a concurrent issue took the one active slot
        raise _already_active(kind) from exc
    for person in persons:
        row = BoundPerson(restriction=restriction, **person)
        row.full_clean()
        row.save()
    content = render_order(restriction=restriction, bound_persons=persons)
    content = document_sign(
        court=case.case.court, content=content, title=TITLES[kind], reference=restriction.order_number
    )
    filename = f"{TITLES[kind]}-{case.case.number}-{restriction.pk}.docx"
    restriction.order.save(filename, ContentFile(content), save=False)
    restriction.save(update_fields=["order"])
    feed_record(
        kind=FeedEventKind.RESTRICTED,
        party=debtor,
        listing=restriction.listing,
        restriction=restriction,
        payload=restriction_payload(restriction, action="issued"),
    )
    audit_record(
        actor=actor,
        action="credit.restriction_issue",
        obj=restriction,
        reason=reason,
        changes={
            "enforcement_case": case.pk,
            "debtor": debtor.pk,
            "kind": kind,
            "listing": restriction.listing_id,
            "prohibited": items,
            "bound_persons": [{"role": p["role"], "name": p["name"]} for p in persons],
            "order_number": restriction.order_number,
            "issued_on": on.isoformat(),
        },
    )
    return restriction


# ---- lifting ---------------------------------------------------------------------------------------------


def _lift(*, actor: User | None, restriction: Restriction, ground: str, reason: str, on: dt.date) -> Restriction:
    restriction.status = RestrictionStatus.LIFTED
    restriction.lift_ground = ground
    restriction.lift_reason = reason
    restriction.lifted_on = on
    restriction.lifted_by = actor if actor is not None and actor.pk else None
    restriction.full_clean()
    restriction.save(update_fields=["status", "lift_ground", "lift_reason", "lifted_on", "lifted_by"])
    feed_record(
        kind=FeedEventKind.LIFTED,
        party=restriction.debtor,
        listing=restriction.listing,
        restriction=restriction,
        payload=restriction_payload(restriction, action="lifted"),
    )
    audit_record(
        actor=actor,
        action="credit.restriction_lift",
        obj=restriction,
        reason=reason,
        changes={"ground": ground, "lifted_on": on.isoformat()},
    )
    return restriction


@transaction.atomic
def restriction_lift(
    *, actor: User, restriction: Restriction, ground: str, reason: str = "", on: dt.date | None = None
) -> Restriction:
    """Lift an active restriction on ``on`` (today by default) on ``ground`` (LiftGround).

    限制消费规定 art. 9: must be lifted when the obligation is performed (``performed`` requires the case closed
    as 执行完毕 or the amount performed reaching the amount: ``restriction.not_performed``); may be lifted with
    security or the applicant's consent, and on any other ground, with a note (``restriction.lift_note``).
    ``listing_removed`` requires the listing the restriction rests on to be removed. A consumption restriction
    of a debtor who is listed in the case cannot be lifted except as performed (``restriction.listed``, art. 1
    para. 2). Locks the case and the restriction; nothing written on refusal."""
    require_capability(actor, "credit.restrict")
    case = lock_case(actor=actor, enforcement_case=restriction.enforcement_case)  # the case first, as issuing
    restriction = _lock_restriction(restriction)
    restriction.enforcement_case = case
    if restriction.status != RestrictionStatus.ACTIVE:
        raise RuleViolation(_("The restriction is no longer in force."), code="restriction.not_active")
    if ground not in LiftGround.values:
        raise InvalidInput({"ground": _("Choose the ground for lifting.")}, code="restriction.invalid")
    reason = (reason or "").strip()
    on = _day(on)
    if on < restriction.issued_on:
        raise InvalidInput(
            {"on": _("A restriction is lifted on or after the day it was issued.")}, code="restriction.date"
        )
    if ground == LiftGround.PERFORMED:
        if not obligation_performed(case):
            raise RuleViolation(
                _(
                    "The obligation has not been fully performed (%(performed)s of %(amount)s): lifting as "
                    "performed is for a debt paid in full (限制消费规定 art. 9)."
                )
                % {"performed": case.performed_amount, "amount": case.case.amount},
                code="restriction.not_performed",
            )
    else:
        if ground in NOTED_GROUNDS and not reason:
            raise InvalidInput(
                {
                    "reason": _(
                        "Record the security given, the applicant's consent or the ground in a note "
                        "(限制消费规定 art. 9)."
                    )
                },
                code="restriction.lift_note",
            )
        if ground == LiftGround.LISTING_REMOVED and (
            restriction.listing is None or restriction.listing.status != ListingStatus.REMOVED
        ):
            raise RuleViolation(
                _("The restriction does not rest on a listing that has been removed."),
                code="restriction.listing_not_removed",
            )
        if restriction.kind == RestrictionKind.CONSUMPTION and (
            (restriction.listing is not None and restriction.listing.status == ListingStatus.LISTED)
            or active_listing(case, restriction.debtor) is not None
        ):
            raise RuleViolation(
                _(
                    "The debtor is on the dishonest list in this case: the consumption restriction is mandatory "
                    "while listed and is lifted only when the debt is performed (限制消费规定 art. 1(2))."
                ),
                code="restriction.listed",
            )
    return _lift(actor=actor, restriction=restriction, ground=ground, reason=reason, on=on)


@transaction.atomic
def restrictions_lift_for_performed_case(
    *, enforcement_case: EnforcementCase, on: dt.date | None = None, actor: User | None = None
) -> list[Restriction]:
    """Lift every active restriction of a case whose obligation is performed (限制消费规定 art. 9: "应当及时
    解除"; exit: 执行程序解释 art. 25, M), as ``performed``. For the receiver of ``case_closed`` (kind
    completed) and for ledger receipts that complete the amount. Does nothing when the obligation is not
    performed; safe to run twice (only active restrictions are lifted)."""
    case = (
        EnforcementCase.objects.select_for_update(of=("self",))
        .select_related("case__court")
        .get(pk=enforcement_case.pk)
    )
    if not obligation_performed(case):
        return []
    on = on or timezone.localdate()
    lifted = []
    for restriction in (
        Restriction.objects.select_for_update(of=("self",))
        .filter(enforcement_case=case, status=RestrictionStatus.ACTIVE)
        .select_related("debtor", "listing")
    ):
        restriction.enforcement_case = case
        lifted.append(
            _lift(
                actor=actor,
                restriction=restriction,
                ground=LiftGround.PERFORMED,
                reason=_("The obligation was performed."),
                on=max(on, restriction.issued_on),
            )
        )
    return lifted


# ---- temporary permission ------------------------------------------------------------------------------------


@transaction.atomic
def permission_grant(
    *,
    actor: User,
    restriction: Restriction,
    purpose: str,
    allowed: list[str],
    valid_from: dt.date,
    valid_until: dt.date,
) -> TemporaryPermission:
    """Permit, for ``valid_from``–``valid_until``, some of the prohibited consumption for a necessary purpose
    paid with the debtor's (or bound person's) own money (限制消费规定 art. 3(2), art. 8; 法发〔2019〕35号
    art. 17). Only on an active consumption restriction (``restriction.permission_kind`` /
    ``restriction.not_active``); ``allowed`` ⊆ the items prohibited and not empty, a purpose, dates from the
    day of issue and not ending in the past (``restriction.permission``). Writes a ``restriction.issued``
    feed event with ``"action": "permission"`` so that the airline or railway can sell the ticket; audits."""
    require_capability(actor, "credit.restrict")
    case = lock_case(actor=actor, enforcement_case=restriction.enforcement_case)
    restriction = _lock_restriction(restriction)
    restriction.enforcement_case = case
    if restriction.kind != RestrictionKind.CONSUMPTION:
        raise RuleViolation(
            _("Temporary permission is given under a consumption restriction order (限制消费规定 art. 8)."),
            code="restriction.permission_kind",
        )
    if restriction.status != RestrictionStatus.ACTIVE:
        raise RuleViolation(_("The restriction is no longer in force."), code="restriction.not_active")
    errors: dict[str, list[str]] = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = [_("Give the necessary purpose (medical care, a funeral, business…).")]
    values = list(dict.fromkeys(allowed or []))
    if not values:
        errors["allowed"] = [_("Choose the consumption allowed.")]
    elif outside := [value for value in values if value not in (restriction.prohibited or [])]:
        errors["allowed"] = [
            _("Only consumption the order prohibits can be permitted; not prohibited: %(values)s.")
            % {"values": ", ".join(map(str, outside))}
        ]
    today = timezone.localdate()
    if valid_from is None or valid_until is None:
        errors["valid_until"] = [_("Give the first and the last day of the permission.")]
    elif valid_until < valid_from:
        errors["valid_until"] = [_("The permission ends on or after the day it starts.")]
    elif valid_from < restriction.issued_on:
        errors["valid_from"] = [_("The permission starts on or after the day the order was issued.")]
    elif valid_until < today:
        errors["valid_until"] = [_("The permission cannot end in the past.")]
    if errors:
        raise InvalidInput(errors, code="restriction.permission")
    values = [value for value in ProhibitedConsumption.values if value in values]
    permission = TemporaryPermission(
        restriction=restriction,
        purpose=purpose,
        allowed=values,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=actor,
    )
    permission.full_clean()
    permission.save()
    payload = restriction_payload(restriction, action="permission")
    payload["permission"] = {
        "id": permission.pk,
        "allowed": values,
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat(),
        "purpose": purpose,
    }
    feed_record(
        kind=FeedEventKind.RESTRICTED,
        party=restriction.debtor,
        listing=restriction.listing,
        restriction=restriction,
        payload=payload,
    )
    audit_record(
        actor=actor,
        action="credit.permission_grant",
        obj=restriction,
        reason=purpose,
        changes={
            "permission": permission.pk,
            "allowed": values,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
        },
    )
    return permission
