"""Forms of the division command view and of the on-site tasks (现场执行). They parse input only: the services
check the rules and name them."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User

from .choices import OnSiteOutcome, OnSitePurpose, RiskKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj}（{obj.get_role_display()}）"


class DivisionFilterForm(forms.Form):
    """The page's court (for a superuser, or a higher court with courts under it) and the overdue report's
    officer, court scope and order."""

    court = forms.ChoiceField(label=_("Court"), required=False)
    officer = forms.TypedChoiceField(label=_("Officer"), required=False, coerce=int, empty_value=None)
    scope = forms.ChoiceField(
        label=_("Overdue cases of"),
        required=False,
        choices=[("court", _("This court")), ("below", _("This court and the courts under it"))],
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("-days", _("Most days overdue first")), ("days", _("Fewest days overdue first"))],
    )

    def __init__(self, *args, courts=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [(c.code, f"{c.code} {c.name}") for c in courts]
        self.fields["officer"].choices = [("", _("Every officer"))] + [(o.pk, str(o)) for o in officers]


class OnSitePlanForm(forms.Form):
    """Plan a task. On the division page the case is given by its number; on the case panel it is fixed."""

    case_number = forms.CharField(label=_("Case number"), max_length=40, required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *OnSitePurpose.choices])
    address = forms.CharField(label=_("Address"), max_length=200)
    scheduled_at = forms.DateTimeField(label=_("Scheduled for"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    officers = PersonChoiceField(
        label=_("Officers who go"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    notes = forms.CharField(
        label=_("Plan and instructions"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, officers=None, with_case: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Every active user may be posted (the service names the rule an officer of another court breaks); the
        # check boxes offer the court's own officers.
        self.fields["officers"].queryset = officers if officers is not None else User.objects.none()
        self.fields["officers"].error_messages["invalid_choice"] = _(
            "The officers who go on site are active officers of the case's court."
        )
        if with_case:
            self.fields["case_number"].required = True
        else:
            del self.fields["case_number"]


class OnSiteOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome on site"), choices=[("", "—"), *OnSiteOutcome.choices])
    completed_at = forms.DateTimeField(
        label=_("Done at"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    outcome_notes = forms.CharField(
        label=_("What happened"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"completed_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)


class OnSiteCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=4000)


class RiskNoteForm(forms.Form):
    party = forms.TypedChoiceField(label=_("Party"), coerce=int)
    kind = forms.ChoiceField(label=_("Risk"), choices=[("", "—"), *RiskKind.choices])
    note = forms.CharField(
        label=_("What officers must know"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", "—")] + [(p.pk, p.name) for p in parties]


class RiskWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why the risk no longer holds"), max_length=2000)
