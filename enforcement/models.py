"""Models of enforcement (执): the enforcement case and its lifecycle, suspensions, deadline extensions and the
notices served on the debtor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from cases.models import Case, EffectiveDocument

from .choices import ClosingKind, ExtensionStatus, NoticeKind, ServiceMethod, Status, SuspensionGround, Track


class EnforcementCase(ConcurrentTransitionMixin, models.Model):
    """The enforcement side of a 执 / 执恢 / 执保 case record (number, court, parties and amount live on
    ``case``). Its ``status`` changes only through the transitions in ``enforcement/lifecycle.py``, called
    by services; each change writes a ``StatusChange`` row. Concurrent transitions cannot both win: the
    UPDATE is conditional on the status the transition started from (ConcurrentTransitionMixin)."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="enforcement")
    status = FSMField(_("status"), default=Status.FILED, choices=Status.choices, protected=True, db_index=True)
    source_document = models.ForeignKey(
        EffectiveDocument,
        verbose_name=_("enforcement basis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    restored_from = models.ForeignKey(
        "self",
        verbose_name=_("restored from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restorations",
    )
    late_application_reason = models.TextField(
        _("reason the application period was interrupted or suspended"), blank=True
    )

    track = models.CharField(_("track"), max_length=8, choices=Track.choices, blank=True)
    difficulty_score = models.PositiveSmallIntegerField(_("difficulty score"), null=True, blank=True)
    difficulty_reasons = models.JSONField(_("difficulty reasons"), default=list, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)

    limit_months = models.PositiveSmallIntegerField(_("time limit in months"), default=6)
    extended_months = models.PositiveSmallIntegerField(_("months of extension"), default=0)
    suspended_days = models.PositiveIntegerField(_("days suspended (ended suspensions)"), default=0)
    status_before_suspension = models.CharField(max_length=16, choices=Status.choices, blank=True)
    deadline_on = models.DateField(_("deadline"), null=True, blank=True, db_index=True)

    closing_kind = models.CharField(_("closed as"), max_length=32, choices=ClosingKind.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["deadline_on", "id"]
        indexes = [
            models.Index(fields=["officer", "status", "deadline_on"], name="enf_officer_status_due_idx"),
            models.Index(fields=["status", "deadline_on"], name="enf_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_on__isnull=False) | ~models.Q(status="closed"),
                name="closed_cases_have_a_closing_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.case)


class StatusChange(models.Model):
    """One transition of an enforcement case: the case timeline."""

    enforcement_case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="status_changes")
    transition = models.CharField(_("step"), max_length=40)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Suspension(models.Model):
    """中止执行 (民诉法 2023 art. 267): its days are excluded from the 6-month clock (执行规定 art. 63)."""

    enforcement_case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="suspensions")
    ground = models.CharField(_("ground"), max_length=24, choices=SuspensionGround.choices)
    reason = models.TextField(_("reason"))
    started_on = models.DateField(_("suspended from"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enforcement_case"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_suspension_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_ground_display()} {self.started_on}"


class ExtensionRequest(models.Model):
    """A request to extend the time limit, made in its last 5 days (法发〔2006〕35号 art. 1) and approved by a
    division head (for the president, 法释〔2000〕29号 art. 5: 3 months)."""

    enforcement_case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField(_("months"), default=3)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enforcement_case"], condition=models.Q(status="pending"), name="one_pending_extension_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enforcement_case} +{self.months}"


class Notice(models.Model):
    """A document issued to the debtor (执行通知书, 报告财产令): the generated .docx and its service (送达)."""

    enforcement_case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("document"), max_length=24, choices=NoticeKind.choices)
    recipient = models.ForeignKey(
        "cases.Party", verbose_name=_("served on"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="notices/%Y/%m/")
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    service_method = models.CharField(_("served by"), max_length=16, choices=ServiceMethod.choices)
    served_on = models.DateField(_("served on"))

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enforcement_case", "kind", "recipient"], name="notice_once_per_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enforcement_case}"
