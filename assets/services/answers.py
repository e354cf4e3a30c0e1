"""An agency pulling its requests and answering them: ingestion into ``Asset`` rows exactly once.

Exactly-once rests on two unique constraints: ``QueryResult`` (request, debtor, category), so an item already
answered is skipped whole, and ``Asset`` (case, category, agency, identifier), so the same asset reported
again (in a later batch) updates one row instead of adding another.
"""

from __future__ import annotations

import datetime as dt
import operator
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_entry, audit_record_many
from core.bulk import insert_rows
from core.context import client_ip_var, request_id_var
from core.exceptions import ApplicationError, InvalidInput, NotFound, PermissionDenied
from core.models import User
from core.roles import Role

from ..categories import validate_report
from ..choices import AnswerStatus, BatchStatus, RequestStatus, ResultOutcome
from ..models import Agency, AgencyAnswer, AgencyRequest, Asset, QueryBatch, QueryResult
from .tracking import check_still_tracked, tracking_batch_completed

AGENCY_SCOPE = "agency"
# the fields of a reported asset checked against the model's own rules (length; amount in yuan and fen)
ASSET_FIELDS = {name: Asset._meta.get_field(name) for name in ("identifier", "value")}
DESCRIPTION_LENGTH = Asset._meta.get_field("description").max_length
# the columns written when results and new assets are inserted (``core.bulk.insert_rows``)
RESULT_FIELDS = ("request_id", "debtor_id", "category", "outcome", "asset_count", "received_at")
NEW_ASSET_FIELDS = ("case_id", "debtor_id", "category", "agency_id", "identifier", "first_reported_at",
                    "description", "value", "details", "reported_at", "source_request_id")  # fmt: skip


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


@dataclass
class _Answer:
    """One answer on its way in: the agency's, to its request (locked, with its batch and case), its results
    checked by ``_clean_results``, the time it was received and the HTTP request that brought it (for the audit
    entry, written later by a worker). ``receipt`` holds the counts once ingested."""

    agency: Agency
    request: AgencyRequest
    results: list[dict[str, Any]]
    now: dt.datetime
    http_request_id: str | None = None
    ip_address: str | None = None
    receipt: dict[str, int] = field(default_factory=dict)

    @property
    def case_id(self) -> int:
        return self.request.batch.enforcement_case.case_id


def _locked_requests(ids: set[int], **scope) -> dict[int, AgencyRequest]:
    """The requests ``ids`` (within ``scope``), locked in id order (two drains never wait on each other in a
    circle), with their batch and case: their answered items are written by one transaction at a time."""
    return {
        request.pk: request
        for request in AgencyRequest.objects.select_for_update(of=("self",))
        .select_related("batch__enforcement_case")
        .filter(pk__in=ids, **scope)
        .order_by("pk")
    }


def _store_assets(reports: list[tuple[_Answer, int, str, dict]]) -> None:
    """Store the assets reported (``(answer, debtor_id, category, asset)``, in the order received) on their
    cases: new ones inserted in one statement, those reported before updated in one (each locked first), unless
    a newer report already stands (an older one arriving late does not overwrite it). The same asset twice is
    one row, as last reported, kept on the debtor it was first reported for."""
    if not reports:
        return
    # the assets each (case, agency) has already: few, read by the index's leading column (the case); locked in
    # id order, so that two transactions storing assets on one case wait for each other instead of deadlocking
    pairs = {(answer.case_id, answer.agency.pk) for answer, _debtor, _category, _asset in reports}
    where = reduce(operator.or_, (Q(case_id=case, agency_id=agency) for case, agency in sorted(pairs)))
    existing = {
        (row.case_id, row.agency_id, row.category, row.identifier): row
        for row in Asset.objects.select_for_update().filter(where).order_by("pk")
    }
    new: dict[tuple, dict[str, Any]] = {}
    changed: dict[tuple, Asset] = {}
    for answer, debtor_id, category, asset in reports:
        key = (answer.case_id, answer.agency.pk, category, asset["identifier"])
        # cleaned by _clean_asset against the fields' own rules; the keys are ids of rows locked or read above
        report = {
            "description": asset["description"],
            "value": asset["value"],
            "details": asset["details"],
            "reported_at": answer.now,
            "source_request_id": answer.request.pk,
        }
        if key in new:
            new[key].update(report)
            continue
        row = existing.get(key)
        if row is None:
            new[key] = {
                "case_id": answer.case_id,
                "debtor_id": debtor_id,
                "category": category,
                "agency_id": answer.agency.pk,
                "identifier": asset["identifier"],
                "first_reported_at": answer.now,
                **report,
            }
        elif row.reported_at is None or row.reported_at <= answer.now:
            changed[key] = row
            for name, value in report.items():
                setattr(row, name, value)
    insert_rows(Asset, NEW_ASSET_FIELDS, ([row[name] for name in NEW_ASSET_FIELDS] for row in new.values()))
    Asset.objects.bulk_update(
        changed.values(), ["description", "value", "details", "reported_at", "source_request"], batch_size=1000
    )


def _ingest(answers: list[_Answer]) -> None:
    """Ingest ``answers`` (checked; their requests locked by the caller), in the order received, in the
    caller's transaction, at a cost per statement, not per answer: the new results in one insert, the assets in
    one insert and one update, the requests answered in one update, their audit entries in one insert; then each
    batch whose requests have all ended is completed. Items already answered are skipped; each answer's
    ``receipt`` says what it added."""
    answered: dict[int, set[tuple[int, str]]] = defaultdict(set)
    # what is answered already: nothing before a request's first answer (its time is set with its first results)
    asked_before = {a.request.pk for a in answers if a.request.answered_at is not None}
    if asked_before:
        for request_id, debtor_id, category in QueryResult.objects.filter(request_id__in=asked_before).values_list(
            "request_id", "debtor_id", "category"
        ):
            answered[request_id].add((debtor_id, category))
    rows, reports = [], []
    for answer in answers:
        done, added, assets = answered[answer.request.pk], 0, 0
        for result in answer.results:
            key = (result["debtor"], result["category"])
            if key in done:
                continue
            done.add(key)
            added += 1
            assets += len(result["assets"])
            rows.append(
                (answer.request.pk, result["debtor"], result["category"], result["outcome"], len(result["assets"]),
                 answer.now)
            )  # fmt: skip
            reports.extend((answer, result["debtor"], result["category"], asset) for asset in result["assets"])
        answer.receipt = {"results": added, "assets": assets, "skipped": len(answer.results) - added}
    # the requests are locked: no other answer to them is being written, so the new items insert in one go
    insert_rows(QueryResult, RESULT_FIELDS, rows)
    _store_assets(reports)
    updated: dict[int, AgencyRequest] = {}
    entries, complete_batches = [], set()
    for answer in answers:
        if not answer.receipt["results"]:
            continue
        request = answer.request
        complete = len(answered[request.pk]) >= request.item_count
        request.status = RequestStatus.ANSWERED if complete else RequestStatus.PARTIALLY_ANSWERED
        request.answered_at, request.next_attempt_at = answer.now, None
        updated[request.pk] = request
        request.agency = answer.agency  # the row was found by it: named in the audit entry without reading it
        entries.append(
            audit_entry(
                actor=answer.agency.client,
                action="agency_request.answer",
                obj=request,
                changes={
                    "results": answer.receipt["results"],
                    "assets": answer.receipt["assets"],
                    "status": request.status,
                },
                request_id=answer.http_request_id,
                ip_address=answer.ip_address,
            )
        )
        if complete:  # a request still partly unanswered keeps its batch open
            complete_batches.add(request.batch_id)
    if updated:
        AgencyRequest.objects.bulk_update(updated.values(), ["status", "answered_at", "next_attempt_at"])
        audit_record_many(entries)
    for batch_id in sorted(complete_batches):
        complete_batch_if_done(batch_id)


@transaction.atomic
def request_answer(
    *, agency: Agency, request_id: int, results: list[dict[str, Any]], now: dt.datetime | None = None
) -> dict[str, int]:
    """Ingest ``results`` (``{"debtor", "category", "outcome", "assets": [{"identifier", "value",
    "description", "details"}]}``) for the agency's own request ``request_id``, now.

    Items already answered are skipped (an answer sent twice changes nothing); a late answer after time-out
    or failure is accepted. Another agency's request is "not found". Returns counts of what was new.
    """
    request = _locked_requests({request_id}, agency=agency).get(request_id)
    if request is None:
        raise NotFound(_("Not found."))
    check_still_tracked(request.batch)  # the case restored or its five years done: refused, nothing written
    answer = _Answer(agency, request, _clean_results(request, results), now or timezone.now())
    _ingest([answer])
    return answer.receipt


# ---- answers ingested by a worker (``Prefer: respond-async``) ------------------------------------------------


def drain_mark() -> str:
    """The cache key marking a drain queued and not yet started, for this database (sites sharing a Redis do
    not hold back each other's drains)."""
    return f"assets:answers-drain-queued:{connection.settings_dict['NAME']}"


DRAIN_GROUP = 200  # answers ingested in one transaction


@transaction.atomic
def answer_accept(
    *, agency: Agency, request_id: int, results: list[dict[str, Any]], now: dt.datetime | None = None
) -> AgencyAnswer:
    """Receive ``results`` for the agency's own request ``request_id`` for ingestion by a worker: checked in
    full now, as ``request_answer`` checks them (another agency's request is "not found", a tracking batch no
    longer tracked is refused, a bad item is named by its place), and nothing is stored unless all of it holds.
    A worker ingests it with the other answers waiting (``answers_drain``), queued once the answer is committed.
    """
    request = AgencyRequest.objects.select_related("batch").filter(pk=request_id, agency=agency).first()
    if request is None:
        raise NotFound(_("Not found."))
    check_still_tracked(request.batch)
    cleaned = _clean_results(request, results)
    answer = AgencyAnswer.objects.create(
        request=request,
        agency=agency,
        results=cleaned,  # as checked: the drain does not check them again
        item_count=len(results),
        received_at=now or timezone.now(),
        http_request_id=request_id_var.get() or "",
        ip_address=client_ip_var.get() or None,
    )
    # robust: the answer is stored whatever happens to the message (the broker down): the periodic drain takes it
    transaction.on_commit(_queue_drain, robust=True)
    return answer


def _queue_drain() -> None:
    """Queue one drain, unless one is queued and not yet started (it will see this answer: the answer is
    committed before the mark is looked at, and a drain removes the mark before it reads what waits). The mark
    expires, so a lost message delays the answers only until the next one, or the periodic drain."""
    from ..tasks import query_answers_drain  # tasks import services; the task is only looked up here

    if cache.add(drain_mark(), 1, timeout=60):
        try:
            query_answers_drain.delay()
        except Exception:
            cache.delete(drain_mark())  # not queued: the next answer tries again
            raise


def answers_drain(*, seconds: float = 50.0) -> dict[str, int]:
    """Ingest the answers waiting, oldest first, ``DRAIN_GROUP`` at a time in one transaction each, until none
    waits (or ``seconds`` have passed; the rest queue another drain). Drains on several workers share the work
    (each takes answers no other holds). Returns how many were ingested and refused."""
    cache.delete(drain_mark())
    counts = {"ingested": 0, "refused": 0}
    deadline = time.monotonic() + seconds
    while True:
        done = _drain_group()
        if done is None:
            return counts
        for key in counts:
            counts[key] += done[key]
        if time.monotonic() > deadline:
            _queue_drain()
            return counts


def _as_checked(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results as ``answer_accept`` checked and stored them, their amounts ``Decimal`` again (JSON keeps
    them as strings)."""
    for result in results:
        for asset in result["assets"]:
            if asset["value"] is not None:
                asset["value"] = Decimal(asset["value"])
    return results


@transaction.atomic
def _drain_group() -> dict[str, int] | None:
    """One group of waiting answers ingested together (None: nothing waits). An answer to a tracking batch whose
    plan ended after it was received is refused alone, with the rule; the others are ingested."""
    waiting = list(
        AgencyAnswer.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("agency__client")
        .filter(status=AnswerStatus.PENDING)
        .order_by("id")[:DRAIN_GROUP]
    )
    if not waiting:
        return None
    requests = _locked_requests({row.request_id for row in waiting})
    now = timezone.now()
    refusals: dict[int | None, ApplicationError | None] = {}  # by batch: why its answers are refused, if they are
    answers = []
    for row in waiting:
        request = requests[row.request_id]
        if request.batch_id not in refusals:
            try:
                check_still_tracked(request.batch)  # checked when received; the plan may have ended since
                refusals[request.batch_id] = None
            except ApplicationError as exc:
                refusals[request.batch_id] = exc
        if (refusal := refusals[request.batch_id]) is not None:
            row.status, row.ingested_at = AnswerStatus.REFUSED, now
            row.refusal = {"code": refusal.code, "message": str(refusal), **refusal.extra}
            continue
        results = _as_checked(row.results)  # checked in full when received (answer_accept)
        answers.append(
            (row, _Answer(row.agency, request, results, row.received_at, row.http_request_id, row.ip_address))
        )
    _ingest([answer for _row, answer in answers])
    for row, answer in answers:
        row.status, row.ingested_at, row.receipt = AnswerStatus.INGESTED, now, answer.receipt
    AgencyAnswer.objects.bulk_update(waiting, ["status", "ingested_at", "receipt", "refusal"])
    return {"ingested": len(answers), "refused": len(waiting) - len(answers)}


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
