"""Forms of the bankruptcy pages. Each validates what a form can; the rules are the services' (their refusals
are shown on the form with ``core.forms.add_service_errors``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Party
from core.models import Court

from .choices import ClaimKind

DATE = forms.DateInput(attrs={"type": "date"})


def _today():
    return timezone.localdate()


class EmptyForm(forms.Form):
    """An action with nothing to enter (refresh the screening)."""


class DismissForm(forms.Form):
    note = forms.CharField(label=_("Why not transfer"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferProposeForm(forms.Form):
    receiving_court = forms.ModelChoiceField(
        label=_("Court of the debtor's domicile"), queryset=Court.objects.none(), empty_label=None
    )
    grounds = forms.CharField(label=_("Grounds (企业破产法 art. 2(1))"), widget=forms.Textarea(attrs={"rows": 4}))
    on = forms.DateField(label=_("Notice date"), widget=DATE, initial=_today)
    suggestion = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, courts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_court"].queryset = courts if courts is not None else Court.objects.none()


class ConsentForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none())
    consents = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Consents")), ("no", _("Does not consent"))],
        coerce=lambda value: value == "yes",
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, initial=_today)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else Party.objects.none()


class RuleForm(forms.Form):
    on = forms.DateField(label=_("Ruling date"), widget=DATE, initial=_today)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the bankruptcy case")), ("refuse", _("Do not accept: return the file"))],
    )
    on = forms.DateField(label=_("Decision date"), widget=DATE, initial=_today)
    reason = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    administrator = forms.CharField(label=_("Administrator (管理人)"), required=False, max_length=200)


class AdministratorForm(forms.Form):
    administrator = forms.CharField(label=_("Administrator (管理人)"), max_length=200)
    on = forms.DateField(label=_("Appointed on"), widget=DATE, initial=_today)
    claims_deadline_on = forms.DateField(label=_("Claims to be filed by"), widget=DATE)


class ClaimFileForm(forms.Form):
    """A claim; ``prefill`` (the index of a claim_prefill row) pre-selects the creditor and enforcement case."""

    creditor = forms.ModelChoiceField(label=_("Creditor"), queryset=Party.objects.none())
    enforcement_case = forms.TypedChoiceField(
        label=_("From enforcement case"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Class"), choices=ClaimKind.choices, initial=ClaimKind.ORDINARY)
    amount = forms.DecimalField(label=_("Amount claimed"), max_digits=16, decimal_places=2, min_value=0)
    on = forms.DateField(label=_("Filed on"), widget=DATE, initial=_today)
    documents = forms.CharField(
        label=_("Supporting documents"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, creditors=None, enforcement_cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creditor"].queryset = creditors if creditors is not None else Party.objects.none()
        self.fields["enforcement_case"].choices = [("", "—"), *[(ec.pk, ec.case.number) for ec in enforcement_cases]]


class ClaimReviewForm(forms.Form):
    claim = forms.IntegerField(widget=forms.HiddenInput)
    admitted_amount = forms.DecimalField(label=_("Amount admitted"), max_digits=16, decimal_places=2)
    on = forms.DateField(label=_("Reviewed on"), widget=DATE, initial=_today)
    note = forms.CharField(label=_("Note"), required=False)


class DistributionForm(forms.Form):
    total = forms.DecimalField(label=_("Amount distributed"), max_digits=16, decimal_places=2)
    on = forms.DateField(label=_("Made on"), widget=DATE, initial=_today)
    note = forms.CharField(label=_("Note"), required=False)


class DeclareForm(forms.Form):
    on = forms.DateField(label=_("Declared on"), widget=DATE, initial=_today)


class CloseForm(forms.Form):
    on = forms.DateField(label=_("Closed on"), widget=DATE, initial=_today)
    note = forms.CharField(label=_("Ground of closing"), widget=forms.Textarea(attrs={"rows": 2}))
