"""Staff pages of the correction requests (失信规定 arts. 11–12): the court's list with what is due and
overdue first (filters, export), a request's page with its deadlines and the decision forms, and recording a
written application against an entry. Each action posts to a view that calls one service; a refusal renders
the request's page again (400) with the message and the form as entered."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from core.access import get_visible_or_404
from core.exceptions import ApplicationError, InvalidInput, NotFound, PermissionDenied
from core.export import MAX_EXPORT_ROWS, export_response
from core.forms import add_service_errors
from core.identifiers import mask_identifier
from core.mixins import CapabilityRequiredMixin

from . import forms_corrections as f
from .choices import CorrectionStatus
from .models import DishonestListing
from .services.corrections import (
    applicant_is_listed_person,
    correction_deadlines,
    correction_decide,
    correction_file,
    correction_get,
    correction_list,
    correction_mark_corrected,
    correction_reconsideration_asked,
    correction_reconsideration_decided,
    correction_rejection_served,
)

LIST_PAGE = 50


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


class CorrectionListView(CapabilityRequiredMixin, ListView):
    """The court's correction requests, the nearest deadline first (overdue on top); 50 a page; CSV/Excel."""

    capability = "credit.view"
    template_name = "credit/correction_list.html"
    paginate_by = LIST_PAGE
    context_object_name = "corrections"

    def get_queryset(self):
        self.filter_form = f.CorrectionFilterForm(self.request.GET or None)
        return correction_list(user=self.request.user, **self.filter_form.filters())

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx") and _can(request.user, "case.export"):
            return self._export(kind)
        return super().get(request, *args, **kwargs)

    def _export(self, kind: str):
        def rows():
            for item in self.get_queryset()[:MAX_EXPORT_ROWS]:
                yield [
                    item.listing.enforcement_case.case.number,
                    item.listing.debtor_name,
                    item.applicant_name,
                    item.get_ground_display(),
                    item.get_status_display(),
                    item.filed_on,
                    item.review_due_on,
                    item.correct_due_on,
                    item.reconsideration_decision_due_on,
                    item.next_due_on,
                ]

        header = [
            _("Case number"),
            _("Listed person"),
            _("Applicant"),
            pgettext_lazy("credit", "Ground"),
            _("Status"),
            _("Filed on"),
            _("Review due"),
            _("Correction due"),
            _("Reconsideration decision due"),
            _("Next deadline"),
        ]
        return export_response(
            kind=kind,
            filename="correction-requests",
            header=header,
            rows=rows(),
            request=self.request,
            total=self.get_queryset(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for item in context["corrections"]:
            item.overdue = item.next_due_on is not None and item.next_due_on < today
            item.days_left = (item.next_due_on - today).days if item.next_due_on else None
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(filter_form=self.filter_form, query=query.urlencode(), today=today)
        return context


ACTIONS = {
    "decide": f.CorrectionDecisionForm,
    "corrected": f.CorrectedForm,
    "served": f.ServedForm,
    "reconsideration": f.ReconsiderationAskedForm,
    "reconsidered": f.ReconsiderationDecidedForm,
}

URL_NAMES = {
    "decide": "decide",
    "corrected": "corrected",
    "served": "served",
    "reconsideration": "reconsideration",
    "reconsidered": "reconsidered",
}
TITLES = {
    "decide": _lazy("Decide the request (within 15 days)"),
    "corrected": _lazy("Record the correction (within 3 working days)"),
    "served": _lazy("Record service of the rejection"),
    "reconsideration": _lazy("Record the applicant's reconsideration (复议) to the higher court"),
    "reconsidered": _lazy("Record the higher court's decision"),
}


def detail_context(request, correction, bound: dict | None = None, error: str = "") -> dict:
    """The request, its deadlines and the forms of the steps its status allows (to ``credit.correct``)."""
    bound = bound or {}
    can_act = _can(request.user, "credit.correct")
    status = correction.status
    allowed = {
        "decide": status == CorrectionStatus.PENDING,
        "corrected": status == CorrectionStatus.UPHELD,
        "served": status == CorrectionStatus.REJECTED and correction.rejection_served_on is None,
        "reconsideration": status == CorrectionStatus.REJECTED and correction.rejection_served_on is not None,
        "reconsidered": status == CorrectionStatus.RECONSIDERATION,
    }
    steps = [
        {
            "key": key,
            "title": TITLES[key],
            "url": reverse(f"credit:correction-{URL_NAMES[key]}", args=[correction.pk]),
            "form": bound.get(key) or form(),
        }
        for key, form in ACTIONS.items()
        if can_act and allowed[key]
    ]
    return {
        "correction": correction,
        "listing": correction.listing,
        # the applicant's identifier is not shown whole (no staff read of personal data): masked, and matched
        "applicant_id_masked": mask_identifier(correction.applicant_id_number),
        "applicant_is_listed_person": applicant_is_listed_person(correction),
        "deadlines": correction_deadlines(correction, timezone.localdate()),
        "steps": steps,
        "error": error,
    }


class CorrectionDetailView(CapabilityRequiredMixin, TemplateView):
    capability = "credit.view"
    template_name = "credit/correction_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request, correction_get(user=self.request.user, pk=kwargs["pk"])))
        return context


class CorrectionActionView(CapabilityRequiredMixin, View):
    """POST one step of a request (``action`` names the form and the service)."""

    capability = "credit.correct"
    http_method_names = ["post"]
    action = ""

    def perform(self, correction, data) -> str:
        user = self.request.user
        if self.action == "decide":
            uphold = data["decision"] == "uphold"
            correction_decide(actor=user, request=correction, uphold=uphold, note=data["note"], on=data["on"])
            return _("Request upheld: correct the entry within 3 working days.") if uphold else _("Request rejected.")
        if self.action == "corrected":
            correction_mark_corrected(actor=user, request=correction, note=data["note"], on=data["on"])
            return _("Correction recorded.")
        if self.action == "served":
            correction_rejection_served(actor=user, request=correction, on=data["on"])
            return _("Service recorded: reconsideration may be asked within 10 days.")
        if self.action == "reconsideration":
            correction_reconsideration_asked(actor=user, request=correction, on=data["on"])
            return _("Reconsideration recorded: the higher court decides within 15 days.")
        correction_reconsideration_decided(
            actor=user, request=correction, result=data["result"], upheld=data["upheld"], on=data["on"]
        )
        return _("The higher court's decision is recorded.")

    def post(self, request, pk: int):
        correction = correction_get(user=request.user, pk=pk)
        form = ACTIONS[self.action](request.POST)
        if form.is_valid():
            try:
                success = self.perform(correction, form.cleaned_data)
            except (NotFound, PermissionDenied):
                raise
            except InvalidInput as error:
                add_service_errors(form, error)
                return self._refused(correction, form, error.message)
            except ApplicationError as error:
                return self._refused(correction, form, error.message)
            messages.success(request, success)
            return redirect("credit:correction-detail", pk=correction.pk)
        return self._refused(correction, form, _("Correct the errors in the form."))

    def _refused(self, correction, form, message: str):
        view = CorrectionDetailView()
        view.setup(self.request, pk=correction.pk)
        fresh = correction_get(user=self.request.user, pk=correction.pk)
        context = detail_context(self.request, fresh, bound={self.action: form}, error=message)
        return view.render_to_response(context, status=400)


class CorrectionFileView(CapabilityRequiredMixin, TemplateView):
    """Record a written correction application against an entry of the user's court."""

    capability = "credit.view"
    template_name = "credit/correction_file.html"

    def listing(self):
        return get_visible_or_404(
            DishonestListing.objects.select_related("debtor", "enforcement_case__case"),
            self.request.user,
            court_field="enforcement_case__case__court",
            pk=self.kwargs["listing_pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listing = kwargs.get("listing") or self.listing()
        context.update(listing=listing, form=kwargs.get("form") or f.StaffCorrectionForm(listing=listing))
        return context

    def post(self, request, listing_pk: int):
        listing = self.listing()
        form = f.StaffCorrectionForm(request.POST, listing=listing)
        error = _("Correct the errors in the form.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                correction = correction_file(
                    actor=request.user,
                    listing=listing,
                    applicant_name=data["applicant_name"],
                    applicant_id_number=data["applicant_id_number"],
                    contact=data["contact"],
                    ground=data["ground"],
                    statement=data["statement"],
                    on=data["filed_on"],
                )
            except (NotFound, PermissionDenied):
                raise
            except InvalidInput as refusal:
                add_service_errors(form, refusal)
                error = refusal.message
            except ApplicationError as refusal:
                error = refusal.message
            else:
                messages.success(request, _("Correction request recorded: review within 15 days."))
                return redirect(reverse("credit:correction-detail", args=[correction.pk]))
        context = self.get_context_data(listing=listing, form=form, error=error)
        return self.render_to_response(context, status=400)
