"""Writes of the dishonest list (失信被执行人名单, 失信规定 2017): an officer proposes a debtor on one of the six
grounds (art. 1), a division head other than the proposer approves or refuses, approval publishes the entry
(decision .docx, feed event, the mandatory consumption restriction), and grounds 2–6 may be extended by 1–3
years with a reason (art. 2).

The bars of the rule are checked here, each refused with its rule named and nothing written: only a debtor of
the case; never a minor (art. 4); only after the enforcement notice, which warns of listing, was served (art.
5); ground 1 not when sufficient security was given, when controlled property covers the debt or when the
debtor is later in the order of liability (art. 3); no listing on the applicant's request within 6 months of
a removal on their request (art. 10, last paragraph); one active entry per case and debtor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.choices import ControlStatus
from assets.models import ControlMeasure
from cases.choices import PartyKind, PartyRole
from cases.models import CaseParty, Party
from core.access import require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.identifiers import ADULT_AGE
from core.identifiers import birth_date as id_birth_date
from core.models import User
from core.signing import document_sign
from enforcement.choices import ClosingKind, NoticeKind, Status
from enforcement.models import EnforcementCase, Notice
from enforcement.services.lifecycle import lock_case

from ..choices import FeedEventKind, ListingGround, ListingStatus, RemovalEvent, RestrictionKind, RestrictionStatus
from ..feed import feed_record
from ..models import ACTIVE_LISTING, DishonestListing, Restriction
from ..signals import debtor_listed

PERIOD_YEARS = 2  # art. 2: grounds 2–6 are listed for two years
MAX_EXTENSION_YEARS = 3  # art. 2: extendable by one to three years
RELISTING_BLOCK_MONTHS = 6  # art. 10, last paragraph
CONTROL_COUNTS = (ControlStatus.ORDERED, ControlStatus.ACTIVE)  # a waiting-line seizure controls nothing yet


# ---- the bars ------------------------------------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    return day + relativedelta(years=years)


def debtor_birth_date(debtor: Party) -> dt.date | None:
    """The recorded birth date, else the one in a resident ID; ``None`` for an organisation or when unknown."""
    if debtor.kind != PartyKind.PERSON:
        return None
    if debtor.birth_date:
        return debtor.birth_date
    try:
        return id_birth_date(debtor.id_number)
    except ValueError:  # a malformed or foreign identifier (stdnum raises ValueError subclasses)
        return None


def is_minor_on(debtor: Party, day: dt.date) -> bool:
    born = debtor_birth_date(debtor)
    if born is None:
        return False
    return day < add_years(born, ADULT_AGE)


def outstanding_amount(enforcement_case: EnforcementCase) -> Decimal:
    return max(enforcement_case.case.amount - enforcement_case.performed_amount, Decimal(0))


def controlled_value(enforcement_case: EnforcementCase) -> Decimal:
    """What the case's live control measures hold: the frozen amount, else the controlled asset's value."""
    total = Decimal(0)
    measures = ControlMeasure.objects.filter(enforcement_case=enforcement_case, status__in=CONTROL_COUNTS)
    for amount, value in measures.values_list("amount", "asset__value"):
        total += amount if amount is not None else (value or Decimal(0))
    return total


def is_case_debtor(enforcement_case: EnforcementCase, debtor: Party) -> bool:
    return CaseParty.objects.filter(case_id=enforcement_case.case_id, party=debtor, role=PartyRole.DEBTOR).exists()


def relisting_blocked_until(enforcement_case: EnforcementCase, debtor: Party) -> dt.date | None:
    """The day a listing on the applicant's request becomes possible again after the last removal on their
    request, or ``None`` if there is none."""
    removed = (
        DishonestListing.objects.filter(
            enforcement_case=enforcement_case,
            debtor=debtor,
            status=ListingStatus.REMOVED,
            removal_event=RemovalEvent.APPLICANT_REQUEST,
        )
        .order_by("-removed_on")
        .values_list("removed_on", flat=True)
        .first()
    )
    return removed + relativedelta(months=RELISTING_BLOCK_MONTHS) if removed else None


def check_listing_bars(
    *,
    enforcement_case: EnforcementCase,
    debtor: Party,
    ground: str,
    on: dt.date,
    on_request: bool,
    security_given: bool = False,
    later_in_order: bool = False,
    listing: DishonestListing | None = None,
) -> None:
    """Raise ``RuleViolation`` naming the first bar that applies; reads only."""
    ec = enforcement_case
    if ec.status == Status.CLOSED and ec.closing_kind != ClosingKind.TERMINATED_THIS_ROUND:
        raise RuleViolation(
            _(
                "The case is closed: only a debtor of an open case or of a case terminated this round (终本, where "
                "the measures stay, 终本规定 art. 15) can be listed."
            ),
            code="listing.case_closed",
        )
    if not is_case_debtor(ec, debtor):
        raise RuleViolation(_("Only a debtor of the case can be listed as dishonest."), code="listing.not_a_debtor")
    if is_minor_on(debtor, on):
        raise RuleViolation(_("A minor is never put on the dishonest list (失信规定 art. 4)."), code="listing.minor")
    served = Notice.objects.filter(
        enforcement_case=ec, recipient=debtor, kind=NoticeKind.ENFORCEMENT_NOTICE, served_on__lte=on
    ).exists()
    if not served:
        raise RuleViolation(
            _("Serve the enforcement notice, which warns of listing, on this debtor first (失信规定 art. 5)."),
            code="listing.notice_not_served",
        )
    if ground == ListingGround.ABLE_BUT_REFUSES:
        if security_given:
            raise RuleViolation(
                _("Sufficient security was given: the debtor is not listed on ground 1 (失信规定 art. 3(1))."),
                code="listing.security_given",
            )
        outstanding = outstanding_amount(ec)
        if controlled_value(ec) >= outstanding:
            raise RuleViolation(
                _(
                    "Property under the court's control covers the outstanding debt: the debtor is not listed on "
                    "ground 1 (失信规定 art. 3(2))."
                ),
                code="listing.property_controlled",
            )
        if later_in_order:
            raise RuleViolation(
                _(
                    "The debtor is liable only after others in the order of liability: not listed on ground 1 "
                    "(失信规定 art. 3(3))."
                ),
                code="listing.later_in_order",
            )
    if on_request:
        until = relisting_blocked_until(ec, debtor)
        if until is not None and on < until:
            raise RuleViolation(
                _(
                    "The entry was removed on the applicant's request: no listing on their request before "
                    "%(until)s (失信规定 art. 10, last paragraph)."
                )
                % {"until": until.isoformat()},
                code="listing.relisting_blocked",
            )
    active = DishonestListing.objects.filter(ACTIVE_LISTING, enforcement_case=ec, debtor=debtor)
    if listing is not None:
        active = active.exclude(pk=listing.pk)
    if active.exists():
        raise _already_active()


def _already_active() -> RuleViolation:
    return RuleViolation(
        _("This debtor already has a pending or active listing in this case."), code="listing.already_active"
    )


def feed_payload(listing: DishonestListing) -> dict:
    ec = listing.enforcement_case
    return {
        "case_number": ec.case.number,
        "court": ec.case.court.name,
        "name": listing.debtor_name,
        "identifier": listing.debtor.id_number,
        "ground": listing.ground,
        "listed_on": listing.listed_on.isoformat() if listing.listed_on else None,
        "expires_on": listing.expires_on.isoformat() if listing.expires_on else None,
    }


def _lock_listing(listing: DishonestListing) -> DishonestListing:
    return (
        DishonestListing.objects.select_for_update(of=("self",))
        .select_related("debtor", "enforcement_case__case__court")
        .get(pk=listing.pk)
    )


# ---- proposing, deciding, extending -----------------------------------------------------------------------------


@transaction.atomic
def listing_propose(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    debtor: Party,
    ground: str,
    facts: str,
    on_request: bool = False,
    requested_on: dt.date | None = None,
    security_given: bool = False,
    later_in_order: bool = False,
    on: dt.date | None = None,
) -> DishonestListing:
    """Propose ``debtor`` of the case for the dishonest list on ``ground`` (ListingGround), on the applicant's
    request (``on_request``, received ``requested_on``) or the court's own motion.

    ``security_given`` and ``later_in_order`` are what the officer records for the ground-1 bars. Refuses
    (nothing written) with ``InvalidInput`` for a bad ground, missing facts or request date, and with the
    ``RuleViolation`` of the first bar that applies (``check_listing_bars``). Writes a pending entry."""
    require_capability(actor, "credit.propose")
    ec = lock_case(actor=actor, enforcement_case=enforcement_case)
    today = timezone.localdate()
    on = on or today
    errors: dict[str, list[str]] = {}
    if ground not in ListingGround.values:
        errors["ground"] = [_("Choose a ground of art. 1.")]
    if not (facts or "").strip():
        errors["facts"] = [_("Describe the dishonest conduct.")]
    if on_request and requested_on is None:
        errors["requested_on"] = [_("Give the day the applicant's request was received.")]
    if requested_on is not None and requested_on > today:
        errors["requested_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise InvalidInput(errors, code="listing.invalid")
    check_listing_bars(
        enforcement_case=ec,
        debtor=debtor,
        ground=ground,
        on=on,
        on_request=on_request,
        security_given=security_given,
        later_in_order=later_in_order,
    )
    listing = DishonestListing(
        enforcement_case=ec,
        debtor=debtor,
        debtor_name=debtor.name,
        ground=ground,
        facts=facts.strip(),
        on_request=bool(on_request),
        requested_on=requested_on if on_request else None,
        proposed_by=actor,
    )
    listing.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            listing.save()
    except IntegrityError as exc:  # a concurrent proposal took the one active slot
        raise _already_active() from exc
    audit_record(
        actor=actor,
        action="credit.listing_propose",
        obj=listing,
        reason=listing.facts,
        changes={
            "case": ec.pk,
            "debtor": debtor.pk,
            "ground": ground,
            "on_request": bool(on_request),
            "security_given": bool(security_given),
            "later_in_order": bool(later_in_order),
        },
    )
    return listing


def decision_number_for(listing: DishonestListing) -> str:
    return f"{listing.enforcement_case.case.number}之失{listing.pk}"


@transaction.atomic
def listing_decide(
    *,
    actor: User,
    listing: DishonestListing,
    approve: bool,
    note: str = "",
    on: dt.date | None = None,
    bound_persons: list[dict] | None = None,
) -> DishonestListing:
    """A division head of the case's court approves or refuses a pending proposal.

    Not the proposer (``listing.self_approval``); a refusal needs a note. Approval re-checks the bars on ``on``
    (today by default), lists the debtor from ``on`` (grounds 2–6 for two years, ground 1 with no fixed term),
    stores the decision (.docx), records the feed event, issues the mandatory consumption restriction
    (限制消费规定 art. 1; for an organisation ``bound_persons`` names at least its legal representative,
    ``[{"role", "name", "id_number"}]``, art. 3(2)) and sends ``debtor_listed`` after commit."""
    require_capability(actor, "credit.approve")
    ec = lock_case(actor=actor, enforcement_case=listing.enforcement_case)
    listing = _lock_listing(listing)
    if listing.status != ListingStatus.PENDING:
        raise RuleViolation(_("This listing proposal has already been decided."), code="listing.decided")
    if listing.proposed_by_id == actor.pk:
        raise RuleViolation(
            _("A listing is approved by someone other than the officer who proposed it."),
            code="listing.self_approval",
        )
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput({"note": [_("Say why the proposal is refused.")]}, code="listing.invalid")
    on = on or timezone.localdate()
    listing.decided_by = actor
    listing.decided_at = timezone.now()
    listing.decision_note = note
    if not approve:
        listing.status = ListingStatus.REFUSED
        listing.full_clean()
        listing.save()
        audit_record(actor=actor, action="credit.listing_refuse", obj=listing, reason=note)
        return listing
    check_listing_bars(
        enforcement_case=ec,
        debtor=listing.debtor,
        ground=listing.ground,
        on=on,
        on_request=listing.on_request,
        listing=listing,
    )
    listing.status = ListingStatus.LISTED
    listing.listed_on = on
    if listing.ground == ListingGround.ABLE_BUT_REFUSES:
        listing.period_years, listing.expires_on = None, None  # art. 2: until performed
    else:
        listing.period_years = PERIOD_YEARS
        listing.expires_on = add_years(on, PERIOD_YEARS)
    listing.decision_number = decision_number_for(listing)
    from ..documents import listing_decision_docx

    content = document_sign(
        court=ec.case.court,
        content=listing_decision_docx(listing=listing),
        title="纳入失信被执行人名单决定书",
        reference=listing.decision_number,
    )
    listing.decision.save(f"失信决定-{ec.case.number}-{listing.pk}.docx", ContentFile(content), save=False)
    listing.full_clean()
    listing.save()
    feed_record(kind=FeedEventKind.LISTED, party=listing.debtor, listing=listing, payload=feed_payload(listing))
    audit_record(
        actor=actor,
        action="credit.listing_approve",
        obj=listing,
        reason=note,
        changes={
            "listed_on": on.isoformat(),
            "expires_on": listing.expires_on.isoformat() if listing.expires_on else None,
            "decision_number": listing.decision_number,
        },
    )
    already_restricted = Restriction.objects.filter(
        enforcement_case=ec, debtor=listing.debtor, kind=RestrictionKind.CONSUMPTION, status=RestrictionStatus.ACTIVE
    ).exists()
    if not already_restricted:
        _issue_consumption_restriction(
            actor=actor, enforcement_case=ec, listing=listing, on=on, bound_persons=bound_persons
        )
    transaction.on_commit(lambda: debtor_listed.send(sender=DishonestListing, listing=listing, actor=actor))
    return listing


def _issue_consumption_restriction(
    *, actor: User, enforcement_case: EnforcementCase, listing, on: dt.date, bound_persons: list[dict] | None
) -> None:
    """The consumption restriction a listing makes mandatory (限制消费规定 art. 1), unless one is in force."""
    from .restrictions import restriction_issue

    restriction_issue(
        actor=actor,
        enforcement_case=enforcement_case,
        debtor=listing.debtor,
        kind=RestrictionKind.CONSUMPTION,
        reason=_("Listed as a dishonest debtor (decision %(number)s).") % {"number": listing.decision_number},
        listing=listing,
        on=on,
        bound_persons=bound_persons,
    )


@transaction.atomic
def listing_extend(*, actor: User, listing: DishonestListing, years: int, reason: str) -> DishonestListing:
    """Extend a listed entry on grounds 2–6 by ``years`` (1–3 in total over every extension, art. 2) with a
    reason; moves ``expires_on`` and records the feed event."""
    require_capability(actor, "credit.approve")
    lock_case(actor=actor, enforcement_case=listing.enforcement_case)
    listing = _lock_listing(listing)
    if listing.status != ListingStatus.LISTED:
        raise RuleViolation(_("Only a listed entry can be extended."), code="listing.not_listed")
    if listing.ground == ListingGround.ABLE_BUT_REFUSES or listing.expires_on is None:
        raise RuleViolation(
            _("A listing on ground 1 has no fixed term and is not extended (失信规定 art. 2)."),
            code="listing.no_fixed_term",
        )
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        years = int(years)
    except (TypeError, ValueError):
        years = 0
    if years < 1:
        errors["years"] = [_("Extend by one to three years.")]
    if not reason:
        errors["reason"] = [_("Give the reason for the extension.")]
    if errors:
        raise InvalidInput(errors, code="listing.invalid")
    if listing.extension_years + years > MAX_EXTENSION_YEARS:
        raise RuleViolation(
            _(
                "A listing is extended by one to three years in total (失信规定 art. 2); it has been extended by "
                "%(done)d year(s) already."
            )
            % {"done": listing.extension_years},
            code="listing.extension_too_long",
        )
    listing.extension_years += years
    listing.extension_reason = "\n".join(filter(None, [listing.extension_reason, reason]))
    listing.expires_on = add_years(listing.expires_on, years)
    listing.full_clean()
    listing.save()
    feed_record(
        kind=FeedEventKind.LISTING_UPDATED, party=listing.debtor, listing=listing, payload=feed_payload(listing)
    )
    audit_record(
        actor=actor,
        action="credit.listing_extend",
        obj=listing,
        reason=reason,
        changes={"years": years, "expires_on": listing.expires_on.isoformat()},
    )
    return listing
