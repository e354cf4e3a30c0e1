"""Builders for the post-termination tracking tests: a 终本 case, dispatching and answering with the on-commit
work run (fan-out on the tracking queue, evaluation), as it runs after real commits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from assets.choices import BatchPurpose, BatchStatus, RequestStatus
from assets.models import AgencyRequest, QueryBatch
from assets.services import batch_fan_out, request_answer, tracking_dispatch_due
from enforcement.choices import Status
from tests.enforcement.builders import case_in

CLOSED_ON = dt.date(2026, 1, 15)


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def terminated_case(court, *, officer=None, debtors=None, closed_on: dt.date = CLOSED_ON, **fields):
    return case_in(
        Status.CLOSED,
        court,
        debtors=debtors,
        officer=officer,
        filing_date=closed_on - dt.timedelta(days=200),
        closing_kind="terminated_this_round",
        closed_on=closed_on,
        **fields,
    )


def deposit(identifier: str = "6222020000000000001", value: str = "52000.00") -> dict:
    return {"identifier": identifier, "value": Decimal(value), "description": "活期", "details": {"bank": "ICBC"}}


def answer_batch(batch: QueryBatch, *, found: dict | None = None, now: dt.datetime | None = None) -> None:
    """Answer every pending request of ``batch``: none found, except ``found[(debtor_id, category)]`` (a list of
    assets)."""
    found = found or {}
    requests = AgencyRequest.objects.filter(batch=batch, status=RequestStatus.PENDING).select_related("agency")
    for request in requests:
        results = []
        for item in request.payload["items"]:
            assets = found.get((item["debtor"], item["category"]), [])
            results.append(
                {
                    "debtor": item["debtor"],
                    "category": item["category"],
                    "outcome": "found" if assets else "none_found",
                    "assets": assets,
                }
            )
        request_answer(agency=request.agency, request_id=request.pk, results=results, now=now)


def dispatch(capture, *, on: dt.date, limit: int | None = None) -> dict:
    """The dispatcher at noon on ``on``, then the fan-out of what it sent at the same moment (the task does
    it right after the commit, at the real time; here the clock is the test's)."""
    with capture() as queued:
        counts = tracking_dispatch_due(now=noon(on), limit=limit)
    assert len(queued) == (1 if counts["dispatched"] else 0)
    for batch in QueryBatch.objects.filter(purpose=BatchPurpose.TRACKING, status=BatchStatus.ORDERED):
        batch_fan_out(batch_id=batch.pk, now=noon(on))
    return counts


def answer(capture, batch: QueryBatch, **kwargs) -> None:
    """Answer the batch, the evaluation run when the answers commit."""
    with capture(execute=True):
        answer_batch(batch, **kwargs)
