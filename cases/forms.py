import datetime as dt

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidInput
from core.models import Court

from .choices import (
    CaseType,
    DocumentKind,
    MeasureKind,
    PartyKind,
    PartyRole,
    PreservationKind,
    PropertyClass,
    RelationKind,
    TransferCategory,
    TrialEventKind,
)


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


# ---- the case page's action forms ---------------------------------------------------------------------------


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


def _party_choices(case) -> list[tuple[int, str]]:
    return [(link.party_id, f"{link.get_role_display()} {link.party.name}") for link in case.party_links.all()]


class TrialEventForm(forms.Form):
    kind = forms.ChoiceField(choices=TrialEventKind.choices, label=_("Event"))
    at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InstalmentsField(forms.CharField):
    """One instalment a line: ``2026-03-31 5000.00``."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "2026-03-31 5000.00"})

    def to_python(self, value):
        text = super().to_python(value)
        rows = []
        for number, line in enumerate((text or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.replace(",", " ").split()
            try:
                due_on = dt.date.fromisoformat(parts[0])
                amount = parts[1]
            except (IndexError, ValueError) as exc:
                raise forms.ValidationError(
                    _("Line %(n)d: write the due date and the amount, such as 2026-03-31 5000.00.") % {"n": number}
                ) from exc
            rows.append((due_on, amount))
        return rows


CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label=_("Kind"))
    number = forms.CharField(
        label=_("Document number"), max_length=60, required=False, help_text=_("A court's document: leave empty.")
    )
    issuing_body = forms.CharField(
        label=_("Issued by"), max_length=100, required=False, help_text=_("A court's document: leave empty.")
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=_date_input())
    effective_on = forms.DateField(label=_("Effective on"), required=False, widget=_date_input())
    principal = forms.CharField(label=_("Principal (yuan)"))
    costs = forms.CharField(label=_("Costs borne by the obligor (yuan)"), required=False, initial="0")
    interest_rule = forms.CharField(label=_("Interest"), max_length=200, required=False)
    performance_deadline = forms.DateField(
        label=_("Last day of the performance period"), required=False, widget=_date_input()
    )
    instalments = InstalmentsField(
        label=_("Instalments"), required=False, help_text=_("One a line: due date and amount.")
    )
    obligee_ids = forms.TypedMultipleChoiceField(coerce=int, label=_("Obligees"), widget=CHECKBOXES)
    obligor_ids = forms.TypedMultipleChoiceField(coerce=int, label=_("Obligors"), widget=CHECKBOXES)
    text = forms.CharField(label=_("Operative part"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligee_ids"].choices = self.fields["obligor_ids"].choices = _party_choices(case)


class DocumentEffectiveForm(forms.Form):
    effective_on = forms.DateField(label=_("Effective on"), widget=_date_input())


class DocumentPerformedForm(forms.Form):
    on = forms.DateField(label=_("Performed on"), widget=_date_input())


class PreservationForm(forms.Form):
    kind = forms.ChoiceField(choices=PreservationKind.choices, label=_("Kind"))
    applicant_id = forms.TypedChoiceField(coerce=int, label=_("Applicant"))
    respondent_id = forms.TypedChoiceField(coerce=int, label=_("Respondent"))
    amount = forms.CharField(label=_("Amount to preserve (yuan)"))
    security_offered = forms.CharField(label=_("Security offered"), max_length=200, required=False)
    applied_on = forms.DateField(label=_("Applied on"), widget=_date_input())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_id"].choices = self.fields["respondent_id"].choices = _party_choices(case)
        self.fields["applied_on"].initial = timezone.localdate()
        if case.case_type == CaseType.PRESERVATION_REVIEW:
            self.fields["kind"].initial = PreservationKind.PRE_SUIT
        else:
            self.fields["kind"].initial = PreservationKind.IN_SUIT


class PreservationDecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        coerce=lambda v: v == "yes", choices=[("yes", _("Grant")), ("no", _("Refuse"))], label=_("Decision")
    )
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(choices=MeasureKind.choices, label=_("Measure"))
    property_class = forms.ChoiceField(choices=PropertyClass.choices, label=_("Property class"))
    asset_description = forms.CharField(label=_("Asset"), max_length=200)
    amount = forms.CharField(label=_("Amount controlled (yuan)"), required=False)
    starts_on = forms.DateField(label=_("From"), widget=_date_input())
    expires_on = forms.DateField(
        label=_("Until"), required=False, widget=_date_input(), help_text=_("Empty: the longest period allowed.")
    )


class NoticeDecisionForm(forms.Form):
    party_id = forms.IntegerField(widget=forms.HiddenInput)
    send = forms.TypedChoiceField(
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Send the notice")), ("no", _("Do not send"))],
        label=_("Decision"),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def apply_error_to_form(error, form: forms.Form) -> None:
    """Show a service's error on the form: field errors on their fields, a rule's message above the form."""
    fields = getattr(error, "fields", None)
    if fields:
        for key, messages in fields.items():
            name = key.split(".")[0]
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, error.message)


# ---- relations between parties and transfers of property (the case page's clue section) -------------------


def _case_party_choices(case):
    return [(link.party_id, f"{link.get_role_display()} {link.party.name}") for link in case.party_links.all()]


class RelationForm(forms.Form):
    THIS_FIRST, OTHER_FIRST = "this_first", "other_first"

    party = forms.TypedChoiceField(coerce=int, label=_("Party on this case"))
    reads = forms.ChoiceField(
        label=_("Reads"),
        choices=[
            (THIS_FIRST, _("the party on this case is the … of the related party")),
            (OTHER_FIRST, _("the related party is the … of the party on this case")),
        ],
    )
    kind = forms.ChoiceField(choices=RelationKind.choices, label=_("Relation"))
    other_id_number = forms.CharField(
        max_length=32,
        label=_("Related party's ID number / credit code"),
        help_text=_("The related party must be registered."),
    )
    share = forms.DecimalField(max_digits=5, decimal_places=2, required=False, label=_("Share (%, for a shareholder)"))
    source = forms.CharField(max_length=100, label=_("Source (registry, agency or “officer”)"))
    since = forms.DateField(required=False, label=_("Since"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("prefix", "rel")
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = _case_party_choices(case)


class TransferForm(forms.Form):
    from_party = forms.TypedChoiceField(coerce=int, label=_("From (party on this case)"))
    to_id_number = forms.CharField(max_length=32, label=_("To: ID number / credit code"))
    description = forms.CharField(max_length=200, label=_("Property"))
    category = forms.ChoiceField(choices=TransferCategory.choices, label=_("Category"))
    value = forms.CharField(label=_("Value (yuan)"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    transferred_on = forms.DateField(label=_("Transferred on"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(max_length=100, label=_("Source (registry, agency or “officer”)"))

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("prefix", "tr")
        super().__init__(*args, **kwargs)
        self.fields["from_party"].choices = _case_party_choices(case)
