"""Reads of bankruptcy, each scoped to what the user may see.

A suggestion is seen by the courts that have a case against its debtor (``Suggestion.courts``); a transfer by
its enforcement court and by the court it was sent to; a bankruptcy case by its court and, read-only, by the
courts whose enforcement cases it suspended or ended (its ``Effect`` rows); a debtor's page by any court with an
enforcement case against it."""

from __future__ import annotations

from django.db.models import Q

from cases.models import Party
from core.access import NOT_FOUND_MESSAGE, get_or_404, scope_to_user, visible_court_ids
from core.exceptions import NotFound
from core.models import User

from .choices import SuggestionStatus, TransferStatus
from .models import BankruptcyCase, Suggestion, Transfer
from .services import debtor_enforcement_cases


def suggestion_list(*, user: User):
    """The open suggestions concerning the user's court, the highest score first."""
    queryset = Suggestion.objects.filter(status=SuggestionStatus.OPEN).select_related("debtor")
    return scope_to_user(queryset, user, court_field="courts").distinct().order_by("-score", "-computed_at", "id")


def suggestion_get(*, user: User, pk: int) -> Suggestion:
    return get_or_404(suggestion_list(user=user), pk=pk)


def _either_court(queryset, user: User, *fields: str):
    court_ids = visible_court_ids(user)
    if court_ids is None:
        return queryset
    if not court_ids:
        return queryset.none()
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__in": court_ids})
    return queryset.filter(condition).distinct()


def transfer_list(*, user: User):
    """Transfers the user's court made or received."""
    queryset = Transfer.objects.select_related("debtor", "court", "receiving_court", "proposed_by")
    return _either_court(queryset, user, "court", "receiving_court")


def transfers_outgoing(*, user: User):
    return scope_to_user(transfer_list(user=user), user, court_field="court")


def transfers_awaiting_decision(*, user: User):
    """Transfers received by the user's court whose 30-day decision (解释 2022 art. 512) is still to be made."""
    return scope_to_user(
        transfer_list(user=user).filter(status=TransferStatus.TRANSFERRED), user, court_field="receiving_court"
    ).order_by("decision_due_on", "pk")


def transfer_get(*, user: User, pk: int) -> Transfer:
    return get_or_404(transfer_list(user=user), pk=pk)


def bankruptcy_case_list(*, user: User):
    """Bankruptcy cases of the user's court, and those that touched one of its enforcement cases."""
    queryset = BankruptcyCase.objects.select_related("case__court", "debtor", "transfer")
    return _either_court(queryset, user, "case__court", "effects__enforcement_case__case__court")


def bankruptcy_case_get(*, user: User, pk: int) -> BankruptcyCase:
    return get_or_404(bankruptcy_case_list(user=user), pk=pk)


def debtor_get(*, user: User, party_id: int) -> Party:
    """The debtor, if the user's court has an enforcement case against it (the same 404 otherwise)."""
    party = Party.objects.filter(pk=party_id).first() if str(party_id).isdigit() else None
    if party is None:
        raise NotFound(str(NOT_FOUND_MESSAGE))
    cases = scope_to_user(debtor_enforcement_cases(party), user, court_field="case__court")
    if not cases.exists():
        raise NotFound(str(NOT_FOUND_MESSAGE))
    return party


def debtor_overview(*, user: User, debtor: Party) -> dict:
    """Every enforcement case against the debtor in every court, with what bankruptcy did to it, and the
    debtor's transfers and bankruptcy cases (``visible`` marks those the user may open)."""
    effects: dict[int, list] = {}
    bankruptcy_cases = list(
        BankruptcyCase.objects.filter(debtor=debtor).select_related("case__court").prefetch_related("effects")
    )
    for bc in bankruptcy_cases:
        for effect in bc.effects.all():
            effects.setdefault(effect.enforcement_case_id, []).append(effect)
    cases = list(
        debtor_enforcement_cases(debtor).select_related("case__court", "officer").order_by("case__court__code", "pk")
    )
    for ec in cases:
        ec.bankruptcy_effects_list = effects.get(ec.pk, [])
    visible_transfers = set(transfer_list(user=user).filter(debtor=debtor).values_list("pk", flat=True))
    transfers = list(
        Transfer.objects.filter(debtor=debtor).select_related("court", "receiving_court").order_by("-proposed_at")
    )
    for transfer in transfers:
        transfer.visible = transfer.pk in visible_transfers
    visible_cases = set(bankruptcy_case_list(user=user).filter(debtor=debtor).values_list("pk", flat=True))
    for bc in bankruptcy_cases:
        bc.visible = bc.pk in visible_cases
    own = visible_court_ids(user)
    return {
        "cases": cases,
        "transfers": transfers,
        "bankruptcy_cases": bankruptcy_cases,
        "own_court_ids": own,
    }
