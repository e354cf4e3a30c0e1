"""Pages of the division command view (执行指挥) and the on-site tasks (现场执行) of a case.

``DivisionView`` (``command:division``): per-officer workload, unassigned cases with bulk assignment (the form
posts to ``enforcement:assign`` with the fields of its ``BulkAssignForm``: ``cases`` and ``officer``), the overdue
report (filters, sort, CSV/Excel export), live control measures by expiry, and the court's on-site tasks with the
debtors' risk notes. ``CaseOnSiteView`` (``command:case-onsite``): one case's tasks and risk notes, a panel loaded
by htmx into the case page. Both pages post their on-site actions back to themselves (``action`` = plan, complete,
cancel, risk, withdraw); ``perform_onsite_action`` parses the form and calls one service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cases.choices import PartyRole
from core.exceptions import ApplicationError, InvalidInput, NotFound, PermissionDenied
from core.export import MAX_EXPORT_ROWS, export_response
from core.forms import add_service_errors
from core.mixins import CapabilityRequiredMixin
from core.models import User
from enforcement.selectors import enforcement_case_get
from enforcement.services.assignment import assignable_officers

from . import division as d
from .forms import (
    DivisionFilterForm,
    OnSiteCancelForm,
    OnSiteOutcomeForm,
    OnSitePlanForm,
    RiskNoteForm,
    RiskWithdrawForm,
)
from .selectors import officers_of
from .services import (
    cancel_onsite_task,
    complete_onsite_task,
    plan_onsite_task,
    record_risk_note,
    withdraw_risk_note,
)

OVERDUE_PAGE = 25
UNASSIGNED_SHOWN = 50
ACTIONS = ("plan", "complete", "cancel", "risk", "withdraw")


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# ---- the on-site actions, shared by both pages ----------------------------------------------------------------------


@dataclass
class ActionResult:
    success: str = ""
    error: str = ""
    bound: dict = field(default_factory=dict)  # prefix → the bound form, to show again with its errors


def perform_onsite_action(request, *, court, case=None) -> ActionResult:
    """Parse the posted on-site action and call its service. ``court`` is the page's court (a plan by case number
    looks there); ``case`` fixes the case (the case panel): a task or note of another case is "not found".
    ``NotFound`` and ``PermissionDenied`` propagate (404 / 403)."""
    user, post = request.user, request.POST
    action = post.get("action", "")
    prefix = post.get("prefix") or None
    if action not in ACTIONS:
        raise NotFound(_("Not found."))
    result = ActionResult()
    form = None
    try:
        if action == "plan":
            form = OnSitePlanForm(
                post, prefix=prefix, officers=User.objects.filter(is_active=True), with_case=case is None
            )
            if form.is_valid():
                data = form.cleaned_data
                target = case or d.open_case_by_number(court=court, number=data["case_number"])
                if target is None:
                    form.add_error("case_number", _("No open enforcement case of this court has this number."))
                else:
                    task = plan_onsite_task(
                        actor=user,
                        enforcement_case=target,
                        purpose=data["purpose"],
                        address=data["address"],
                        scheduled_at=data["scheduled_at"],
                        officers=data["officers"],
                        notes=data["notes"],
                    )
                    result.success = _("On-site task planned for %(when)s.") % {
                        "when": timezone.localtime(task.scheduled_at).strftime("%Y-%m-%d %H:%M")
                    }
        elif action in ("complete", "cancel"):
            task = d.task_get(user=user, pk=_int(post.get("task")))
            if case is not None and task.case_id != case.pk:
                raise NotFound(_("Not found."))
            if action == "complete":
                form = OnSiteOutcomeForm(post, prefix=prefix)
                if form.is_valid():
                    complete_onsite_task(actor=user, task=task, **form.cleaned_data)
                    result.success = _("The outcome of the on-site task is recorded.")
            else:
                form = OnSiteCancelForm(post, prefix=prefix)
                if form.is_valid():
                    cancel_onsite_task(actor=user, task=task, reason=form.cleaned_data["reason"])
                    result.success = _("The on-site task is cancelled.")
        elif action == "risk":
            target = case or enforcement_case_get(user=user, pk=_int(post.get("case")))
            parties = [link.party for link in target.case.party_links.select_related("party")]
            form = RiskNoteForm(post, prefix=prefix, parties=parties)
            if form.is_valid():
                data = form.cleaned_data
                party = next(p for p in parties if p.pk == data["party"])
                record_risk_note(actor=user, enforcement_case=target, party=party, kind=data["kind"], note=data["note"])
                result.success = _("Risk note recorded on %(name)s.") % {"name": party.name}
        else:  # withdraw
            risk = d.risk_note_get(user=user, pk=_int(post.get("risk_note")))
            if case is not None and not case.case.party_links.filter(party_id=risk.party_id).exists():
                raise NotFound(_("Not found."))
            form = RiskWithdrawForm(post, prefix=prefix)
            if form.is_valid():
                withdraw_risk_note(actor=user, risk_note=risk, reason=form.cleaned_data["reason"])
                result.success = _("Risk note withdrawn.")
    except (NotFound, PermissionDenied):
        raise
    except InvalidInput as error:
        add_service_errors(form, error)
        result.error = error.message
    except ApplicationError as error:
        result.error = error.message
    if not result.success and not result.error:
        result.error = _("Correct the errors in the form.")
    if not result.success:
        result.bound[prefix or action] = form
    return result


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound(_("Not found.")) from exc


def attach_task_forms(tasks, bound: dict) -> None:
    """Each planned task gets its outcome and cancel forms, each party its risk form, each note its withdraw form
    (the posted one, with its errors, where there is one). Prefixes keep the many forms' ids apart."""
    for task in tasks:
        task.outcome_form = bound.get(f"done{task.pk}") or OnSiteOutcomeForm(prefix=f"done{task.pk}")
        task.cancel_form = bound.get(f"cancel{task.pk}") or OnSiteCancelForm(prefix=f"cancel{task.pk}")
        task.risk_form = bound.get(f"risk{task.pk}") or RiskNoteForm(
            prefix=f"risk{task.pk}", parties=task.parties, initial={"party": task.debtors[0].pk if task.debtors else ""}
        )
        for note in task.risks:
            note.form_prefix = f"w{task.pk}-{note.pk}"
            note.withdraw_form = bound.get(note.form_prefix) or RiskWithdrawForm(prefix=note.form_prefix)


def _debtor_address(ec) -> str:
    for link in ec.case.party_links.all():
        if link.role == PartyRole.DEBTOR and link.party.address:
            return link.party.address
    return ""


class OnSiteAccessMixin(CapabilityRequiredMixin):
    """Reading needs ``command.onsite`` or ``command.division``; each action's service checks ``command.onsite``."""

    capability = "command.onsite"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and request.method == "GET" and _can(user, "command.division"):
            self.capability = "command.division"
        return super().dispatch(request, *args, **kwargs)


# ---- the division command view -------------------------------------------------------------------------------------


class DivisionView(CapabilityRequiredMixin, TemplateView):
    capability = "command.division"
    template_name = "command/division.html"

    def _court(self):
        try:
            courts = d.division_courts(self.request.user)
            court = d.division_court(user=self.request.user, code=self.request.GET.get("court") or None)
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        return courts, court

    def get(self, request, *args, **kwargs):
        courts, court = self._court()
        context = self.build(courts, court)
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx"):
            return self._export(kind, context["overdue_queryset"])
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        courts, court = self._court()
        result = perform_onsite_action(request, court=court)
        if result.success:
            messages.success(request, result.success)
            query = f"?{urlencode({'court': court.code})}" if request.GET.get("court") else ""
            return redirect(reverse("command:division") + query + "#onsite")
        context = self.build(courts, court, bound=result.bound, error=result.error)
        return self.render_to_response(context, status=400)

    def build(self, courts, court, *, bound: dict | None = None, error: str = "") -> dict:
        request, user = self.request, self.request.user
        bound = bound or {}
        today = timezone.localdate()
        officers = d.officer_workload(court=court, today=today)
        form = DivisionFilterForm(request.GET or None, courts=courts, officers=officers)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        below = d.courts_below(court) if len(courts) > 1 else [court]
        report_courts = below if data.get("scope") == "below" else [court]
        officer = next((o for o in officers if o.pk == data.get("officer")), None)
        overdue = d.overdue_cases(courts=report_courts, officer=officer, ordering=data.get("ordering") or "-days")
        page = Paginator(overdue, OVERDUE_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        unassigned = d.unassigned_cases(court=court)
        unassigned_count = unassigned.count()
        may_assign = _can(user, "enforcement.assign") and (user.is_superuser or court.pk == user.court_id)
        bands, measure_count = d.live_measures(court=court, today=today)
        upcoming, recent = d.court_tasks(court=court)
        may_plan = _can(user, "command.onsite") and (user.is_superuser or court.pk == user.court_id)
        attach_task_forms(upcoming, bound if may_plan else {})
        plan_form = bound.get("plan") or OnSitePlanForm(
            prefix="plan", officers=officers_of(court), initial={"scheduled_at": _next_morning()}
        )
        return self.get_context_data(
            court=court,
            courts=courts,
            form=form,
            officers=officers,
            totals=d.workload_totals(officers),
            list_officers={o.pk for o in officers if o.role in ("officer", "judge")},
            overdue_queryset=overdue,
            overdue_page=page,
            overdue_cases=d.with_days_overdue(page.object_list, today),
            query=query.urlencode(),
            has_courts_below=len(below) > 1,
            unassigned=list(unassigned[:UNASSIGNED_SHOWN]),
            unassigned_count=unassigned_count,
            may_assign=may_assign,
            assign_officers=list(assignable_officers(court.pk)) if may_assign else [],
            bands=bands,
            measure_count=measure_count,
            upcoming=upcoming,
            recent=recent,
            may_plan=may_plan,
            plan_form=plan_form,
            error=error,
            today=today,
            now=timezone.now(),
            court_query=urlencode({"court": court.code}) if request.GET.get("court") else "",
        )

    def _export(self, kind: str, overdue):
        today = timezone.localdate()

        def rows():
            for ec in d.with_days_overdue(overdue[:MAX_EXPORT_ROWS], today):
                yield [
                    ec.case.number,
                    ec.case.court.code,
                    str(ec.officer) if ec.officer else "",
                    ec.get_status_display(),
                    ec.case.filing_date,
                    ec.deadline_on,
                    ec.days_overdue,
                    ec.case.amount,
                    "；".join(link.party.name for link in ec.case.debtor_links),
                ]

        header = [
            _("Case number"),
            _("Court"),
            _("Officer"),
            _("Status"),
            _("Filing date"),
            _("Deadline"),
            _("Days overdue"),
            _("Amount"),
            _("Debtors"),
        ]
        return export_response(kind=kind, filename="overdue-cases", header=header, rows=rows())


def _next_morning():
    """The default time of a new task: 9:00 tomorrow."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9)))


# ---- one case's on-site tasks (the case page's panel) ------------------------------------------------------------


class CaseOnSiteView(OnSiteAccessMixin, View):
    """The on-site tasks and risk notes of one case: a panel that htmx loads into the case page (opened directly,
    a page of its own). Its forms post back here and the panel comes back (400 with the message on a refusal)."""

    def _case(self, pk: int):
        try:
            return enforcement_case_get(user=self.request.user, pk=pk)
        except NotFound as exc:
            raise Http404(str(exc)) from exc

    def _render(self, request, ec, *, bound=None, error: str = "", success: str = "", status: int = 200):
        bound = bound or {}
        tasks = d.case_tasks(enforcement_case=ec)
        user = request.user
        may_plan = _can(user, "command.onsite") and ec.is_open
        attach_task_forms(tasks, bound)
        links = list(ec.case.party_links.all())
        parties = [link.party for link in links]
        first_debtor = next((link.party_id for link in links if link.role == PartyRole.DEBTOR), "")
        notes = d.active_risk_notes(p.pk for p in parties)
        for party in parties:
            party.risks = notes.get(party.pk, [])
            for note in party.risks:
                note.form_prefix = f"cw{note.pk}"
                note.withdraw_form = bound.get(note.form_prefix) or RiskWithdrawForm(prefix=note.form_prefix)
        context = {
            "ec": ec,
            "tasks": tasks,
            "parties": parties,
            "may_plan": may_plan,
            "may_act": _can(user, "command.onsite"),
            "plan_form": bound.get("caseplan")
            or OnSitePlanForm(
                prefix="caseplan",
                officers=officers_of(ec.case.court),
                with_case=False,
                initial={
                    "scheduled_at": _next_morning(),
                    "address": _debtor_address(ec),
                    "officers": [ec.officer_id] if ec.officer_id else [],
                },
            ),
            "risk_form": bound.get("caserisk")
            or RiskNoteForm(
                prefix="caserisk",
                parties=parties,
                initial={"party": first_debtor},
            ),
            "error": error,
            "success": success,
            "now": timezone.now(),
        }
        template = "command/_onsite_case.html" if _is_htmx(request) else "command/_onsite_page.html"
        return render(request, template, context, status=status)

    def get(self, request, pk: int):
        return self._render(request, self._case(pk))

    def post(self, request, pk: int):
        ec = self._case(pk)
        result = perform_onsite_action(request, court=ec.case.court, case=ec)
        if result.success and not _is_htmx(request):
            messages.success(request, result.success)
            return redirect(reverse("command:case-onsite", args=[ec.pk]))
        ec = self._case(pk)  # as it is after the (possibly rolled-back) action
        if result.success:
            return self._render(request, ec, success=result.success)
        return self._render(request, ec, bound=result.bound, error=result.error, status=400)
