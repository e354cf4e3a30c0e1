"""Forms of the listing partial on the enforcement case page: propose, decide, extend, remove. They parse input
only; the rules are the services' (``credit.services.listing``, ``credit.services.removal``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import ListingGround

REMOVAL_KINDS = [
    ("applicant_request", _("On the applicant's written request (art. 10(1)(3))")),
    ("early", _("Early: the debtor performed actively or corrected (art. 2(3))")),
]


class ListingProposeForm(forms.Form):
    debtor = forms.TypedChoiceField(label=_("Debtor"), coerce=int)
    ground = forms.ChoiceField(label=pgettext_lazy("credit", "Ground"), choices=ListingGround.choices)
    facts = forms.CharField(label=_("The dishonest conduct"), widget=forms.Textarea(attrs={"rows": 2}))
    on_request = forms.BooleanField(label=_("On the applicant's request"), required=False)
    requested_on = forms.DateField(
        label=_("Request received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    security_given = forms.BooleanField(label=_("Sufficient security was given (ground 1 bar)"), required=False)
    later_in_order = forms.BooleanField(
        label=_("The debtor is later in the order of liability (ground 1 bar)"), required=False
    )

    def __init__(self, *args, debtors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.debtors = list(debtors)
        self.fields["debtor"].choices = [(party.pk, party.name) for party in self.debtors]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "debtor": next(party for party in self.debtors if party.pk == data["debtor"]),
            "ground": data["ground"],
            "facts": data["facts"],
            "on_request": data["on_request"],
            "requested_on": data.get("requested_on"),
            "security_given": data["security_given"],
            "later_in_order": data["later_in_order"],
        }


class ListingDecideForm(forms.Form):
    listing = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_representative_name = forms.CharField(label=_("Legal representative: name"), required=False)
    legal_representative_id = forms.CharField(
        label=_("Legal representative: resident ID number"), required=False, max_length=18
    )

    def bound_persons(self) -> list[dict] | None:
        name = self.cleaned_data.get("legal_representative_name", "").strip()
        number = self.cleaned_data.get("legal_representative_id", "").strip()
        if not (name or number):
            return None
        return [{"role": "legal_representative", "name": name, "id_number": number}]


class ListingExtendForm(forms.Form):
    listing = forms.IntegerField(widget=forms.HiddenInput)
    years = forms.TypedChoiceField(label=_("Extend by"), choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ListingRemoveForm(forms.Form):
    listing = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Removal"), choices=REMOVAL_KINDS)
    reason = forms.CharField(label=_("Reason or the applicant's request"), widget=forms.Textarea(attrs={"rows": 2}))
