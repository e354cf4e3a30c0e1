"""Forms of the coercion panel on the case page: propose, decide (the president), execute, release; start a
debtor search, add an attempt, close it. They parse the POST; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CoerciveKind, ObstructionGround

ATTEMPT_KIND_CHOICES = [
    ("address", _("Address visited")),
    ("agency", _("Agency asked")),
    ("relatives", _("Relatives asked")),
    ("other", _("Other")),
]
DATE = forms.DateInput(attrs={"type": "date"})


class PartyChoiceForm(forms.Form):
    """A form with a party select filled from the case."""

    party_field = ""

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.party_field:
            self.fields[self.party_field].choices = [("", "—")] + [(p.pk, p.name) for p in parties]


class ProposeForm(PartyChoiceForm):
    party_field = "subject"
    kind = forms.ChoiceField(label=_("Measure"), choices=CoerciveKind.choices)
    subject = forms.TypedChoiceField(label=_("Against"), coerce=int)
    responsible_person = forms.CharField(
        label=_("Responsible person (for an organisation)"),
        required=False,
        max_length=100,
        help_text=_("Detention of an organisation is of its principal or the person directly responsible."),
    )
    ground = forms.ChoiceField(label=_("Ground"), choices=ObstructionGround.choices)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.DecimalField(
        label=_("Fine (yuan)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("A person: up to 100,000; an organisation: 50,000 to 1,000,000 (民诉法 2023 art. 118)."),
    )
    days = forms.IntegerField(label=_("Days of detention"), required=False, help_text=_("1 to 15 days (art. 118)."))
    search_place = forms.CharField(label=_("Place to search"), required=False, max_length=200)


class DecideForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    order_number = forms.CharField(
        label=_("Decision number"), required=False, max_length=60, help_text=_("Blank: the case number 之N.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExecuteForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    executed_on = forms.DateField(label=_("Executed on"), widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReleaseForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    released_on = forms.DateField(label=_("Released on"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason for an early release"),
        required=False,
        help_text=_("Before the end of the term: the reason and the president's approval (解释 2022 art. 182)."),
    )


class SearchStartForm(PartyChoiceForm):
    party_field = "debtor"
    debtor = forms.TypedChoiceField(label=_("Debtor"), coerce=int)
    on = forms.DateField(label=_("Started on"), widget=DATE)


class AttemptForm(forms.Form):
    search = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("On"), widget=DATE)
    kind = forms.ChoiceField(label=_("What was tried"), choices=ATTEMPT_KIND_CHOICES)
    where = forms.CharField(label=_("Where or whom"), max_length=200)
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))


class SearchCloseForm(forms.Form):
    search = forms.IntegerField(widget=forms.HiddenInput)
    found = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("1", _("Found")), ("0", _("Closed without finding"))],
        coerce=lambda value: value == "1",
    )
    on = forms.DateField(label=_("On"), widget=DATE)
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))
