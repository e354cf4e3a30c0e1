"""Forms of the restoration requests on the case page; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import PartyRole
from cases.models import Party

DATE = forms.DateInput(attrs={"type": "date"})


class RestorationRequestForm(forms.Form):
    """The applicant's request taken at the filing window: who, the property lead, the day it came in."""

    applicant = forms.ModelChoiceField(queryset=Party.objects.none(), label=_("Applicant"))
    lead = forms.CharField(
        label=_("Property lead"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("What property the applicant found, and where (终本规定 art. 9)."),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # Any party of the case may be posted (the service names the rule a non-creditor breaks); the
        # drop-down offers the case's creditors.
        self.fields["applicant"].queryset = Party.objects.filter(case_links__case=case)
        creditors = Party.objects.filter(case_links__case=case, case_links__role=PartyRole.CREDITOR).order_by(
            "case_links__position"
        )
        self.fields["applicant"].widget.choices = [(p.pk, p.name) for p in creditors]
        self.fields["received_on"].initial = timezone.localdate()


class RestorationDecisionForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", _("Accept: restore")), ("refuse", _("Refuse"))])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing: what the check of the lead found."),
    )
    on = forms.DateField(label=_("Restored on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
