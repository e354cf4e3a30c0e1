"""The public correction page (纠正申请, 失信规定 arts. 11–12), no login: the listed person identifies the entry
by its case number and their own name and identifier, states the ground and files; a confirmation page
follows. A wrong case number, name or identifier gets the same friendly "not found" (nothing learnt about
who is listed), and attempts are limited per client address (``core.ratelimit``), so the page cannot be
used to test identities against the list."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.exceptions import ApplicationError, InvalidInput
from core.forms import add_service_errors
from core.ratelimit import rate_exceeded

from .forms_corrections import PublicCorrectionForm
from .models import CorrectionRequest
from .services.corrections import correction_file, listing_for_public_correction

SESSION_KEY = "credit_correction_filed"
# attempts per client address per window (``CREDIT_CORRECTION_RATE = (attempts, seconds)`` overrides)
DEFAULT_RATE = (10, 3600)


def attempt_allowed(request) -> bool:
    """Count one filing attempt of this client; False once it has used up its attempts in the window."""
    attempts, window = getattr(settings, "CREDIT_CORRECTION_RATE", DEFAULT_RATE)
    return not rate_exceeded(request, bucket="credit:correction-attempts", limit=attempts, window=window)


@method_decorator(login_not_required, name="dispatch")
class PublicCorrectionView(TemplateView):
    template_name = "credit/public/correction_new.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PublicCorrectionForm())
        return context

    def post(self, request):
        form = PublicCorrectionForm(request.POST)
        if not attempt_allowed(request):
            error = _("Too many attempts from your connection. Please try again in an hour.")
            return self.render_to_response(
                self.get_context_data(form=_forget_identifier(form), error=error), status=429
            )
        error = _("Please correct the errors below.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                listing = listing_for_public_correction(
                    case_number=data["case_number"], name=data["name"], id_number=data["id_number"]
                )
                correction = correction_file(
                    listing=listing,
                    applicant_name=data["name"],
                    applicant_id_number=data["id_number"],
                    contact=data["contact"],
                    ground=data["ground"],
                    statement=data["statement"],
                )
            except InvalidInput as refusal:
                add_service_errors(form, refusal)
                error = refusal.message
            except ApplicationError as refusal:
                error = refusal.message
            else:
                request.session[SESSION_KEY] = correction.pk
                return redirect("disclosure:correction-filed")
        return self.render_to_response(self.get_context_data(form=_forget_identifier(form), error=error), status=400)


def _forget_identifier(form: PublicCorrectionForm) -> PublicCorrectionForm:
    """The refused form as entered, but without the identifier: a page never shows a full ID number back
    (a shared computer, a screenshot), the person types it again."""
    form.is_valid()  # errors are computed from what was posted before the value is dropped
    data = form.data.copy()
    data["id_number"] = ""
    form.data = data
    return form


@method_decorator(login_not_required, name="dispatch")
class PublicCorrectionFiledView(TemplateView):
    """The confirmation, shown to the browser that filed (the request's id is kept in its session)."""

    template_name = "credit/public/correction_filed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pk = self.request.session.get(SESSION_KEY)
        correction = (
            CorrectionRequest.objects.select_related("listing__enforcement_case__case__court").filter(pk=pk).first()
            if pk
            else None
        )
        if correction is None:
            raise Http404(_("Not found."))
        context["correction"] = correction
        return context
