"""Enforcement's answer to the filing-time checks (``cases.checks``): the open enforcement cases in which a
party is the debtor, registered in ``EnforcementConfig.ready()``."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from cases.checks import PartyRecord, checked_case_id
from cases.choices import PartyRole
from cases.models import CaseParty

from .choices import OPEN_STATUSES


def debtor_in_open_enforcement(party_ids: list[int]) -> dict[int, list[PartyRecord]]:
    """One query for all the parties: ``CaseParty (party, role)`` index, joined to the enforcement status."""
    links = CaseParty.objects.filter(
        party_id__in=party_ids, role=PartyRole.DEBTOR, case__enforcement__status__in=OPEN_STATUSES
    )
    if (own_case := checked_case_id()) is not None:
        links = links.exclude(case_id=own_case)  # a case is never its own cross-case finding
    rows = links.values("party_id").annotate(n=Count("case_id", distinct=True)).order_by()
    return {
        row["party_id"]: [
            PartyRecord(
                source="enforcement",
                code="debtor_in_open_enforcement",
                count=row["n"],
                message=_("is the debtor in %(count)d open enforcement case(s)") % {"count": row["n"]},
            )
        ]
        for row in rows
    }
