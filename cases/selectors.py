"""Reads for 立 and 审, each scoped to what the user may see."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch

from core.access import get_visible_or_404, require_capability, scope_to_user, visible_court_ids
from core.audit import audit_record
from core.models import User

from .models import Case, CaseParty, Party


def _party_links():
    return Prefetch("party_links", queryset=CaseParty.objects.select_related("party").order_by("position", "id"))


def case_list(*, user: User, filters: dict | None = None) -> models.QuerySet[Case]:
    """The cases of the user's court, with court and parties loaded (two queries per page, whatever its size)."""
    from .filters import CaseFilter

    require_capability(user, "case.view")
    queryset = scope_to_user(Case.objects.select_related("court").prefetch_related(_party_links()), user)
    if filters is not None:
        queryset = CaseFilter(filters, queryset=queryset).qs
    return queryset


def case_get(*, user: User, case_id: int) -> Case:
    """One case; ``NotFound`` alike whether it is missing or at another court."""
    require_capability(user, "case.view")
    queryset = Case.objects.select_related("court", "created_by").prefetch_related(_party_links())
    return get_visible_or_404(queryset, user, pk=case_id)


def party_list(*, user: User) -> models.QuerySet[Party]:
    """Parties on at least one case of the user's court."""
    require_capability(user, "party.view")
    court_ids = visible_court_ids(user)
    if court_ids is None:
        return Party.objects.all()
    on_visible_cases = CaseParty.objects.filter(case__court_id__in=court_ids).values("party_id")
    return Party.objects.filter(pk__in=on_visible_cases)


def party_get_personal(*, user: User, party_id: int, purpose: str = "") -> Party:
    """A party's full personal details for staff. Every such read is written to the audit log."""
    require_capability(user, "party.view_personal")
    try:
        party = party_list(user=user).get(pk=party_id)
    except (Party.DoesNotExist, ValueError, TypeError) as exc:
        from core.access import NOT_FOUND_MESSAGE
        from core.exceptions import NotFound

        raise NotFound(str(NOT_FOUND_MESSAGE)) from exc
    audit_record(actor=user, action="party.read_personal", obj=party, reason=purpose)
    return party


def party_cases(*, user: User, party: Party) -> models.QuerySet[CaseParty]:
    """The visible cases a party is on, with its role in each."""
    return scope_to_user(
        CaseParty.objects.filter(party=party).select_related("case", "case__court"), user, court_field="case__court"
    ).order_by("-case__filing_date")
