"""Recording the cross-case alert of a filing (called by ``case_file`` inside its transaction)."""

from __future__ import annotations

from dataclasses import asdict

from core.audit import audit_record
from core.models import User

from ..alerts import alert_sentence
from ..checks import party_records
from ..models import Case, CaseParty, FilingAlert


def filing_alerts_record(*, actor: User, case: Case, links: list[CaseParty]) -> list[FilingAlert]:
    """Check every party of the newly filed ``case`` against the registered providers (one query each for
    all parties) and record one alert per party with findings. Runs in the filing's transaction, so the
    alert is written with the case or not at all."""
    found = party_records([link.party_id for link in links], case_id=case.pk)
    alerts = []
    for link in links:
        records = found.get(link.party_id)
        if not records:
            continue
        alert = FilingAlert(
            case=case,
            party=link.party,
            role=link.role,
            records=[asdict(record) for record in records],
            message=alert_sentence(role=link.role, name=link.party.name, clauses=[r.message for r in records])[:500],
        )
        alert.full_clean(validate_unique=False, validate_constraints=False)
        alerts.append(alert)
    if alerts:
        FilingAlert.objects.bulk_create(alerts)
        audit_record(
            actor=actor,
            action="case.alert",
            obj=case,
            changes={"parties": [alert.party_id for alert in alerts], "messages": [a.message for a in alerts]},
        )
    return alerts
