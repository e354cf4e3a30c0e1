"""The public 终本 case database (终本规定 2016 arts. 12–14, 18): publishing a terminated case, and masking it
once the obligation is performed or enforcement otherwise ends.

What is published is a snapshot taken when the case is terminated (``entry_publish``): the court, the case
number and filing date, the debtors with their identifiers masked (a person's ID number is never published
whole; an organisation's unified social credit code is public), the enforcement basis, the obligation and
how much of it is unperformed, and the ruling date. The public pages and the public API read only entries
that are published and not masked (``enforcement.selectors_public``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyKind, PartyRole
from core.audit import audit_record
from core.exceptions import PermissionDenied, RuleViolation
from core.models import User
from core.money import format_yuan
from core.roles import Role

from ..choices import ClosingKind, Status
from ..models import EnforcementCase, TerminatedCaseEntry

# 终本规定 2016 art. 12: the case is entered in the database within 7 days of the ruling.
PUBLICATION_DAYS = 7
# Closing kinds that end enforcement for good: an entry of the case (or of the 终本 case it restores) is
# masked (art. 18). 终本 itself is not among them: it is what is published.
ENDING_KINDS = frozenset(
    {
        ClosingKind.COMPLETED,
        ClosingKind.SETTLED,
        ClosingKind.TERMINATED,
        ClosingKind.NOT_ENFORCED,
        ClosingKind.TRANSFERRED_TO_BANKRUPTCY,
    }
)
# Who may correct the database by masking an entry by hand (art. 14 corrections, art. 18): the court's
# administrator or a division head, at the entry's court; a superuser anywhere.
MASKING_ROLES = frozenset({Role.COURT_ADMIN, Role.DIVISION_HEAD})


def entry_is_late(entry: TerminatedCaseEntry) -> bool:
    """Published more than 7 days after the ruling (art. 12): still published, but shown as late to staff."""
    return entry.published_on is not None and entry.published_on > entry.ruled_on + dt.timedelta(days=PUBLICATION_DAYS)


def _debtor_snapshot(enforcement_case: EnforcementCase) -> list[dict]:
    """The debtors as the database shows them: the name, the masked ID of a person or the credit code of an
    organisation, the kind, and an organisation's legal representative (art. 13)."""
    debtors = []
    links = enforcement_case.case.party_links.filter(role=PartyRole.DEBTOR).select_related("party")
    for link in links.order_by("position", "id"):
        party = link.party
        debtor = {"name": party.name, "masked_id": party.masked_id_number, "kind": party.kind}
        if party.kind == PartyKind.ORGANISATION:
            debtor["legal_representative"] = party.legal_representative
        debtors.append(debtor)
    return debtors


def _obligation(enforcement_case: EnforcementCase) -> str:
    """A short statement of the obligation: the principal, costs and interest of the enforcement basis, or
    the amount to enforce when the case has no recorded basis."""
    document = enforcement_case.source_document
    if document is None:
        return _("Pay %(amount)s") % {"amount": format_yuan(enforcement_case.case.amount)}
    text = _("Pay %(principal)s (principal)") % {"principal": format_yuan(document.principal)}
    if document.costs:
        text += _(" and %(costs)s (costs)") % {"costs": format_yuan(document.costs)}
    if document.interest_rule:
        text += _("; interest: %(rule)s") % {"rule": document.interest_rule}
    return text


def _basis(enforcement_case: EnforcementCase) -> str:
    document = enforcement_case.source_document
    if document is None:
        return ""
    return f"{document.issuing_body} {document.number}"[:120]


def _unperformed(enforcement_case: EnforcementCase) -> Decimal:
    return max(enforcement_case.case.amount - enforcement_case.performed_amount, Decimal("0.00"))


@transaction.atomic
def entry_publish(
    *,
    enforcement_case: EnforcementCase,
    proposal=None,
    on: dt.date | None = None,
    actor: User | None = None,
) -> TerminatedCaseEntry:
    """Publish the 终本 case in the public database (终本规定 2016 arts. 12–13) on ``on`` (today by default).

    Called by the 终本 approval right after it closes the case (``proposal`` is the approved proposal; its
    approver is recorded as the actor unless ``actor`` is given). Expects a case closed as 终结本次执行程序.
    Idempotent: a case has one entry, and a second call returns it unchanged. Publishing later than 7 days
    after the ruling is still required; the entry records its dates and ``entry_is_late`` tells.
    """
    case = EnforcementCase.objects.select_for_update(of=("self",)).select_related(
        "case", "case__court", "source_document"
    )
    case = case.get(pk=enforcement_case.pk)
    existing = TerminatedCaseEntry.objects.filter(enforcement_case=case).first()
    if existing is not None:
        return existing
    if case.status != Status.CLOSED or case.closing_kind != ClosingKind.TERMINATED_THIS_ROUND:
        raise RuleViolation(
            _("Only a case terminated for this round (终本) is published in the 终本 database (终本规定 art. 12)."),
            code="publication.not_terminated_this_round",
        )
    if actor is None and proposal is not None:
        actor = getattr(proposal, "decided_by", None)
    debtors = _debtor_snapshot(case)
    entry = TerminatedCaseEntry(
        enforcement_case=case,
        court_name=case.case.court.name,
        case_number=case.case.number,
        filed_on=case.case.filing_date,
        debtors=debtors,
        debtor_names="、".join(d["name"] for d in debtors)[:400],
        document_number=_basis(case),
        obligation=_obligation(case),
        amount=case.case.amount,
        unperformed_amount=_unperformed(case),
        ruled_on=case.closed_on,
        published_on=on or timezone.localdate(),
    )
    entry.full_clean()
    entry.save()
    late = entry_is_late(entry)
    audit_record(
        actor=actor,
        action="publication.publish",
        obj=entry,
        changes={
            "case": case.case.number,
            "ruled_on": str(entry.ruled_on),
            "published_on": str(entry.published_on),
            "late": late,
            "proposal": getattr(proposal, "pk", None),
        },
    )
    return entry


def _has_ended(case: EnforcementCase) -> str:
    """Why enforcement of ``case`` is over for the database (art. 18), or ``""``."""
    if case.performed_amount >= case.case.amount:
        return _("终本规定 art. 18: the obligation was performed (case %(number)s).") % {"number": case.case.number}
    if case.status == Status.CLOSED and case.closing_kind in ENDING_KINDS:
        return _("终本规定 art. 18: enforcement ended — case %(number)s closed as “%(kind)s”.") % {
            "number": case.case.number,
            "kind": case.get_closing_kind_display(),
        }
    return ""


def _mask_chain(chain: list[EnforcementCase], reason: str, on: dt.date) -> int:
    entries = TerminatedCaseEntry.objects.select_for_update().filter(
        enforcement_case__in=[c.pk for c in chain], masked_on__isnull=True
    )
    masked = 0
    for entry in entries.order_by("pk"):
        entry.masked_on, entry.mask_reason = on, reason[:200]
        entry.full_clean()
        entry.save(update_fields=["masked_on", "mask_reason"])
        audit_record(actor=None, action="publication.mask", obj=entry, reason=entry.mask_reason)
        masked += 1
    return masked


def _chain_upwards(case: EnforcementCase) -> list[EnforcementCase]:
    """``case`` and the cases it restores, back to the first round (each 执恢 case restores one case)."""
    chain, seen = [], set()
    while case is not None and case.pk not in seen:
        seen.add(case.pk)
        chain.append(case)
        case = (
            EnforcementCase.objects.select_related("case").filter(pk=case.restored_from_id).first()
            if case.restored_from_id
            else None
        )
    return chain


@transaction.atomic
def entries_mask_if_ended(*, enforcement_case: EnforcementCase, on: dt.date | None = None) -> int:
    """Mask the public entries of ``enforcement_case`` and of every case it restores, when enforcement of it
    is over (终本规定 2016 art. 18): it is closed as fully performed, settled, terminated (终结执行), not enforced
    or transferred to bankruptcy, or its amount performed reaches the amount to enforce.

    Called for every closed case (by ``case_close``); a 执恢 case closed as 终本 again masks nothing (the
    first round's entry stays, and the new round is published on its own). Returns how many were masked.
    """
    case = EnforcementCase.objects.select_related("case").get(pk=enforcement_case.pk)
    reason = _has_ended(case)
    if not reason:
        return 0
    return _mask_chain(_chain_upwards(case), reason, on or timezone.localdate())


@transaction.atomic
def entry_mask(*, actor: User, entry: TerminatedCaseEntry, reason: str) -> TerminatedCaseEntry:
    """Mask an entry by hand: a correction by the court (终本规定 2016 arts. 14, 18), with the reason.

    Only a court administrator or a division head of the entry's court (or a superuser) may; an entry is
    masked once."""
    entry = (
        TerminatedCaseEntry.objects.select_for_update(of=("self",))
        .select_related("enforcement_case__case")
        .get(pk=entry.pk)
    )
    court_id = entry.enforcement_case.case.court_id
    allowed = actor.is_superuser or (
        actor.is_authenticated and actor.role in MASKING_ROLES and actor.court_id == court_id
    )
    if not allowed:
        raise PermissionDenied(
            _("Only the court's administrator may correct the 终本 database."), code="publication.mask"
        )
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Give the reason for masking the entry."), code="publication.reason_required")
    if entry.masked_on is not None:
        raise RuleViolation(
            _("This entry was already masked on %(day)s.") % {"day": entry.masked_on.isoformat()},
            code="publication.already_masked",
        )
    entry.masked_on, entry.mask_reason = timezone.localdate(), reason[:200]
    entry.full_clean()
    entry.save(update_fields=["masked_on", "mask_reason"])
    audit_record(actor=actor, action="publication.mask", obj=entry, reason=entry.mask_reason)
    return entry


def _ended_below(case: EnforcementCase) -> str:
    """Why a later round restored from ``case`` (or ``case`` itself) has ended enforcement, or ``""``."""
    seen = set()
    while case is not None and case.pk not in seen:
        seen.add(case.pk)
        reason = _has_ended(case)
        if reason:
            return reason
        case = case.restorations.select_related("case").order_by("pk").first()
    return ""


def entries_publish_missing(*, today: dt.date | None = None) -> int:
    """Publish every 终本 case closed without an entry (data migrated in, an approval made before the database
    existed), each in its own transaction; an entry whose later round has already ended is masked at once.
    Safe to run twice. Returns how many were published."""
    today = today or timezone.localdate()
    missing = (
        EnforcementCase.objects.filter(
            status=Status.CLOSED, closing_kind=ClosingKind.TERMINATED_THIS_ROUND, public_entry__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    published = 0
    for pk in missing.iterator(chunk_size=500):
        with transaction.atomic():
            case = EnforcementCase.objects.select_related("case").get(pk=pk)
            entry_publish(enforcement_case=case, on=today)
            reason = _ended_below(case)
            if reason:
                _mask_chain([case], reason, today)
        published += 1
    return published
