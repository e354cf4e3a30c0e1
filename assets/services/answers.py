"""An agency pulling its requests and answering them: ingestion into ``Asset`` rows exactly once.

Exactly-once rests on two unique constraints: ``QueryResult`` (request, debtor, category), so an item already
answered is skipped whole, and ``Asset`` (case, category, agency, identifier), so the same asset reported
again (in a later batch) updates one row instead of adding another.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.exceptions import InvalidInput, NotFound, PermissionDenied
from core.models import User
from core.roles import Role

from ..categories import validate_report
from ..choices import BatchStatus, RequestStatus, ResultOutcome
from ..models import Agency, AgencyRequest, Asset, QueryBatch, QueryResult
from .tracking import check_still_tracked, tracking_batch_completed

AGENCY_SCOPE = "agency"
RELATIONS = ["case", "debtor", "agency", "source_request"]  # an asset's foreign keys, set from locked rows


def agency_of(user: User) -> Agency:
    """The agency ``user`` answers for; ``PermissionDenied`` for anyone else."""
    agency = Agency.objects.filter(client=user, active=True).first() if user.role == Role.AGENCY else None
    if agency is None:
        raise PermissionDenied(_("Only an agency's API client may do this."), code="agency.not_a_client")
    return agency


@transaction.atomic
def requests_deliver(*, agency: Agency, requests: list[AgencyRequest], now: dt.datetime | None = None) -> int:
    """Mark ``requests`` (the agency's own) as delivered now, if not yet delivered."""
    now = now or timezone.now()
    ids = [r.pk for r in requests if r.agency_id == agency.pk and r.delivered_at is None]
    if not ids:
        return 0
    count = AgencyRequest.objects.filter(pk__in=ids, delivered_at__isnull=True).update(delivered_at=now)
    for request in requests:
        if request.pk in ids:
            request.delivered_at = now
    return count


def _clean_results(request: AgencyRequest, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check every result against the request's items and its category's rules before anything is written."""
    expected = {(item["debtor"], item["category"]) for item in request.payload.get("items", [])}
    cleaned, errors = [], {}
    for i, result in enumerate(results):
        key = (result["debtor"], result["category"])
        if key not in expected:
            errors[f"results.{i}"] = [_("This debtor and category were not asked of you in this request.")]
            continue
        assets = result.get("assets") or []
        if result["outcome"] == ResultOutcome.FOUND and not assets:
            errors[f"results.{i}.assets"] = [_("A found result lists the assets found.")]
        if result["outcome"] == ResultOutcome.NONE_FOUND and assets:
            errors[f"results.{i}.assets"] = [_("A none-found result lists no assets.")]
        items = []
        for j, asset in enumerate(assets):
            try:
                identifier, details = validate_report(
                    result["category"],
                    identifier=asset.get("identifier"),
                    value=asset.get("value"),
                    details=asset.get("details", {}),
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors[f"results.{i}.assets.{j}.{field}"] = messages
                continue
            items.append({**asset, "identifier": identifier, "details": details})
        cleaned.append({**result, "assets": items})
    if errors:
        raise InvalidInput(errors, code="answer.invalid")
    return cleaned


def _store_assets(*, request: AgencyRequest, reports: list[tuple[int, str, dict]], now: dt.datetime) -> None:
    """Store the assets reported (``(debtor_id, category, asset)``) on the request's case: new ones inserted in
    one statement, those reported before updated in one (each locked first), unless a newer report already
    stands (an older one arriving late does not overwrite it). The same asset twice in one answer is one row,
    as last reported, kept on the debtor it was first reported for."""
    if not reports:
        return
    case_id = request.batch.enforcement_case.case_id
    existing = {
        (row.category, row.identifier): row
        for row in Asset.objects.select_for_update().filter(
            case_id=case_id, agency=request.agency, identifier__in={asset["identifier"] for _d, _c, asset in reports}
        )
    }
    new: dict[tuple[str, str], Asset] = {}
    changed: dict[tuple[str, str], Asset] = {}
    for debtor_id, category, asset in reports:
        key = (category, asset["identifier"])
        row = new.get(key) or existing.get(key)
        if row is None:
            row = new[key] = Asset(
                case_id=case_id,
                debtor_id=debtor_id,
                category=category,
                agency=request.agency,
                identifier=asset["identifier"],
                first_reported_at=now,
            )
        elif row.reported_at is not None and row.reported_at > now:
            continue
        elif key not in new:
            changed[key] = row
        row.description = asset.get("description", "")[:200]
        row.value = asset.get("value")
        row.details = asset["details"]
        row.reported_at = now
        row.source_request = request
    for row in (*new.values(), *changed.values()):
        # the field rules (lengths, choices, value); the foreign keys point at the rows locked above, so their
        # existence is not asked of the database again, once per asset and key
        row.full_clean(exclude=RELATIONS, validate_constraints=False, validate_unique=False)
    Asset.objects.bulk_create(new.values(), batch_size=1000)
    Asset.objects.bulk_update(
        changed.values(), ["description", "value", "details", "reported_at", "source_request"], batch_size=1000
    )


@transaction.atomic
def request_answer(
    *, agency: Agency, request_id: int, results: list[dict[str, Any]], now: dt.datetime | None = None
) -> dict[str, int]:
    """Ingest ``results`` (``{"debtor", "category", "outcome", "assets": [{"identifier", "value",
    "description", "details"}]}``) for the agency's own request ``request_id``.

    Items already answered are skipped (an answer sent twice changes nothing); a late answer after time-out
    or failure is accepted. Another agency's request is "not found". Returns counts of what was new.
    """
    now = now or timezone.now()
    request = (
        AgencyRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "batch__enforcement_case")
        .filter(pk=request_id, agency=agency)
        .first()
    )
    if request is None:
        raise NotFound(_("Not found."))
    check_still_tracked(request.batch)  # the case restored or its five years done: refused, nothing written
    cleaned = _clean_results(request, results)
    answered = set(QueryResult.objects.filter(request=request).values_list("debtor_id", "category"))
    rows, reports = [], []
    for result in cleaned:
        key = (result["debtor"], result["category"])
        if key in answered:
            continue
        answered.add(key)
        rows.append(
            QueryResult(
                request=request,
                debtor_id=result["debtor"],
                category=result["category"],
                outcome=result["outcome"],
                asset_count=len(result["assets"]),
                received_at=now,
            )
        )
        reports.extend((result["debtor"], result["category"], asset) for asset in result["assets"])
    # the request row is locked: no other answer to it is being written, so the new items insert in one go
    QueryResult.objects.bulk_create(rows, batch_size=1000)
    _store_assets(request=request, reports=reports, now=now)
    new_results, new_assets = len(rows), len(reports)
    if new_results:
        complete = len(answered) >= request.item_count
        request.status = RequestStatus.ANSWERED if complete else RequestStatus.PARTIALLY_ANSWERED
        request.answered_at = now
        request.next_attempt_at = None
        request.save(update_fields=["status", "answered_at", "next_attempt_at"])
        audit_record(
            actor=agency.client,
            action="agency_request.answer",
            obj=request,
            changes={"results": new_results, "assets": new_assets, "status": request.status},
        )
        complete_batch_if_done(request.batch_id)
    return {"results": new_results, "assets": new_assets, "skipped": len(cleaned) - new_results}


def complete_batch_if_done(batch_id: int) -> bool:
    """Complete the batch once every request of it has ended (answered, or failed at the attempts cap); a
    tracking batch then has its evaluation queued on commit. True if this call completed it.

    Call inside the transaction that ended a request. The batch row is locked first, so that two agencies
    answering the last two requests at once are serialised: the second sees the first's answer committed
    (each statement reads what is committed when it starts) and completes the batch."""
    QueryBatch.objects.select_for_update().filter(pk=batch_id).first()
    waiting = AgencyRequest.objects.filter(batch_id=batch_id).exclude(
        status__in=(RequestStatus.ANSWERED, RequestStatus.FAILED)
    )
    if waiting.exists():
        return False
    completed = QueryBatch.objects.filter(pk=batch_id, status=BatchStatus.SENT).update(status=BatchStatus.COMPLETE)
    if completed:
        tracking_batch_completed(batch_id)
    return bool(completed)
