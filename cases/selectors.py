"""Reads for 立 and 审, each scoped to what the user may see."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch

from core.access import get_or_404, get_visible_or_404, require_capability, scope_to_user, visible_court_ids
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
    party = get_or_404(party_list(user=user), pk=party_id)
    audit_record(actor=user, action="party.read_personal", obj=party, reason=purpose)
    return party


def party_cases(*, user: User, party: Party) -> models.QuerySet[CaseParty]:
    """The visible cases a party is on, with its role in each."""
    return scope_to_user(
        CaseParty.objects.filter(party=party).select_related("case", "case__court"), user, court_field="case__court"
    ).order_by("-case__filing_date")


# ---- the trial, documents, preservation, alerts -------------------------------------------------------------


def case_trial_events(*, case: Case) -> models.QuerySet:
    from .models import TrialEvent

    return TrialEvent.objects.filter(case=case).select_related("recorded_by").order_by("at", "id")


def case_documents(*, case: Case) -> models.QuerySet:
    from .models import EffectiveDocument

    return (
        EffectiveDocument.objects.filter(case=case)
        .prefetch_related("instalments", "obligees", "obligors")
        .order_by("issued_on", "id")
    )


def case_preservations(*, case: Case) -> models.QuerySet:
    from .models import PreservationApplication, PreservationMeasure

    return (
        PreservationApplication.objects.filter(case=case)
        .select_related("applicant", "respondent", "decided_by")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=PreservationMeasure.objects.select_related("carried_into").order_by("expires_on", "id"),
            )
        )
        .order_by("applied_on", "id")
    )


def case_alerts(*, case: Case) -> models.QuerySet:
    from .models import FilingAlert

    return FilingAlert.objects.filter(case=case).select_related("party").order_by("id")


def case_current_findings(*, case: Case) -> list[dict]:
    """The filing checks run again now, for every party of the case (one query per provider)."""
    from .alerts import alert_sentence
    from .checks import party_records

    links = list(case.party_links.all())
    found = party_records([link.party_id for link in links], case_id=case.pk)
    return [
        {
            "party": link.party,
            "role": link.role,
            "records": found[link.party_id],
            "sentence": alert_sentence(
                role=link.role, name=link.party.name, clauses=[r.message for r in found[link.party_id]]
            ),
        }
        for link in links
        if found.get(link.party_id)
    ]


def case_notice_decisions(*, case: Case) -> models.QuerySet:
    from .models import PreservationNoticeDecision

    return PreservationNoticeDecision.objects.filter(case=case).select_related("party", "decided_by")


def case_recommendations(*, case: Case) -> list:
    """The preservation-notice recommendation for each defendant of a first-instance case not decided yet."""
    from .choices import CaseType, PartyRole
    from .recommendation import recommend

    if case.case_type != CaseType.CIVIL_FIRST:
        return []
    decided = set(case_notice_decisions(case=case).values_list("party_id", flat=True))
    return [
        (link.party, recommend(case=case, party=link.party))
        for link in case.party_links.all()
        if link.role == PartyRole.DEFENDANT and link.party_id not in decided
    ]


def _get_in_court(queryset, user: User, court_field: str, pk):
    return get_visible_or_404(queryset, user, court_field=court_field, pk=pk)


def document_get(*, user: User, document_id: int):
    from .models import EffectiveDocument

    require_capability(user, "case.view")
    queryset = EffectiveDocument.objects.select_related("case", "case__court")
    return _get_in_court(queryset, user, "case__court", document_id)


def preservation_get(*, user: User, application_id: int):
    from .models import PreservationApplication

    require_capability(user, "case.view")
    queryset = PreservationApplication.objects.select_related("case", "case__court", "applicant", "respondent")
    return _get_in_court(queryset, user, "case__court", application_id)


def notice_decision_get(*, user: User, decision_id: int):
    from .models import PreservationNoticeDecision

    require_capability(user, "case.view")
    queryset = PreservationNoticeDecision.objects.select_related("case", "case__court", "party")
    return _get_in_court(queryset, user, "case__court", decision_id)


# ---- relations between parties, hidden-asset clues ----------------------------------------------------------


def party_get(*, user: User, party_id: int) -> Party:
    """A party on a case of the user's court; ``NotFound`` alike when missing or seen only elsewhere."""
    return get_or_404(party_list(user=user), pk=party_id)


def party_by_identifier(*, id_number: str) -> Party | None:
    """The registered party with this identifier (parties are registered once for the whole system)."""
    return Party.objects.filter(id_number=(id_number or "").strip().upper()).first()


def party_relations(*, user: User, party_id: int) -> list[dict]:
    """Every direct relation of a visible party: recorded ones and shared addresses or phones (derived)."""
    from .relations import relation_graph

    party = party_get(user=user, party_id=party_id)
    graph = relation_graph(party_ids=[party.pk], depth=1)
    rows = []
    for other in sorted(graph.neighbors(party.pk)):
        for relation in graph[party.pk][other]["relations"]:
            rows.append(
                {
                    "party_id": other,
                    "name": graph.nodes[other].get("name", ""),
                    "kind": relation.kind,
                    "direction": "outgoing" if relation.source_id == party.pk else "incoming",
                    "share": relation.share,
                    "source": relation.origin,
                    "derived": relation.relation_id is None,
                    "label": str(relation.label),
                }
            )
    return rows


def case_clues(*, case: Case):
    """The hidden-asset clue report of a case (``cases.clues.clue_report``)."""
    from .clues import clue_report

    return clue_report(case=case)
