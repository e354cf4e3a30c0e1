from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from core.exceptions import InvalidInput
from core.export import MAX_EXPORT_ROWS, export_response
from core.mixins import CapabilityRequiredMixin

from .filters import CaseFilter
from .forms import CaseFileForm, PartyFormSet, apply_service_errors
from .selectors import case_get, case_list, party_cases, party_get_personal
from .services import PartyInput, case_file


class CaseListView(CapabilityRequiredMixin, ListView):
    capability = "case.view"
    template_name = "cases/case_list.html"
    paginate_by = 50
    context_object_name = "cases"

    def get_queryset(self):
        self.filterset = CaseFilter(self.request.GET or None, queryset=case_list(user=self.request.user))
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx") and (request.user.is_superuser or request.user.can("case.export")):
            return self._export(kind)
        return super().get(request, *args, **kwargs)

    def _export(self, kind: str):
        rows = (
            [
                c.number,
                c.get_case_type_display(),
                c.court.name,
                c.filing_date,
                c.amount,
                c.cause,
                "；".join(f"{link.get_role_display()} {link.party.name}" for link in c.party_links.all()),
            ]
            for c in self.get_queryset()[:MAX_EXPORT_ROWS]
        )
        header = [
            _("Case number"),
            _("Case type"),
            _("Court"),
            _("Filing date"),
            _("Amount"),
            _("Cause of action"),
            _("Parties"),
        ]
        return export_response(kind=kind, filename="cases", header=header, rows=rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            query=query.urlencode(),
            can_file=self.request.user.is_superuser or self.request.user.can("case.file"),
        )
        return context


class CaseFileView(CapabilityRequiredMixin, TemplateView):
    capability = "case.file"
    template_name = "cases/case_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=CaseFileForm(user=request.user), formset=PartyFormSet(prefix="parties"))
        )

    def post(self, request, *args, **kwargs):
        form = CaseFileForm(request.POST, user=request.user)
        formset = PartyFormSet(request.POST, prefix="parties")
        if form.is_valid() and formset.is_valid():
            rows = [i for i, f in enumerate(formset.forms) if not f.is_blank()]
            parties = [PartyInput(**formset.forms[i].cleaned_data) for i in rows]
            try:
                case = case_file(actor=request.user, parties=parties, number="", **form.cleaned_data)
            except InvalidInput as error:
                apply_service_errors(error, form, formset, rows)
            else:
                messages.success(request, _("Case %(number)s filed.") % {"number": case.number})
                return redirect(reverse("cases:detail", args=[case.pk]))
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)


class CaseDetailView(CapabilityRequiredMixin, TemplateView):
    capability = "case.view"
    template_name = "cases/case_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = case_get(user=self.request.user, case_id=kwargs["pk"])
        return context


class PartyDetailView(CapabilityRequiredMixin, TemplateView):
    """A party's personal details: opening this page is recorded in the audit log."""

    capability = "party.view_personal"
    template_name = "cases/party_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        party = party_get_personal(user=self.request.user, party_id=kwargs["pk"], purpose="party page")
        context.update(party=party, links=party_cases(user=self.request.user, party=party))
        return context
