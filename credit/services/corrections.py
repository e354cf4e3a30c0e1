"""Correction requests (纠正申请, 失信规定 2017 arts. 11–12; legal-rules §3.9) and their deadlines.

The listed person asks to correct an entry (art. 11: should not have been listed, inaccurate, should have
been deleted), on the public page with their name and identifier or through staff. The court reviews within
**15 days** (``review_due_on``); when the application holds it corrects within **3 working days**
(``correct_due_on``, ``core.workdays``); otherwise it rejects by decision, and the applicant may ask the
higher court to reconsider (复议) within **10 days** of service (``reconsideration_due_on``), decided within
**15 days** (``reconsideration_decision_due_on``). The original decision stays in force meanwhile.

A decision taken after its deadline is accepted (the court must still decide) and flagged late in the audit
row; asking for reconsideration after the 10 days is refused."""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.db.models import Case, F, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import get_visible_or_404, require_capability, scope_to_user
from core.audit import audit_record
from core.exceptions import InvalidInput, NotFound, RuleViolation
from core.models import User
from core.workdays import add_working_days

from ..choices import CorrectionGround, CorrectionStatus, FeedEventKind, ListingStatus, RemovalEvent
from ..models import CorrectionRequest, DishonestListing

REVIEW_DAYS = 15  # art. 12: reviewed within 15 days of the written application
CORRECT_WORKING_DAYS = 3  # art. 12: corrected within 3 working days when upheld
RECONSIDERATION_ASK_DAYS = 10  # art. 12: 复议 asked within 10 days of service of the rejection
RECONSIDERATION_DECIDE_DAYS = 15  # art. 12: the higher court decides within 15 days
OPEN_STATUSES = (CorrectionStatus.PENDING, CorrectionStatus.UPHELD)
COURT = "listing__enforcement_case__case__court"
NOT_FOUND_PUBLIC = gettext_lazy(
    "No entry on the dishonest list matches this case number, name and identifier. Check them against the "
    "published entry (the identifier is the full ID number or unified social credit code)."
)


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _same_identifier(a: str, b: str) -> bool:
    return (a or "").strip().upper() == (b or "").strip().upper()


def _same_name(given: str, listing: DishonestListing) -> bool:
    given = "".join((given or "").split())
    return bool(given) and given in {"".join(listing.debtor_name.split()), "".join(listing.debtor.name.split())}


def applicant_is_listed_person(request: CorrectionRequest) -> bool:
    """Whether the applicant's identifier is the listed debtor's (a staff-recorded application may come from
    an agent)."""
    return _same_identifier(request.applicant_id_number, request.listing.debtor.id_number)


# ---- reads ---------------------------------------------------------------------------------------------------


def correction_queryset() -> models.QuerySet[CorrectionRequest]:
    """Every request with what the lists and pages show, and ``next_due_on``: the court's next deadline
    (review, correction, reconsideration decision) by status; none once the matter is closed or with the
    applicant (a rejection not yet served, or served and waiting for the applicant's 复议)."""
    return CorrectionRequest.objects.select_related(
        "listing__enforcement_case__case__court", "listing__debtor", "filed_by", "decided_by"
    ).annotate(
        next_due_on=Case(
            When(status=CorrectionStatus.PENDING, then=F("review_due_on")),
            When(status=CorrectionStatus.UPHELD, then=F("correct_due_on")),
            When(status=CorrectionStatus.RECONSIDERATION, then=F("reconsideration_decision_due_on")),
            default=None,
            output_field=models.DateField(),
        )
    )


def correction_list(*, user: User, status: str = "", ground: str = "", q: str = "", due: str = "", today=None):
    """The requests of the user's court, what is due first (the nearest deadline, overdue ones on top), then
    the rest newest first. ``due``: ``overdue`` (a deadline passed) or ``week`` (due within 7 days)."""
    today = _today(today)
    queryset = scope_to_user(correction_queryset(), user, court_field=COURT)
    if status:
        queryset = queryset.filter(status=status)
    if ground:
        queryset = queryset.filter(ground=ground)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(
            models.Q(listing__enforcement_case__case__number__icontains=q)
            | models.Q(applicant_name__icontains=q)
            | models.Q(listing__debtor_name__icontains=q)
        )
    if due == "overdue":
        queryset = queryset.filter(next_due_on__lt=today)
    elif due == "week":
        queryset = queryset.filter(next_due_on__lte=today + dt.timedelta(days=7))
    return queryset.order_by(F("next_due_on").asc(nulls_last=True), "-filed_on", "-id")


def correction_get(*, user: User, pk) -> CorrectionRequest:
    """One request of the user's court (``NotFound`` alike when missing or of another court)."""
    require_capability(user, "credit.view")
    return get_visible_or_404(correction_queryset(), user, court_field=COURT, pk=pk)


def correction_deadlines(request: CorrectionRequest, today: dt.date) -> list[dict]:
    """The request's deadlines for its page: label, day, whether it was met (and when, if recorded), late,
    overdue."""
    items = [
        (_("Review (15 days)"), request.review_due_on, request.decided_on is not None, request.decided_on),
        (
            _("Correction (3 working days)"),
            request.correct_due_on,
            request.corrected_on is not None,
            request.corrected_on,
        ),
        (
            _("Reconsideration may be asked (10 days after service)"),
            request.reconsideration_due_on,
            request.reconsideration_asked_on is not None or request.reconsideration_due_on is None,
            request.reconsideration_asked_on,
        ),
        (
            _("Reconsideration decided (15 days)"),
            request.reconsideration_decision_due_on,
            bool(request.reconsideration_result),
            None,
        ),
    ]
    out = []
    for label, due_on, met, met_on in items:
        if due_on is None:
            continue
        applicant_side = label == items[2][0]  # the applicant's period, not the court's: never "overdue"
        out.append(
            {
                "label": label,
                "due_on": due_on,
                "met": met,
                "met_on": met_on,
                "late": bool(met_on and met_on > due_on),
                "overdue": not met and due_on < today and not applicant_side,
            }
        )
    return out


def listing_for_public_correction(*, case_number: str, name: str, id_number: str) -> DishonestListing:
    """The listed entry of ``case_number`` whose debtor is this name and identifier; the same ``NotFound``
    whether the case, the entry or the identity is wrong (nothing learnt about who is listed)."""
    number = (case_number or "").strip()
    candidates = DishonestListing.objects.select_related("debtor", "enforcement_case__case").filter(
        enforcement_case__case__number=number,
        status=ListingStatus.LISTED,
        debtor__id_number__iexact=(id_number or "").strip(),
    )
    for listing in candidates[:5]:
        if _same_name(name, listing):
            return listing
    raise NotFound(str(NOT_FOUND_PUBLIC), code="correction.entry_not_found")


# ---- writes --------------------------------------------------------------------------------------------------


@transaction.atomic
def correction_file(
    *,
    listing: DishonestListing,
    applicant_name: str,
    applicant_id_number: str,
    contact: str = "",
    ground: str,
    statement: str,
    on: dt.date | None = None,
    actor: User | None = None,
) -> CorrectionRequest:
    """File a correction request against a listed entry; ``review_due_on`` = filed on + 15 days.

    ``actor`` None: from the public page — the applicant must be the listed debtor (name and identifier as
    recorded), otherwise the same "not found" as an unknown entry, and nothing is written. With an ``actor``:
    staff (``credit.view``, of the listing's court) record a written application. Refused: an entry not on
    the list (``correction.not_listed``), a request already open on it (``correction.already_open``)."""
    on = _today(on)
    if actor is not None:
        require_capability(actor, "credit.view")
        listing = get_visible_or_404(
            DishonestListing.objects.select_for_update(of=("self",)).select_related("debtor", "enforcement_case__case"),
            actor,
            court_field="enforcement_case__case__court",
            pk=listing.pk,
        )
    else:
        listing = (
            DishonestListing.objects.select_for_update(of=("self",))
            .select_related("debtor", "enforcement_case__case")
            .get(pk=listing.pk)
        )
        if not (
            listing.status == ListingStatus.LISTED
            and _same_identifier(applicant_id_number, listing.debtor.id_number)
            and _same_name(applicant_name, listing)
        ):
            raise NotFound(str(NOT_FOUND_PUBLIC), code="correction.entry_not_found")
    if listing.status != ListingStatus.LISTED:
        raise RuleViolation(
            _("Only an entry on the dishonest list can be corrected (失信规定 art. 11); this one is %(status)s.")
            % {"status": listing.get_status_display()},
            code="correction.not_listed",
        )
    errors = {}
    if not (applicant_name or "").strip():
        errors["applicant_name"] = _("Give the applicant's name.")
    if not (applicant_id_number or "").strip():
        errors["applicant_id_number"] = _("Give the applicant's identifier.")
    if ground not in CorrectionGround.values:
        errors["ground"] = _("Choose one of the grounds of art. 11.")
    if not (statement or "").strip():
        errors["statement"] = _("Say what is wrong and why.")
    if errors:
        raise InvalidInput(errors, code="correction.invalid")
    if on > timezone.localdate():
        raise InvalidInput({"on": _("A request cannot be filed in the future.")}, code="correction.invalid")
    # the listing's row lock serialises filings on one entry, so two open requests cannot both be written
    if CorrectionRequest.objects.filter(listing=listing, status__in=OPEN_STATUSES).exists():
        raise RuleViolation(
            _("A correction request on this entry is already being handled; the court answers it first."),
            code="correction.already_open",
        )
    request = CorrectionRequest(
        listing=listing,
        applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number.strip().upper(),
        contact=(contact or "").strip(),
        ground=ground,
        statement=statement.strip(),
        filed_on=on,
        filed_by=actor,
        status=CorrectionStatus.PENDING,
        review_due_on=on + dt.timedelta(days=REVIEW_DAYS),
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="credit.correction_file",
        obj=request,
        changes={
            "listing": listing.pk,
            "case": listing.enforcement_case.case.number,
            "ground": ground,
            "filed_on": str(on),
            "review_due_on": str(request.review_due_on),
            "channel": "staff" if actor is not None else "public",
        },
    )
    return request


def _locked(actor: User, request: CorrectionRequest) -> CorrectionRequest:
    require_capability(actor, "credit.correct")
    return get_visible_or_404(
        CorrectionRequest.objects.select_for_update(of=("self",)).select_related("listing__enforcement_case__case"),
        actor,
        court_field=COURT,
        pk=request.pk,
    )


def _require_status(request: CorrectionRequest, *statuses: str, message: str, code: str) -> None:
    if request.status not in statuses:
        raise RuleViolation(message % {"status": request.get_status_display()}, code=code)


def _not_before(on: dt.date, earliest: dt.date | None, field: str, message: str) -> None:
    if on > timezone.localdate():
        raise InvalidInput({field: _("The date cannot be in the future.")}, code="correction.invalid")
    if earliest is not None and on < earliest:
        raise InvalidInput({field: message}, code="correction.invalid")


@transaction.atomic
def correction_decide(
    *, actor: User, request: CorrectionRequest, uphold: bool, note: str = "", on: dt.date | None = None
) -> CorrectionRequest:
    """Review a pending request (``credit.correct``). Upheld: to be corrected within 3 working days
    (``correct_due_on``); rejected: by a decision with its reasons (``note`` required). A decision after the
    15 days is still taken, and flagged late."""
    request = _locked(actor, request)
    on = _today(on)
    _require_status(
        request,
        CorrectionStatus.PENDING,
        message=_("Only a request under review can be decided; this one is %(status)s."),
        code="correction.not_pending",
    )
    _not_before(on, request.filed_on, "on", _("A request cannot be decided before it was filed."))
    note = (note or "").strip()
    if not uphold and not note:
        raise InvalidInput(
            {"note": _("A rejection is a decision with its reasons: say why the request does not hold (art. 12).")},
            code="correction.note_required",
        )
    late = on > request.review_due_on
    request.decided_on, request.decided_by, request.decision_note = on, actor, note
    if uphold:
        request.status = CorrectionStatus.UPHELD
        request.correct_due_on = add_working_days(on, CORRECT_WORKING_DAYS)
    else:
        request.status = CorrectionStatus.REJECTED
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="credit.correction_decide",
        obj=request,
        reason=note,
        changes={
            "uphold": uphold,
            "decided_on": str(on),
            "review_due_on": str(request.review_due_on),
            "late": late,
            "correct_due_on": str(request.correct_due_on) if request.correct_due_on else None,
        },
    )
    return request


@transaction.atomic
def correction_mark_corrected(
    *, actor: User, request: CorrectionRequest, note: str = "", on: dt.date | None = None
) -> CorrectionRequest:
    """Record the correction of an upheld request (``credit.correct``). For "should not have been listed"
    and "should have been deleted" the entry is revoked (``credit.services.removal.listing_revoke``, which
    writes the removal's feed event); for "inaccurate" ``note`` says what was corrected, and the agencies
    get a ``listing.updated`` event. After the 3 working days it is still recorded, flagged late."""
    from credit.feed import feed_record
    from credit.services.listing import feed_payload

    request = _locked(actor, request)
    on = _today(on)
    _require_status(
        request,
        CorrectionStatus.UPHELD,
        message=_("Only an upheld request can be marked corrected; this one is %(status)s."),
        code="correction.not_upheld",
    )
    _not_before(on, request.decided_on, "on", _("The correction cannot precede the decision."))
    note = (note or "").strip()
    listing = (
        DishonestListing.objects.select_for_update(of=("self",))
        .select_related("debtor", "enforcement_case__case__court")
        .get(pk=request.listing_id)
    )
    if request.ground == CorrectionGround.INACCURATE:
        if not note:
            raise InvalidInput(
                {"note": _("Say what was corrected in the published information.")}, code="correction.note_required"
            )
        feed_record(
            kind=FeedEventKind.LISTING_UPDATED,
            party=listing.debtor,
            listing=listing,
            payload={**feed_payload(listing), "corrected_on": on.isoformat(), "correction": note},
        )
    elif listing.status == ListingStatus.LISTED:
        from credit.services.removal import listing_revoke

        reason = _("Correction request upheld (失信规定 arts. 11–12): %(ground)s.") % {
            "ground": request.get_ground_display()
        }
        listing_revoke(actor=actor, listing=listing, reason=f"{reason} {note}".strip())
    if note:
        request.decision_note = "\n".join(part for part in (request.decision_note, note) if part)
    request.status = CorrectionStatus.CORRECTED
    request.corrected_on = on
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="credit.correction_corrected",
        obj=request,
        reason=note,
        changes={
            "ground": request.ground,
            "corrected_on": str(on),
            "correct_due_on": str(request.correct_due_on),
            "late": bool(request.correct_due_on and on > request.correct_due_on),
            "revoked": request.ground != CorrectionGround.INACCURATE,
            "removal_event": RemovalEvent.WRONGFUL if request.ground != CorrectionGround.INACCURATE else "",
        },
    )
    return request


@transaction.atomic
def correction_rejection_served(*, actor: User, request: CorrectionRequest, on: dt.date) -> CorrectionRequest:
    """Record the service of the rejection on the applicant: 复议 may be asked until ``on`` + 10 days."""
    request = _locked(actor, request)
    _require_status(
        request,
        CorrectionStatus.REJECTED,
        message=_("Only a rejection can be served; this request is %(status)s."),
        code="correction.not_rejected",
    )
    if request.rejection_served_on is not None:
        raise RuleViolation(
            _("The rejection was already served on %(day)s.") % {"day": request.rejection_served_on},
            code="correction.already_served",
        )
    _not_before(on, request.decided_on, "on", _("The rejection cannot be served before it was decided."))
    request.rejection_served_on = on
    request.reconsideration_due_on = on + dt.timedelta(days=RECONSIDERATION_ASK_DAYS)
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="credit.correction_served",
        obj=request,
        changes={"served_on": str(on), "reconsideration_due_on": str(request.reconsideration_due_on)},
    )
    return request


@transaction.atomic
def correction_reconsideration_asked(*, actor: User, request: CorrectionRequest, on: dt.date) -> CorrectionRequest:
    """Record the applicant's 复议 to the higher court, asked within 10 days of service (refused after); the
    higher court decides within 15 days (``reconsideration_decision_due_on``)."""
    request = _locked(actor, request)
    _require_status(
        request,
        CorrectionStatus.REJECTED,
        message=_("Reconsideration is asked against a rejection; this request is %(status)s."),
        code="correction.not_rejected",
    )
    if request.rejection_served_on is None:
        raise RuleViolation(
            _("Record when the rejection was served first: the 10 days for reconsideration run from service."),
            code="correction.rejection_not_served",
        )
    _not_before(on, request.rejection_served_on, "on", _("Reconsideration cannot be asked before service."))
    if on > request.reconsideration_due_on:
        raise RuleViolation(
            _(
                "Reconsideration must be asked within 10 days of service of the rejection (失信规定 art. 12): the "
                "period ended on %(day)s."
            )
            % {"day": request.reconsideration_due_on},
            code="correction.reconsideration_too_late",
        )
    request.status = CorrectionStatus.RECONSIDERATION
    request.reconsideration_asked_on = on
    request.reconsideration_decision_due_on = on + dt.timedelta(days=RECONSIDERATION_DECIDE_DAYS)
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="credit.correction_reconsideration",
        obj=request,
        changes={"asked_on": str(on), "decision_due_on": str(request.reconsideration_decision_due_on)},
    )
    return request


@transaction.atomic
def correction_reconsideration_decided(
    *, actor: User, request: CorrectionRequest, result: str, on: dt.date, upheld: bool = False
) -> CorrectionRequest:
    """Record the higher court's decision on the 复议 (``result``, its gist). ``upheld``: the higher court
    found the application well founded, so the entry is to be corrected within 3 working days (the request
    goes back to "upheld"); otherwise the rejection stands (status "reconsidered")."""
    request = _locked(actor, request)
    _require_status(
        request,
        CorrectionStatus.RECONSIDERATION,
        message=_("No reconsideration is pending on this request; it is %(status)s."),
        code="correction.not_in_reconsideration",
    )
    result = (result or "").strip()
    if not result:
        raise InvalidInput({"result": _("Record the higher court's decision.")}, code="correction.invalid")
    _not_before(on, request.reconsideration_asked_on, "on", _("The decision cannot precede the application."))
    request.reconsideration_result = result
    if upheld:
        request.status = CorrectionStatus.UPHELD
        request.correct_due_on = add_working_days(on, CORRECT_WORKING_DAYS)
    else:
        request.status = CorrectionStatus.RECONSIDERED
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="credit.correction_reconsidered",
        obj=request,
        reason=result,
        changes={
            "decided_on": str(on),
            "upheld": upheld,
            "late": on > request.reconsideration_decision_due_on,
        },
    )
    return request
