"""Forms of reward notices (悬赏公告) and tip-offs (线索举报): the officer's publish / withdraw / handle forms on
the case page, and the public tip-off form (with a hidden honeypot field that only robots fill in)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import TipStatus
from .services.rewards import MIN_WHAT

DATE = forms.DateInput(attrs={"type": "date"})


class RewardPublishForm(forms.Form):
    applicant = forms.TypedChoiceField(label=_("Requested by (creditor)"), coerce=int)
    debtor = forms.TypedChoiceField(label=_("Debtor"), coerce=int)
    reward_rate = forms.DecimalField(
        label=_("Reward: share of what is recovered"),
        max_digits=5,
        decimal_places=4,
        # xgettext:no-python-format
        help_text=_("0.1 = 10% of what the lead recovers."),
    )
    reward_cap = forms.DecimalField(label=_("Reward cap (yuan)"), max_digits=16, decimal_places=2)
    expires_on = forms.DateField(label=_("Published until"), widget=DATE)
    text = forms.CharField(label=_("Notice text"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, creditors=(), debtors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [(p.pk, p.name) for p in creditors]
        self.fields["debtor"].choices = [(p.pk, p.name) for p in debtors]


class RewardWithdrawForm(forms.Form):
    notice = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=200)


class TipHandleForm(forms.Form):
    tip = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(TipStatus.VERIFIED, TipStatus.VERIFIED.label), (TipStatus.UNFOUNDED, TipStatus.UNFOUNDED.label)],
    )
    recovered = forms.DecimalField(label=_("Recovered thanks to it"), max_digits=16, decimal_places=2, initial=0)
    reward_paid = forms.DecimalField(label=_("Reward paid"), max_digits=16, decimal_places=2, initial=0)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1}))


class TipOffForm(forms.Form):
    """The public form. ``website`` is the honeypot: hidden from people, filled in by robots."""

    what = forms.CharField(
        label=_("What you know"),
        min_length=MIN_WHAT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where the debtor or the property is, and how you know (at least %(n)d characters).")
        % {"n": MIN_WHAT},
    )
    where = forms.CharField(label=_("Where"), required=False, max_length=200)
    tipster_name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=100)
    tipster_contact = forms.CharField(label=_("How to reach you (phone or e-mail)"), max_length=100)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
