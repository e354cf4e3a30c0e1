"""Forms of the objections panel (执异/执复) on the enforcement case page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ObjectionKind

DATE = forms.DateInput(attrs={"type": "date"})
OUTCOMES = [("0", _("Dismissed (驳回)")), ("1", _("Upheld"))]


def _outcome(value: str) -> bool:
    return value == "1"


class ObjectionFileForm(forms.Form):
    """The objector is a party of the case (``objector``) or an outsider named here and registered on filing."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ObjectionKind.choices)
    objector = forms.TypedChoiceField(label=_("Objector"), required=False, coerce=int, empty_value=None)
    outsider_name = forms.CharField(label=_("Or an outsider: name"), required=False, max_length=100)
    outsider_kind = forms.ChoiceField(
        label=_("Outsider is"),
        required=False,
        choices=[("person", _("Natural person")), ("organisation", _("Organisation"))],
    )
    outsider_id_number = forms.CharField(label=_("Outsider's ID number / credit code"), required=False, max_length=18)
    act = forms.TypedChoiceField(label=_("Act objected to"), required=False, coerce=int, empty_value=None)
    act_description = forms.CharField(label=_("Or describe the act"), required=False, max_length=200)
    act_on = forms.DateField(label=_("Act done on"), required=False, widget=DATE)
    asset_id = forms.IntegerField(label=_("Asset (number)"), required=False, min_value=1)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 2}))
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)

    def __init__(self, *args, parties=(), acts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objector"].choices = [("", "—")] + [
            (link.party_id, f"{link.party.name} ({link.get_role_display()})") for link in parties
        ]
        self.fields["act"].choices = [("", "—")] + [
            (act.pk, f"{act.at:%Y-%m-%d} {act.transition} → {act.get_to_status_display()}") for act in acts
        ]

    def clean(self):
        data = super().clean()
        if not data.get("objector") and not (data.get("outsider_name") or "").strip():
            raise forms.ValidationError(_("Choose a party of the case or name the outsider."))
        if not data.get("objector") and not (data.get("outsider_id_number") or "").strip():
            self.add_error("outsider_id_number", _("Give the outsider's identifier."))
        return data


class ObjectionDecideForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(label=_("Ruling"), choices=OUTCOMES, coerce=_outcome)
    on = forms.DateField(label=_("Ruled on"), widget=DATE)
    ruling = forms.CharField(label=_("Ruling and reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionServeForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    served_on = forms.DateField(label=_("Served on"), widget=DATE)


class ObjectionWithdrawForm(forms.Form):
    """The objector withdraws a pending objection (撤回异议)."""

    objection = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Withdrawn on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReconsiderationFileForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    applicant = forms.TypedChoiceField(label=_("Applicant"), coerce=int)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 2}))
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)

    def __init__(self, *args, applicants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [(party.pk, party.name) for party in applicants]


class ReconsiderationExtendForm(forms.Form):
    reconsideration = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReconsiderationDecideForm(forms.Form):
    reconsideration = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(label=_("Decision"), choices=OUTCOMES, coerce=_outcome)
    on = forms.DateField(label=_("Decided on"), widget=DATE)
    ruling = forms.CharField(label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 2}))
