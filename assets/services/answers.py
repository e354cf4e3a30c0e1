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
# the fields of a reported asset checked against the model's own rules (length; amount in yuan and fen)
ASSET_FIELDS = {name: Asset._meta.get_field(name) for name in ("identifier", "value")}
DESCRIPTION_LENGTH = Asset._meta.get_field("description").max_length


def agency_of(user: User) -> Agency:
    """The agency ``user`` answers for; ``PermissionDenied`` for anyone else."""
    agency = (
        Agency.objects.select_related("client").filter(client=user, active=True).first()
        if user.role == Role.AGENCY
        else None
    )
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
    """Check every result against the request's items and its category's rules before anything is written: each
    asset's identifier and details by its category (``validate_report``), its identifier and value by the
    ``Asset`` fields they are stored in (length; amount in yuan and fen), so that a bad item is named by its place
    in the answer and nothing of the answer is written."""
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
                items.append(_clean_asset(result["category"], asset))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors[f"results.{i}.assets.{j}.{field}"] = messages
        cleaned.append({**result, "assets": items})
    if errors:
        raise InvalidInput(errors, code="answer.invalid")
    return cleaned


def _clean_asset(category: str, asset: dict[str, Any]) -> dict[str, Any]:
    """One reported asset as it is stored, or ``ValidationError`` keyed by its fields: identifier and details by
    the category's rules, then identifier and value by the ``Asset`` fields that hold them."""
    identifier, details = validate_report(
        category, identifier=asset.get("identifier"), value=asset.get("value"), details=asset.get("details", {})
    )
    stored = {"details": details, "description": str(asset.get("description") or "")[:DESCRIPTION_LENGTH]}
    errors = {}
    for name, raw in (("identifier", identifier), ("value", asset.get("value"))):
        try:
            stored[name] = ASSET_FIELDS[name].clean(raw, None)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return stored


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
            case_id=case_id,
            agency_id=request.agency_id,
            identifier__in={asset["identifier"] for _d, _c, asset in reports},
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
                agency_id=request.agency_id,
                identifier=asset["identifier"],
                first_reported_at=now,
            )
        elif row.reported_at is not None and row.reported_at > now:
            continue
        elif key not in new:
            changed[key] = row
        # cleaned by _clean_asset against the fields' own rules; the keys are ids of rows locked or read above
        row.description, row.value, row.details = asset["description"], asset["value"], asset["details"]
        row.reported_at, row.source_request_id = now, request.pk
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
        .select_related("batch__enforcement_case")
        .filter(pk=request_id, agency=agency)
        .first()
    )
    if request is None:
        raise NotFound(_("Not found."))
    request.agency = agency  # the row was found by it: named in the audit entry without reading it again
    check_still_tracked(request.batch)  # the case restored or its five years done: refused, nothing written
    cleaned = _clean_results(request, results)
    # what is answered already: nothing before the first answer (its time is set with the first results stored)
    answered = (
        set(QueryResult.objects.filter(request=request).values_list("debtor_id", "category"))
        if request.answered_at is not None
        else set()
    )
    rows, reports = [], []
    for result in cleaned:
        key = (result["debtor"], result["category"])
        if key in answered:
            continue
        answered.add(key)
        rows.append(
            QueryResult(
                request_id=request.pk,
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
        if complete:  # a request still partly unanswered keeps its batch open
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
