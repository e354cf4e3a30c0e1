"""Writes for 立 and 审: registering parties and filing cases (here), trial events, effective documents and
appeals (``litigation``), preservation (``preservation``), the preservation notice (``notices``) and the
filing alert (``filing_alerts``); everything is re-exported from this package."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.audit import audit_record
from core.case_numbers import allocate_serial, format_case_number, parse_case_number, reserve_serial
from core.exceptions import InvalidInput
from core.identifiers import birth_date, normalize_credit_code, normalize_resident_id, sex
from core.models import Court, User
from core.money import parse_amount, validate_positive_amount

from ..choices import ROLE_SIDES, PartyKind
from ..models import Case, CaseParty, Party
from .filing_alerts import filing_alerts_record


@dataclass
class PartyInput:
    """One party on a filing: an existing ``party_id``, or the data of a party to register (an identifier
    already registered links that party)."""

    role: str
    party_id: int | None = None
    kind: str = ""
    name: str = ""
    id_number: str = ""
    legal_representative: str = ""
    phone: str = ""
    address: str = ""


def normalize_identifier(kind: str, id_number: str) -> str:
    """Validate an identifier for the kind of party; raises Django ``ValidationError``."""
    if kind == PartyKind.PERSON:
        return normalize_resident_id(id_number)
    if kind == PartyKind.ORGANISATION:
        return normalize_credit_code(id_number)
    raise ValidationError(_("Choose whether the party is a natural person or an organisation."), code="kind")


def _party_field_errors(data: PartyInput) -> tuple[dict[str, list[str]], str]:
    errors: dict[str, list[str]] = {}
    number = ""
    if not data.name.strip():
        errors["name"] = [_("Enter the party's name.")]
    try:
        number = normalize_identifier(data.kind, data.id_number)
    except ValidationError as exc:
        errors["kind" if exc.code == "kind" else "id_number"] = [str(m) for m in exc.messages]
    if data.kind == PartyKind.ORGANISATION and not data.legal_representative.strip():
        errors["legal_representative"] = [_("An organisation is filed with its legal representative.")]
    return errors, number


def _create_party(*, actor: User | None, data: PartyInput, id_number: str) -> Party:
    party = Party(
        kind=data.kind,
        name=data.name.strip(),
        id_number=id_number,
        legal_representative=data.legal_representative.strip(),
        phone=data.phone.strip(),
        address=data.address.strip(),
        created_by=actor if actor and actor.pk else None,
    )
    if data.kind == PartyKind.PERSON:
        party.birth_date = birth_date(id_number)
        party.sex = sex(id_number)
    # The identifier's uniqueness is left to the database: a look-up here would race with a concurrent
    # registration and raise ValidationError, which the callers' IntegrityError handling would not catch.
    party.full_clean(validate_unique=False)
    party.save()
    audit_record(actor=actor, action="party.register", obj=party)
    return party


def _register_or_link(*, actor: User, data: PartyInput, id_number: str) -> Party:
    """Register the party, or link the one a concurrent filing registered a moment ago."""
    try:
        with transaction.atomic():
            return _create_party(actor=actor, data=data, id_number=id_number)
    except IntegrityError:
        return Party.objects.get(id_number=id_number)


@transaction.atomic
def party_register(*, actor: User, data: PartyInput) -> Party:
    """Register a new party. An identifier registered before is refused: link the existing party instead."""
    require_capability(actor, "party.register")
    errors, id_number = _party_field_errors(data)
    if errors:
        raise InvalidInput(errors, code="party.invalid")
    existing = Party.objects.filter(id_number=id_number).first()
    if existing is not None:
        raise InvalidInput(
            {
                "id_number": _("A party with this identifier is already registered (%(name)s).")
                % {"name": existing.name}
            },
            code="party.duplicate",
        )
    try:
        with transaction.atomic():
            return _create_party(actor=actor, data=data, id_number=id_number)
    except IntegrityError as exc:  # a concurrent registration of the same identifier won the race
        raise InvalidInput(
            {"id_number": _("A party with this identifier is already registered.")}, code="party.duplicate"
        ) from exc


@dataclass
class _Resolved:
    data: PartyInput
    party: Party | None  # the registered party, or None for one to register
    id_number: str


def _resolve_parties(*, case_type: str, parties: list[PartyInput]) -> tuple[dict[str, list[str]], list[_Resolved]]:
    """Check every party and the roles. Returns the errors (``parties.<row>.<field>`` for a row's) and each
    party resolved to its registered record (or to the identifier of one to register)."""
    claimants, opponents, others = ROLE_SIDES[case_type]
    case_errors: dict[str, list[str]] = {}
    resolved: list[_Resolved] = []
    seen: dict[str, int] = {}
    for index, data in enumerate(parties):
        row_errors: dict[str, list[str]] = {}
        party, key = None, ""
        if data.role not in claimants | opponents | others:
            row_errors["role"] = [_("This role does not exist on a case of this type.")]
        if data.party_id is not None:
            party = Party.objects.filter(pk=data.party_id).first()
            if party is None:
                row_errors["party_id"] = [_("No such party.")]
            else:
                key = party.id_number
        else:
            errors, key = _party_field_errors(data)
            row_errors.update(errors)
            party = Party.objects.filter(id_number=key).first() if key else None
            if party is not None and party.name != data.name.strip():
                row_errors["id_number"] = [
                    _("This identifier is registered to %(name)s, not to %(given)s.")
                    % {"name": party.name, "given": data.name.strip()}
                ]
        resolved.append(_Resolved(data, party, key))
        if key and key in seen:
            row_errors["id_number"] = [_("This party is already on the case (row %(row)d).") % {"row": seen[key] + 1}]
        elif key:
            seen[key] = index
        for name, messages in row_errors.items():
            case_errors[f"parties.{index}.{name}"] = messages
    roles = {p.role for p in parties}
    if not roles & claimants or not roles & opponents:
        case_errors["parties"] = [_("A case needs at least one party on each side.")]
    return case_errors, resolved


@transaction.atomic
def case_file(
    *,
    actor: User,
    court: Court | None,
    case_type: str,
    filing_date: dt.date,
    amount: Decimal | str,
    cause: str,
    parties: list[PartyInput],
    summary: str = "",
    number: str = "",
    capability: str = "case.file",
) -> Case:
    """File a case at ``court`` with its parties and allocate (or check) its number.

    ``number`` is given only when a case is imported from another system with the number it already has;
    it must belong to this court, type and year, and its serial is then reserved so it is never handed out.
    ``capability`` is what the actor must hold: filing at the window needs ``case.file``; a service that
    files a case as one step of its own (restoring enforcement as 执恢) names its own capability.
    Every check runs before anything is written; on any error nothing is.
    """
    require_capability(actor, capability)
    errors: dict[str, list[str]] = {}
    if court is None:
        errors["court"] = [_("Choose a court of this system.")]
    elif not actor.is_superuser and court.pk != actor.court_id:
        errors["court"] = [_("You can file cases only at your own court.")]
    if case_type not in ROLE_SIDES:
        errors["case_type"] = [_("Unknown case type.")]
    if filing_date is None:
        errors["filing_date"] = [_("Enter the filing date.")]
    elif filing_date > timezone.localdate():
        errors["filing_date"] = [_("The filing date cannot be in the future.")]
    try:
        amount = parse_amount(amount)
        validate_positive_amount(amount)
    except ValidationError as exc:
        errors["amount"] = [str(m) for m in exc.messages]
    if not (cause or "").strip():
        errors["cause"] = [_("Enter the cause of action.")]

    parsed = None
    if number and "court" not in errors and "case_type" not in errors and filing_date:
        try:
            parsed = parse_case_number(number)
        except InvalidInput as exc:
            errors.update(exc.fields)
        else:
            if parsed.court_code != court.code:
                errors["number"] = [
                    _("This case number belongs to another court (%(code)s).") % {"code": parsed.court_code}
                ]
            elif parsed.type_code != case_type:
                errors["number"] = [
                    _("This case number is of another case type (%(type)s).") % {"type": parsed.type_code}
                ]
            elif parsed.year != filing_date.year:
                errors["number"] = [_("The year in the case number must be the filing year.")]
            elif Case.objects.filter(number=str(parsed)).exists():
                errors["number"] = [_("This case number is already taken.")]

    resolved: list[_Resolved] = []
    if case_type in ROLE_SIDES:
        party_errors, resolved = _resolve_parties(case_type=case_type, parties=parties)
        errors.update(party_errors)
    if errors:
        raise InvalidInput(errors, code="case.invalid")

    if parsed is not None:
        serial = parsed.serial
        reserve_serial(court=court, type_code=case_type, year=filing_date.year, serial=serial)
    else:
        serial = allocate_serial(court=court, type_code=case_type, year=filing_date.year)
    case = Case(
        case_type=case_type,
        court=court,
        year=filing_date.year,
        serial=serial,
        number=format_case_number(year=filing_date.year, court_code=court.code, type_code=case_type, serial=serial),
        filing_date=filing_date,
        amount=amount,
        cause=cause.strip(),
        summary=summary.strip(),
        created_by=actor,
    )
    case.full_clean()
    case.save()
    links = []
    for position, item in enumerate(resolved):
        party = item.party or _register_or_link(actor=actor, data=item.data, id_number=item.id_number)
        links.append(CaseParty(case=case, party=party, role=item.data.role, position=position))
    CaseParty.objects.bulk_create(links)
    audit_record(
        actor=actor,
        action="case.file",
        obj=case,
        changes={"amount": str(amount), "parties": [[link.role, link.party_id] for link in links]},
    )
    filing_alerts_record(actor=actor, case=case, links=links)
    return case


from .litigation import (  # noqa: E402 - the package re-exports its modules' services
    InstalmentInput,
    appeal_file,
    document_mark_effective,
    document_mark_performed,
    document_record,
    trial_event_record,
)
from .notices import preservation_notice_decide, preservation_notice_document  # noqa: E402
from .notifications import notification_mark_read, notify_party, notify_user  # noqa: E402
from .preservation import (  # noqa: E402
    preservation_apply,
    preservation_carry_over,
    preservation_decide,
    preservation_measure_add,
)
from .relations import party_relation_record, property_transfer_record  # noqa: E402

__all__ = [
    "InstalmentInput",
    "PartyInput",
    "appeal_file",
    "case_file",
    "document_mark_effective",
    "document_mark_performed",
    "document_record",
    "filing_alerts_record",
    "normalize_identifier",
    "notification_mark_read",
    "notify_party",
    "notify_user",
    "party_register",
    "party_relation_record",
    "preservation_apply",
    "preservation_carry_over",
    "preservation_decide",
    "preservation_measure_add",
    "preservation_notice_decide",
    "preservation_notice_document",
    "property_transfer_record",
    "trial_event_record",
]
