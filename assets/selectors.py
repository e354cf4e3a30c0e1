"""Reads of 查控, each scoped to what the user may see (officers: their court's batches; agencies: their own
requests). The tracking list's FilterSet lives here beside its selector (used by the page and the API)."""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.access import get_visible_or_404, require_capability, scope_to_user
from core.filters import DaysAheadFilter, days_ahead
from core.models import User
from enforcement.models import EnforcementCase

from .choices import LIVE_CONTROL_STATUSES, ControlStatus, RequestStatus, TrackingOutcome, TrackingStatus
from .models import (
    Agency,
    AgencyAnswer,
    AgencyRequest,
    Asset,
    ControlMeasure,
    Deduction,
    QueryBatch,
    TrackingPlan,
    TrackingRun,
)

COURT_FIELD = "enforcement_case__case__court"


def enforcement_case_for_queries(*, user: User, pk: int) -> EnforcementCase:
    """The case, if the user may see asset queries on it; ``NotFound`` alike if missing or elsewhere."""
    require_capability(user, "assets.view")
    return get_visible_or_404(EnforcementCase.objects.select_related("case"), user, court_field="case__court", pk=pk)


def query_batch_list(*, user: User, enforcement_case: EnforcementCase) -> models.QuerySet[QueryBatch]:
    require_capability(user, "assets.view")
    return scope_to_user(
        QueryBatch.objects.filter(enforcement_case=enforcement_case).select_related("ordered_by"),
        user,
        court_field=COURT_FIELD,
    )


@dataclass
class AgencyProgress:
    agency: str
    status: str
    status_label: str
    items: int
    answered: int
    pending: int
    failed: int
    attempts: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.items) if self.items else 100


@dataclass
class BatchProgress:
    batch: QueryBatch
    agencies: list[AgencyProgress] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(a.items for a in self.agencies)

    @property
    def answered(self) -> int:
        return sum(a.answered for a in self.agencies)

    @property
    def pending(self) -> int:
        return sum(a.pending for a in self.agencies)

    @property
    def failed(self) -> int:
        return sum(a.failed for a in self.agencies)

    @property
    def waiting(self) -> bool:
        """Still something to wait for: the fan-out has not run, or items are pending."""
        return self.batch.sent_at is None or self.pending > 0


def batch_progress(*, batches: list[QueryBatch]) -> list[BatchProgress]:
    """Per batch and agency: items answered, pending and failed (a failed request's unanswered items). One
    query for all the batches' requests."""
    progress = {b.pk: BatchProgress(batch=b) for b in batches}
    requests = (
        AgencyRequest.objects.filter(batch__in=list(progress))
        .select_related("agency")
        .annotate(answered=Count("results"))
        .order_by("batch_id", "agency__code")
    )
    for r in requests:
        open_items = max(r.item_count - r.answered, 0)
        failed = open_items if r.status == RequestStatus.FAILED else 0
        progress[r.batch_id].agencies.append(
            AgencyProgress(
                agency=r.agency.name,
                status=r.status,
                status_label=r.get_status_display(),
                items=r.item_count,
                answered=r.answered,
                pending=open_items - failed,
                failed=failed,
                attempts=r.attempts,
            )
        )
    return [progress[b.pk] for b in batches]


def agency_request_list(*, agency: Agency, status: str | None = None) -> models.QuerySet[AgencyRequest]:
    """The agency's own requests, oldest first; nobody else's, ever."""
    queryset = AgencyRequest.objects.filter(agency=agency).select_related("batch").order_by("id")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def agency_answer_get(*, agency: Agency, pk: int) -> AgencyAnswer | None:
    """One of the agency's own answers sent for ingestion by a worker, with its request; None for another's."""
    return AgencyAnswer.objects.select_related("request").filter(agency=agency, pk=pk).first()


MEASURE_COURT_FIELD = "enforcement_case__case__court"


def _measures() -> models.QuerySet[ControlMeasure]:
    return ControlMeasure.objects.select_related(
        "asset", "asset__agency", "asset__debtor", "enforcement_case__case", "enforcement_case__officer"
    )


def control_measure_list(
    *, user: User, enforcement_case: EnforcementCase | None = None, filters: dict | None = None
) -> models.QuerySet[ControlMeasure]:
    """Measures of the user's court (of one case, if given), soonest expiry first. ``filters``: ``status``
    (one status, or "live" for ordered/in force/waiting), ``kind``, ``within`` (days to expiry), ``q`` (case
    number contains)."""
    require_capability(user, "assets.view")
    queryset = scope_to_user(_measures(), user, court_field=MEASURE_COURT_FIELD)
    if enforcement_case is not None:
        queryset = queryset.filter(enforcement_case=enforcement_case)
    filters = filters or {}
    wanted = filters.get("status") or ""
    if wanted == "live":
        queryset = queryset.filter(status__in=LIVE_CONTROL_STATUSES)
    elif wanted in ControlStatus.values:
        queryset = queryset.filter(status=wanted)
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    within = str(filters.get("within") or "")
    if within.isdigit():
        queryset = queryset.filter(expires_on__lte=days_ahead(within))
    if filters.get("q"):
        queryset = queryset.filter(enforcement_case__case__number__icontains=filters["q"])
    return queryset.order_by("expires_on", "id")


def control_measure_get(*, user: User, pk: int) -> ControlMeasure:
    require_capability(user, "assets.view")
    return get_visible_or_404(_measures(), user, court_field=MEASURE_COURT_FIELD, pk=pk)


def asset_get_for_case(*, user: User, enforcement_case: EnforcementCase, pk) -> Asset:
    """An asset of the case (of the user's court); ``NotFound`` otherwise."""
    require_capability(user, "assets.view")
    return get_visible_or_404(
        Asset.objects.filter(case_id=enforcement_case.case_id), user, court_field="case__court", pk=pk
    )


def assets_of_case(*, user: User, enforcement_case: EnforcementCase) -> models.QuerySet[Asset]:
    require_capability(user, "assets.view")
    return scope_to_user(
        Asset.objects.filter(case_id=enforcement_case.case_id).select_related("agency"), user, court_field="case__court"
    ).order_by("category", "id")


def my_expiry_reminders(*, user: User, limit: int = 20):
    """The unread expiry reminders addressed to ``user`` (the officer of the case), soonest expiry first: what
    the daily job put on their desk. Scoped twice: addressed to them and on a case of a court they see."""
    from .models import ExpiryReminder

    require_capability(user, "assets.view")
    reminders = ExpiryReminder.objects.filter(officer=user, read_at__isnull=True).select_related(
        "measure__asset", "measure__enforcement_case__case"
    )
    return scope_to_user(reminders, user, court_field="measure__enforcement_case__case__court").order_by(
        "expires_on", "id"
    )[:limit]


# ---- post-termination tracking (终本后跟踪) ------------------------------------------------------------------

TRACKING_COURT_FIELD = "enforcement_case__case__court"


def _plans() -> models.QuerySet[TrackingPlan]:
    found = TrackingRun.objects.filter(plan=models.OuterRef("pk"), outcome=TrackingOutcome.FOUND)
    return TrackingPlan.objects.select_related("enforcement_case__case", "enforcement_case__officer").annotate(
        found_property=models.Exists(found)
    )


def tracking_plan_list(*, user: User) -> models.QuerySet[TrackingPlan]:
    """The tracking plans of the user's court, next due first (ended plans last), each with ``found_property``
    (some run found new property)."""
    require_capability(user, "assets.view")
    return scope_to_user(_plans(), user, court_field=TRACKING_COURT_FIELD).order_by(
        models.F("next_due_on").asc(nulls_last=True), "id"
    )


def tracking_plan_get(*, user: User, pk) -> TrackingPlan:
    """One plan of the user's court with its runs; ``NotFound`` alike if missing or elsewhere."""
    require_capability(user, "assets.view")
    runs = models.Prefetch("runs", queryset=TrackingRun.objects.select_related("batch").order_by("number"))
    return get_visible_or_404(_plans().prefetch_related(runs), user, court_field=TRACKING_COURT_FIELD, pk=pk)


def tracking_plan_of_case(*, user: User, enforcement_case: EnforcementCase) -> TrackingPlan | None:
    """The plan of a case the user may see (``enforcement_case_for_queries`` checked it), or None."""
    require_capability(user, "assets.view")
    runs = models.Prefetch("runs", queryset=TrackingRun.objects.order_by("number"))
    return _plans().prefetch_related(runs).filter(enforcement_case=enforcement_case).first()


class TrackingPlanFilter(django_filters.FilterSet):
    """Filters of the tracking list (page and API): status, flagged for deletion, due within N days or by a
    date, found property, case number; sorting by due date, start, queries sent, empty queries."""

    status = django_filters.ChoiceFilter(choices=TrackingStatus.choices, label=_("Status"))
    flagged = django_filters.BooleanFilter(
        field_name="delisting_flagged_at", lookup_expr="isnull", exclude=True, label=_("Flagged for deletion")
    )
    due_within = DaysAheadFilter(method="filter_due_within", label=_("Due within (days)"))
    due_before = django_filters.DateFilter(field_name="next_due_on", lookup_expr="lte", label=_("Due by"))
    found = django_filters.BooleanFilter(field_name="found_property", label=_("Found property"))
    q = django_filters.CharFilter(
        field_name="enforcement_case__case__number", lookup_expr="icontains", label=_("Case number")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("next_due_on", "next_due_on"),
            ("starts_on", "starts_on"),
            ("runs_done", "runs_done"),
            ("empty_runs", "empty_runs"),
        ),
        field_labels={
            "next_due_on": _("Next query due"),
            "starts_on": _("Terminated on"),
            "runs_done": _("Queries sent"),
            "empty_runs": _("Empty queries"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = TrackingPlan
        fields = ["status", "flagged", "due_within", "due_before", "found", "q"]

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status=TrackingStatus.ACTIVE, next_due_on__lte=days_ahead(value))


# Deductions (扣划) and their approval by a division head (helper "deduction").

DEDUCTION_COURT_FIELD = "measure__enforcement_case__case__court"


def _deductions() -> models.QuerySet[Deduction]:
    return Deduction.objects.select_related(
        "measure__asset", "measure__enforcement_case__case", "ordered_by", "approved_by"
    )


def deduction_list(*, user: User, enforcement_case: EnforcementCase) -> models.QuerySet[Deduction]:
    """The deductions of one case of the user's court, newest first."""
    require_capability(user, "assets.view")
    queryset = scope_to_user(_deductions(), user, court_field=DEDUCTION_COURT_FIELD)
    return queryset.filter(measure__enforcement_case=enforcement_case).order_by("-created_at", "-id")


def deduction_get(*, user: User, pk: int) -> Deduction:
    """One deduction of the user's court; ``NotFound`` alike if missing or elsewhere."""
    require_capability(user, "assets.view")
    return get_visible_or_404(_deductions(), user, court_field=DEDUCTION_COURT_FIELD, pk=pk)
