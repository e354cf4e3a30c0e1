"""Pages of 查控: the query-progress partial of an enforcement case (loaded into the case page with hx-get,
polling every 2 s while anything is pending) and the form that orders a query batch; the control-measures
partial of a case (order, release, renew, deduct; a division head approves or declines a large deduction) and
the division's list of live measures by expiry; the
post-termination tracking partial of a 终本 case and the court's list of tracking plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core.access import require_capability
from core.exceptions import ApplicationError, InvalidInput
from core.export import MAX_EXPORT_ROWS, export_response
from core.mixins import CapabilityRequiredMixin
from core.money import format_yuan, parse_amount

from . import services
from .choices import (
    LIVE_CONTROL_STATUSES,
    AssetCategory,
    ControlKind,
    ControlStatus,
    DeductionStatus,
    TrackingOutcome,
    TrackingStatus,
)
from .selectors import (
    TrackingPlanFilter,
    asset_get_for_case,
    assets_of_case,
    batch_progress,
    control_measure_get,
    control_measure_list,
    deduction_get,
    deduction_list,
    enforcement_case_for_queries,
    my_expiry_reminders,
    query_batch_list,
    tracking_plan_list,
    tracking_plan_of_case,
)
from .services import query_order
from .services.controls import deduction_approval_threshold, may_decide_deduction
from .services.queries import REFUSED_STATUSES

BATCHES_SHOWN = 5


class QueryProgressView(CapabilityRequiredMixin, View):
    """GET: the partial; POST (capability "assets.query"): order a batch, answer with the partial again."""

    capability = "assets.view"
    template_name = "assets/query_progress.html"

    def _render(self, request, enforcement_case, *, error: str = "", status: int = 200):
        batches = list(query_batch_list(user=request.user, enforcement_case=enforcement_case)[:BATCHES_SHOWN])
        progress = batch_progress(batches=batches)
        context = {
            "enforcement_case": enforcement_case,
            "progress": progress,
            "waiting": any(p.waiting for p in progress),
            "categories": AssetCategory.choices,
            # A closed or suspended case is not queried by hand (query_order refuses; tracking queries a 终本 case).
            "can_order": (request.user.is_superuser or request.user.can("assets.query"))
            and enforcement_case.status not in REFUSED_STATUSES,
            "error": error,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, enforcement_pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=enforcement_pk)
        return self._render(request, enforcement_case)

    def post(self, request, enforcement_pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=enforcement_pk)
        categories = request.POST.getlist("categories") or None
        try:
            query_order(actor=request.user, enforcement_case=enforcement_case, categories=categories)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            return self._render(request, enforcement_case, error=exc.message or _("Refused."), status=exc.status_code)
        return self._render(request, enforcement_case)


def _can(user, capability: str) -> bool:
    return user.is_superuser or user.can(capability)


def _date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput({field: _("Enter a date such as 2026-01-31.")}, code="control.date") from exc


def _amount(value: str, field: str = "amount") -> Decimal | None:
    if not value:
        return None
    try:
        return parse_amount(value)
    except (ValidationError, InvalidOperation) as exc:
        raise InvalidInput({field: _("Enter an amount in yuan, such as 12345.67.")}, code="control.amount") from exc


DEDUCTIONS_SHOWN = 20
# Actions of the measures partial that a division head takes on a deduction awaiting approval.
DEDUCTION_DECISIONS = ("approve_deduction", "decline_deduction")


class CaseMeasuresView(CapabilityRequiredMixin, View):
    """GET: the case's control measures with expiry badges and its latest deductions; POST (field ``action``):
    order / release / renew / deduct (capability "assets.control"), approve_deduction / decline_deduction
    (capability "assets.approve_deduction"): act, and answer with the partial again."""

    capability = "assets.view"
    template_name = "assets/case_measures.html"

    def _render(self, request, enforcement_case, *, error: str = "", notice: str = "", status: int = 200):
        today = timezone.localdate()
        measures = list(control_measure_list(user=request.user, enforcement_case=enforcement_case))
        for measure in measures:
            measure.days = (measure.expires_on - today).days
        deductions = list(deduction_list(user=request.user, enforcement_case=enforcement_case)[:DEDUCTIONS_SHOWN])
        for deduction in deductions:
            deduction.decidable = may_decide_deduction(user=request.user, deduction=deduction)
        context = {
            "enforcement_case": enforcement_case,
            "measures": measures,
            "live": LIVE_CONTROL_STATUSES,
            "assets": list(assets_of_case(user=request.user, enforcement_case=enforcement_case)),
            "kinds": ControlKind.choices,
            "can_control": _can(request.user, "assets.control"),
            "deductions": deductions,
            "today": today,
            "error": error,
            "notice": notice,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, enforcement_pk: int):
        return self._render(request, enforcement_case_for_queries(user=request.user, pk=enforcement_pk))

    def _act(self, request, enforcement_case) -> str:
        """Do what ``action`` says; answer with a notice to show (or "")."""
        data, action = request.POST, request.POST.get("action")
        if action in DEDUCTION_DECISIONS:
            return self._decide(request, enforcement_case)
        require_capability(request.user, "assets.control")
        if action == "order":
            asset = asset_get_for_case(user=request.user, enforcement_case=enforcement_case, pk=data.get("asset"))
            services.control_order(
                actor=request.user,
                enforcement_case=enforcement_case,
                asset=asset,
                kind=data.get("kind", ""),
                amount=_amount(data.get("amount", "")),
                starts_on=_date(data.get("starts_on", ""), "starts_on") or timezone.localdate(),
                expires_on=_date(data.get("expires_on", ""), "expires_on"),
            )
            return ""
        measure = control_measure_get(user=request.user, pk=data.get("measure"))
        if measure.enforcement_case_id != enforcement_case.pk:
            raise InvalidInput({"measure": _("Not a measure of this case.")}, code="control.foreign_measure")
        if action == "release":
            services.control_release(actor=request.user, measure=measure, reason=data.get("reason", ""))
        elif action == "renew":
            expires_on = _date(data.get("expires_on", ""), "expires_on")
            if expires_on is None:
                raise InvalidInput({"expires_on": _("Enter the new expiry date.")}, code="control.date")
            services.control_renew(actor=request.user, measure=measure, expires_on=expires_on)
        elif action == "deduct":
            amount = _amount(data.get("amount", ""))
            if amount is None:
                raise InvalidInput({"amount": _("Enter the amount to deduct.")}, code="control.amount")
            deduction = services.control_deduct(
                actor=request.user, measure=measure, amount=amount, reference=data.get("reference", "")
            )
            if deduction.status == DeductionStatus.AWAITING:
                return _(
                    "The deduction of %(amount)s is above %(threshold)s: it awaits a division head's approval and "
                    "is sent to the agency once approved."
                ) % {"amount": format_yuan(deduction.amount), "threshold": format_yuan(deduction_approval_threshold())}
        else:
            raise InvalidInput({"action": _("Unknown action.")}, code="control.action")
        return ""

    def _decide(self, request, enforcement_case) -> str:
        require_capability(request.user, "assets.approve_deduction")
        deduction = deduction_get(user=request.user, pk=request.POST.get("deduction"))
        if deduction.measure.enforcement_case_id != enforcement_case.pk:
            raise InvalidInput({"deduction": _("Not a deduction of this case.")}, code="deduction.foreign")
        if request.POST.get("action") == "approve_deduction":
            services.deduction_approve(actor=request.user, deduction=deduction)
            return _("Deduction %(reference)s approved: the order is sent to the agency.") % {
                "reference": deduction.reference
            }
        services.deduction_decline(actor=request.user, deduction=deduction, reason=request.POST.get("reason", ""))
        return _("Deduction %(reference)s declined.") % {"reference": deduction.reference}

    def post(self, request, enforcement_pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=enforcement_pk)
        try:
            notice = self._act(request, enforcement_case)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            return self._render(request, enforcement_case, error=exc.message or _("Refused."), status=exc.status_code)
        return self._render(request, enforcement_case, notice=notice)


MEASURES_PAGE = 50


class MeasureListView(CapabilityRequiredMixin, ListView):
    """The division's live control measures, soonest expiry first: filters (status, kind, expiring within,
    case number), 50 a page, CSV/Excel export of the filtered list."""

    capability = "assets.view"
    template_name = "assets/measure_list.html"
    paginate_by = MEASURES_PAGE
    context_object_name = "measures"

    def filters(self) -> dict:
        query = self.request.GET
        return {
            "status": query.get("status") or "live",
            "kind": query.get("kind") if query.get("kind") in ControlKind.values else "",
            "within": query.get("within", ""),
            "q": query.get("q", "").strip(),
        }

    def get_queryset(self):
        return control_measure_list(user=self.request.user, filters=self.filters())

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx"):
            return self._export(kind)
        return super().get(request, *args, **kwargs)

    def _export(self, kind: str):
        def rows():
            for m in self.get_queryset()[:MAX_EXPORT_ROWS]:
                yield [
                    m.enforcement_case.case.number,
                    m.get_kind_display(),
                    m.get_status_display(),
                    m.asset.get_category_display(),
                    m.asset.identifier,
                    m.asset.agency.name,
                    m.amount,
                    m.starts_on,
                    m.expires_on,
                    m.position,
                    str(m.enforcement_case.officer or ""),
                ]

        header = [
            _("Case number"),
            _("Measure"),
            _("Status"),
            _("Category"),
            _("Identifier"),
            _("Agency"),
            _("Amount"),
            _("From"),
            _("Until"),
            _("Place in line"),
            _("Officer"),
        ]
        return export_response(
            kind=kind,
            filename="control-measures",
            header=header,
            rows=rows(),
            request=self.request,
            total=self.get_queryset(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for measure in context["measures"]:
            measure.days = (measure.expires_on - today).days
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        statuses = [("live", _("Live (ordered, in force, waiting)")), *ControlStatus.choices]
        context.update(
            query=query.urlencode(), filters=self.filters(), statuses=statuses, kinds=ControlKind.choices, today=today
        )
        return context


class MyRemindersView(CapabilityRequiredMixin, TemplateView):
    """The officer's control measures about to expire (30 and 7 days ahead, from the daily job): a partial
    the enforcement "my cases" page loads with hx-get."""

    capability = "assets.view"
    template_name = "assets/my_reminders.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reminders"] = my_expiry_reminders(user=self.request.user)
        return context


class CaseTrackingView(CapabilityRequiredMixin, View):
    """The post-termination tracking partial of a 终本 case (loaded into the case page with hx-get): the plan's
    status and next due date, its runs (due, sent, outcome, new property, applicant told), the art. 10(4)
    flag, and — when the last run found property — the call to restore enforcement in one step (the case
    page's restore action, ``enforcement:case-restore``)."""

    capability = "assets.view"
    template_name = "assets/tracking_case.html"

    def get(self, request, enforcement_pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=enforcement_pk)
        plan = tracking_plan_of_case(user=request.user, enforcement_case=enforcement_case)
        runs = list(plan.runs.all()) if plan is not None else []
        for run in runs:
            run.assets_shown = [
                {
                    **asset,
                    "label": AssetCategory(asset["category"]).label,
                    "value": format_yuan(Decimal(asset["value"])) if asset.get("value") else "",
                }
                for asset in run.new_assets
            ]
        last = runs[-1] if runs else None
        found = (
            plan is not None
            and plan.status == TrackingStatus.ACTIVE
            and last is not None
            and last.outcome == TrackingOutcome.FOUND
        )
        context = {
            "enforcement_case": enforcement_case,
            "plan": plan,
            "runs": runs,
            "last_found": last if found else None,
            "can_restore": found and _can(request.user, "enforcement.restore"),
            "restore_reason": (
                _("Post-termination tracking query %(run)s found new property of the debtor.") % {"run": last.number}
                if found
                else ""
            ),
            "today": timezone.localdate(),
            "statuses": TrackingStatus,
        }
        return render(request, self.template_name, context)


TRACKING_PAGE = 50


class TrackingListView(CapabilityRequiredMixin, ListView):
    """The court's post-termination tracking plans (终本后跟踪): filters (status, flagged for dishonest-list
    deletion, due within N days, found property, case number), sorting, 50 a page, CSV/Excel export."""

    capability = "assets.view"
    template_name = "assets/tracking_list.html"
    paginate_by = TRACKING_PAGE
    context_object_name = "plans"

    def get_queryset(self):
        self.filterset = TrackingPlanFilter(
            self.request.GET or None, queryset=tracking_plan_list(user=self.request.user)
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx"):
            return self._export(kind)
        return super().get(request, *args, **kwargs)

    def _export(self, kind: str):
        def rows():
            for plan in self.get_queryset()[:MAX_EXPORT_ROWS]:
                yield [
                    plan.enforcement_case.case.number,
                    plan.get_status_display(),
                    plan.starts_on,
                    plan.ends_on,
                    plan.next_due_on,
                    plan.runs_done,
                    plan.empty_runs,
                    _("yes") if plan.found_property else "",
                    plan.lead_supplied_on,
                    timezone.localtime(plan.delisting_flagged_at).date() if plan.delisting_flagged_at else None,
                    str(plan.enforcement_case.officer or ""),
                ]

        header = [
            _("Case number"),
            _("Status"),
            _("Terminated on"),
            _("Tracked until"),
            _("Next query due"),
            _("Queries sent"),
            _("Empty queries"),
            _("Found property"),
            _("Lead supplied on"),
            _("Flagged for deletion"),
            _("Officer"),
        ]
        return export_response(
            kind=kind,
            filename="tracking-plans",
            header=header,
            rows=rows(),
            request=self.request,
            total=self.get_queryset(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(
            query=query.urlencode(),
            filter=self.filterset,
            filters=self.request.GET,
            statuses=TrackingStatus.choices,
            today=timezone.localdate(),
            orderings=[
                ("next_due_on", _("Next query due")),
                ("-starts_on", _("Latest terminated first")),
                ("-runs_done", _("Most queries sent")),
                ("-empty_runs", _("Most empty queries")),
            ],
        )
        return context
