from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.identifiers import mask_identifier
from core.models import Court
from core.money import MoneyField

from .choices import (
    EXPIRY_WARNING_DAYS,
    NON_LITIGATION_DOCUMENTS,
    PRE_SUIT_DECISION_HOURS,
    SYMMETRIC_RELATIONS,
    CaseType,
    DocumentKind,
    MeasureKind,
    MeasureStatus,
    NotificationChannel,
    NotificationStatus,
    PartyKind,
    PartyRole,
    PreservationKind,
    PreservationStatus,
    PropertyClass,
    RelationKind,
    Stage,
    TransferCategory,
    TrialEventKind,
    stage_of,
)


def mask_party_id(kind: str, id_number: str) -> str:
    """A party's identifier as lists show it: a person's resident ID masked, an organisation's credit code (public)
    in full."""
    return mask_identifier(id_number) if kind == PartyKind.PERSON else id_number


class Party(models.Model):
    """A natural person (居民身份证号) or an organisation (统一社会信用代码), once in the whole system, so
    that every court sees the same debtor's history."""

    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    id_number = models.CharField(_("identifier"), max_length=18, unique=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True, choices=[("M", _("Male")), ("F", _("Female"))])
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="person") | ~models.Q(legal_representative=""),
                name="organisation_has_legal_representative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_party_id(self.kind, self.id_number)


class Case(models.Model):
    """A case record of any type: litigation (民初…), preservation (财保), enforcement (执…), bankruptcy (破…).

    Later apps hang their own state off it (the enforcement lifecycle, bankruptcy proceedings…).
    """

    case_type = models.CharField(_("case type"), max_length=8, choices=CaseType.choices)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("case number"), max_length=40, unique=True)
    filing_date = models.DateField(_("filing date"))
    amount = MoneyField(_("amount in dispute"))
    cause = models.CharField(_("cause of action"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    parties = models.ManyToManyField(Party, through="CaseParty", related_name="cases")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    source_case = models.ForeignKey(
        "self",
        verbose_name=_("source case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_on_cases",
        help_text=_("For an appeal (民终), the first-instance case it comes from."),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-filing_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "case_type", "year", "serial"], name="one_serial_per_case"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="case_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["court", "-filing_date"], name="case_court_filed_idx"),
            models.Index(fields=["court", "case_type", "-filing_date"], name="case_court_type_filed_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def stage(self) -> str:
        return stage_of(self.case_type)

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="party_links")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("party to a case")
        verbose_name_plural = _("parties to cases")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="party_once_per_case")]
        indexes = [models.Index(fields=["party", "role"], name="caseparty_party_role_idx")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.party}"


class EffectiveDocument(models.Model):
    """生效法律文书: the document that fixes the obligation an enforcement case enforces.

    A court's judgment, mediation statement or ruling hangs off its litigation case (``case``); an arbitral
    award or a notarised debt instrument comes from outside, with its issuing body and number, and is
    registered against the case in which the court receives it. The 2-year application period
    (民诉法 2023 art. 250) runs from ``period_start()``.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(
        _("document number"), max_length=60, help_text=_("For a court's document, its case number.")
    )
    issuing_body = models.CharField(_("issued by"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    principal = MoneyField(_("principal"))
    interest_rule = models.CharField(
        _("interest"), max_length=200, blank=True, help_text=_("For example: LPR from 2025-01-01 until paid.")
    )
    costs = MoneyField(_("costs borne by the obligor"), default=0)
    performance_deadline = models.DateField(_("last day of the performance period"), null=True, blank=True)
    obligees = models.ManyToManyField(Party, verbose_name=_("obligees"), related_name="documents_as_obligee")
    obligors = models.ManyToManyField(Party, verbose_name=_("obligors"), related_name="documents_as_obligor")
    fully_performed_on = models.DateField(_("fully performed on"), null=True, blank=True)
    text = models.TextField(_("operative part"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("effective legal document")
        verbose_name_plural = _("effective legal documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(principal__gte=0), name="document_principal_not_negative"),
            models.CheckConstraint(condition=models.Q(costs__gte=0), name="document_costs_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_effective(self) -> bool:
        return self.effective_on is not None and self.effective_on <= timezone.localdate()

    @property
    def is_non_litigation(self) -> bool:
        return self.kind in NON_LITIGATION_DOCUMENTS

    @property
    def amount_due(self):
        return self.principal + self.costs

    def period_start(self):
        """民诉法 2023 art. 250 para. 2: the last instalment's deadline; else the last day of the performance
        period; else the day the document took effect."""
        last = self.instalments.order_by("-due_on").values_list("due_on", flat=True).first()
        return last or self.performance_deadline or self.effective_on


class Instalment(models.Model):
    document = models.ForeignKey(EffectiveDocument, on_delete=models.CASCADE, related_name="instalments")
    sequence = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["document", "sequence"], name="instalment_sequence_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.due_on} {self.amount}"


class TrialEvent(models.Model):
    """A step of the trial on the case timeline: hearing scheduled, held, adjourned, mediation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="trial_events")
    kind = models.CharField(_("event"), max_length=24, choices=TrialEventKind.choices)
    at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("trial event")
        verbose_name_plural = _("trial events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class PreservationApplication(models.Model):
    """财产保全: pre-suit (its own 财保 case) or in a pending litigation case. Granted applications produce
    control measures (``PreservationMeasure``)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="preservations")
    kind = models.CharField(_("kind"), max_length=12, choices=PreservationKind.choices)
    applicant = models.ForeignKey(Party, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(Party, verbose_name=_("respondent"), on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount to preserve"))
    security_offered = models.CharField(_("security offered"), max_length=200, blank=True)
    applied_on = models.DateField(_("applied on"))
    received_at = models.DateTimeField(
        _("received"),
        default=timezone.now,
        help_text=_("A pre-suit application is decided within 48 hours of receipt (民诉法 2023 art. 104)."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PreservationStatus.choices, default=PreservationStatus.APPLIED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(_("reasons"), blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("preservation application")
        verbose_name_plural = _("preservation applications")
        ordering = ["-applied_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="preservation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case}"

    @property
    def decision_deadline(self):
        """When a pre-suit application must be decided (民诉法 2023 art. 104: 48 hours); None in-suit."""
        if self.kind != PreservationKind.PRE_SUIT:
            return None
        return self.received_at + dt.timedelta(hours=PRE_SUIT_DECISION_HOURS)

    @property
    def decision_overdue(self) -> bool:
        deadline = self.decision_deadline
        return self.status == PreservationStatus.APPLIED and deadline is not None and timezone.now() > deadline


class PreservationMeasure(models.Model):
    """A control measure taken on preservation: what is frozen, sealed or impounded, and until when.

    This is the interface the assets app fills with its own asset and agency records: ``asset_description``
    and ``property_class`` stand in until then. On enforcement filing the measure carries over into the
    enforcement case (解释 2022 art. 168) — ``carried_into`` — and its period runs on unchanged.
    """

    application = models.ForeignKey(PreservationApplication, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("measure"), max_length=10, choices=MeasureKind.choices)
    property_class = models.CharField(_("property class"), max_length=12, choices=PropertyClass.choices)
    asset_description = models.CharField(_("asset"), max_length=200)
    amount = MoneyField(_("amount controlled"), null=True, blank=True)
    starts_on = models.DateField(_("from"))
    expires_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.ACTIVE)
    carried_into = models.ForeignKey(
        Case,
        verbose_name=_("carried into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_measures",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("preservation measure")
        verbose_name_plural = _("preservation measures")
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("starts_on")), name="measure_expires_after_it_starts"
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"], name="measure_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset_description}"

    @property
    def days_left(self) -> int:
        return (self.expires_on - timezone.localdate()).days

    @property
    def expires_soon(self) -> bool:
        """In force and within the renewal window: a party renewing applies ≥ 7 days before expiry
        (财产保全规定 2020 art. 18); the page highlights measures 30 days ahead so that there is time."""
        return self.status in (MeasureStatus.ACTIVE, MeasureStatus.WAITING) and self.days_left <= EXPIRY_WARNING_DAYS


class FilingAlert(models.Model):
    """What the filing-time checks (``cases.checks``) found against one party of a case when it was filed:
    the cross-case alert the filing clerk sees. One row per party with findings."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="filing_alerts")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="filing_alerts")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    records = models.JSONField(_("findings"), default=list)
    message = models.CharField(_("alert"), max_length=500)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("filing alert")
        verbose_name_plural = _("filing alerts")
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="one_alert_per_party_and_case")]

    def __str__(self) -> str:
        return self.message

    @property
    def sentence(self) -> str:
        """The alert in the active language (``message`` keeps the wording of the filing moment)."""
        from .alerts import alert_sentence

        return alert_sentence(role=self.role, name=self.party.name, clauses=[r["message"] for r in self.records])


class PreservationNoticeDecision(models.Model):
    """The filing clerk's decision whether to send the 财产保全告知书 about one defendant, with the
    recommendation (score and reasons) as it stood when the clerk decided."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="notice_decisions")
    party = models.ForeignKey(Party, verbose_name=_("defendant"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    recommended = models.BooleanField(_("recommended"))
    decided_send = models.BooleanField(_("send the notice"))
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    # the notice as issued and sealed (电子签章), for a decision to send it; the one file every download serves
    file = models.FileField(_("notice (.docx)"), upload_to="preservation-notices/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("preservation-notice decision")
        verbose_name_plural = _("preservation-notice decisions")
        ordering = ["-decided_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="one_notice_decision_per_party")]

    def __str__(self) -> str:
        return f"{self.case} {self.party}"


# ---- relations between parties and transfers of property (hidden-asset clues) -------------------------------


class PartyRelation(models.Model):
    """A relation between two parties that a registry reported or an officer found (the relation graph's
    recorded edges; shared addresses and phones of ``Party`` are derived on the fly, see ``cases.relations``)."""

    party_a = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="relations_out")
    party_b = models.ForeignKey(
        Party, verbose_name=_("related party"), on_delete=models.PROTECT, related_name="relations_in"
    )
    kind = models.CharField(_("relation"), max_length=24, choices=RelationKind.choices)
    share = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True, help_text=_("For a shareholder.")
    )
    source = models.CharField(_("source"), max_length=100, help_text=_("The registry or agency, or “officer”."))
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("party relation")
        verbose_name_plural = _("party relations")
        ordering = ["party_a", "party_b", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["party_a", "party_b", "kind"], name="relation_once_per_kind"),
            models.CheckConstraint(condition=~models.Q(party_a=models.F("party_b")), name="relation_not_to_self"),
            models.CheckConstraint(
                condition=~models.Q(kind__in=sorted(SYMMETRIC_RELATIONS)) | models.Q(party_a__lt=models.F("party_b")),
                name="symmetric_relation_canonical_order",
            ),
            models.CheckConstraint(
                condition=models.Q(share__isnull=True) | (models.Q(share__gt=0) & models.Q(share__lte=100)),
                name="relation_share_in_range",
            ),
        ]
        indexes = [models.Index(fields=["party_b", "kind"], name="relation_party_b_idx")]

    def __str__(self) -> str:
        return f"{self.party_a} {self.get_kind_display()} {self.party_b}"


class PropertyTransfer(models.Model):
    """Property that passed from one party to another, as a registry reported it or an officer found it."""

    description = models.CharField(_("property"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=TransferCategory.choices)
    value = MoneyField(_("value"))
    from_party = models.ForeignKey(
        Party, verbose_name=_("from"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_party = models.ForeignKey(Party, verbose_name=_("to"), on_delete=models.PROTECT, related_name="transfers_in")
    transferred_on = models.DateField(_("transferred on"))
    source = models.CharField(_("source"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("property transfer")
        verbose_name_plural = _("property transfers")
        ordering = ["-transferred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(from_party=models.F("to_party")), name="transfer_between_two"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="transfer_value_positive"),
        ]
        indexes = [models.Index(fields=["from_party", "transferred_on"], name="transfer_from_date_idx")]

    def __str__(self) -> str:
        return f"{self.description} {self.from_party} → {self.to_party}"


class Notification(models.Model):
    """One message sent by the court: to a party (by SMS or email, to ``address``) or to a staff member (in the
    application, read on their pages). ``kind`` names what it is about (``tracking.result``,
    ``tracking.property_found`` …) and ``case`` the case. Written by ``cases.services.notify_party`` and
    ``notify_user``, which send through the configured backends and record the outcome."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(_("about"), max_length=40, db_index=True)
    channel = models.CharField(_("channel"), max_length=8, choices=NotificationChannel.choices)
    recipient_party = models.ForeignKey(
        Party, verbose_name=_("party"), null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    reference = models.CharField(_("provider reference"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(recipient_party__isnull=False) & models.Q(recipient_user__isnull=True))
                | (models.Q(recipient_party__isnull=True) & models.Q(recipient_user__isnull=False)),
                name="notification_has_one_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient_user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["case", "kind"], name="notification_case_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.subject
