"""Ordering a query batch, fanning it out to the agencies, and timing out unanswered requests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyRole
from cases.models import Party
from core.access import get_visible_or_404, require_capability
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.models import User
from enforcement.choices import Status
from enforcement.models import EnforcementCase

from ..choices import AgencyKind, AgencyScope, AssetCategory, BatchStatus, RequestKind, RequestStatus
from ..models import Agency, AgencyRequest, QueryBatch

# How long an agency has to answer, the first wait before re-issuing, and how many issues in all.
ANSWER_WINDOW = dt.timedelta(seconds=getattr(settings, "ASSETS_ANSWER_WINDOW_SECONDS", 3600))
STALE_AFTER = dt.timedelta(minutes=5)  # an ordered batch not fanned out by then has lost its task
RETRY_BASE_DELAY = dt.timedelta(seconds=getattr(settings, "ASSETS_RETRY_BASE_SECONDS", 600))
MAX_ATTEMPTS = getattr(settings, "ASSETS_MAX_ATTEMPTS", 4)
REFUSED_STATUSES = (Status.CLOSED, Status.SUSPENDED)
DISPOSAL_AGENCY_KINDS = (AgencyKind.INQUIRY_PLATFORM, AgencyKind.VALUER, AgencyKind.AUCTION_PLATFORM)


def _case_debtors(enforcement_case: EnforcementCase):
    return Party.objects.filter(case_links__case_id=enforcement_case.case_id, case_links__role=PartyRole.DEBTOR)


@transaction.atomic
def query_order(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    debtor_ids: list[int] | None = None,
    categories: list[str] | None = None,
) -> QueryBatch:
    """Order a query of the case's debtors (all, or ``debtor_ids``) across ``categories`` (all by default).

    The case must be open and not suspended. The fan-out task is queued when the transaction commits.
    """
    require_capability(actor, "assets.query")
    queryset = EnforcementCase.objects.select_for_update(of=("self",)).select_related("case")
    case = get_visible_or_404(queryset, actor, court_field="case__court", pk=enforcement_case.pk)
    if case.status in REFUSED_STATUSES:
        raise RuleViolation(
            _("Assets are queried only on an open case that is not suspended."), code="query.case_not_open"
        )
    categories = list(dict.fromkeys(categories)) if categories else list(AssetCategory.values)
    unknown = [c for c in categories if c not in AssetCategory.values]
    if unknown:
        raise InvalidInput(
            {"categories": _("Unknown asset categories: %(names)s.") % {"names": ", ".join(map(str, unknown))}},
            code="query.unknown_category",
        )
    debtors = list(_case_debtors(case).order_by("pk"))
    if debtor_ids:
        wanted = set(debtor_ids)
        outsiders = wanted - {d.pk for d in debtors}
        if outsiders:
            raise InvalidInput(
                {"debtor_ids": _("Only debtors of the case (被执行人) are queried.")}, code="query.not_a_debtor"
            )
        debtors = [d for d in debtors if d.pk in wanted]
    if not debtors:
        raise RuleViolation(_("The case has no debtor to query."), code="query.no_debtors")
    batch = QueryBatch(enforcement_case=case, ordered_by=actor, categories=categories)
    batch.full_clean()
    batch.save()
    batch.debtors.set(debtors)
    audit_record(
        actor=actor,
        action="query.order",
        obj=batch,
        changes={"categories": categories, "debtors": [d.pk for d in debtors]},
    )
    from ..tasks import query_fan_out  # tasks import services; the task is only looked up here

    transaction.on_commit(lambda: query_fan_out.delay(batch.pk))
    return batch


def agencies_for(*, court_id: int, categories: list[str]) -> list[Agency]:
    """Active agencies with a client that answer any of ``categories`` and serve the court (national, or
    local serving it). The agency table is small: categories are matched in Python, portable across
    databases."""
    wanted = set(categories)
    candidates = (
        Agency.objects.filter(active=True, client__isnull=False)
        .exclude(kind__in=DISPOSAL_AGENCY_KINDS)  # platforms and valuers price and sell; they are not queried
        .prefetch_related("courts")
        .order_by("code")
    )
    chosen = []
    for agency in candidates:
        if not wanted & set(agency.categories):
            continue
        if agency.scope == AgencyScope.LOCAL and court_id not in {c.pk for c in agency.courts.all()}:
            continue
        chosen.append(agency)
    return chosen


@transaction.atomic
def batch_fan_out(*, batch_id: int, now: dt.datetime | None = None) -> list[AgencyRequest]:
    """Create the batch's requests, one per agency (idempotent: a second run adds none). Locks the batch."""
    now = now or timezone.now()
    batch = QueryBatch.objects.select_for_update().select_related("enforcement_case__case").get(pk=batch_id)
    debtors = list(batch.debtors.order_by("pk"))
    existing = {r.agency_id: r for r in batch.requests.filter(kind=RequestKind.QUERY)}
    created = []
    for agency in agencies_for(court_id=batch.enforcement_case.case.court_id, categories=batch.categories):
        if agency.pk in existing:
            continue
        categories = [c for c in batch.categories if c in agency.categories]
        items = [
            {"debtor": d.pk, "name": d.name, "id_number": d.id_number, "category": c}
            for d in debtors
            for c in categories
        ]
        created.append(
            AgencyRequest(
                batch=batch,
                agency=agency,
                kind=RequestKind.QUERY,
                payload={"case_number": batch.enforcement_case.case.number, "items": items},
                item_count=len(items),
                status=RequestStatus.PENDING,
                created_at=now,
                due_at=now + ANSWER_WINDOW,
            )
        )
    AgencyRequest.objects.bulk_create(created)
    if batch.status == BatchStatus.ORDERED:
        batch.status = BatchStatus.SENT
        batch.sent_at = now
        if not created and not existing:
            batch.status = BatchStatus.COMPLETE  # nobody answers these categories for this court
        batch.save(update_fields=["status", "sent_at"])
        audit_record(
            actor=None,
            action="query.fan_out",
            obj=batch,
            changes={"requests": len(created), "agencies": [r.agency.code for r in created]},
        )
    return created


def batches_stale(*, now: dt.datetime | None = None, limit: int = 500) -> list[tuple[int, str]]:
    """Batches still "ordered" ``STALE_AFTER`` after they were ordered, as ``(id, purpose)``: their fan-out was
    queued on commit but never ran (the broker lost the message: a Redis restart without its append-only file,
    or a publish that failed after its retries). Fanning out is idempotent, so queueing it again is safe."""
    now = now or timezone.now()
    return list(
        QueryBatch.objects.filter(status=BatchStatus.ORDERED, created_at__lte=now - STALE_AFTER)
        .order_by("created_at", "id")
        .values_list("id", "purpose")[:limit]
    )


def backoff_delay(attempts: int) -> dt.timedelta:
    """Wait before re-issuing after the ``attempts``-th issue timed out: base, 2×base, 4×base …"""
    return RETRY_BASE_DELAY * (2 ** max(attempts - 1, 0))


@transaction.atomic
def requests_time_out_due(*, now: dt.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Time out waiting requests past ``due_at`` (re-issue later with backoff, or fail at the cap), and
    re-issue timed-out requests whose ``next_attempt_at`` has come. Reads only what is due (indexed)."""
    now = now or timezone.now()
    counts = {"timed_out": 0, "failed": 0, "reissued": 0}
    overdue = AgencyRequest.objects.select_for_update(skip_locked=True).filter(
        status__in=(RequestStatus.PENDING, RequestStatus.PARTIALLY_ANSWERED), due_at__lte=now
    )
    ended_batches: set[int] = set()
    for request in overdue.order_by("due_at")[:limit]:
        if request.attempts >= MAX_ATTEMPTS:
            request.status, request.next_attempt_at = RequestStatus.FAILED, None
            counts["failed"] += 1
            if request.batch_id:
                ended_batches.add(request.batch_id)
        else:
            request.status, request.next_attempt_at = RequestStatus.TIMED_OUT, now + backoff_delay(request.attempts)
            counts["timed_out"] += 1
        request.save(update_fields=["status", "next_attempt_at"])
        audit_record(actor=None, action=f"agency_request.{request.status}", obj=request)
    if ended_batches:
        # A batch whose last open request has just failed is complete (a tracking batch is then evaluated).
        from .answers import complete_batch_if_done  # answers → tracking → queries: imported when needed

        for batch_id in sorted(ended_batches):
            complete_batch_if_done(batch_id)
    retry = AgencyRequest.objects.select_for_update(skip_locked=True).filter(
        status=RequestStatus.TIMED_OUT, next_attempt_at__lte=now
    )
    for request in retry.order_by("next_attempt_at")[:limit]:
        request.status = RequestStatus.PENDING
        request.attempts += 1
        request.next_attempt_at = None
        request.delivered_at = None
        request.due_at = now + ANSWER_WINDOW
        request.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at", "due_at"])
        audit_record(actor=None, action="agency_request.reissue", obj=request, changes={"attempts": request.attempts})
        counts["reissued"] += 1
    return counts
