"""Forms of the enforcement pages: each action form feeds one service; the services check the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import PartyRole
from cases.models import Party
from core.models import Court, User

from .choices import (
    ApplicantOpinion,
    ClosingKind,
    FollowUp,
    ListingDecision,
    NonEnforcementGround,
    NoticeKind,
    ServiceMethod,
    Status,
    SuspensionGround,
    TerminationGround,
    TerminationReason,
    Track,
)
from .services.assignment import assignable_officers
from .services.extensions import MAX_MONTHS

DATE = forms.DateInput(attrs={"type": "date"})


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj}（{obj.get_username()}）"


class AssignForm(forms.Form):
    officer = OfficerChoiceField(queryset=User.objects.none(), label=_("Officer"))
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, court_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        # Any active user may be posted (the service names the rule an officer of another court breaks);
        # the drop-down offers the court's own officers.
        self.fields["officer"].queryset = User.objects.filter(is_active=True)
        self.officer_choices = assignable_officers(court_id)
        self.fields["officer"].widget.choices = [("", "—")] + [
            (o.pk, self.fields["officer"].label_from_instance(o)) for o in self.officer_choices
        ]


class TrackForm(forms.Form):
    track = forms.ChoiceField(choices=Track.choices, label=_("Track"))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class TransitionForm(forms.Form):
    """The plain steps of the lifecycle, each one button (assign, suspend, resume and close have their own)."""

    PLAIN = ("notify", "start_investigation", "start_control", "start_disposal", "start_distribution")
    transition = forms.ChoiceField(choices=[(t, t) for t in PLAIN])
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(choices=NoticeKind.choices, label=_("Document"))
    recipient = forms.ModelChoiceField(queryset=Party.objects.none(), label=_("Served on"))
    service_method = forms.ChoiceField(choices=ServiceMethod.choices, label=_("Served by"))
    served_on = forms.DateField(label=_("Served on (date)"), widget=DATE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Party.objects.filter(
            case_links__case=case, case_links__role=PartyRole.DEBTOR
        ).order_by("case_links__position")
        self.fields["served_on"].initial = timezone.localdate()


class _DatedForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class SuspendForm(_DatedForm):
    ground = forms.ChoiceField(choices=SuspensionGround.choices, label=_("Ground"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    field_order = ["ground", "reason", "on"]


class ResumeForm(_DatedForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class CloseForm(_DatedForm):
    """Closing by kind; 终本 is not offered here: it goes through the 终本 proposal and its approval."""

    kind = forms.ChoiceField(
        choices=[c for c in ClosingKind.choices if c[0] != ClosingKind.TERMINATED_THIS_ROUND],
        label=_("Closed as"),
        help_text=_("To terminate this round (终本), use the 终本 proposal: a division head approves it."),
    )
    ground = forms.ChoiceField(
        choices=[
            ("", "—"),
            (_("终结执行 (民诉法 2023 art. 268)"), TerminationGround.choices),
            (_("不予执行 (民诉法 2023 arts. 248–249)"), NonEnforcementGround.choices),
        ],
        required=False,
        label=_("Statutory ground"),
        help_text=_("Needed for 终结执行 and 不予执行."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    performed_amount = forms.DecimalField(
        label=_("Amount performed (yuan)"), required=False, max_digits=18, decimal_places=2, min_value=0
    )
    field_order = ["kind", "ground", "reason", "on", "performed_amount"]


class RestoreForm(_DatedForm):
    """恢复执行 of a case closed as 终本: the day and why (the applicant's request, property found)."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    field_order = ["reason", "on"]


class EmptyForm(forms.Form):
    """An action without input (re-scoring the triage)."""


class ExtensionRequestForm(forms.Form):
    months = forms.TypedChoiceField(
        choices=[(m, m) for m in range(MAX_MONTHS, 0, -1)], coerce=int, initial=MAX_MONTHS, label=_("Months")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class BulkAssignForm(forms.Form):
    """Bulk assignment: the chosen cases (ids, checked against the page's selector) and an officer or
    "automatic" (empty)."""

    cases = forms.TypedMultipleChoiceField(choices=[], coerce=int, label=_("Cases"))
    officer = OfficerChoiceField(
        queryset=User.objects.none(), required=False, empty_label=_("Automatic (by track and workload)")
    )

    def __init__(self, *args, case_ids: list[int], court_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]
        self.fields["cases"].error_messages["required"] = _("Choose at least one case.")
        self.fields["cases"].error_messages["invalid_choice"] = _(
            "A chosen case is no longer waiting for assignment; reload the page."
        )
        self.fields["officer"].label = _("Officer")
        self.fields["officer"].queryset = (
            assignable_officers(court_id) if court_id else User.objects.filter(role__in=["officer", "judge"])
        )


class CaseListFilterForm(forms.Form):
    """The filters of "My cases". An officer sees their own cases; a division head (or a superuser) may
    switch to every case of the court and filter by officer. No status chosen means the open ones."""

    scope = forms.ChoiceField(
        choices=[("mine", _("My cases")), ("court", _("All cases of my court"))], required=False, label=_("Show")
    )
    q = forms.CharField(required=False, label=_("Case number or party"), max_length=100)
    status = forms.MultipleChoiceField(choices=Status.choices, required=False, label=_("Status"))
    track = forms.ChoiceField(choices=[("", _("Any track")), *Track.choices], required=False, label=_("Track"))
    due_within = forms.TypedChoiceField(
        choices=[
            ("", _("Any deadline")),
            (7, _("Within 7 days")),
            (30, _("Within 30 days")),
            (90, _("Within 90 days")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Deadline"),
    )
    overdue = forms.ChoiceField(
        choices=[("", _("Any")), ("yes", _("Overdue only")), ("no", _("Not overdue"))],
        required=False,
        label=_("Overdue"),
    )
    court = forms.ModelChoiceField(queryset=Court.objects.none(), required=False, label=_("Court"))
    officer = OfficerChoiceField(queryset=User.objects.none(), required=False, label=_("Officer"))
    ordering = forms.ChoiceField(
        choices=[
            ("deadline_on", _("Deadline")),
            ("-deadline_on", _("Deadline, latest first")),
            ("case__filing_date", _("Filing date")),
            ("-case__filing_date", _("Filing date, newest first")),
            ("case__amount", _("Amount")),
            ("-case__amount", _("Amount, largest first")),
        ],
        required=False,
        label=_("Sort by"),
    )

    SORTS = {"deadline_on", "case__filing_date", "case__amount"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.may_widen = bool(user.is_superuser or user.can("enforcement.assign"))
        if self.may_widen:
            officers = User.objects.filter(role__in=["officer", "judge"], is_active=True).order_by("username")
            self.fields["officer"].queryset = officers if user.is_superuser else officers.filter(court_id=user.court_id)
        else:
            del self.fields["scope"]
            del self.fields["officer"]
        if user.is_superuser:
            self.fields["court"].queryset = Court.objects.filter(is_active=True).order_by("code")
        else:
            del self.fields["court"]

    def chosen_scope(self) -> str:
        if not self.may_widen:
            return "mine"
        chosen = self.cleaned_data.get("scope") if self.is_bound and self.is_valid() else ""
        return chosen or ("court" if not self.user.is_superuser or self.user.court_id is None else "mine")

    def filters(self) -> None:
        """Nothing for the selector's FilterSet: this form filters the selector's scoped queryset itself."""
        return None

    def apply(self, queryset, *, user, today):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.chosen_scope() == "mine":
            queryset = queryset.filter(officer=user)
        statuses = data.get("status") or [s for s in Status.values if s != Status.CLOSED]
        queryset = queryset.filter(status__in=statuses)
        if data.get("q"):
            value = data["q"].strip()
            queryset = queryset.filter(
                Q(case__number__icontains=value) | Q(case__party_links__party__name__icontains=value)
            ).distinct()
        if data.get("track"):
            queryset = queryset.filter(track=data["track"])
        if data.get("due_within"):
            queryset = queryset.filter(deadline_on__lte=today + dt.timedelta(days=data["due_within"]))
        if data.get("overdue") == "yes":
            queryset = queryset.filter(deadline_on__lt=today).exclude(status__in=[Status.CLOSED, Status.SUSPENDED])
        elif data.get("overdue") == "no":
            queryset = queryset.filter(
                Q(deadline_on__gte=today)
                | Q(deadline_on__isnull=True)
                | Q(status__in=[Status.CLOSED, Status.SUSPENDED])
            )
        if data.get("court"):
            queryset = queryset.filter(case__court=data["court"])
        if data.get("officer"):
            queryset = queryset.filter(officer=data["officer"])
        ordering = data.get("ordering") or "deadline_on"
        if ordering.lstrip("-") not in self.SORTS:
            ordering = "deadline_on"
        return queryset.order_by(ordering, "id")


class _PartyChoices(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
        super().__init__(coerce=int, required=False, widget=widget, **kwargs)


class EnforcementApplicationForm(forms.Form):
    """立案执行 on one effective document: applicants among its obligees and respondents among its obligors
    (all checked at first), the filing date and the amount (the amount due by default), and a reason for a
    late application. Empty choices are left to the service, which names the rule."""

    applicants = _PartyChoices(label=_("Applicants (申请执行人)"))
    respondents = _PartyChoices(label=_("Respondents (被执行人)"))
    filing_date = forms.DateField(label=_("Filing date"), widget=DATE)
    amount = forms.DecimalField(
        label=_("Amount to enforce (yuan)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )
    late_reason = forms.CharField(
        label=_("Why the application period was interrupted or suspended"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only for an application after the 2-year period (民诉法 2023 art. 250): the debtor acknowledged the "
            "debt, the creditor claimed it, force majeure… Without a reason a late application is refused."
        ),
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        obligees = [(p.pk, p.name) for p in document.obligees.all()]
        obligors = [(p.pk, p.name) for p in document.obligors.all()]
        self.fields["applicants"].choices = obligees
        self.fields["respondents"].choices = obligors
        self.fields["applicants"].initial = [pk for pk, _name in obligees]
        self.fields["respondents"].initial = [pk for pk, _name in obligors]
        self.fields["filing_date"].initial = timezone.localdate()
        self.fields["amount"].initial = document.amount_due


# ---- 终本 and settlements ---------------------------------------------------------------------------------------

_NOTE = forms.Textarea(attrs={"rows": 2})


class TerminationProposeForm(forms.Form):
    """The 终本 proposal: the reason, what the checklist needs recorded (终本规定 2016 arts. 1, 5) and the
    confirmation (解释 2022 art. 517)."""

    reason = forms.ChoiceField(choices=TerminationReason.choices, label=_("Reason"))
    reason_detail = forms.CharField(label=_("Explanation"), widget=_NOTE, max_length=4000)
    consumption_restriction_on = forms.DateField(
        label=_("Consumption restriction order issued on"), required=False, widget=DATE
    )
    listing_decision = forms.ChoiceField(
        choices=[("", "—"), *ListingDecision.choices], required=False, label=_("Dishonest-list decision")
    )
    listing_note = forms.CharField(label=_("Why not eligible"), required=False, max_length=2000)
    onsite_investigation_on = forms.DateField(label=_("On-site investigation on"), required=False, widget=DATE)
    onsite_investigation_note = forms.CharField(
        label=_("On-site investigation findings"), required=False, widget=_NOTE, max_length=4000
    )
    debtor_missing = forms.BooleanField(label=_("Debtor missing"), required=False)
    search_note = forms.CharField(label=_("How the debtor was searched for"), required=False, max_length=2000)
    obstruction = forms.BooleanField(label=_("Enforcement obstructed"), required=False)
    sanction_note = forms.CharField(label=_("Sanctions taken"), required=False, max_length=2000)
    applicant_informed_on = forms.DateField(label=_("Applicant informed on"), required=False, widget=DATE)
    applicant_opinion = forms.ChoiceField(
        choices=[("", "—"), *ApplicantOpinion.choices], required=False, label=_("Applicant's opinion")
    )
    applicant_opinion_text = forms.CharField(
        label=_("Applicant's opinion in their words"), required=False, max_length=4000
    )
    applicant_signed = forms.BooleanField(label=_("Applicant signed the confirmation"), required=False)
    panel_members = forms.CharField(
        label=_("Collegial panel (if the applicant did not sign)"), required=False, max_length=200
    )


class TerminationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class SettlementForm(forms.Form):
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)
    terms = forms.CharField(label=_("Terms"), widget=_NOTE, max_length=4000)
    amount = forms.DecimalField(
        label=_("Amount agreed (yuan)"), required=False, max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


class SettlementPerformedForm(_DatedForm):
    settlement = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Performed on"), widget=DATE)


class TerminatedListFilterForm(forms.Form):
    """Filters of the court's 终本 cases: the suggested follow-up, the reason, a case number or party."""

    q = forms.CharField(required=False, label=_("Case number or party"), max_length=100)
    follow_up = forms.ChoiceField(choices=[("", _("Any follow-up")), *FollowUp.choices], required=False)
    reason = forms.ChoiceField(choices=[("", _("Any reason")), *TerminationReason.choices], required=False)
    ordering = forms.ChoiceField(
        choices=[
            ("-closed_on", _("Ruling date, newest first")),
            ("closed_on", _("Ruling date")),
            ("-outstanding", _("Amount outstanding, largest first")),
            ("outstanding", _("Amount outstanding")),
        ],
        required=False,
        label=_("Sort by"),
    )
    SORTS = {"closed_on", "outstanding"}

    def apply(self, queryset):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("q"):
            value = data["q"].strip()
            queryset = queryset.filter(
                Q(case__number__icontains=value) | Q(case__party_links__party__name__icontains=value)
            ).distinct()
        if data.get("follow_up"):
            queryset = queryset.filter(terminations__status="approved", terminations__follow_up=data["follow_up"])
        if data.get("reason"):
            queryset = queryset.filter(terminations__status="approved", terminations__reason=data["reason"])
        ordering = data.get("ordering") or "-closed_on"
        if ordering.lstrip("-") not in self.SORTS:
            ordering = "-closed_on"
        return queryset.order_by(ordering, "-id")
