"""Forms of the correction requests (失信规定 arts. 11–12): filing (public and staff), the decisions on the
staff page, and the filters of the staff list. The services check the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import CorrectionGround, CorrectionStatus

DATE = forms.DateInput(attrs={"type": "date"})


def _today_initial(form: forms.Form, *names: str) -> None:
    for name in names:
        form.fields[name].initial = timezone.localdate()


class _Application(forms.Form):
    ground = forms.ChoiceField(label=pgettext_lazy("credit", "Ground"), choices=CorrectionGround.choices)
    statement = forms.CharField(
        label=_("Statement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is wrong with the entry and why; list the evidence you rely on."),
    )
    contact = forms.CharField(
        label=_("Contact"), max_length=100, required=False, help_text=_("A phone number or address for the reply.")
    )


class PublicCorrectionForm(_Application):
    """The listed person identifies the entry by its case number and their own name and identifier."""

    case_number = forms.CharField(label=_("Case number (执行案号)"), max_length=60)
    name = forms.CharField(label=_("Your name (or your organisation's)"), max_length=200)
    id_number = forms.CharField(
        label=_("Your ID number or unified social credit code"),
        max_length=18,
        min_length=15,
        help_text=_("The full identifier; it must match the listed person's."),
    )

    field_order = ["case_number", "name", "id_number", "ground", "statement", "contact"]


class StaffCorrectionForm(_Application):
    """A written application received by the court, recorded by staff."""

    applicant_name = forms.CharField(label=_("Applicant"), max_length=200)
    applicant_id_number = forms.CharField(label=_("Applicant's identifier"), max_length=18)
    filed_on = forms.DateField(label=_("Received on"), widget=DATE)

    field_order = ["applicant_name", "applicant_id_number", "contact", "ground", "statement", "filed_on"]

    def __init__(self, *args, listing=None, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self, "filed_on")
        if listing is not None:
            self.fields["applicant_name"].initial = listing.debtor_name
            self.fields["applicant_id_number"].initial = listing.debtor.id_number


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("uphold", _("Uphold: correct the entry")), ("reject", _("Reject"))]
    )
    note = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting (a decision with its reasons)."),
    )
    on = forms.DateField(label=pgettext_lazy("credit", "Decided on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self, "on")


class CorrectedForm(forms.Form):
    note = forms.CharField(
        label=_("What was corrected"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for inaccurate information; a wrongful entry is revoked."),
    )
    on = forms.DateField(label=_("Corrected on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self, "on")


class ServedForm(forms.Form):
    on = forms.DateField(label=_("Rejection served on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self, "on")


class ReconsiderationAskedForm(forms.Form):
    on = forms.DateField(label=_("Reconsideration asked on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self, "on")


class ReconsiderationDecidedForm(forms.Form):
    result = forms.CharField(
        label=_("The higher court's decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    upheld = forms.BooleanField(label=_("The application was found well founded: correct the entry"), required=False)
    on = forms.DateField(label=pgettext_lazy("credit", "Decided on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_initial(self, "on")


class CorrectionFilterForm(forms.Form):
    q = forms.CharField(label=_("Case number or name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CorrectionStatus.choices]
    )
    ground = forms.ChoiceField(
        label=pgettext_lazy("credit", "Ground"),
        required=False,
        choices=[("", _("Any ground")), *CorrectionGround.choices],
    )
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), ("overdue", _("Overdue")), ("week", _("Due within 7 days"))],
    )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
