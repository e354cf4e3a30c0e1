"""Post-termination tracking (终本后跟踪, 终本规定 2016 art. 9; issue 5 items 4–5).

For five years after a case is closed as 终结本次执行程序 (终本), a network query over every category runs for
its debtors every six months and the applicant is told each result; new property alerts the officer, who can
restore the case (恢复执行) in one step; two or more empty queries with no lead from the applicant flag the
debtor's dishonest entry for deletion (失信规定 art. 10(4)).

The schedule. Run *k* (1–10) is due on ``add_months(starts_on, 6·k)``: run 10 falls on ``ends_on`` (5 years).
``next_due_on`` always holds the next thing the dispatcher must do for an active plan:

- before run *k* is sent, the due date of run *k*;
- after run 10 is sent, the *final check* ``add_months(ends_on, 6)``. The plan stays active so that the
  agencies' answers to run 10 are still accepted; the evaluation of run 10 ends the plan (status *ended*,
  ``next_due_on`` None). Should the answers never complete (they do: every request is answered or fails at
  the attempts cap), the dispatcher ends the plan at the final check without sending anything.

So an active plan always has a due date (the model's constraint), and exactly 10 queries are sent in five
years, then none.

Scale. The dispatcher reads only what is due through the partial index ``tracking_due_idx`` (active plans by
``next_due_on, id``), at most ``ZHIXING_TRACKING_BATCH_LIMIT`` plans per run (a bounded window of candidates
is scanned for plans whose agencies still have quota), with ``SKIP LOCKED`` so that two dispatchers never send
the same plan. Each agency takes at most its daily quota of tracking requests (``Agency.tracking_daily_quota``
or ``ZHIXING_TRACKING_DAILY_QUOTA``); a plan whose agencies have none left keeps its due date and goes in a
later run, so 100,000 cases due on one day spread over days. Tracking batches are fanned out on the
``tracking`` queue, apart from the officers' interactive queries.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.choices import PartyRole
from cases.models import CaseParty
from core.audit import audit_record
from core.exceptions import RuleViolation
from core.identifiers import mask_identifier
from core.money import format_yuan
from enforcement.choices import ClosingKind, Status
from enforcement.deadlines import add_months
from enforcement.models import EnforcementCase

from ..choices import (
    LIVE_CONTROL_STATUSES,
    PROPERTY_CATEGORIES,
    AssetCategory,
    BatchPurpose,
    BatchStatus,
    TrackingOutcome,
    TrackingStatus,
)
from ..models import Agency, AgencyRequest, Asset, ControlMeasure, QueryBatch, TrackingPlan, TrackingRun
from ..progress import tracking_runs_started
from .queries import agencies_for

logger = logging.getLogger(__name__)

RUNS = 10  # one query every 6 months for 5 years
INTERVAL_MONTHS = 6
TRACKED_MONTHS = RUNS * INTERVAL_MONTHS
FINAL_CHECK_MONTHS = 6  # after run 10 is sent: when the dispatcher ends a plan whose last answers never came
SCAN_FACTOR = 4  # due plans looked at per run, per plan that may be sent (those waiting for quota are skipped)
EMPTY_RUNS_FOR_DELISTING = 2  # 失信规定 art. 10(4): "two or more" empty online queries
ALL_CATEGORIES = list(AssetCategory.values)


def run_due_on(starts_on: dt.date, number: int) -> dt.date:
    """The day run ``number`` (1–10) of a plan starting on ``starts_on`` is due."""
    return add_months(starts_on, INTERVAL_MONTHS * number)


def is_terminated_this_round(enforcement_case: EnforcementCase) -> bool:
    return (
        enforcement_case.status == Status.CLOSED and enforcement_case.closing_kind == ClosingKind.TERMINATED_THIS_ROUND
    )


def _not_terminated() -> RuleViolation:
    return RuleViolation(
        _(
            "Only a case closed as 终结本次执行程序 (终本) is tracked after termination "
            "(终本规定 2016 art. 9): this case is not."
        ),
        code="tracking.not_terminated",
    )


def not_tracked() -> RuleViolation:
    return RuleViolation(
        _(
            "The case is no longer tracked (restored / five years done): a tracking answer for it is refused "
            "(终本规定 2016 art. 9)."
        ),
        code="tracking.not_tracked",
    )


# ---- start ----------------------------------------------------------------------------------------------------


@transaction.atomic
def tracking_start(*, enforcement_case: EnforcementCase, on: dt.date | None = None) -> TrackingPlan:
    """Start tracking a 终本 case from ``on`` (its closing day by default): 10 runs, every 6 months, for 5 years.

    Idempotent: a case has one plan; starting it again returns the plan as it is. Refused (rule named) for a
    case that is not closed as 终本. Locks the enforcement case."""
    case = EnforcementCase.objects.select_for_update(of=("self",)).select_related("case").get(pk=enforcement_case.pk)
    existing = TrackingPlan.objects.filter(enforcement_case=case).first()
    if existing is not None:
        return existing
    if not is_terminated_this_round(case):
        raise _not_terminated()
    starts_on = on or case.closed_on or timezone.localdate()
    plan = TrackingPlan(
        enforcement_case=case,
        starts_on=starts_on,
        ends_on=add_months(starts_on, TRACKED_MONTHS),
        next_due_on=run_due_on(starts_on, 1),
    )
    plan.full_clean(validate_constraints=False)
    plan.save()
    audit_record(
        actor=None,
        action="tracking.start",
        obj=plan,
        changes={"starts_on": str(plan.starts_on), "ends_on": str(plan.ends_on), "next_due_on": str(plan.next_due_on)},
    )
    return plan


# ---- dispatch -------------------------------------------------------------------------------------------------


def _day_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    today = timezone.localdate(now)
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return start, start + dt.timedelta(days=1)


class QuotaBook:
    """What each agency may still take today. Counts today's requests of tracking batches per agency (index
    ``agreq_agency_created_idx``), plus today's tracking batches not fanned out yet (each will ask every
    agency serving its court). Agencies are looked up once per court."""

    def __init__(self, *, now: dt.datetime, court_ids: set[int]) -> None:
        self.default = settings.ZHIXING_TRACKING_DAILY_QUOTA
        self._agencies: dict[int, list[Agency]] = {
            court_id: agencies_for(court_id=court_id, categories=ALL_CATEGORIES) for court_id in sorted(court_ids)
        }
        agency_ids = {a.pk for agencies in self._agencies.values() for a in agencies}
        start, end = _day_bounds(now)
        self.used: Counter[int] = Counter(
            dict(
                AgencyRequest.objects.filter(
                    agency_id__in=agency_ids,
                    created_at__gte=start,
                    created_at__lt=end,
                    batch__purpose=BatchPurpose.TRACKING,
                )
                .values("agency_id")
                .annotate(n=Count("id"))
                .values_list("agency_id", "n")
            )
        )
        unsent = (
            QueryBatch.objects.filter(
                purpose=BatchPurpose.TRACKING, status=BatchStatus.ORDERED, created_at__gte=start, created_at__lt=end
            )
            .values("enforcement_case__case__court_id")
            .annotate(n=Count("id"))
            .values_list("enforcement_case__case__court_id", "n")
        )
        for court_id, n in unsent:
            for agency in self.agencies(court_id):
                self.used[agency.pk] += n

    def agencies(self, court_id: int) -> list[Agency]:
        if court_id not in self._agencies:
            self._agencies[court_id] = agencies_for(court_id=court_id, categories=ALL_CATEGORIES)
        return self._agencies[court_id]

    def quota(self, agency: Agency) -> int:
        return agency.tracking_daily_quota if agency.tracking_daily_quota is not None else self.default

    def take(self, court_id: int) -> bool:
        """Reserve one request at every agency serving the court, if each has one left today. No agency serving
        the court: nothing can be asked, so nothing is taken (the plan waits; an empty batch is no query)."""
        agencies = self.agencies(court_id)
        if not agencies or any(self.used[a.pk] >= self.quota(a) for a in agencies):
            return False
        for agency in agencies:
            self.used[agency.pk] += 1
        return True


def _end(plan: TrackingPlan, *, status: str, reason: str, now: dt.datetime) -> None:
    plan.status, plan.next_due_on, plan.ended_at, plan.end_reason = status, None, now, reason[:200]
    plan.save(update_fields=["status", "next_due_on", "ended_at", "end_reason"])
    audit_record(actor=None, action=f"tracking.{status}", obj=plan, reason=plan.end_reason)


def due_plans(*, today: dt.date, limit: int):
    """The dispatcher's select: active plans due by ``today``, oldest due first, locked (skipping plans another
    dispatcher holds). Reads the partial index ``tracking_due_idx`` only."""
    return (
        TrackingPlan.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("enforcement_case__case")
        .filter(status=TrackingStatus.ACTIVE, next_due_on__lte=today)
        .order_by("next_due_on", "id")[:limit]
    )


@transaction.atomic
def tracking_dispatch_due(*, now: dt.datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """The periodic job: send the tracking queries that are due.

    For each due plan (at most ``limit``, default ``ZHIXING_TRACKING_BATCH_LIMIT``) whose agencies all have
    quota left today: a tracking ``QueryBatch`` over every category and every debtor of the case (the case is
    closed, so not through ``query_order``), its ``TrackingRun``, and the plan moved on to its next due date;
    the fan-out is queued on the ``tracking`` queue when the transaction commits. A plan past its final check
    ends; a plan whose case is no longer 终本 stops. Returns counts.

    Cost: a bounded number of queries for the selection and the quotas, then a fixed number of bulk writes
    and one audit row per plan sent; nothing is read for plans that are not due."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    limit = limit or settings.ZHIXING_TRACKING_BATCH_LIMIT
    counts = {"dispatched": 0, "waiting_for_quota": 0, "ended": 0, "stopped": 0}
    candidates = list(due_plans(today=today, limit=limit * SCAN_FACTOR))
    if not candidates:
        return counts
    chosen: list[TrackingPlan] = []
    to_send: list[TrackingPlan] = []
    for plan in candidates:
        if plan.runs_done >= RUNS:
            _end(plan, status=TrackingStatus.ENDED, reason=_("Five years done (tracking ended)."), now=now)
            counts["ended"] += 1
        elif not is_terminated_this_round(plan.enforcement_case):
            _end(plan, status=TrackingStatus.STOPPED, reason=_("The case is no longer 终本."), now=now)
            counts["stopped"] += 1
        else:
            to_send.append(plan)
    if not to_send:
        return counts
    quotas = QuotaBook(now=now, court_ids={p.enforcement_case.case.court_id for p in to_send})
    for plan in to_send:
        if len(chosen) >= limit:
            break
        if quotas.take(plan.enforcement_case.case.court_id):
            chosen.append(plan)
        else:
            counts["waiting_for_quota"] += 1
    if not chosen:
        return counts

    debtors: dict[int, list[int]] = {}
    for case_id, party_id in (
        CaseParty.objects.filter(case_id__in=[p.enforcement_case.case_id for p in chosen], role=PartyRole.DEBTOR)
        .order_by("case_id", "position", "id")
        .values_list("case_id", "party_id")
    ):
        debtors.setdefault(case_id, []).append(party_id)
    batches = []
    for plan in chosen:
        batch = QueryBatch(
            enforcement_case=plan.enforcement_case,
            ordered_by=None,
            categories=ALL_CATEGORIES,
            purpose=BatchPurpose.TRACKING,
            created_at=now,
        )
        batch.full_clean(exclude=["enforcement_case", "ordered_by"], validate_unique=False, validate_constraints=False)
        batches.append(batch)
    batches = QueryBatch.objects.bulk_create(batches)
    Through = QueryBatch.debtors.through
    Through.objects.bulk_create(
        [
            Through(querybatch_id=batch.pk, party_id=party_id)
            for plan, batch in zip(chosen, batches, strict=True)
            for party_id in debtors.get(plan.enforcement_case.case_id, [])
        ]
    )
    runs = []
    for plan, batch in zip(chosen, batches, strict=True):
        number = plan.runs_done + 1
        runs.append(
            TrackingRun(
                plan=plan, number=number, due_on=run_due_on(plan.starts_on, number), batch=batch, dispatched_at=now
            )
        )
        plan.runs_done = number
        plan.next_due_on = (
            run_due_on(plan.starts_on, number + 1) if number < RUNS else add_months(plan.ends_on, FINAL_CHECK_MONTHS)
        )
    TrackingRun.objects.bulk_create(runs)
    tracking_runs_started(runs)
    TrackingPlan.objects.bulk_update(chosen, ["runs_done", "next_due_on"])
    for plan, run in zip(chosen, runs, strict=True):
        audit_record(
            actor=None,
            action="tracking.dispatch",
            obj=plan,
            changes={
                "run": run.number,
                "due_on": str(run.due_on),
                "batch": run.batch.pk,
                "next_due_on": str(plan.next_due_on),
            },
        )
    counts["dispatched"] = len(chosen)
    batch_ids = [b.pk for b in batches]

    def queue_fan_outs() -> None:
        from ..tasks import tracking_fan_out  # tasks import services; looked up only here

        for batch_id in batch_ids:
            tracking_fan_out.delay(batch_id)

    transaction.on_commit(queue_fan_outs)
    return counts


def tracking_batch_completed(batch_id: int) -> None:
    """Called (inside the transaction that completed the batch) when a batch's requests have all ended: for a
    tracking batch, queue its evaluation when the transaction commits."""
    if not QueryBatch.objects.filter(pk=batch_id, purpose=BatchPurpose.TRACKING).exists():
        return

    def queue() -> None:
        from ..tasks import tracking_evaluate

        tracking_evaluate.delay(batch_id)

    transaction.on_commit(queue)


def check_still_tracked(batch: QueryBatch | None) -> None:
    """Refuse an agency's answer to a tracking batch whose plan is no longer active (the case was restored, or
    the five years are done): ``RuleViolation`` ``tracking.not_tracked``."""
    if batch is None or batch.purpose != BatchPurpose.TRACKING:
        return
    status = TrackingPlan.objects.filter(runs__batch=batch).values_list("status", flat=True).first()
    if status != TrackingStatus.ACTIVE:
        raise not_tracked()


# ---- evaluation -----------------------------------------------------------------------------------------------


def _asset_line(asset: dict) -> str:
    label = AssetCategory(asset["category"]).label
    value = f" {format_yuan(Decimal(asset['value']))}" if asset.get("value") else ""
    return f"{label} {mask_identifier(asset['identifier'])}{value}"


@translation.override(settings.LANGUAGE_CODE)  # parties are written to in the court's language
def _tell_applicants(plan: TrackingPlan, run: TrackingRun) -> None:
    from cases.services import notify_party

    record = plan.enforcement_case.case
    if run.outcome == TrackingOutcome.FOUND:
        subject = _("Case %(number)s: new property of the debtor found") % {"number": record.number}
        body = _(
            "Post-termination tracking query %(run)s of %(runs)s on case %(number)s found new property of the "
            "debtor: %(assets)s. The court will consider restoring enforcement (恢复执行)."
        ) % {
            "run": run.number,
            "runs": RUNS,
            "number": record.number,
            "assets": "；".join(_asset_line(a) for a in run.new_assets),
        }
    else:
        subject = _("Case %(number)s: tracking query result") % {"number": record.number}
        body = _(
            "Post-termination tracking query %(run)s of %(runs)s on case %(number)s found no new property of the "
            "debtor. You may ask for enforcement to be restored at any time by supplying a property lead."
        ) % {"run": run.number, "runs": RUNS, "number": record.number}
    creditors = CaseParty.objects.filter(case=record, role=PartyRole.CREDITOR).select_related("party")
    for link in creditors.order_by("position", "id"):
        notify_party(party=link.party, case=record, kind="tracking.result", subject=subject, body=body)


def _alert_officer(plan: TrackingPlan, run: TrackingRun) -> None:
    from cases.services import notify_user

    ec = plan.enforcement_case
    if ec.officer is None:
        return
    notify_user(
        user=ec.officer,
        case=ec.case,
        kind="tracking.property_found",
        subject=_("Property found on 终本 case %(number)s") % {"number": ec.case.number},
        body=_(
            "Tracking query %(run)s found new property of the debtor: %(assets)s. Restore enforcement "
            "(恢复执行) from the case page."
        )
        % {"run": run.number, "assets": "；".join(_asset_line(a) for a in run.new_assets)},
        link=reverse("enforcement:detail", args=[ec.pk]),
    )


def _flag_for_delisting(plan: TrackingPlan, now: dt.datetime) -> None:
    plan.delisting_flagged_at = now
    plan.save(update_fields=["delisting_flagged_at"])
    audit_record(
        actor=None,
        action="tracking.delisting_flag",
        obj=plan,
        reason=_("Two or more empty tracking queries and no property lead (失信规定 art. 10(4))."),
        changes={"empty_runs": plan.empty_runs},
    )
    from ..signals import delisting_due

    ec = plan.enforcement_case
    transaction.on_commit(lambda: delisting_due.send(sender=TrackingPlan, plan=plan, enforcement_case=ec))


@transaction.atomic
def tracking_evaluate(*, batch_id: int, now: dt.datetime | None = None) -> TrackingRun | None:
    """Evaluate the run of a completed tracking batch (idempotent: an evaluated run is left as it is).

    New property: the case's assets in a property category first reported by this batch's requests since the
    run was sent → *found* (the officer is alerted), else *empty* (the plan counts one more empty run). The
    applicant (every creditor of the case) is told either way. After run 10 the plan ends; after two or more
    empty runs with no lead the plan is flagged for dishonest-list deletion and ``delisting_due`` is sent.
    A plan no longer active (restored meanwhile) gets the outcome recorded and nobody is told. Locks the run,
    then the plan."""
    now = now or timezone.now()
    run = TrackingRun.objects.select_for_update(of=("self",)).select_related("batch").filter(batch_id=batch_id).first()
    if run is None or run.outcome != TrackingOutcome.PENDING or run.batch.status != BatchStatus.COMPLETE:
        return run
    plan = (
        TrackingPlan.objects.select_for_update(of=("self",))
        .select_related("enforcement_case__case", "enforcement_case__officer")
        .get(pk=run.plan_id)
    )
    found = (
        Asset.objects.filter(
            case_id=plan.enforcement_case.case_id,
            category__in=PROPERTY_CATEGORIES,
            source_request__batch_id=batch_id,
            first_reported_at__gte=run.dispatched_at,
        )
        .order_by("category", "id")
        .values("category", "identifier", "description", "value")
    )
    run.new_assets = [
        {
            "category": a["category"],
            "identifier": a["identifier"],
            "description": a["description"],
            "value": str(a["value"]) if isinstance(a["value"], Decimal) else "",
        }
        for a in found
    ]
    run.outcome = TrackingOutcome.FOUND if run.new_assets else TrackingOutcome.EMPTY
    run.completed_at = now
    fields = ["outcome", "new_assets", "completed_at"]
    active = plan.status == TrackingStatus.ACTIVE
    if active:
        _tell_applicants(plan, run)
        run.applicant_notified_at = now
        fields.append("applicant_notified_at")
        if run.outcome == TrackingOutcome.FOUND:
            _alert_officer(plan, run)
    run.save(update_fields=fields)
    audit_record(
        actor=None,
        action="tracking.evaluate",
        obj=plan,
        changes={"run": run.number, "outcome": run.outcome, "new_assets": len(run.new_assets)},
    )
    if run.outcome == TrackingOutcome.EMPTY:
        plan.empty_runs += 1
        plan.save(update_fields=["empty_runs"])
    if not active:
        return run
    if (
        plan.empty_runs >= EMPTY_RUNS_FOR_DELISTING
        and plan.lead_supplied_on is None
        and plan.delisting_flagged_at is None
    ):
        _flag_for_delisting(plan, now)
    if run.number >= RUNS:
        _end(plan, status=TrackingStatus.ENDED, reason=_("Five years done (tracking ended)."), now=now)
    return run


# ---- restoration and leads ------------------------------------------------------------------------------------


@transaction.atomic
def tracking_case_restored(
    *, enforcement_case: EnforcementCase, restored_from: EnforcementCase, actor=None
) -> dict[str, int]:
    """The 终本 case ``restored_from`` was restored as ``enforcement_case`` (执恢): its plan ends (*restored*),
    its assets are copied onto the new case record (same category, agency, identifier, value, details: the
    officer can act on them there), and its live control measures (ordered, in force, waiting) move to the
    new enforcement case on the copies of their assets, their periods unchanged (终本规定 2016 art. 15).
    Idempotent: a second call copies and moves nothing more."""
    now = timezone.now()
    new = EnforcementCase.objects.select_for_update(of=("self",)).select_related("case").get(pk=enforcement_case.pk)
    old = EnforcementCase.objects.select_related("case").get(pk=restored_from.pk)
    plan = (
        TrackingPlan.objects.select_for_update()
        .select_related("enforcement_case__case")
        .filter(enforcement_case=old)
        .first()
    )
    ended = 0
    if plan is not None and plan.status == TrackingStatus.ACTIVE:
        _end(
            plan,
            status=TrackingStatus.RESTORED,
            reason=_("Restored as %(number)s.") % {"number": new.case.number},
            now=now,
        )
        ended = 1
    copies: dict[tuple[str, int, str], Asset] = {
        (a.category, a.agency_id, a.identifier): a
        for a in Asset.objects.select_for_update().filter(case_id=new.case_id)
    }
    by_old: dict[int, Asset] = {}
    copied = 0
    for asset in Asset.objects.filter(case_id=old.case_id).order_by("pk"):
        key = (asset.category, asset.agency_id, asset.identifier)
        copy = copies.get(key)
        if copy is None:
            copy = Asset(
                case_id=new.case_id,
                debtor_id=asset.debtor_id,
                category=asset.category,
                agency_id=asset.agency_id,
                identifier=asset.identifier,
                description=asset.description,
                value=asset.value,
                details=asset.details,
                first_reported_at=asset.first_reported_at,
                reported_at=asset.reported_at,
                source_request_id=asset.source_request_id,
            )
            copy.full_clean(validate_constraints=False)
            copy.save()
            copies[key] = copy
            copied += 1
        by_old[asset.pk] = copy
    measures = list(
        ControlMeasure.objects.select_for_update()
        .filter(enforcement_case=old, status__in=LIVE_CONTROL_STATUSES)
        .order_by("pk")
    )
    for measure in measures:
        from_asset = measure.asset_id
        measure.enforcement_case = new
        measure.asset = by_old[from_asset]
        measure.save(update_fields=["enforcement_case", "asset"])
        audit_record(
            actor=actor,
            action="control.move",
            obj=measure,
            changes={
                "from_case": old.pk,
                "into_case": new.pk,
                "from_asset": from_asset,
                "into_asset": measure.asset_id,
                "expires_on": str(measure.expires_on),
            },
        )
    if copied or measures or ended:
        audit_record(
            actor=actor,
            action="tracking.restore",
            obj=new,
            changes={
                "restored_from": old.case.number,
                "assets_copied": copied,
                "measures_moved": [m.pk for m in measures],
            },
        )
    return {"plan_ended": ended, "assets_copied": copied, "measures_moved": len(measures)}


@transaction.atomic
def tracking_lead_received(*, enforcement_case: EnforcementCase, on: dt.date) -> TrackingPlan | None:
    """The applicant supplied a property lead for the 终本 case on ``on``: the plan records it, so the case no
    longer counts as "no lead" for dishonest-list deletion (失信规定 art. 10(4)). The first lead is kept."""
    plan = (
        TrackingPlan.objects.select_for_update()
        .select_related("enforcement_case__case")
        .filter(enforcement_case_id=enforcement_case.pk)
        .first()
    )
    if plan is None or plan.lead_supplied_on is not None:
        return plan
    plan.lead_supplied_on = on
    plan.save(update_fields=["lead_supplied_on"])
    audit_record(actor=None, action="tracking.lead", obj=plan, changes={"lead_supplied_on": str(on)})
    return plan
