"""Forms of the restrictions partial on the enforcement case page: issue, lift, temporary permission. They
parse input only; the rules are the services' (``credit.services.restrictions``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.choices import PartyKind

from .choices import BoundPersonRole, LiftGround, ProhibitedConsumption, RestrictionKind

ROLE_FIELDS = [(role.value, role.label) for role in BoundPersonRole]


class RestrictionIssueForm(forms.Form):
    """One row per role of the persons an organisation's order binds (the API takes any list)."""

    debtor = forms.TypedChoiceField(label=_("Debtor"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=RestrictionKind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    prohibited = forms.MultipleChoiceField(
        label=_("Prohibited consumption (consumption restriction only)"),
        choices=ProhibitedConsumption.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=list(ProhibitedConsumption.values),
    )
    on = forms.DateField(label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, debtors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.debtors = list(debtors)
        self.fields["debtor"].choices = [(party.pk, party.name) for party in self.debtors]
        self.has_organisation = any(party.kind == PartyKind.ORGANISATION for party in self.debtors)
        for role, label in ROLE_FIELDS:
            self.fields[f"{role}_name"] = forms.CharField(label=_("%(role)s: name") % {"role": label}, required=False)
            self.fields[f"{role}_id"] = forms.CharField(
                label=_("%(role)s: resident ID number") % {"role": label}, required=False, max_length=18
            )

    def person_fields(self):
        return [(self[f"{role}_name"], self[f"{role}_id"]) for role, _label in ROLE_FIELDS]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        debtor = next(party for party in self.debtors if party.pk == data["debtor"])
        kind = data["kind"]
        persons = []
        if debtor.kind == PartyKind.ORGANISATION:
            for role, _label in ROLE_FIELDS:
                name, number = data.get(f"{role}_name", "").strip(), data.get(f"{role}_id", "").strip()
                if name or number:
                    persons.append({"role": role, "name": name, "id_number": number})
        return {
            "debtor": debtor,
            "kind": kind,
            "reason": data["reason"],
            "prohibited": (data["prohibited"] or None) if kind == RestrictionKind.CONSUMPTION else None,
            "bound_persons": persons,
            "on": data.get("on") or None,
        }


class RestrictionLiftForm(forms.Form):
    restriction = forms.IntegerField(widget=forms.HiddenInput)
    ground = forms.ChoiceField(label=pgettext_lazy("credit", "Ground"), choices=LiftGround.choices)
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Lifted on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PermissionForm(forms.Form):
    restriction = forms.IntegerField(widget=forms.HiddenInput)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}))
    allowed = forms.MultipleChoiceField(
        label=_("Consumption allowed"), choices=ProhibitedConsumption.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["valid_from"].initial = timezone.localdate()
