"""Writes of bankruptcy (破): 执转破 screening, notice, consent and transfer (解释 2022 arts. 511–514); acceptance of
the bankruptcy case and its effect on every enforcement case against the debtor in every court (企业破产法 art.
19); declaration, claims, distribution and closing. One function per action, ``<entity>_<action>(*, actor, …)``;
each checks everything before it writes, and refuses with the rule named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.choices import LIVE_CONTROL_STATUSES
from assets.models import ControlMeasure
from assets.services import control_release_by_law
from cases.choices import CaseType, PartyKind, PartyRole
from cases.models import CaseParty, Party
from cases.services import PartyInput, case_file, notify_party
from core.access import get_visible_or_404, require_capability
from core.audit import audit_record
from core.exceptions import Conflict, InvalidInput, RuleViolation
from core.models import Court, User
from core.money import parse_amount, validate_positive_amount
from core.signing import document_sign
from credit.choices import RemovalEvent
from credit.receivers import record_event_on_case
from enforcement.choices import ClosingKind, Status, SuspensionGround, TerminationGround
from enforcement.distribution import pro_rata
from enforcement.models import EnforcementCase
from enforcement.services import case_close, case_resume, case_suspend

from .choices import (
    CLAIM_ORDER,
    BankruptcyStatus,
    ClaimStatus,
    ConsentRole,
    EffectKind,
    SuggestionStatus,
    TransferStatus,
)
from .documents import transfer_notice_docx
from .models import BankruptcyCase, Claim, Consent, Distribution, Effect, Share, Suggestion, Transfer
from .screening import assess, debtor_figures

ZERO = Decimal("0.00")
DECISION_DAYS = 30  # 解释 2022 art. 512
DISMISSAL_QUIET_DAYS = 180  # a dismissed suggestion is not raised again for six months
CLAIMS_PERIOD = (30, 90)  # 企业破产法 art. 45: 30 days to 3 months from the announcement of acceptance


# ---- who is where ----------------------------------------------------------------------------------------------


def domicile_region(debtor: Party) -> str:
    """The administrative division of the debtor's registration: characters 3–8 of its unified social credit
    code (GB 32100), the registering authority's region — the domicile for 企业破产法 art. 3."""
    if debtor.kind != PartyKind.ORGANISATION or len(debtor.id_number) != 18:
        return ""
    return debtor.id_number[2:8]


def domicile_courts(debtor: Party):
    """The courts of this system serving the debtor's domicile (企业破产法 art. 3: the bankruptcy court)."""
    region = domicile_region(debtor)
    return Court.objects.filter(is_active=True, region_code=region) if region else Court.objects.none()


def _require_organisation(debtor: Party) -> None:
    if debtor.kind != PartyKind.ORGANISATION:
        raise RuleViolation(
            _(
                "Only an enterprise legal person can be transferred to bankruptcy review (解释 2022 art. 511; "
                "企业破产法 art. 2): this debtor is a natural person."
            ),
            code="bankruptcy.not_organisation",
        )


def _require_domicile_court(debtor: Party, court: Court) -> None:
    if not domicile_courts(debtor).filter(pk=court.pk).exists():
        raise RuleViolation(
            _(
                "%(court)s is not the court of the debtor's domicile (region %(region)s): the bankruptcy case "
                "belongs there (企业破产法 art. 3; 解释 2022 art. 511)."
            )
            % {"court": court.name, "region": domicile_region(debtor) or "—"},
            code="bankruptcy.not_domicile_court",
        )


def debtor_enforcement_cases(debtor: Party):
    """Every enforcement case in which ``debtor`` is a debtor, in every court (for the acceptance's effect)."""
    return EnforcementCase.objects.filter(
        case__party_links__party=debtor, case__party_links__role=PartyRole.DEBTOR
    ).distinct()


def _transferable_cases(debtor: Party, court: Court):
    """The court's cases against the debtor that the transfer covers: open ones and 终本 ones not restored
    (终本规定 art. 11: a case meeting both is transferred while the 终本 ruling stands)."""
    return (
        debtor_enforcement_cases(debtor)
        .filter(case__court=court)
        .filter(
            Q(status__in=[s for s in Status.values if s != Status.CLOSED])
            | Q(closing_kind=ClosingKind.TERMINATED_THIS_ROUND, restorations__isnull=True)
        )
        .order_by("pk")
    )


def _applicants(cases) -> list[Party]:
    ids = (
        CaseParty.objects.filter(case__enforcement__in=cases, role=PartyRole.CREDITOR)
        .order_by("party_id")
        .values_list("party_id", flat=True)
        .distinct()
    )
    return list(Party.objects.filter(pk__in=list(ids)).order_by("pk"))


def _owed(ec: EnforcementCase) -> Decimal:
    """What an enforcement case still awards: its amount less what was performed."""
    return max(ec.case.amount - ec.performed_amount, ZERO)


def _unpaid(cases) -> Decimal:
    return sum((_owed(ec) for ec in cases), ZERO)


def _amount(value, field: str, *, positive: bool = True) -> Decimal:
    """``value`` as money (core.money.parse_amount: exact, at most two decimals), or ``InvalidInput`` on ``field``."""
    try:
        amount = parse_amount(value)
        if positive:
            validate_positive_amount(amount)
    except ValidationError as exc:
        raise InvalidInput({field: list(exc.messages)}, code="bankruptcy.invalid") from exc
    return amount


def _date_between(on: dt.date, earliest: dt.date | None, message: str, *, field: str = "on") -> None:
    """Refuse ``on`` in the future or before ``earliest`` (the step it follows), with ``message`` on ``field``."""
    if on > timezone.localdate() or (earliest is not None and on < earliest):
        raise InvalidInput({field: [message]}, code="bankruptcy.invalid")


# ---- screening -----------------------------------------------------------------------------------------------------


@transaction.atomic
def suggestions_refresh(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The screening job: write (or update) an open suggestion for every indicated corporate debtor that has no
    live transfer or open bankruptcy case and was not dismissed in the last six months; mark open suggestions
    no longer indicated as stale. Safe to run twice."""
    now = now or timezone.now()
    counts = {"new": 0, "updated": 0, "stale": 0}
    busy = set(
        Transfer.objects.filter(status__in=(TransferStatus.NOTIFYING, TransferStatus.TRANSFERRED)).values_list(
            "debtor_id", flat=True
        )
    ) | set(BankruptcyCase.objects.exclude(status=BankruptcyStatus.CLOSED).values_list("debtor_id", flat=True))
    quiet = set(
        Suggestion.objects.filter(
            status=SuggestionStatus.DISMISSED, decided_at__gte=now - dt.timedelta(days=DISMISSAL_QUIET_DAYS)
        ).values_list("debtor_id", flat=True)
    )
    open_by_debtor = {s.debtor_id: s for s in Suggestion.objects.filter(status=SuggestionStatus.OPEN)}
    indicated_ids = set()
    for debtor_id, figures in debtor_figures().items():
        if debtor_id in busy or debtor_id in quiet:
            continue
        indicated, score, reasons = assess(figures)
        if not indicated:  # the rule of screening.assess; the score only ranks (45 for unpaid > property + 3 creditors)
            continue
        indicated_ids.add(debtor_id)
        suggestion = open_by_debtor.get(debtor_id)
        if suggestion is None:
            suggestion = Suggestion.objects.create(
                debtor_id=debtor_id, score=score, reasons=reasons, figures=figures.as_json(), computed_at=now
            )
            counts["new"] += 1
            audit_record(actor=None, action="bankruptcy.suggestion", obj=suggestion, changes={"score": score})
        else:
            suggestion.score, suggestion.reasons, suggestion.figures = score, reasons, figures.as_json()
            suggestion.computed_at = now
            suggestion.save(update_fields=["score", "reasons", "figures", "computed_at"])
            counts["updated"] += 1
        suggestion.courts.set(figures.court_ids)
    for debtor_id, suggestion in open_by_debtor.items():
        if debtor_id not in indicated_ids and debtor_id not in busy:
            suggestion.status = SuggestionStatus.STALE
            suggestion.save(update_fields=["status"])
            counts["stale"] += 1
    return counts


@transaction.atomic
def suggestion_dismiss(*, actor: User, suggestion: Suggestion, note: str) -> Suggestion:
    """The officer decides the debtor is not to be transferred (for now), with the reason."""
    require_capability(actor, "bankruptcy.transfer")
    suggestion = get_visible_or_404(
        Suggestion.objects.select_for_update(of=("self",)), actor, court_field="courts", pk=suggestion.pk
    )
    if suggestion.status != SuggestionStatus.OPEN:
        raise RuleViolation(_("This suggestion is no longer open."), code="bankruptcy.suggestion_closed")
    if not (note or "").strip():
        raise InvalidInput({"note": [_("Give the reason.")]}, code="bankruptcy.invalid")
    suggestion.status, suggestion.note = SuggestionStatus.DISMISSED, note.strip()
    suggestion.decided_by, suggestion.decided_at = actor, timezone.now()
    suggestion.save(update_fields=["status", "note", "decided_by", "decided_at"])
    audit_record(actor=actor, action="bankruptcy.suggestion_dismiss", obj=suggestion, reason=suggestion.note)
    return suggestion


# ---- notice, consent, transfer -------------------------------------------------------------------------------------


@transaction.atomic
def transfer_propose(
    *,
    actor: User,
    debtor: Party,
    receiving_court: Court | None,
    grounds: str,
    on: dt.date | None = None,
    suggestion: Suggestion | None = None,
) -> Transfer:
    """Start 执转破 for ``debtor`` at the actor's court: the court's open and 终本 cases against it are listed,
    the 执转破告知书 is generated and sent to the applicants and the debtor, who are asked to consent."""
    require_capability(actor, "bankruptcy.transfer")
    on = on or timezone.localdate()
    court = actor.court
    _require_organisation(debtor)
    errors: dict[str, list[str]] = {}
    if not (grounds or "").strip():
        errors["grounds"] = [_("State why the debtor meets 企业破产法 art. 2(1).")]
    if receiving_court is None:
        errors["receiving_court"] = [_("Choose the court of the debtor's domicile.")]
    if suggestion is not None and suggestion.debtor_id != debtor.pk:
        errors["suggestion"] = [_("The suggestion is about another debtor.")]
    if errors:
        raise InvalidInput(errors, code="bankruptcy.invalid")
    _require_domicile_court(debtor, receiving_court)
    cases = list(_transferable_cases(debtor, court))
    if not cases:
        raise RuleViolation(
            _("This court has no enforcement case against the debtor to transfer."), code="bankruptcy.no_cases"
        )
    if Transfer.objects.filter(
        debtor=debtor, court=court, status__in=(TransferStatus.NOTIFYING, TransferStatus.TRANSFERRED)
    ).exists():
        raise Conflict(_("A transfer of this debtor is already under way."), code="bankruptcy.transfer_live")
    if BankruptcyCase.objects.filter(debtor=debtor).exclude(status=BankruptcyStatus.CLOSED).exists():
        raise Conflict(_("A bankruptcy case against this debtor is already open."), code="bankruptcy.already_open")
    transfer = Transfer(
        debtor=debtor,
        court=court,
        receiving_court=receiving_court,
        grounds=grounds.strip(),
        proposed_by=actor,
        notified_on=on,
        suggestion=suggestion,
    )
    transfer.full_clean(exclude=["notice_document"])
    transfer.save()
    transfer.enforcement_cases.set(cases)
    applicants = _applicants(cases)
    unpaid = _unpaid(cases)
    document = transfer_notice_docx(
        transfer=transfer, cases=cases, applicants=[p.name for p in applicants], issued_on=on, unpaid=unpaid
    )
    document = document_sign(court=court, content=document, title="执转破告知书", reference=cases[0].case.number)
    transfer.notice_document.save(f"zhuanpo-{transfer.pk}.docx", ContentFile(document), save=True)
    for party in [*applicants, debtor]:
        notify_party(
            party=party,
            case=cases[0].case,
            kind="bankruptcy_transfer_notice",
            subject=_("Notice of transfer to bankruptcy review (执转破告知书)"),
            body=_("%(court)s asks whether you consent to transferring %(debtor)s to bankruptcy review.")
            % {"court": court.name, "debtor": debtor.name},
            actor=actor,
        )
    if suggestion is not None and suggestion.status == SuggestionStatus.OPEN:
        suggestion.status, suggestion.decided_by, suggestion.decided_at = (
            SuggestionStatus.TRANSFERRED,
            actor,
            timezone.now(),
        )
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="bankruptcy.transfer_propose",
        obj=transfer,
        changes={"cases": [c.pk for c in cases], "receiving_court": receiving_court.code},
    )
    return transfer


def _locked_transfer(actor: User, pk: int, *, court_field: str = "court") -> Transfer:
    return get_visible_or_404(
        Transfer.objects.select_for_update(of=("self",)).select_related("debtor", "court", "receiving_court"),
        actor,
        court_field=court_field,
        pk=pk,
    )


@transaction.atomic
def consent_record(
    *, actor: User, transfer: Transfer, party: Party, consents: bool, answered_on: dt.date, note: str = ""
) -> Consent:
    """Record an applicant's or the debtor's answer to the notice. Only they can answer; one answer each."""
    require_capability(actor, "bankruptcy.transfer")
    transfer = _locked_transfer(actor, transfer.pk)
    if transfer.status != TransferStatus.NOTIFYING:
        raise RuleViolation(_("The transfer is no longer awaiting consent."), code="bankruptcy.not_notifying")
    if party.pk == transfer.debtor_id:
        role = ConsentRole.DEBTOR
    elif party.pk in {p.pk for p in _applicants(transfer.enforcement_cases.all())}:
        role = ConsentRole.APPLICANT
    else:
        raise RuleViolation(
            _("Only an applicant of the cases transferred or the debtor answers the notice (解释 2022 art. 511)."),
            code="bankruptcy.not_a_party",
        )
    _date_between(
        answered_on, transfer.notified_on, _("The answer's date must lie between the notice and today."),
        field="answered_on",
    )  # fmt: skip
    if Consent.objects.filter(transfer=transfer, party=party).exists():
        raise Conflict(_("This party's answer is already recorded."), code="bankruptcy.answered")
    consent = Consent(
        transfer=transfer,
        party=party,
        role=role,
        consents=bool(consents),
        answered_on=answered_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action="bankruptcy.consent",
        obj=transfer,
        changes={"party": party.pk, "role": role, "consents": consent.consents},
    )
    return consent


@transaction.atomic
def transfer_rule(*, actor: User, transfer: Transfer, on: dt.date) -> Transfer:
    """The ruling to transfer (移送裁定, 解释 2022 art. 511), by a division head other than the proposer, once one
    applicant or the debtor consented: the court's open cases against the debtor are suspended and the file
    goes to the domicile court, which must decide within 30 days (art. 512)."""
    require_capability(actor, "bankruptcy.rule")
    transfer = _locked_transfer(actor, transfer.pk)
    if transfer.status != TransferStatus.NOTIFYING:
        raise RuleViolation(_("The transfer is no longer awaiting its ruling."), code="bankruptcy.not_notifying")
    if transfer.proposed_by_id == actor.pk:
        raise RuleViolation(
            _("The transfer is ruled on by a division head other than the one who proposed it."),
            code="bankruptcy.own_proposal",
        )
    if not transfer.consents.filter(consents=True).exists():
        raise RuleViolation(
            _(
                "No consent: the transfer needs the consent of one applicant or of the debtor (解释 2022 art. 511). "
                "Without it, the proceeds are paid in the order of control (art. 514)."
            ),
            code="bankruptcy.no_consent",
        )
    _date_between(on, transfer.notified_on, _("The ruling's date must lie between the notice and today."))
    suspended = []
    for ec in transfer.enforcement_cases.order_by("pk"):
        if ec.status in (Status.CLOSED, Status.SUSPENDED):
            continue
        case_suspend(
            actor=actor,
            enforcement_case=ec,
            ground=SuspensionGround.OTHER,
            reason=_("Transferred to bankruptcy review (执转破, 解释 2022 art. 511)."),
            on=max(on, ec.case.filing_date),
        )
        suspended.append(ec.pk)
    transfer.suspended_cases.set(suspended)
    transfer.status = TransferStatus.TRANSFERRED
    transfer.ruled_by, transfer.transferred_on = actor, on
    transfer.decision_due_on = on + dt.timedelta(days=DECISION_DAYS)
    transfer.save(update_fields=["status", "ruled_by", "transferred_on", "decision_due_on"])
    audit_record(
        actor=actor,
        action="bankruptcy.transfer_rule",
        obj=transfer,
        changes={"suspended": suspended, "decision_due_on": transfer.decision_due_on.isoformat()},
    )
    return transfer


@transaction.atomic
def transfer_withdraw(*, actor: User, transfer: Transfer, reason: str) -> Transfer:
    """No consent came (or the court thinks again): the transfer ends and enforcement goes on (art. 514)."""
    require_capability(actor, "bankruptcy.transfer")
    transfer = _locked_transfer(actor, transfer.pk)
    if transfer.status != TransferStatus.NOTIFYING:
        raise RuleViolation(_("Only a transfer awaiting consent can be withdrawn."), code="bankruptcy.not_notifying")
    if not (reason or "").strip():
        raise InvalidInput({"reason": [_("Give the reason.")]}, code="bankruptcy.invalid")
    transfer.status, transfer.decision_reason = TransferStatus.WITHDRAWN, reason.strip()
    transfer.save(update_fields=["status", "decision_reason"])
    audit_record(actor=actor, action="bankruptcy.transfer_withdraw", obj=transfer, reason=reason.strip())
    return transfer


def _file(actor: User, *, case_type: str, debtor: Party, applicants: list[Party], on: dt.date, amount, cause: str):
    parties = [PartyInput(role=PartyRole.APPLICANT, party_id=p.pk) for p in applicants if p.pk != debtor.pk]
    parties.append(PartyInput(role=PartyRole.DEBTOR, party_id=debtor.pk))
    return case_file(
        actor=actor,
        court=actor.court,
        case_type=case_type,
        filing_date=on,
        amount=max(Decimal(amount), Decimal("0.01")),
        cause=cause,
        parties=parties,
        capability="bankruptcy.decide",
    )


@transaction.atomic
def transfer_decide(
    *, actor: User, transfer: Transfer, accept: bool, on: dt.date, reason: str = "", administrator: str = ""
) -> Transfer:
    """The domicile court's decision on a transferred file (解释 2022 art. 512), recorded in a 破申 case: accept —
    the bankruptcy case is opened and every enforcement case against the debtor suspended (``bankruptcy_accept``);
    refuse — the file goes back and the enforcement court resumes the cases the transfer suspended (art. 513)."""
    require_capability(actor, "bankruptcy.decide")
    transfer = _locked_transfer(actor, transfer.pk, court_field="receiving_court")
    if transfer.status != TransferStatus.TRANSFERRED:
        raise RuleViolation(_("This transfer awaits no decision."), code="bankruptcy.not_transferred")
    _require_domicile_court(transfer.debtor, actor.court)
    _date_between(on, transfer.transferred_on, _("The decision's date must lie between the transfer and today."))
    if not accept and not (reason or "").strip():
        raise InvalidInput({"reason": [_("Give the reasons for not accepting the case.")]}, code="bankruptcy.invalid")
    cases = list(transfer.enforcement_cases.select_related("case"))
    applicants = _applicants(cases) or []
    unpaid = _unpaid(cases)
    petition = _file(
        actor,
        case_type=CaseType.BANKRUPTCY_PETITION,
        debtor=transfer.debtor,
        applicants=applicants,
        on=on,
        amount=unpaid,
        cause=_("Bankruptcy review transferred from enforcement (执转破)"),
    )
    transfer.petition_case, transfer.decided_on, transfer.decided_by = petition, on, actor
    transfer.decision_reason = (reason or "").strip()
    if accept:
        transfer.status = TransferStatus.ACCEPTED
        transfer.save(update_fields=["petition_case", "decided_on", "decided_by", "decision_reason", "status"])
        bankruptcy_accept(
            actor=actor, debtor=transfer.debtor, on=on, transfer=transfer, administrator=administrator,
            applicants=applicants, amount=unpaid,
        )  # fmt: skip
    else:
        transfer.status = TransferStatus.REFUSED
        transfer.save(update_fields=["petition_case", "decided_on", "decided_by", "decision_reason", "status"])
        authority = _("Ruling of %(court)s in %(number)s not to accept the bankruptcy case (解释 2022 art. 513)") % {
            "court": actor.court.name,
            "number": petition.number,
        }
        suspended_by_transfer = set(transfer.suspended_cases.values_list("pk", flat=True))
        for ec in cases:
            if ec.status == Status.SUSPENDED and ec.pk in suspended_by_transfer:
                case_resume(
                    actor=None, enforcement_case=ec, on=on, reason=transfer.decision_reason, authority=authority
                )
    audit_record(
        actor=actor,
        action="bankruptcy.transfer_decide",
        obj=transfer,
        reason=transfer.decision_reason,
        changes={"accepted": bool(accept), "petition_case": petition.number},
    )
    return transfer


# ---- the bankruptcy case ------------------------------------------------------------------------------------------


@transaction.atomic
def bankruptcy_accept(
    *,
    actor: User,
    debtor: Party,
    on: dt.date,
    transfer: Transfer | None = None,
    administrator: str = "",
    applicants: list[Party] | None = None,
    amount=None,
) -> BankruptcyCase:
    """Accept a bankruptcy case against ``debtor`` at the actor's court, which must be the court of its
    domicile; files the 破 case and, once committed, applies the acceptance to every enforcement case against
    the debtor in every court (``bankruptcy_apply_effects``, on a worker)."""
    require_capability(actor, "bankruptcy.decide")
    _require_organisation(debtor)
    _require_domicile_court(debtor, actor.court)
    if BankruptcyCase.objects.filter(debtor=debtor).exclude(status=BankruptcyStatus.CLOSED).exists():
        raise Conflict(_("A bankruptcy case against this debtor is already open."), code="bankruptcy.already_open")
    if applicants is None:
        applicants = _applicants(debtor_enforcement_cases(debtor))
    if amount is None:
        amount = _unpaid(debtor_enforcement_cases(debtor).select_related("case"))
    case = _file(
        actor,
        case_type=CaseType.BANKRUPTCY,
        debtor=debtor,
        applicants=applicants,
        on=on,
        amount=amount,
        cause=_("Bankruptcy liquidation (破产清算)"),
    )
    bc = BankruptcyCase(
        case=case,
        debtor=debtor,
        transfer=transfer,
        accepted_on=on,
        accepted_by=actor,
        administrator=(administrator or "").strip(),
        administrator_appointed_on=on if (administrator or "").strip() else None,
    )
    bc.full_clean()
    bc.save()
    # other courts' transfers of the same debtor are overtaken: the acceptance suspends their cases too
    overtaken = Transfer.objects.filter(
        debtor=debtor, status__in=(TransferStatus.NOTIFYING, TransferStatus.TRANSFERRED)
    ).exclude(pk=getattr(transfer, "pk", None))
    for other in overtaken.select_for_update():
        other.status, other.decided_on = TransferStatus.ACCEPTED, on
        other.decision_reason = _("Overtaken: bankruptcy accepted in %(number)s.") % {"number": case.number}
        other.save(update_fields=["status", "decided_on", "decision_reason"])
        audit_record(actor=actor, action="bankruptcy.transfer_overtaken", obj=other, changes={"case": case.number})
    audit_record(actor=actor, action="bankruptcy.accept", obj=bc, changes={"case": case.number, "debtor": debtor.pk})
    from .tasks import bankruptcy_apply_effects_task

    transaction.on_commit(lambda: bankruptcy_apply_effects_task.delay(bc.pk))
    return bc


def _authority(bc: BankruptcyCase, what: str) -> str:
    return _("%(what)s of %(court)s in %(number)s") % {
        "what": what,
        "court": bc.case.court.name,
        "number": bc.case.number,
    }


@transaction.atomic
def bankruptcy_apply_effects(*, bankruptcy_case_id: int) -> dict[str, int]:
    """In one transaction, for every enforcement case against the debtor in every court (企业破产法 art. 19; 解释
    2022 art. 513): suspend it (or note it was already suspended or closed, or that it goes on against other
    debtors), order the release of the measures on the debtor's property through the agency that holds them,
    and flag the case's dishonest entries for removal (失信规定 art. 10(1)(5)). Idempotent."""
    bc = BankruptcyCase.objects.select_for_update().select_related("case__court", "debtor").get(pk=bankruptcy_case_id)
    if bc.effects_applied_at is not None:
        return {}
    authority = _authority(bc, _("Acceptance of the bankruptcy case"))
    counts: dict[str, int] = {}
    for ec in debtor_enforcement_cases(bc.debtor).select_related("case").order_by("pk"):
        ec = EnforcementCase.objects.select_for_update(of=("self",)).select_related("case").get(pk=ec.pk)
        other_debtors = CaseParty.objects.filter(case=ec.case, role=PartyRole.DEBTOR).exclude(party=bc.debtor).exists()
        if ec.status == Status.CLOSED:
            if ec.closing_kind != ClosingKind.TERMINATED_THIS_ROUND:
                continue
            kind = EffectKind.CLOSED_BEFORE
        elif other_debtors:
            kind = EffectKind.OTHER_DEBTORS
        elif ec.status == Status.SUSPENDED:
            kind = EffectKind.ALREADY_SUSPENDED
        else:
            case_suspend(
                actor=None,
                enforcement_case=ec,
                ground=SuspensionGround.BANKRUPTCY,
                reason=_("Bankruptcy accepted against the debtor (企业破产法 art. 19)."),
                on=max(bc.accepted_on, ec.case.filing_date),
                authority=authority,
            )
            kind = EffectKind.SUSPENDED
        released = 0
        measures = ControlMeasure.objects.filter(
            enforcement_case=ec,
            asset__debtor=bc.debtor,
            status__in=LIVE_CONTROL_STATUSES,
            release_requested_at__isnull=True,
        ).order_by("pk")
        for measure in measures:
            control_release_by_law(
                measure=measure, reason=_("Bankruptcy accepted (企业破产法 art. 19)"), authority=authority
            )
            released += 1
        flagged = record_event_on_case(
            enforcement_case=ec, event=RemovalEvent.SUSPENDED, on=bc.accepted_on, reason=authority
        )
        Effect.objects.create(
            bankruptcy_case=bc, enforcement_case=ec, kind=kind, measures_released=released, listings_flagged=flagged
        )
        counts[kind] = counts.get(kind, 0) + 1
    bc.effects_applied_at = timezone.now()
    bc.save(update_fields=["effects_applied_at"])
    audit_record(actor=None, action="bankruptcy.effects", obj=bc, reason=authority, changes=counts)
    return counts


def _locked_case(actor: User, pk: int, capability: str = "bankruptcy.decide") -> BankruptcyCase:
    require_capability(actor, capability)
    return get_visible_or_404(
        BankruptcyCase.objects.select_for_update(of=("self",)).select_related("case__court", "debtor"),
        actor,
        court_field="case__court",
        pk=pk,
    )


@transaction.atomic
def administrator_appoint(
    *, actor: User, bankruptcy_case: BankruptcyCase, administrator: str, on: dt.date, claims_deadline_on: dt.date
) -> BankruptcyCase:
    """Appoint the administrator (管理人, 企业破产法 art. 13) and fix the claims period: 30 days to 3 months from
    the announcement of acceptance (art. 45)."""
    bc = _locked_case(actor, bankruptcy_case.pk)
    if bc.status == BankruptcyStatus.CLOSED:
        raise RuleViolation(_("The bankruptcy case is closed."), code="bankruptcy.closed")
    errors = {}
    if not (administrator or "").strip():
        errors["administrator"] = [_("Name the administrator.")]
    low, high = (bc.accepted_on + dt.timedelta(days=d) for d in CLAIMS_PERIOD)
    if claims_deadline_on is None or not low <= claims_deadline_on <= high:
        errors["claims_deadline_on"] = [
            _(
                "The claims period runs 30 days to 3 months from the acceptance (企业破产法 art. 45): "
                "%(low)s to %(high)s."
            )
            % {"low": low.isoformat(), "high": high.isoformat()}
        ]
    if errors:
        raise InvalidInput(errors, code="bankruptcy.invalid")
    bc.administrator, bc.administrator_appointed_on, bc.claims_deadline_on = (
        administrator.strip(),
        on,
        claims_deadline_on,
    )
    bc.save(update_fields=["administrator", "administrator_appointed_on", "claims_deadline_on"])
    audit_record(actor=actor, action="bankruptcy.administrator", obj=bc, changes={"administrator": bc.administrator})
    return bc


def claim_prefill(bankruptcy_case: BankruptcyCase) -> list[dict]:
    """What each creditor of an enforcement case against the debtor is still owed there: the claims form's
    starting values (creditor, enforcement case, amount)."""
    creditors = Prefetch(
        "case__party_links",
        queryset=CaseParty.objects.filter(role=PartyRole.CREDITOR).select_related("party").order_by("position"),
        to_attr="creditor_links",
    )
    cases = debtor_enforcement_cases(bankruptcy_case.debtor).select_related("case").prefetch_related(creditors)
    return [
        {"creditor": link.party, "enforcement_case": ec, "amount": _owed(ec)}
        for ec in cases.order_by("pk")
        if _owed(ec) > 0
        for link in ec.case.creditor_links
    ]


@transaction.atomic
def claim_file(
    *,
    actor: User,
    bankruptcy_case: BankruptcyCase,
    creditor: Party,
    kind: str,
    amount,
    on: dt.date,
    enforcement_case: EnforcementCase | None = None,
    documents: str = "",
) -> Claim:
    """Register a creditor's claim (债权申报). A claim above what the creditor's enforcement case still awards
    needs its supporting documents named."""
    bc = _locked_case(actor, bankruptcy_case.pk)
    if bc.status == BankruptcyStatus.CLOSED:
        raise RuleViolation(_("The bankruptcy case is closed."), code="bankruptcy.closed")
    if kind not in CLAIM_ORDER:
        raise InvalidInput({"kind": [_("Choose the class of the claim.")]}, code="bankruptcy.invalid")
    amount = _amount(amount, "amount")
    if enforcement_case is not None:
        if not enforcement_case.case.party_links.filter(party=creditor, role=PartyRole.CREDITOR).exists() or not (
            enforcement_case.case.party_links.filter(party=bc.debtor, role=PartyRole.DEBTOR).exists()
        ):
            raise RuleViolation(
                _("The enforcement case named is not this creditor's case against the debtor."),
                code="bankruptcy.claim_case",
            )
        owed = _owed(enforcement_case)
        if amount > owed and not (documents or "").strip():
            raise RuleViolation(
                _(
                    "The claim (%(amount)s) is above what the enforcement case still awards (%(owed)s): name the "
                    "documents that support the difference (企业破产法 art. 49)."
                )
                % {"amount": amount, "owed": owed},
                code="bankruptcy.claim_over_enforcement",
            )
    if Claim.objects.filter(bankruptcy_case=bc, creditor=creditor, kind=kind).exists():
        raise Conflict(_("This creditor already filed a claim of this class."), code="bankruptcy.claim_filed")
    claim = Claim(
        bankruptcy_case=bc,
        creditor=creditor,
        kind=kind,
        amount=amount,
        enforcement_case=enforcement_case,
        documents=(documents or "").strip(),
        filed_on=on,
        filed_by=actor,
    )
    claim.full_clean()
    claim.save()
    audit_record(actor=actor, action="bankruptcy.claim_file", obj=claim, changes={"amount": str(amount), "kind": kind})
    return claim


@transaction.atomic
def claim_review(*, actor: User, claim: Claim, admitted_amount, on: dt.date, note: str = "") -> Claim:
    """Review a claim: admitted in full, in part (a note says why), or rejected (0, with a note)."""
    bc = _locked_case(actor, claim.bankruptcy_case_id)
    claim = Claim.objects.select_for_update().get(pk=claim.pk, bankruptcy_case=bc)
    if claim.status != ClaimStatus.FILED:
        raise RuleViolation(_("This claim is already reviewed."), code="bankruptcy.claim_reviewed")
    admitted = _amount(admitted_amount, "admitted_amount", positive=False)
    if admitted < 0 or admitted > claim.amount:
        raise InvalidInput(
            {"admitted_amount": [_("Between 0 and the amount claimed (%(amount)s).") % {"amount": claim.amount}]},
            code="bankruptcy.invalid",
        )
    if admitted < claim.amount and not (note or "").strip():
        raise InvalidInput({"note": [_("Say why the claim is not admitted in full.")]}, code="bankruptcy.invalid")
    claim.admitted_amount = admitted
    claim.status = (
        ClaimStatus.ADMITTED
        if admitted == claim.amount
        else ClaimStatus.REJECTED
        if admitted == 0
        else ClaimStatus.PARTLY
    )
    claim.reviewed_by, claim.reviewed_on, claim.review_note = actor, on, (note or "").strip()
    claim.save(update_fields=["admitted_amount", "status", "reviewed_by", "reviewed_on", "review_note"])
    audit_record(
        actor=actor,
        action="bankruptcy.claim_review",
        obj=claim,
        changes={"admitted": str(admitted)},
        reason=claim.review_note,
    )
    return claim


def _outstanding(claim: Claim) -> Decimal:
    paid = sum((s.amount for s in claim.shares.all()), ZERO)
    return max((claim.admitted_amount or ZERO) - paid, ZERO)


@transaction.atomic
def distribution_record(
    *, actor: User, bankruptcy_case: BankruptcyCase, total, on: dt.date, note: str = ""
) -> Distribution:
    """Distribute ``total`` among the admitted claims (企业破产法 art. 113): class by class in the statutory order
    (secured, employees, taxes, ordinary), pro rata within a class, to the fen — the shares always add up to
    the total; refused if it exceeds what the admitted claims still await, or claims are still under review."""
    bc = _locked_case(actor, bankruptcy_case.pk)
    if bc.status != BankruptcyStatus.DECLARED:
        raise RuleViolation(
            _("The estate is distributed after the declaration of bankruptcy (企业破产法 art. 113)."),
            code="bankruptcy.not_declared",
        )
    total = _amount(total, "total")
    if bc.claims.filter(status=ClaimStatus.FILED).exists():
        raise RuleViolation(_("Review every claim filed first."), code="bankruptcy.claims_pending")
    claims = list(
        bc.claims.filter(status__in=(ClaimStatus.ADMITTED, ClaimStatus.PARTLY))
        .prefetch_related("shares")
        .order_by("pk")
    )
    awaiting = sum((_outstanding(c) for c in claims), ZERO)
    if total > awaiting:
        raise RuleViolation(
            _("The distribution (%(total)s) is more than the admitted claims still await (%(awaiting)s).")
            % {"total": total, "awaiting": awaiting},
            code="bankruptcy.over_claims",
        )
    distribution = Distribution.objects.create(
        bankruptcy_case=bc, total=total, made_on=on, recorded_by=actor, note=(note or "").strip()
    )
    left = total
    for kind in CLAIM_ORDER:
        in_class = [c for c in claims if c.kind == kind]
        owed = [_outstanding(c) for c in in_class]
        shares = pro_rata(min(left, sum(owed, ZERO)), owed)
        for claim, share in zip(in_class, shares, strict=True):
            if share > 0:
                Share.objects.create(distribution=distribution, claim=claim, amount=share)
        left -= sum(shares, ZERO)
    audit_record(actor=actor, action="bankruptcy.distribution", obj=bc, changes={"total": str(total)})
    return distribution


@transaction.atomic
def bankruptcy_declare(*, actor: User, bankruptcy_case: BankruptcyCase, on: dt.date) -> BankruptcyCase:
    """Declare the debtor bankrupt (宣告破产): every enforcement case the acceptance suspended ends (终结执行, 解释
    2022 art. 513), in whatever court it is."""
    bc = _locked_case(actor, bankruptcy_case.pk)
    if bc.status != BankruptcyStatus.ACCEPTED:
        raise RuleViolation(_("Only an accepted case can be declared."), code="bankruptcy.not_accepted")
    if bc.effects_applied_at is None:
        raise RuleViolation(
            _("The acceptance is still being applied to the enforcement cases; try again shortly."),
            code="bankruptcy.effects_pending",
        )
    _date_between(on, bc.accepted_on, _("The date must lie between the acceptance and today."))
    authority = _authority(bc, _("Declaration of bankruptcy"))
    ended = 0
    for effect in bc.effects.filter(kind__in=(EffectKind.SUSPENDED, EffectKind.ALREADY_SUSPENDED)).order_by("pk"):
        ec = effect.enforcement_case
        ec.refresh_from_db()
        if ec.status == Status.CLOSED:
            continue
        case_close(
            actor=None,
            enforcement_case=ec,
            kind=ClosingKind.TERMINATED,
            ground=TerminationGround.BANKRUPTCY_DECLARED,
            reason=_("The debtor was declared bankrupt (解释 2022 art. 513)."),
            on=max(on, ec.case.filing_date),
            authority=authority,
        )
        Effect.objects.create(bankruptcy_case=bc, enforcement_case=ec, kind=EffectKind.TERMINATED)
        ended += 1
    bc.status, bc.declared_on = BankruptcyStatus.DECLARED, on
    bc.save(update_fields=["status", "declared_on"])
    audit_record(actor=actor, action="bankruptcy.declare", obj=bc, changes={"enforcement_cases_ended": ended})
    return bc


@transaction.atomic
def bankruptcy_close(*, actor: User, bankruptcy_case: BankruptcyCase, on: dt.date, note: str) -> BankruptcyCase:
    """Close the bankruptcy case (终结破产程序, 企业破产法 arts. 43, 120) after the declaration."""
    bc = _locked_case(actor, bankruptcy_case.pk)
    if bc.status != BankruptcyStatus.DECLARED:
        raise RuleViolation(_("A bankruptcy case is closed after the declaration."), code="bankruptcy.not_declared")
    if not (note or "").strip():
        raise InvalidInput({"note": [_("Give the ground of closing.")]}, code="bankruptcy.invalid")
    _date_between(on, bc.declared_on, _("The date must lie between the declaration and today."))
    bc.status, bc.closed_on, bc.closing_note = BankruptcyStatus.CLOSED, on, note.strip()
    bc.save(update_fields=["status", "closed_on", "closing_note"])
    audit_record(actor=actor, action="bankruptcy.close", obj=bc, reason=bc.closing_note)
    return bc


def transfers_overdue(*, today: dt.date | None = None):
    """Transfers whose 30-day decision period (解释 2022 art. 512) has passed with no decision."""
    today = today or timezone.localdate()
    return Transfer.objects.filter(status=TransferStatus.TRANSFERRED, decision_due_on__lt=today)


@transaction.atomic
def transfers_report_overdue(*, today: dt.date | None = None) -> int:
    """The daily job: tell the division heads of both courts, once, of each transfer past its 30 days."""
    from cases.services import notify_user

    count = 0
    for transfer in transfers_overdue(today=today).filter(overdue_notified_at__isnull=True).select_for_update():
        heads = User.objects.filter(
            court__in=(transfer.court_id, transfer.receiving_court_id), role="division_head", is_active=True
        )
        for head in heads:
            notify_user(
                user=head,
                case=None,
                kind="bankruptcy_transfer_overdue",
                subject=_("执转破 decision overdue"),
                body=_("%(debtor)s: the decision of %(court)s was due on %(due)s (解释 2022 art. 512).")
                % {
                    "debtor": transfer.debtor.name,
                    "court": transfer.receiving_court.name,
                    "due": transfer.decision_due_on.isoformat(),
                },
                link=f"/bankruptcy/transfers/{transfer.pk}/",
            )
        transfer.overdue_notified_at = timezone.now()
        transfer.save(update_fields=["overdue_notified_at"])
        audit_record(actor=None, action="bankruptcy.transfer_overdue", obj=transfer)
        count += 1
    return count


__all__ = [
    "administrator_appoint",
    "bankruptcy_accept",
    "bankruptcy_apply_effects",
    "bankruptcy_close",
    "bankruptcy_declare",
    "claim_file",
    "claim_prefill",
    "claim_review",
    "consent_record",
    "debtor_enforcement_cases",
    "distribution_record",
    "domicile_courts",
    "domicile_region",
    "suggestion_dismiss",
    "suggestions_refresh",
    "transfer_decide",
    "transfer_propose",
    "transfer_rule",
    "transfer_withdraw",
    "transfers_overdue",
    "transfers_report_overdue",
]
