"""Pages of enforcement: the officer's case list, the case page with its action forms, bulk assignment and
the pending extension approvals.

Each action form posts to a small view that calls ONE service: on success it redirects back with a message;
on a refusal (``RuleViolation``, ``InvalidInput``) it renders the case page again, status 400, with the
message at the top and the form kept open with what was entered.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from cases.choices import MeasureStatus
from cases.models import PreservationMeasure
from core.access import scope_to_user
from core.exceptions import ApplicationError, InvalidInput, NotFound, PermissionDenied
from core.export import MAX_EXPORT_ROWS, export_response
from core.files import stored_file_response
from core.forms import add_service_errors
from core.mixins import CapabilityRequiredMixin

from . import forms as f
from .choices import ClosingKind, ExtensionStatus, Status
from .deadlines import application_last_day, case_deadlines, days_remaining
from .models import EnforcementCase, ExtensionRequest, Notice
from .selectors import (
    application_document_get,
    case_timeline,
    documents_awaiting_enforcement,
    enforcement_case_get,
    enforcement_case_list,
)
from .services.assignment import assignable_officers, case_assign, case_set_track, case_triage, cases_assign_bulk
from .services.extensions import extension_decide, extension_request, request_window
from .services.filing import enforcement_file
from .services.lifecycle import case_close, case_restore, case_resume, case_suspend, transition_apply
from .services.notices import ISSUING_STATUSES, notice_issue

LIST_PAGE = 50
EXPIRY_WARNING_DAYS = 30
AWAITING_SHOWN = 10


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def _suspended_since(ec: EnforcementCase) -> dt.date | None:
    if ec.status != Status.SUSPENDED:
        return None
    open_ones = [s for s in ec.suspensions.all() if s.ended_on is None]
    return open_ones[0].started_on if open_ones else None


def annotate_days_left(ec: EnforcementCase, today: dt.date) -> None:
    """``ec.days_left`` (None without a deadline or once closed), ``ec.frozen`` (suspended: the clock stands
    still) and ``ec.overdue``."""
    ec.frozen = ec.status == Status.SUSPENDED
    if ec.deadline_on is None or ec.status == Status.CLOSED:
        ec.days_left, ec.overdue, ec.days_overdue = None, False, 0
        return
    ec.days_left = days_remaining(deadline_on=ec.deadline_on, today=today, suspended_since=_suspended_since(ec))
    ec.overdue = ec.days_left < 0 and not ec.frozen
    ec.days_overdue = -ec.days_left if ec.overdue else 0


# ---- the list -----------------------------------------------------------------------------------------------


class EnforcementListView(CapabilityRequiredMixin, ListView):
    """ "My cases": the officer's own open cases by default; a division head (or anyone) may widen to the
    court's cases; filters, sorting, 50 a page, CSV/Excel export of the filtered list."""

    capability = "enforcement.view"
    template_name = "enforcement/case_list.html"
    paginate_by = LIST_PAGE
    context_object_name = "cases"

    def get_queryset(self):
        self.filter_form = f.CaseListFilterForm(self.request.GET or None, user=self.request.user)
        filters = self.filter_form.filters()
        queryset = enforcement_case_list(user=self.request.user, filters=filters).prefetch_related("suspensions")
        return self.filter_form.apply(queryset, user=self.request.user, today=timezone.localdate())

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx") and _can(request.user, "case.export"):
            return self._export(kind)
        return super().get(request, *args, **kwargs)

    def _export(self, kind: str):
        today = timezone.localdate()
        queryset = self.get_queryset()

        def rows():
            for ec in queryset[:MAX_EXPORT_ROWS]:
                annotate_days_left(ec, today)
                yield [
                    ec.case.number,
                    ec.get_status_display(),
                    ec.get_track_display(),
                    ec.difficulty_score,
                    str(ec.officer) if ec.officer else "",
                    ec.case.filing_date,
                    ec.deadline_on,
                    ec.days_left,
                    ec.case.amount,
                    "；".join(link.party.name for link in ec.case.party_links.all() if link.role == "debtor"),
                ]

        header = [
            _("Case number"),
            _("Status"),
            _("Track"),
            _("Difficulty score"),
            _("Officer"),
            _("Filing date"),
            _("Deadline"),
            _("Days left"),
            _("Amount"),
            _("Debtors"),
        ]
        return export_response(
            kind=kind,
            filename="enforcement-cases",
            header=header,
            rows=rows(),
            request=self.request,
            total=queryset,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for ec in context["cases"]:
            annotate_days_left(ec, today)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(filter_form=self.filter_form, query=query.urlencode(), today=today)
        if _can(self.request.user, "enforcement.file"):
            awaiting = documents_awaiting_enforcement(user=self.request.user, today=today)
            context.update(awaiting=list(awaiting[:AWAITING_SHOWN]), awaiting_count=awaiting.count())
        # 线索举报: the new tip-offs on the user's own cases (the officer's workspace card).
        from .views_rewards import officer_new_tips

        context["new_tips"] = officer_new_tips(self.request.user)
        return context


# ---- the case page ------------------------------------------------------------------------------------------


def _when(at) -> str:
    """A timeline entry's time: a status change has its minute, a service or a suspension only its day."""
    if isinstance(at, dt.datetime):
        return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    return at.isoformat()


def _alerts_of(case) -> list:
    """The filing alerts recorded on the case by the cases app (when it records them)."""
    manager = getattr(case, "filing_alerts", None) or getattr(case, "alerts", None)
    return list(manager.all()) if manager is not None else []


def case_page_context(request, ec: EnforcementCase, *, bound: dict | None = None, error: str = "") -> dict:
    """Everything the case page shows; ``bound`` replaces the blank action forms by the ones that failed."""
    user = request.user
    today = timezone.localdate()
    annotate_days_left(ec, today)
    case = ec.case
    pending = next((x for x in ec.extensions.all() if x.status == ExtensionStatus.PENDING), None)
    measures = list(
        PreservationMeasure.objects.filter(carried_into=case).select_related("application").order_by("expires_on")
    )
    for measure in measures:
        measure.days_left = (measure.expires_on - today).days
        measure.expiring = measure.status == MeasureStatus.ACTIVE and measure.days_left <= EXPIRY_WARNING_DAYS
    is_open = ec.status != Status.CLOSED
    can_act = _can(user, "enforcement.act") and is_open
    can_assign = _can(user, "enforcement.assign") and is_open
    available = {t.name for t in ec.get_available_user_status_transitions(user)} if is_open else set()
    plain_steps = [
        (name, label)
        for name, label in (
            ("notify", _("Mark the debtor notified")),
            ("start_investigation", _("Start the asset investigation")),
            ("start_control", _("Start controlling assets")),
            ("start_disposal", _("Start disposing of assets")),
            ("start_distribution", _("Start distributing the proceeds")),
        )
        if name in available
    ]
    window = request_window(ec.deadline_on) if ec.deadline_on else None
    in_window = bool(window and window[0] <= today <= window[1])
    can_request = (
        _can(user, "enforcement.request_extension")
        and is_open
        and ec.status != Status.SUSPENDED
        and (user.is_superuser or ec.officer_id == user.pk)
        and pending is None
    )
    can_decide = (
        pending is not None and _can(user, "enforcement.approve_extension") and pending.requested_by_id != user.pk
    )
    forms = {
        "assign": f.AssignForm(court_id=case.court_id),
        "track": f.TrackForm(initial={"track": ec.track}),
        "notice": f.NoticeForm(case=case),
        "suspend": f.SuspendForm(),
        "resume": f.ResumeForm(),
        "close": f.CloseForm(),
        "extension": f.ExtensionRequestForm(),
        "decision": f.ExtensionDecisionForm(),
        "transition": f.TransitionForm(),
        "restore": f.RestoreForm(),
    }
    forms.update(bound or {})
    restorations = list(ec.restorations.select_related("case"))
    can_restore = (
        ec.status == Status.CLOSED
        and ec.closing_kind == ClosingKind.TERMINATED_THIS_ROUND
        and not restorations
        and _can(user, "enforcement.restore")
    )
    context = {
        "ec": ec,
        "case": case,
        "document": ec.source_document,
        "parties": list(case.party_links.all()),
        "alerts": _alerts_of(case),
        "measures": measures,
        "steps": case_deadlines(enforcement_case=ec, today=today),
        "notices": list(ec.notices.select_related("recipient", "issued_by")),
        "timeline": [(_when(entry.at), entry) for entry in case_timeline(enforcement_case=ec)],
        "extensions": list(ec.extensions.all()),
        "pending_extension": pending,
        "forms": forms,
        "open_form": next(iter(bound), "") if bound else "",
        "action_error": error,
        "can_act": can_act,
        "can_assign": can_assign,
        "can_notice": can_act and ec.status in ISSUING_STATUSES,
        "can_suspend": "suspend" in available,
        "can_resume": "resume" in available,
        "can_close": "close" in available,
        "can_restore": can_restore,
        "restorations": restorations,
        "plain_steps": plain_steps,
        "can_request_extension": can_request,
        "extension_window": window,
        "in_extension_window": in_window,
        "can_decide_extension": can_decide,
        "today": today,
    }
    # The 终本 panel and the restoration-request panel add their own context (and bound forms). Their modules
    # define views on CaseActionView, so they are imported here rather than at the top (same app).
    from .views_distribution import distribution_context
    from .views_restoration import restoration_context
    from .views_termination import termination_context

    context.update(termination_context(request, ec, bound or {}))
    context.update(restoration_context(request, ec, bound or {}))
    context.update(distribution_context(request, ec, bound or {}))
    return context


class EnforcementDetailView(CapabilityRequiredMixin, TemplateView):
    capability = "enforcement.view"
    template_name = "enforcement/case_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ec = enforcement_case_get(user=self.request.user, pk=kwargs["pk"])
        context.update(case_page_context(self.request, ec))
        return context


class CaseActionView(CapabilityRequiredMixin, View):
    """POST only: bind ``form_class`` as ``form_key``, call ``perform`` (one service), redirect with
    ``success``; a refusal re-renders the case page (status 400) with the message and the bound form."""

    form_key = ""
    form_class = None
    http_method_names = ["post"]

    def form_kwargs(self, ec: EnforcementCase) -> dict:
        return {}

    def perform(self, ec: EnforcementCase, data: dict) -> str:
        raise NotImplementedError

    def success_url(self, ec: EnforcementCase) -> str:
        return reverse("enforcement:detail", args=[ec.pk])

    def post(self, request, pk: int):
        ec = enforcement_case_get(user=request.user, pk=pk)
        form = self.form_class(request.POST, **self.form_kwargs(ec))
        if form.is_valid():
            try:
                success = self.perform(ec, form.cleaned_data)
            except (NotFound, PermissionDenied):
                raise
            except InvalidInput as error:
                add_service_errors(form, error)
                return self._refused(ec, form, error.message)
            except ApplicationError as error:
                return self._refused(ec, form, error.message)
            messages.success(request, success)
            return redirect(self.success_url(ec))
        return self._refused(ec, form, _("Correct the errors in the form."))

    def _refused(self, ec: EnforcementCase, form, message: str):
        ec = enforcement_case_get(user=self.request.user, pk=ec.pk)  # as it is after the rolled-back attempt
        view = EnforcementDetailView()
        view.setup(self.request, pk=ec.pk)
        context = case_page_context(self.request, ec, bound={self.form_key: form}, error=message)
        return view.render_to_response(context, status=400)


class AssignView(CaseActionView):
    capability = "enforcement.assign"
    form_key = "assign"
    form_class = f.AssignForm

    def form_kwargs(self, ec):
        return {"court_id": ec.case.court_id}

    def perform(self, ec, data):
        case_assign(actor=self.request.user, enforcement_case=ec, officer=data["officer"], reason=data["reason"])
        return _("Case assigned to %(name)s.") % {"name": data["officer"]}


class TriageView(CaseActionView):
    capability = "enforcement.act"
    form_key = "triage"
    form_class = f.EmptyForm

    def perform(self, ec, data):
        ec = case_triage(actor=self.request.user, enforcement_case=ec)
        return _("Difficulty scored %(score)d: %(track)s.") % {
            "score": ec.difficulty_score,
            "track": ec.get_track_display(),
        }


class TrackView(CaseActionView):
    capability = "enforcement.assign"
    form_key = "track"
    form_class = f.TrackForm

    def perform(self, ec, data):
        ec = case_set_track(actor=self.request.user, enforcement_case=ec, track=data["track"], reason=data["reason"])
        return _("Track set: %(track)s.") % {"track": ec.get_track_display()}


class TransitionView(CaseActionView):
    capability = "enforcement.act"
    form_key = "transition"
    form_class = f.TransitionForm

    def perform(self, ec, data):
        ec = transition_apply(
            actor=self.request.user, enforcement_case=ec, transition=data["transition"], reason=data["reason"]
        )
        return _("Status now: %(status)s.") % {"status": ec.get_status_display()}


class NoticeView(CaseActionView):
    capability = "enforcement.act"
    form_key = "notice"
    form_class = f.NoticeForm

    def form_kwargs(self, ec):
        return {"case": ec.case}

    def perform(self, ec, data):
        data["recipient_id"] = data.pop("recipient").pk
        notice = notice_issue(actor=self.request.user, enforcement_case=ec, **data)
        return _("%(document)s issued to %(party)s.") % {
            "document": notice.get_kind_display(),
            "party": notice.recipient,
        }


class SuspendView(CaseActionView):
    capability = "enforcement.act"
    form_key = "suspend"
    form_class = f.SuspendForm

    def perform(self, ec, data):
        case_suspend(actor=self.request.user, enforcement_case=ec, **data)
        return _("Enforcement suspended; the time limit stands still.")


class ResumeView(CaseActionView):
    capability = "enforcement.act"
    form_key = "resume"
    form_class = f.ResumeForm

    def perform(self, ec, data):
        case_resume(actor=self.request.user, enforcement_case=ec, **data)
        return _("Enforcement resumed.")


class CloseView(CaseActionView):
    capability = "enforcement.act"
    form_key = "close"
    form_class = f.CloseForm

    def perform(self, ec, data):
        case_close(actor=self.request.user, enforcement_case=ec, **data)
        return _("Case closed.")


class RestoreView(CaseActionView):
    """恢复执行: a case closed as 终本 goes on as a new 执恢 case; the page of the new case opens."""

    capability = "enforcement.restore"
    form_key = "restore"
    form_class = f.RestoreForm

    def perform(self, ec, data):
        self.restored = case_restore(actor=self.request.user, enforcement_case=ec, on=data["on"], reason=data["reason"])
        return _("Enforcement restored as %(number)s.") % {"number": self.restored.case.number}

    def success_url(self, ec):
        return reverse("enforcement:detail", args=[self.restored.pk])


class ExtensionRequestView(CaseActionView):
    capability = "enforcement.request_extension"
    form_key = "extension"
    form_class = f.ExtensionRequestForm

    def perform(self, ec, data):
        extension_request(actor=self.request.user, enforcement_case=ec, months=data["months"], reason=data["reason"])
        return _("Extension requested; a division head will decide.")


class ExtensionDecideView(CaseActionView):
    """Decide the case's pending extension request (posted from the case page or the approvals page)."""

    capability = "enforcement.approve_extension"
    form_key = "decision"
    form_class = f.ExtensionDecisionForm

    def perform(self, ec, data):
        pending = ec.extensions.filter(status=ExtensionStatus.PENDING).first()
        if pending is None:
            raise InvalidInput({"decision": _("No extension request is waiting for a decision.")})
        approve = data["decision"] == "approve"
        extension_decide(actor=self.request.user, extension=pending, approve=approve, note=data["note"])
        if approve:
            return _("Extension approved.")
        return _("Extension refused.")

    def post(self, request, pk: int):
        response = super().post(request, pk)
        back = request.POST.get("next", "")
        if response.status_code == 302 and back == reverse("enforcement:extensions"):
            return redirect(back)
        return response


class NoticeDownloadView(CapabilityRequiredMixin, View):
    """The generated .docx of a notice, to users who can see its case."""

    capability = "enforcement.view"

    def get(self, request, pk: int):
        notices = scope_to_user(Notice.objects.all(), request.user, court_field="enforcement_case__case__court")
        notice = notices.filter(pk=pk).first()
        if notice is None:
            raise Http404(_("Not found."))
        name = f"{notice.get_kind_display()}-{notice.enforcement_case.case.number}.docx"
        return stored_file_response(notice.file, filename=name)


# ---- the enforcement application ----------------------------------------------------------------------------


class EnforcementApplyView(CapabilityRequiredMixin, TemplateView):
    """立案执行 on an effective document: the document with the last day of its application period, and the
    application form. A refusal of ``enforcement_file`` shows the page again (status 400) with its message."""

    capability = "enforcement.file"
    template_name = "enforcement/apply.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.document
        start = document.period_start()  # None for a document not yet effective, without a performance period
        last_day = application_last_day(start) if start else None
        today = timezone.localdate()
        context.update(
            document=document,
            case=document.case,
            instalments=list(document.instalments.all()),
            enforcement_cases=list(document.enforcement_cases.all()),
            last_day=last_day,
            period_over=bool(last_day and today > last_day),
            form=kwargs.get("form") or f.EnforcementApplicationForm(document=document),
            error=kwargs.get("error", ""),
        )
        return context

    def get(self, request, *args, **kwargs):
        self.document = application_document_get(user=request.user, pk=kwargs["document_pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.document = document = application_document_get(user=request.user, pk=kwargs["document_pk"])
        form = f.EnforcementApplicationForm(request.POST, document=document)
        if not form.is_valid():
            return self._refused(form, _("Correct the errors in the form."))
        data = form.cleaned_data
        try:
            ec = enforcement_file(
                actor=request.user,
                document=document,
                court=document.case.court,
                applicant_ids=data["applicants"],
                respondent_ids=data["respondents"],
                filing_date=data["filing_date"],
                amount=data["amount"],
                late_reason=data["late_reason"],
            )
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as error:
            return self._refused(form, error.message)
        messages.success(request, _("Enforcement case %(number)s filed.") % {"number": ec.case.number})
        for alert in ec.case.filing_alerts.select_related("party"):
            messages.warning(request, alert.sentence)
        return redirect(reverse("enforcement:detail", args=[ec.pk]))

    def _refused(self, form, message: str):
        return self.render_to_response(self.get_context_data(form=form, error=message), status=400)


# ---- division head pages ------------------------------------------------------------------------------------


class BulkAssignView(CapabilityRequiredMixin, TemplateView):
    """The court's unassigned cases with their triage, check boxes and an officer (or automatic). Many chosen
    cases (``assignment_queue``) are assigned by a task while the page shows the job's progress (``?job=``)."""

    capability = "enforcement.assign"
    template_name = "enforcement/bulk_assign.html"

    def unassigned(self):
        return (
            enforcement_case_list(user=self.request.user, filters=None)
            .filter(status=Status.FILED)
            .order_by("case__filing_date", "id")
        )

    def _form(self, data=None, cases=None):
        cases = list(self.unassigned()) if cases is None else cases
        return f.BulkAssignForm(data, case_ids=[c.pk for c in cases], court_id=self.request.user.court_id), cases

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, cases = kwargs.get("form") or (None, None)
        if form is None:
            form, cases = self._form()
        today = timezone.localdate()
        for ec in cases:
            annotate_days_left(ec, today)
        court_id = self.request.user.court_id
        officers = list(assignable_officers(court_id)) if court_id else []
        loads = dict(
            EnforcementCase.objects.filter(officer__in=officers)
            .exclude(status=Status.CLOSED)
            .values("officer_id")
            .annotate(n=Count("id"))
            .values_list("officer_id", "n")
        )
        for officer in officers:
            officer.open_cases = loads.get(officer.pk, 0)
        context.update(form=form, cases=cases, officers=officers, error=kwargs.get("error", ""))
        from core.jobs import job_get

        job_id = self.request.GET.get("job", "")
        context["job"] = job_get(user=self.request.user, pk=int(job_id)) if job_id.isdigit() else None
        return context

    def post(self, request, *args, **kwargs):
        from .tasks_assignment import assignment_queue

        form, cases = self._form(request.POST)
        if form.is_valid():
            chosen = [c for c in cases if c.pk in set(form.cleaned_data["cases"])]
            # Many cases: assigned by a task (still all or nothing) while the page shows its progress.
            job = assignment_queue(
                actor=request.user, case_ids=[c.pk for c in chosen], officer=form.cleaned_data["officer"]
            )
            if job is not None:
                return redirect(f"{reverse('enforcement:assign')}?job={job.pk}")
            try:
                done = cases_assign_bulk(
                    actor=request.user, enforcement_cases=chosen, officer=form.cleaned_data["officer"]
                )
            except (NotFound, PermissionDenied):
                raise
            except ApplicationError as error:
                context = self.get_context_data(form=(form, cases), error=error.message)
                return self.render_to_response(context, status=400)
            messages.success(request, _("%(count)d case(s) assigned.") % {"count": len(done)})
            return redirect(reverse("enforcement:assign"))
        context = self.get_context_data(form=(form, cases), error=_("Correct the errors in the form."))
        return self.render_to_response(context, status=400)


class ExtensionListView(CapabilityRequiredMixin, TemplateView):
    capability = "enforcement.approve_extension"
    template_name = "enforcement/extension_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = scope_to_user(
            ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).select_related(
                "enforcement_case__case", "enforcement_case__officer", "requested_by"
            ),
            self.request.user,
            court_field="enforcement_case__case__court",
        ).order_by("enforcement_case__deadline_on", "requested_at")
        decided = scope_to_user(
            ExtensionRequest.objects.exclude(status=ExtensionStatus.PENDING).select_related(
                "enforcement_case__case", "requested_by", "decided_by"
            ),
            self.request.user,
            court_field="enforcement_case__case__court",
        ).order_by("-decided_at")[:20]
        context.update(pending=list(pending), decided=list(decided), form=f.ExtensionDecisionForm())
        return context
