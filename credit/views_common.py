"""What the credit action pages share."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import ApplicationError, InvalidInput, NotFound, PermissionDenied
from core.forms import add_service_errors
from core.mixins import CapabilityRequiredMixin


class CaseActionView(CapabilityRequiredMixin, View):
    """POST only, on an enforcement case: parse the form, call ``perform`` (one service); back to the case page
    with a message, or ``template_name`` (status 400) with the form and the refusal. Subclasses give
    ``get_case(user, pk)`` (the scoped selector) and ``perform(ec, form)``."""

    http_method_names = ["post"]
    form_class = None
    title = ""
    template_name = ""

    def get_case(self, user, pk: int):
        raise NotImplementedError

    def form(self, ec, data=None):
        return self.form_class(data)

    def perform(self, ec, form) -> str:
        raise NotImplementedError

    def post(self, request, enforcement_pk: int):
        ec = self.get_case(request.user, enforcement_pk)
        form = self.form(ec, request.POST)
        error = _("Correct the errors in the form.")
        if form.is_valid():
            try:
                success = self.perform(ec, form)
            except (NotFound, PermissionDenied):
                raise
            except InvalidInput as exc:
                add_service_errors(form, exc)
                error = exc.message
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, success)
                return redirect(reverse("enforcement:detail", args=[ec.pk]))
        context = {"enforcement_case": ec, "form": form, "error": error, "title": self.title, "action": request.path}
        return render(request, self.template_name, context, status=400)
