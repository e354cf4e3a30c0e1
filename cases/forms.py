from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidInput
from core.models import Court

from .choices import CaseType, PartyKind, PartyRole


class CaseFileForm(forms.Form):
    court = forms.ModelChoiceField(queryset=Court.objects.none(), label=_("Court"))
    case_type = forms.ChoiceField(choices=CaseType.choices, label=_("Case type"))
    filing_date = forms.DateField(label=_("Filing date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(
        label=_("Amount in dispute (yuan)"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    cause = forms.CharField(label=_("Cause of action"), max_length=100)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        courts = Court.objects.filter(is_active=True)
        self.fields["court"].queryset = courts if user.is_superuser else courts.filter(pk=user.court_id)
        self.fields["court"].initial = user.court_id
        self.fields["filing_date"].initial = timezone.localdate()


class PartyForm(forms.Form):
    role = forms.ChoiceField(choices=[("", "—"), *PartyRole.choices], label=_("Role"), required=False)
    kind = forms.ChoiceField(choices=PartyKind.choices, label=_("Kind"), required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    id_number = forms.CharField(label=_("ID number / credit code"), max_length=32, required=False)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(f) for f in ("name", "id_number"))


PartyFormSet = formset_factory(PartyForm, extra=4, max_num=20)


def apply_service_errors(error: InvalidInput, form: forms.Form, formset, row_of_party: list[int]) -> None:
    """Show a service's field errors on the form, or on the formset row they name (``parties.<i>.<field>``)."""
    for key, messages in error.fields.items():
        parts = key.split(".")
        if parts[0] == "parties" and len(parts) == 3:
            target = formset.forms[row_of_party[int(parts[1])]]
            field = parts[2] if parts[2] in target.fields else None
            for message in messages:
                target.add_error(field, message)
        elif key == "parties":
            formset._non_form_errors = formset.error_class(messages)
        else:
            for message in messages:
                form.add_error(key if key in form.fields else None, message)
