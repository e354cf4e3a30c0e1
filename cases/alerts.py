"""The cross-case alert: composing it from the checks' findings, and the cases app's own check.

The sentence is built from the party's role on the case and the providers' clauses, through gettext, so
that it reads "被告某某公司：在3起执行案件中为被执行人，已被列入失信名单" in Chinese.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from .checks import PartyRecord, checked_case_id
from .choices import CaseType, PartyRole
from .models import CaseParty, EffectiveDocument

PENDING_LITIGATION_SOURCE = "cases"
PENDING_LITIGATION_CODE = "defendant_in_pending_litigation"


def alert_sentence(*, role: str, name: str, clauses: list[str]) -> str:
    """ "<role> <name>: <clause>, <clause>" in the active language."""
    return _("%(role)s %(name)s: %(findings)s") % {
        "role": PartyRole(role).label if role in PartyRole.values else role,
        "name": name,
        "findings": _(", ").join(clauses),
    }


def pending_litigation_records(party_ids: list[int]) -> dict[int, list[PartyRecord]]:
    """Parties that are defendants (or respondents to a preservation) in other litigation still pending,
    that is without an effective document yet. One query over the (party, role) index for all parties."""
    effective = EffectiveDocument.objects.filter(case_id=OuterRef("case_id"), effective_on__isnull=False)
    links = CaseParty.objects.filter(
        party_id__in=party_ids,
        role__in=[PartyRole.DEFENDANT, PartyRole.RESPONDENT],
        case__case_type__in=[CaseType.CIVIL_FIRST, CaseType.PRESERVATION_REVIEW],
    ).exclude(Exists(effective))
    current = checked_case_id()
    if current is not None:
        links = links.exclude(case_id=current)
    counts = links.values("party_id").annotate(n=Count("case_id", distinct=True)).order_by()
    return {
        row["party_id"]: [
            PartyRecord(
                source=PENDING_LITIGATION_SOURCE,
                code=PENDING_LITIGATION_CODE,
                count=row["n"],
                message=_("defendant in %(count)d other pending lawsuit(s)") % {"count": row["n"]},
            )
        ]
        for row in counts
        if row["n"]
    }
