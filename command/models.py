"""Models of command: the risks recorded on a debtor and the on-site tasks (现场执行) of a division.

Both hang off lower apps (``cases.Party``, ``enforcement.EnforcementCase``); nothing below imports them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Party
from enforcement.models import EnforcementCase

from .choices import OnSiteOutcome, OnSitePurpose, OnSiteStatus, RiskKind


class RiskNote(models.Model):
    """A risk recorded on a party (usually a debtor) for the officers who go on site: violence, weapons, dogs…
    A note is withdrawn (``withdrawn_at``), never deleted, so that the record shows what officers were told."""

    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="risk_notes")
    kind = models.CharField(_("risk"), max_length=16, choices=RiskKind.choices)
    note = models.TextField(_("what officers must know"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk note")
        verbose_name_plural = _("risk notes")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["party", "withdrawn_at"], name="risk_party_active_idx")]

    def __str__(self) -> str:
        return f"{self.party} · {self.get_kind_display()}"


class OnSiteTask(models.Model):
    """A 现场执行 task: where and when, who goes, what for, and — once done — its outcome."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="onsite_tasks"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=OnSitePurpose.choices)
    address = models.CharField(_("address"), max_length=200)
    scheduled_at = models.DateTimeField(_("scheduled for"), db_index=True)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("officers"), related_name="onsite_tasks")
    notes = models.TextField(_("plan and instructions"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OnSiteStatus.choices, default=OnSiteStatus.PLANNED, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=OnSiteOutcome.choices, blank=True)
    outcome_notes = models.TextField(_("what happened"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("planned by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("planned"), default=timezone.now)

    class Meta:
        verbose_name = _("on-site task")
        verbose_name_plural = _("on-site tasks")
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", completed_at__isnull=False) | ~models.Q(status="done"),
                name="onsite_done_has_completion",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done") & ~models.Q(outcome="") | ~models.Q(status="done"),
                name="onsite_done_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_purpose_display()} · {self.scheduled_at:%Y-%m-%d %H:%M}"
