"""Writes of the trial (审): trial events, effective legal documents and their instalments, appeals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.case_numbers import allocate_serial, format_case_number
from core.exceptions import InvalidInput, PermissionDenied
from core.models import Court, User

from ..choices import (
    COURT_DOCUMENTS,
    HEARING_OUTCOMES,
    LITIGATION_TYPES,
    CaseType,
    DocumentKind,
    PartyRole,
    TrialEventKind,
)
from ..exceptions import LitigationRuleViolation
from ..models import Case, CaseParty, EffectiveDocument, Instalment, TrialEvent
from ._common import amount_or_error, ensure_own_case, raise_if, side_of, today
from .filing_alerts import filing_alerts_record


@dataclass(frozen=True)
class InstalmentInput:
    due_on: dt.date
    amount: Decimal | str


def _effective_document(case: Case) -> EffectiveDocument | None:
    return case.documents.filter(effective_on__isnull=False).order_by("effective_on", "id").first()


# ---- trial events -------------------------------------------------------------------------------------------


@transaction.atomic
def trial_event_record(
    *, actor: User, case: Case, kind: str, at: dt.datetime, place: str = "", note: str = ""
) -> TrialEvent:
    """Record a hearing scheduled, held or adjourned, or a mediation session, on a 民初/民终 case.

    A hearing is held or adjourned only after one was scheduled (for that time or earlier); only a hearing
    can be scheduled ahead; once a document of the case has taken effect the trial is over.
    """
    require_capability(actor, "trial.record")
    ensure_own_case(actor, case)
    errors: dict[str, list[str]] = {}
    if kind not in TrialEventKind.values:
        errors["kind"] = [_("Unknown trial event.")]
    if at is None:
        errors["at"] = [_("Enter the date and time.")]
    raise_if(errors, "trial.invalid")
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if case.case_type not in LITIGATION_TYPES:
        raise LitigationRuleViolation(
            _("Trial events are recorded only on civil cases of first or second instance (民初, 民终)."),
            code="trial.case_type",
        )
    if timezone.localtime(at).date() < case.filing_date:
        raise LitigationRuleViolation(
            _("A trial event cannot come before the case was filed (%(date)s).") % {"date": case.filing_date},
            code="trial.before_filing",
        )
    if kind != TrialEventKind.HEARING_SCHEDULED and at > timezone.now():
        raise LitigationRuleViolation(
            _("Only a hearing can be scheduled ahead; this event must already have taken place."),
            code="trial.in_future",
        )
    document = _effective_document(case)
    if document is not None:
        raise LitigationRuleViolation(
            _("%(document)s took effect on %(date)s: the trial is over and no more events are recorded.")
            % {"document": document, "date": document.effective_on},
            code="trial.after_effective_document",
        )
    if kind in HEARING_OUTCOMES:
        hearings = case.trial_events.filter(kind__in=[TrialEventKind.HEARING_SCHEDULED, *HEARING_OUTCOMES])
        scheduled = sum(1 for e in hearings if e.kind == TrialEventKind.HEARING_SCHEDULED and e.at <= at)
        outcomes = sum(1 for e in hearings if e.kind in HEARING_OUTCOMES)
        if scheduled <= outcomes:
            raise LitigationRuleViolation(
                _("A hearing can be held or adjourned only after it was scheduled."), code="trial.not_scheduled"
            )
    event = TrialEvent(case=case, kind=kind, at=at, place=place.strip(), note=note.strip(), recorded_by=actor)
    event.full_clean()
    event.save()
    audit_record(actor=actor, action="trial.record", obj=case, changes={"event": kind, "at": at.isoformat()})
    return event


# ---- effective documents ------------------------------------------------------------------------------------


def _check_obligation_parties(case: Case, obligee_ids: list[int], obligor_ids: list[int]) -> None:
    links = {link.party_id: link for link in case.party_links.select_related("party")}
    errors: dict[str, list[str]] = {}
    if not obligee_ids:
        errors["obligee_ids"] = [_("Name at least one obligee.")]
    if not obligor_ids:
        errors["obligor_ids"] = [_("Name at least one obligor.")]
    raise_if(errors, "document.invalid")
    for party_id in [*obligee_ids, *obligor_ids]:
        if party_id not in links:
            raise LitigationRuleViolation(
                _("Party %(id)s is not a party to this case.") % {"id": party_id}, code="document.party_not_on_case"
            )
    both = set(obligee_ids) & set(obligor_ids)
    if both:
        raise LitigationRuleViolation(
            _("%(name)s cannot be both obligee and obligor.") % {"name": links[min(both)].party.name},
            code="document.party_both_sides",
        )
    sides = {side_of(case.case_type, links[i].role) for i in obligee_ids}
    if len(sides) != 1 or sides == {"other"}:
        raise LitigationRuleViolation(
            _("The obligees must all be on one side of the case (claimants or opponents)."),
            code="document.obligee_side",
        )
    (obligee_side,) = sides
    for party_id in obligor_ids:
        if side_of(case.case_type, links[party_id].role) == obligee_side:
            raise LitigationRuleViolation(
                _("%(name)s is on the obligees' side of the case and cannot be an obligor.")
                % {"name": links[party_id].party.name},
                code="document.obligor_side",
            )


def _check_instalments(instalments: list, *, amount_due: Decimal, issued_on: dt.date) -> list[tuple[dt.date, Decimal]]:
    parsed: list[tuple[dt.date, Decimal]] = []
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(instalments):
        due_on, amount = (item.due_on, item.amount) if isinstance(item, InstalmentInput) else item
        value = amount_or_error(amount, errors, f"instalments.{index}.amount", positive=True)
        if due_on is None:
            errors[f"instalments.{index}.due_on"] = [_("Enter the due date.")]
        parsed.append((due_on, value))
    raise_if(errors, "document.invalid")
    for index, (due_on, _amount) in enumerate(parsed):
        if index == 0 and due_on < issued_on:
            raise LitigationRuleViolation(
                _("The first instalment cannot fall due before the document was issued (%(date)s).")
                % {"date": issued_on},
                code="document.instalment_before_issue",
            )
        if index and due_on <= parsed[index - 1][0]:
            raise LitigationRuleViolation(
                _("Instalment %(n)d must fall due after instalment %(m)d.") % {"n": index + 1, "m": index},
                code="document.instalment_order",
            )
    total = sum((amount for _due, amount in parsed), Decimal("0.00"))
    if total != amount_due:
        raise LitigationRuleViolation(
            _("The instalments must add up to the amount due (principal plus costs), %(due)s, not %(total)s.")
            % {"due": amount_due, "total": total},
            code="document.instalment_total",
        )
    return parsed


@transaction.atomic
def document_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    issued_on: dt.date,
    principal: Decimal | str,
    obligee_ids: list[int],
    obligor_ids: list[int],
    number: str = "",
    issuing_body: str = "",
    effective_on: dt.date | None = None,
    costs: Decimal | str = "0",
    interest_rule: str = "",
    performance_deadline: dt.date | None = None,
    instalments: list | tuple = (),
    text: str = "",
) -> EffectiveDocument:
    """Record the document that fixes an obligation (生效法律文书), with its instalments if payable in parts.

    A court's judgment, mediation statement or ruling is recorded on the litigation case it decides, bears
    its number and is issued by its court; one judgment or mediation statement per case. An arbitral award
    or a notarised debt instrument comes from an outside body and is registered on the case that receives it.
    Instalments, when given, must add up to the amount due (principal plus costs), fall due one after
    another, and the performance period ends with the last one (民诉法 2023 art. 250 counts from it).
    """
    require_capability(actor, "document.record")
    ensure_own_case(actor, case)
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Unknown kind of document.")]
    if issued_on is None:
        errors["issued_on"] = [_("Enter the date the document was issued.")]
    elif issued_on > today():
        errors["issued_on"] = [_("The issue date cannot be in the future.")]
    principal = amount_or_error(principal, errors, "principal")
    costs = amount_or_error(costs if costs not in (None, "") else "0", errors, "costs")
    court_document = kind in COURT_DOCUMENTS
    if not court_document and kind in DocumentKind.values:
        if not issuing_body.strip():
            errors["issuing_body"] = [_("Enter the arbitration commission or notary office that issued it.")]
        if not number.strip():
            errors["number"] = [_("Enter the document number.")]
    raise_if(errors, "document.invalid")

    if court_document:
        if case.case_type not in LITIGATION_TYPES:
            raise LitigationRuleViolation(
                _("A court's judgment, mediation or ruling is recorded on the civil case it decides (民初, 民终)."),
                code="document.not_litigation",
            )
        if issuing_body.strip() and issuing_body.strip() != case.court.name:
            raise LitigationRuleViolation(
                _("A document of this case is issued by its court, %(court)s.") % {"court": case.court.name},
                code="document.other_court",
            )
        if number.strip() and number.strip() != case.number:
            raise LitigationRuleViolation(
                _("A court's document bears its case number, %(number)s.") % {"number": case.number},
                code="document.number",
            )
        number, issuing_body = case.number, case.court.name
        if kind in (DocumentKind.JUDGMENT, DocumentKind.MEDIATION):
            earlier = case.documents.filter(kind__in=[DocumentKind.JUDGMENT, DocumentKind.MEDIATION]).first()
            if earlier is not None:
                raise LitigationRuleViolation(
                    _("This case already has its %(document)s.") % {"document": earlier}, code="document.duplicate"
                )
    if effective_on is not None and effective_on < issued_on:
        raise LitigationRuleViolation(
            _("A document cannot take effect before it was issued (%(date)s).") % {"date": issued_on},
            code="document.effective_before_issue",
        )
    if effective_on is not None and effective_on > today():
        raise LitigationRuleViolation(
            _("Record the date the document took effect once it has; it cannot be in the future."),
            code="document.effective_in_future",
        )
    if performance_deadline is not None and performance_deadline < issued_on:
        raise LitigationRuleViolation(
            _("The performance period cannot end before the document was issued (%(date)s).") % {"date": issued_on},
            code="document.deadline_before_issue",
        )
    if principal + costs <= 0:
        raise LitigationRuleViolation(
            _("The document must fix a sum to pay: principal plus costs must be above zero."),
            code="document.nothing_due",
        )
    parsed = []
    if instalments:
        parsed = _check_instalments(list(instalments), amount_due=principal + costs, issued_on=issued_on)
        last_due = parsed[-1][0]
        if performance_deadline is not None and performance_deadline != last_due:
            raise LitigationRuleViolation(
                _("With instalments, the performance period ends with the last instalment, on %(date)s.")
                % {"date": last_due},
                code="document.instalment_deadline",
            )
        performance_deadline = last_due
    obligee_ids, obligor_ids = [int(i) for i in obligee_ids or []], [int(i) for i in obligor_ids or []]
    _check_obligation_parties(case, obligee_ids, obligor_ids)
    if court_document and case.follow_on_cases.filter(case_type=CaseType.CIVIL_APPEAL).exists() and effective_on:
        _refuse_appealed(case)

    document = EffectiveDocument(
        case=case,
        kind=kind,
        number=number.strip(),
        issuing_body=issuing_body.strip(),
        issued_on=issued_on,
        effective_on=effective_on,
        principal=principal,
        costs=costs,
        interest_rule=interest_rule.strip(),
        performance_deadline=performance_deadline,
        text=text.strip(),
        created_by=actor,
    )
    document.full_clean()
    document.save()
    document.obligees.set(obligee_ids)
    document.obligors.set(obligor_ids)
    Instalment.objects.bulk_create(
        Instalment(document=document, sequence=index, due_on=due_on, amount=amount)
        for index, (due_on, amount) in enumerate(parsed, start=1)
    )
    audit_record(
        actor=actor,
        action="document.record",
        obj=case,
        changes={
            "document": document.pk,
            "kind": kind,
            "principal": str(principal),
            "costs": str(costs),
            "effective_on": str(effective_on or ""),
            "instalments": [[str(d), str(a)] for d, a in parsed],
            "obligees": obligee_ids,
            "obligors": obligor_ids,
        },
    )
    return document


def _refuse_appealed(case: Case) -> None:
    appeal = case.follow_on_cases.filter(case_type=CaseType.CIVIL_APPEAL).first()
    raise LitigationRuleViolation(
        _("The first-instance decision was appealed (%(number)s): the second-instance decision takes effect instead.")
        % {"number": appeal.number},
        code="document.appealed",
    )


@transaction.atomic
def document_mark_effective(*, actor: User, document: EffectiveDocument, effective_on: dt.date) -> EffectiveDocument:
    """Record the day a document took effect (after the appeal period ran out, or on service of a mediation
    statement). A first-instance judgment that was appealed never takes effect itself."""
    require_capability(actor, "document.record")
    document = (
        EffectiveDocument.objects.select_for_update(of=("self",))
        .select_related("case", "case__court")
        .get(pk=document.pk)
    )
    ensure_own_case(actor, document.case)
    if effective_on is None:
        raise InvalidInput({"effective_on": _("Enter the date the document took effect.")}, code="document.invalid")
    if document.effective_on is not None:
        raise LitigationRuleViolation(
            _("This document already took effect on %(date)s.") % {"date": document.effective_on},
            code="document.already_effective",
        )
    if effective_on < document.issued_on:
        raise LitigationRuleViolation(
            _("A document cannot take effect before it was issued (%(date)s).") % {"date": document.issued_on},
            code="document.effective_before_issue",
        )
    if effective_on > today():
        raise LitigationRuleViolation(
            _("Record the date the document took effect once it has; it cannot be in the future."),
            code="document.effective_in_future",
        )
    if document.kind in COURT_DOCUMENTS and document.case.follow_on_cases.filter(case_type=CaseType.CIVIL_APPEAL):
        _refuse_appealed(document.case)
    document.effective_on = effective_on
    document.full_clean()
    document.save(update_fields=["effective_on"])
    audit_record(
        actor=actor,
        action="document.effective",
        obj=document.case,
        changes={"document": document.pk, "effective_on": str(effective_on)},
    )
    return document


@transaction.atomic
def document_mark_performed(*, actor: User, document: EffectiveDocument, on: dt.date) -> EffectiveDocument:
    """Record that the obligation was performed in full (no enforcement may rest on it afterwards)."""
    require_capability(actor, "document.record")
    document = (
        EffectiveDocument.objects.select_for_update(of=("self",))
        .select_related("case", "case__court")
        .get(pk=document.pk)
    )
    ensure_own_case(actor, document.case)
    if on is None:
        raise InvalidInput({"on": _("Enter the date of performance.")}, code="document.invalid")
    if document.effective_on is None:
        raise LitigationRuleViolation(
            _("The document has not taken effect yet; record that first."), code="document.not_effective"
        )
    if document.fully_performed_on is not None:
        raise LitigationRuleViolation(
            _("The obligation was already recorded as performed on %(date)s.") % {"date": document.fully_performed_on},
            code="document.already_performed",
        )
    if on < document.effective_on:
        raise LitigationRuleViolation(
            _("Performance under the document is recorded from the day it took effect (%(date)s).")
            % {"date": document.effective_on},
            code="document.performed_before_effective",
        )
    if on > today():
        raise LitigationRuleViolation(
            _("The date of performance cannot be in the future."), code="document.performed_in_future"
        )
    document.fully_performed_on = on
    document.full_clean()
    document.save(update_fields=["fully_performed_on"])
    audit_record(
        actor=actor, action="document.performed", obj=document.case, changes={"document": document.pk, "on": str(on)}
    )
    return document


# ---- appeals ------------------------------------------------------------------------------------------------


@transaction.atomic
def appeal_file(
    *,
    actor: User,
    first_instance_case: Case,
    court: Court,
    filing_date: dt.date,
    appellant_ids: list[int],
    appellee_ids: list[int] | None = None,
    summary: str = "",
) -> Case:
    """File the appeal (民终) against a first-instance judgment at the superior court, linked to its source.

    The petition is lodged through the first-instance court (民诉法 2023 art. 173), so a clerk of either
    court files it. Appellants are parties of the first-instance case; the appellees are, unless named, the
    parties on the other side. A mediation statement cannot be appealed, nor a judgment that took effect,
    and a case is appealed once (all the appellants join the one 民终 case).
    """
    require_capability(actor, "case.file")
    source = first_instance_case
    if not actor.is_superuser and actor.court_id not in (source.court_id, getattr(court, "pk", None)):
        raise PermissionDenied(
            _("An appeal is filed by the first-instance court or by the court that hears it."), code="appeal.court"
        )
    errors: dict[str, list[str]] = {}
    if court is None:
        errors["court"] = [_("Choose the court that hears the appeal.")]
    if filing_date is None:
        errors["filing_date"] = [_("Enter the filing date.")]
    elif filing_date > today():
        errors["filing_date"] = [_("The filing date cannot be in the future.")]
    elif filing_date < source.filing_date:
        errors["filing_date"] = [
            _("An appeal cannot be filed before the first-instance case (%(date)s).") % {"date": source.filing_date}
        ]
    if not appellant_ids:
        errors["appellant_ids"] = [_("Name at least one appellant.")]
    raise_if(errors, "appeal.invalid")
    if source.case_type != CaseType.CIVIL_FIRST:
        raise LitigationRuleViolation(
            _("Only a first-instance civil case (民初) can be appealed."), code="appeal.not_first_instance"
        )
    if source.court.parent_id is None or court.pk != source.court.parent_id:
        superior = source.court.parent.name if source.court.parent_id else "—"
        raise LitigationRuleViolation(
            _("An appeal from %(court)s is heard by its superior court, %(superior)s.")
            % {"court": source.court.name, "superior": superior},
            code="appeal.wrong_court",
        )
    earlier = source.follow_on_cases.filter(case_type=CaseType.CIVIL_APPEAL).first()
    if earlier is not None:
        raise LitigationRuleViolation(
            _("This case has already been appealed: %(number)s.") % {"number": earlier.number},
            code="appeal.already_filed",
        )
    decided = source.documents.filter(kind__in=[DocumentKind.JUDGMENT, DocumentKind.MEDIATION]).first()
    if decided is not None and decided.kind == DocumentKind.MEDIATION:
        raise LitigationRuleViolation(_("A mediation statement cannot be appealed."), code="appeal.mediated")
    if decided is not None and decided.effective_on is not None:
        raise LitigationRuleViolation(
            _("The first-instance judgment took effect on %(date)s and can no longer be appealed.")
            % {"date": decided.effective_on},
            code="appeal.judgment_effective",
        )
    links = {link.party_id: link for link in source.party_links.select_related("party")}
    appellant_ids = [int(i) for i in appellant_ids]
    for party_id in [*appellant_ids, *(appellee_ids or [])]:
        if party_id not in links:
            raise LitigationRuleViolation(
                _("Party %(id)s is not a party to the first-instance case.") % {"id": party_id},
                code="appeal.party_not_on_case",
            )
    if appellee_ids is None:
        appellant_sides = {side_of(source.case_type, links[i].role) for i in appellant_ids}
        appellee_ids = [
            pid
            for pid, link in links.items()
            if pid not in appellant_ids
            and side_of(source.case_type, link.role) in ({"claimant", "opponent"} - appellant_sides)
        ]
    appellee_ids = [int(i) for i in appellee_ids]
    if set(appellee_ids) & set(appellant_ids):
        raise LitigationRuleViolation(
            _("A party cannot be both appellant and appellee."), code="appeal.party_both_sides"
        )
    if not appellee_ids:
        raise LitigationRuleViolation(
            _("An appeal needs an appellee: a party of the first-instance case on the other side."),
            code="appeal.no_appellee",
        )

    serial = allocate_serial(court=court, type_code=CaseType.CIVIL_APPEAL, year=filing_date.year)
    case = Case(
        case_type=CaseType.CIVIL_APPEAL,
        court=court,
        year=filing_date.year,
        serial=serial,
        number=format_case_number(
            year=filing_date.year, court_code=court.code, type_code=CaseType.CIVIL_APPEAL, serial=serial
        ),
        filing_date=filing_date,
        amount=source.amount,
        cause=source.cause,
        summary=summary.strip(),
        source_case=source,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    rows = [(PartyRole.APPELLANT, i) for i in appellant_ids] + [(PartyRole.APPELLEE, i) for i in appellee_ids]
    new_links = CaseParty.objects.bulk_create(
        CaseParty(case=case, party=links[pid].party, role=role, position=position)
        for position, (role, pid) in enumerate(rows)
    )
    audit_record(
        actor=actor,
        action="case.file",
        obj=case,
        changes={
            "amount": str(case.amount),
            "parties": [[role, pid] for role, pid in rows],
            "source_case": source.pk,
        },
    )
    filing_alerts_record(actor=actor, case=case, links=new_links)
    return case
