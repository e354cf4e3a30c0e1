"""Public pages of the 终本 case database (终本规定 2016 arts. 12–13): the searchable list and one entry.

No login (like the public home page): only entries that are published and not masked are shown, with each
person's ID number masked. Nothing here is throttled; the public API is (``enforcement.api_public``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from .selectors_public import public_courts, public_entry_get, public_entry_list

PUBLIC_PAGE = 25
DATE = forms.DateInput(attrs={"type": "date"})


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Debtor name or case number"), required=False, max_length=100)
    court = forms.ChoiceField(label=_("Court"), required=False)
    ruled_from = forms.DateField(label=_("Ruled from"), required=False, widget=DATE)
    ruled_to = forms.DateField(label=_("Ruled until"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [("", _("All courts"))] + [(name, name) for name in public_courts()]

    def filters(self) -> dict:
        """The valid filters (an invalid one is left out, and its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}


@method_decorator(login_not_required, name="dispatch")
class TerminatedCaseListView(ListView):
    """The public 终本 list: search by debtor name or case number, filter by court and ruling date, 25 a page."""

    template_name = "enforcement/public/terminated_list.html"
    paginate_by = PUBLIC_PAGE
    context_object_name = "entries"

    def get_queryset(self):
        self.form = PublicSearchForm(self.request.GET or None)
        return public_entry_list(**self.form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=self.form, query=query.urlencode())
        return context


@method_decorator(login_not_required, name="dispatch")
class TerminatedCaseDetailView(TemplateView):
    """One public entry (404 when it is not public: missing, not published or masked)."""

    template_name = "enforcement/public/terminated_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entry"] = public_entry_get(pk=kwargs["pk"])
        return context
