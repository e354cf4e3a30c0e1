"""Recording relations between parties and transfers of property between them (hidden-asset clues).

Parties are registered once for the whole system, so a relation may reach a party who is on no case of
the actor's court (a debtor's spouse, the company the spouse controls). One of the two parties must be
within reach of the actor's court: on one of its cases, or already related (a recorded relation) to a
party on one of them; so the graph grows outward from the court's own cases one hop at a time. A pair out
of reach is refused as "unknown", like a missing party (no leak).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.access import require_capability, visible_court_ids
from core.audit import audit_record
from core.exceptions import InvalidInput
from core.models import User

from ..models import (
    SYMMETRIC_RELATIONS,
    CaseParty,
    Party,
    PartyRelation,
    PropertyTransfer,
    RelationKind,
    TransferCategory,
)
from ._common import amount_or_error, raise_if, today


def _within_reach(actor: User, party_ids: set[int]) -> bool:
    """Whether one of ``party_ids`` is on a case of the actor's court or related to a party on one."""
    court_ids = visible_court_ids(actor)
    if court_ids is None:
        return bool(party_ids)
    on_cases = CaseParty.objects.filter(case__court_id__in=court_ids).values("party_id")
    if CaseParty.objects.filter(party_id__in=party_ids, case__court_id__in=court_ids).exists():
        return True
    return PartyRelation.objects.filter(
        Q(party_a_id__in=party_ids, party_b_id__in=on_cases) | Q(party_b_id__in=party_ids, party_a_id__in=on_cases)
    ).exists()


def _check_parties(actor: User, first: int | None, second: int | None, names: tuple[str, str], errors: dict) -> None:
    ids = {pk for pk in (first, second) if pk is not None}
    existing = set(Party.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for pk, name in zip((first, second), names, strict=True):
        if pk is None or pk not in existing:
            errors[name] = [_("No such party.")]
    if not errors and not _within_reach(actor, existing):
        errors[names[0]] = [_("No such party.")]


def _share(value, kind: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    if kind != RelationKind.SHAREHOLDER:
        errors["share"] = [_("A share is recorded only for a shareholder.")]
        return None
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        share = None
    if share is None or not share.is_finite() or not (0 < share <= 100):
        errors["share"] = [_("The share is a percentage above 0 and at most 100.")]
        return None
    return share.quantize(Decimal("0.01"))


@transaction.atomic
def party_relation_record(
    *,
    actor: User,
    party_a_id: int,
    party_b_id: int,
    kind: str,
    source: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    share: Decimal | str | None = None,
) -> PartyRelation:
    """Record that ``party_a`` is the ``kind`` of ``party_b`` (for a symmetric kind, the two are stored in
    id order). Refused: a party related to itself (``relation.self``), an unknown party
    (``relation.unknown_party``), the same relation twice (``relation.duplicate``), anything else invalid
    (``relation.invalid``)."""
    require_capability(actor, "party.relate")
    if party_a_id is not None and party_a_id == party_b_id:
        raise InvalidInput({"party_b_id": _("A party cannot be related to itself.")}, code="relation.self")
    errors: dict[str, list[str]] = {}
    _check_parties(actor, party_a_id, party_b_id, ("party_a_id", "party_b_id"), errors)
    raise_if(errors, "relation.unknown_party")
    if kind not in RelationKind.values:
        errors["kind"] = [_("Unknown kind of relation.")]
    if not (source or "").strip():
        errors["source"] = [_("Name the source: the registry or agency, or “officer”.")]
    if since and until and until < since:
        errors["until"] = [_("The relation cannot end before it began.")]
    if since and since > today():
        errors["since"] = [_("The date cannot be in the future.")]
    parsed_share = _share(share, kind, errors)
    raise_if(errors, "relation.invalid")
    if kind in SYMMETRIC_RELATIONS and party_a_id > party_b_id:
        party_a_id, party_b_id = party_b_id, party_a_id
    duplicate = Q(party_a_id=party_a_id, party_b_id=party_b_id, kind=kind)
    if PartyRelation.objects.filter(duplicate).exists():
        raise InvalidInput({"kind": _("This relation is already recorded.")}, code="relation.duplicate")
    relation = PartyRelation(
        party_a_id=party_a_id,
        party_b_id=party_b_id,
        kind=kind,
        share=parsed_share,
        source=source.strip(),
        since=since,
        until=until,
        recorded_by=actor,
    )
    relation.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            relation.save()
    except IntegrityError as exc:  # a concurrent recording of the same relation
        raise InvalidInput({"kind": _("This relation is already recorded.")}, code="relation.duplicate") from exc
    audit_record(
        actor=actor,
        action="party.relate",
        obj=relation,
        changes={"party_a": party_a_id, "party_b": party_b_id, "kind": kind, "share": str(parsed_share or "")},
    )
    return relation


@transaction.atomic
def property_transfer_record(
    *,
    actor: User,
    from_party_id: int,
    to_party_id: int,
    description: str,
    category: str,
    value: Decimal | str,
    transferred_on: dt.date,
    source: str,
) -> PropertyTransfer:
    """Record that property passed from one party to another. Refused: the same party on both ends
    (``transfer.same_party``), an unknown party (``transfer.unknown_party``), a value not above zero, a date
    in the future or anything else invalid (``transfer.invalid``)."""
    require_capability(actor, "party.relate")
    if from_party_id is not None and from_party_id == to_party_id:
        raise InvalidInput(
            {"to_party_id": _("Property cannot be transferred to the party it comes from.")}, code="transfer.same_party"
        )
    errors: dict[str, list[str]] = {}
    _check_parties(actor, from_party_id, to_party_id, ("from_party_id", "to_party_id"), errors)
    raise_if(errors, "transfer.unknown_party")
    if not (description or "").strip():
        errors["description"] = [_("Describe the property.")]
    if category not in TransferCategory.values:
        errors["category"] = [_("Unknown category of property.")]
    amount = amount_or_error(value, errors, "value", positive=True)
    if transferred_on is None:
        errors["transferred_on"] = [_("Enter the date of the transfer.")]
    elif transferred_on > today():
        errors["transferred_on"] = [_("The date cannot be in the future.")]
    if not (source or "").strip():
        errors["source"] = [_("Name the source: the registry or agency, or “officer”.")]
    raise_if(errors, "transfer.invalid")
    transfer = PropertyTransfer(
        description=description.strip(),
        category=category,
        value=amount,
        from_party_id=from_party_id,
        to_party_id=to_party_id,
        transferred_on=transferred_on,
        source=source.strip(),
        recorded_by=actor,
    )
    transfer.full_clean(validate_constraints=False)
    transfer.save()
    audit_record(
        actor=actor,
        action="party.transfer",
        obj=transfer,
        changes={"from": from_party_id, "to": to_party_id, "value": str(amount), "on": transferred_on.isoformat()},
    )
    return transfer
