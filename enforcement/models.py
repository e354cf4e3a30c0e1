"""Models of enforcement (执): the enforcement case and its lifecycle, suspensions, deadline extensions and the
notices served on the debtor."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from cases.choices import PartyRole
from cases.models import Case, EffectiveDocument
from core.money import MoneyField

from .choices import (
    WORKING_STATUSES,
    ApplicantOpinion,
    ClosingKind,
    CoerciveKind,
    CoerciveStatus,
    ExtensionStatus,
    FollowUp,
    LineKind,
    ListingDecision,
    NoticeKind,
    ObjectionKind,
    ObjectionStatus,
    ObstructionGround,
    PlanRule,
    PlanStatus,
    ProposalStatus,
    ReconsiderationStatus,
    RestorationRequestStatus,
    RewardStatus,
    SearchStatus,
    ServiceMethod,
    Status,
    SuspensionGround,
    TerminationReason,
    TipStatus,
    Track,
)

# The states a case can be suspended from (any open state that is not already suspended), and the ones it
# can be closed from (every open state: a suspended case may end as 终结执行 or 移送破产 without resuming).
SUSPENDABLE = [Status.FILED, Status.ASSIGNED, *WORKING_STATUSES]
CLOSABLE = [*SUSPENDABLE, Status.SUSPENDED]


def _may(capability: str):
    """A transition's permission: the user's role holds ``capability`` and the case is at the user's court."""

    def check(instance: EnforcementCase, user) -> bool:
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        return user.can(capability) and user.court_id == instance.case.court_id

    check.capability = capability
    return check


def notices_served_on_every_debtor(instance: EnforcementCase) -> bool:
    """Condition of ``notify``: both the 执行通知书 and the 报告财产令 issued to every debtor (民诉法 2023
    arts. 251–252). Reads only."""
    debtors = set(instance.case.party_links.filter(role=PartyRole.DEBTOR).values_list("party_id", flat=True))
    if not debtors:
        return False
    issued = set(instance.notices.values_list("kind", "recipient_id"))
    return all((kind, debtor) in issued for kind in NoticeKind.values for debtor in debtors)


notices_served_on_every_debtor.refusal = _(
    "Issue both the enforcement notice and the property report order to every debtor first."
)
notices_served_on_every_debtor.code = "lifecycle.notices_missing"


class EnforcementCase(ConcurrentTransitionMixin, models.Model):
    """The enforcement side of a 执 / 执恢 / 执保 case record (number, court, parties and amount live on
    ``case``). Its ``status`` changes only through the transitions below, called by
    ``enforcement.services.lifecycle.transition_apply`` (which locks the row, checks the actor and writes the
    ``StatusChange`` row). Concurrent transitions cannot both win: the service holds the row lock, and the
    UPDATE is conditional on the status the transition started from (ConcurrentTransitionMixin).

    Each transition carries its permission (``_may(capability)``) and, in ``custom``, the label of the step
    for messages and the timeline. Conditions read only; the rules that depend on the service's arguments
    (how a case may be closed) are checked by the service before it calls the transition."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="enforcement")
    # The case record's court, copied here when the row is first saved (a case never changes court): every list
    # of a court's enforcement cases filters and sorts on this table alone, with one index (court, status,
    # deadline), instead of joining the case records — at a million cases the join cannot use an index.
    court = models.ForeignKey(
        "core.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+", editable=False
    )
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
    closing_ground = models.CharField(
        _("closing ground"),
        max_length=40,
        blank=True,
        help_text=_("The statutory ground of 终结执行 or 不予执行 (TerminationGround, NonEnforcementGround)."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    performed_amount = MoneyField(
        _("amount performed"),
        default=0,
        help_text=_("What the debtor has paid or the court has recovered so far; the case-fund ledger keeps it."),
    )

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["deadline_on", "id"]
        indexes = [
            models.Index(fields=["officer", "status", "deadline_on"], name="enf_officer_status_due_idx"),
            models.Index(fields=["status", "deadline_on"], name="enf_status_due_idx"),
            models.Index(fields=["court", "status", "deadline_on", "id"], name="enf_court_status_due_idx"),
            # A court's open cases by deadline (the officers' list): closed cases, most of a court's rows after
            # some years, are not in it, so the first page is read straight off the index.
            models.Index(
                fields=["court", "deadline_on", "id"],
                condition=~models.Q(status="closed"),
                name="enf_court_open_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_on__isnull=False) | ~models.Q(status="closed"),
                name="closed_cases_have_a_closing_date",
            ),
            models.CheckConstraint(condition=models.Q(performed_amount__gte=0), name="performed_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.case)

    def save(self, *args, **kwargs):
        if self.court_id is None and self.case_id is not None:
            self.court_id = self.case.court_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    # ---- transitions -------------------------------------------------------------------------------------

    @transition(
        field=status,
        source=Status.FILED,
        target=Status.ASSIGNED,
        permission=_may("enforcement.assign"),
        custom={"label": _("assign an officer")},
    )
    def assign(self, *, officer, at: dt.datetime | None = None) -> None:
        self.officer = officer
        self.assigned_at = at or timezone.now()

    @transition(
        field=status,
        source=Status.ASSIGNED,
        target=Status.NOTIFIED,
        conditions=[notices_served_on_every_debtor],
        permission=_may("enforcement.act"),
        custom={"label": _("notify the debtor")},
    )
    def notify(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.NOTIFIED,
        target=Status.INVESTIGATING,
        permission=_may("enforcement.act"),
        custom={"label": _("start the asset investigation")},
    )
    def start_investigation(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.INVESTIGATING,
        target=Status.CONTROLLING,
        permission=_may("enforcement.act"),
        custom={"label": _("start controlling assets")},
    )
    def start_control(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.CONTROLLING,
        target=Status.DISPOSING,
        permission=_may("enforcement.act"),
        custom={"label": _("start disposing of assets")},
    )
    def start_disposal(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.CONTROLLING, Status.DISPOSING],
        target=Status.DISTRIBUTING,
        permission=_may("enforcement.act"),
        custom={"label": _("start distributing the proceeds")},
    )
    def start_distribution(self) -> None:
        pass

    @transition(
        field=status,
        source=SUSPENDABLE,
        target=Status.SUSPENDED,
        permission=_may("enforcement.act"),
        custom={"label": _("suspend enforcement")},
    )
    def suspend(self) -> None:
        self.status_before_suspension = self.status

    @transition(
        field=status,
        source=Status.SUSPENDED,
        target=RETURN_VALUE(*SUSPENDABLE),
        permission=_may("enforcement.act"),
        custom={"label": _("resume enforcement")},
    )
    def resume(self) -> str:
        previous, self.status_before_suspension = self.status_before_suspension, ""
        return previous

    @transition(
        field=status,
        source=CLOSABLE,
        target=Status.CLOSED,
        permission=_may("enforcement.act"),
        custom={"label": _("close the case")},
    )
    def close(self, *, kind: str, on: dt.date, ground: str = "") -> None:
        self.closing_kind = kind
        self.closing_ground = ground
        self.closed_on = on
        self.status_before_suspension = ""


class StatusChange(models.Model):
    """One transition of an enforcement case: the case timeline."""

    enforcement_case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="status_changes")
    transition = models.CharField(_("step"), max_length=40)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,  # a step by operation of law (a bankruptcy accepted elsewhere): ``details["authority"]``
        on_delete=models.PROTECT,
        related_name="+",
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
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # blank: suspended by operation of law

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
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enforcement_case", "kind", "recipient"], name="notice_once_per_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enforcement_case}"


class FundEntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt (收款)")
    PAYOUT = "payout", _("Payout (发放)")
    ADJUSTMENT = "adjustment", _("Adjustment (调整)")
    REVERSAL = "reversal", _("Reversal (冲销)")


class FundEntry(models.Model):
    """One movement of the case-fund ledger (案款): money received for the case (a deduction, a payment, the
    proceeds of a sale), paid out, adjusted, or a receipt reversed (冲销: the buyer at auction defaulted, so
    the price never arrived). Append-only; ``reference`` is unique, so a receipt recorded twice under the same
    reference (an agency confirming twice) is recorded once; a receipt is reversed at most once."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="fund_entries"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FundEntryKind.choices)
    amount = MoneyField(_("amount"))
    source = models.CharField(_("source"), max_length=32)
    reference = models.CharField(_("reference"), max_length=80, unique=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,  # a periodic job (an auction closing) records money with no user
        on_delete=models.PROTECT,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        help_text=_("For a reversal: the receipt it cancels."),
    )

    class Meta:
        verbose_name = _("case-fund entry")
        verbose_name_plural = _("case-fund entries")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_entry_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(kind="reversal", reverses__isnull=False) | ~models.Q(kind="reversal"),
                name="fund_reversal_names_its_receipt",
            ),
        ]
        indexes = [models.Index(fields=["enforcement_case", "kind"], name="fund_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.reference})"


class Settlement(models.Model):
    """执行和解协议 (民诉法 2023 art. 241; 和解规定 2018): what the parties agreed during enforcement, and when it
    was performed. A case is closed as 和解结案 only once a settlement recorded here has been performed."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="settlements"
    )
    agreed_on = models.DateField(_("agreed on"))
    terms = models.TextField(_("terms"))
    amount = MoneyField(_("amount agreed"), null=True, blank=True)
    performed_on = models.DateField(_("performed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    performance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("settlement agreement")
        verbose_name_plural = _("settlement agreements")
        ordering = ["agreed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="settlement_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(performed_on__isnull=True) | models.Q(performed_on__gte=models.F("agreed_on")),
                name="settlement_performed_after_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enforcement_case} {self.agreed_on}"


class TerminationProposal(models.Model):
    """A proposal to terminate this round of enforcement (终本), made by the officer with the art. 1 checklist
    and the applicant's opinion (终本规定 2016 arts. 1, 5), and approved by a division head other than the
    proposer (解释 2022 art. 517: the applicant's signed confirmation, or a collegial panel and the president's
    approval). Approval closes the case, generates the ruling and starts the post-termination tracking.

    ``checklist`` keeps the evaluation of the five conditions at submission and ``approval_checklist`` the
    one re-run at approval; both are lists of ``{"code", "met", "message", "details"}``."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="terminations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=20, choices=TerminationReason.choices)
    reason_detail = models.TextField(_("explanation"))
    # art. 1(2): the consumption restriction, and the dishonest listing where eligible
    consumption_restriction_on = models.DateField(_("consumption restriction order issued on"), null=True, blank=True)
    listing_decision = models.CharField(
        _("dishonest-list decision"), max_length=16, choices=ListingDecision.choices, blank=True
    )
    listing_note = models.TextField(_("dishonest-list note"), blank=True)
    # art. 1(3) with art. 3(3): where the network cannot reach, an on-site investigation
    onsite_investigation_on = models.DateField(_("on-site investigation on"), null=True, blank=True)
    onsite_investigation_note = models.TextField(_("on-site investigation findings"), blank=True)
    # art. 1(5): a missing debtor searched for; obstruction sanctioned
    debtor_missing = models.BooleanField(_("debtor missing"), default=False)
    search_note = models.TextField(_("search for the debtor"), blank=True)
    obstruction = models.BooleanField(_("enforcement obstructed"), default=False)
    sanction_note = models.TextField(_("sanctions taken (fine, detention, criminal referral)"), blank=True)
    # art. 5: the applicant informed and heard; 解释 art. 517: signed confirmation or collegial panel
    applicant_informed_on = models.DateField(_("applicant informed on"), null=True, blank=True)
    applicant_opinion = models.CharField(
        _("applicant's opinion"), max_length=10, choices=ApplicantOpinion.choices, blank=True
    )
    applicant_opinion_text = models.TextField(_("applicant's opinion in their words"), blank=True)
    applicant_signed = models.BooleanField(_("applicant signed the confirmation"), default=False)
    panel_members = models.CharField(_("collegial panel"), max_length=200, blank=True)

    checklist = models.JSONField(_("checklist at submission"), default=list, blank=True)
    approval_checklist = models.JSONField(_("checklist at approval"), default=list, blank=True)
    follow_up = models.CharField(_("suggested follow-up"), max_length=24, choices=FollowUp.choices, blank=True)
    follow_up_reasons = models.JSONField(_("why this follow-up"), default=list, blank=True)

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    ruling = models.FileField(_("ruling (.docx)"), upload_to="rulings/%Y/%m/", blank=True)
    ruling_number = models.CharField(_("ruling number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("终本 proposal")
        verbose_name_plural = _("终本 proposals")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enforcement_case"], condition=models.Q(status="pending"), name="one_pending_termination"
            ),
            models.UniqueConstraint(
                fields=["enforcement_case"], condition=models.Q(status="approved"), name="one_approved_termination"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | ~models.Q(decided_by=models.F("proposed_by")),
                name="termination_not_approved_by_its_proposer",
            ),
        ]
        indexes = [models.Index(fields=["status", "proposed_at"], name="termination_status_idx")]

    def __str__(self) -> str:
        return f"{self.enforcement_case} ({self.get_status_display()})"


class TerminatedCaseEntry(models.Model):
    """An entry of the public 终本 case database (终本规定 2016 arts. 12–13, 18): published within 7 days of the
    ruling, masked once the obligation is performed or enforcement otherwise ends. What is published is a
    snapshot: ``debtors`` holds ``[{"name", "masked_id", "kind"}]`` (never a full ID number)."""

    enforcement_case = models.OneToOneField(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="public_entry"
    )
    court_name = models.CharField(_("court"), max_length=100)
    case_number = models.CharField(_("case number"), max_length=60)
    filed_on = models.DateField(_("filed on"))
    debtors = models.JSONField(_("debtors"), default=list)
    debtor_names = models.CharField(_("debtor names"), max_length=400, db_index=True)
    document_number = models.CharField(_("enforcement basis"), max_length=120, blank=True)
    obligation = models.TextField(_("obligation"))
    amount = MoneyField(_("amount to enforce"))
    unperformed_amount = MoneyField(_("unperformed amount"))
    ruled_on = models.DateField(_("ruled on"))
    published_on = models.DateField(_("published on"), null=True, blank=True, db_index=True)
    masked_on = models.DateField(_("masked on"), null=True, blank=True)
    mask_reason = models.CharField(_("why masked"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("public 终本 entry")
        verbose_name_plural = _("public 终本 entries")
        ordering = ["-ruled_on", "-id"]
        indexes = [
            models.Index(
                fields=["-published_on"],
                name="terminated_public_idx",
                condition=models.Q(published_on__isnull=False, masked_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def is_public(self) -> bool:
        return self.published_on is not None and self.masked_on is None


class RestorationRequest(models.Model):
    """The applicant's request to restore a 终本 case with a property lead (终本规定 2016 art. 9: at any time, not
    subject to the application period). The officer checks the lead and accepts (the case is restored as 执恢)
    or refuses with a reason. A lead also stops the dishonest-list deletion flag (失信规定 art. 10(4))."""

    enforcement_case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("enforcement case"),
        on_delete=models.PROTECT,
        related_name="restoration_requests",
    )
    applicant = models.ForeignKey(
        "cases.Party", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.TextField(_("property lead"))
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RestorationRequestStatus.choices,
        default=RestorationRequestStatus.PENDING,
        db_index=True,
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    restored_as = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("restored as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("restoration request")
        verbose_name_plural = _("restoration requests")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enforcement_case} {self.received_on}"


class DistributionPlan(models.Model):
    """A plan to pay out the case fund (清偿顺序): enforcement costs first, then secured claims (优先受偿), then
    ordinary claims — pro rata among the creditors who joined (参与分配) against a natural-person debtor, in the
    order of control (first frozen, first paid: 解释 2022 art. 514) against a corporate one. Approved by a
    division head other than the proposer; lines are paid out one by one (``DistributionLine.paid``)."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="distributions"
    )
    fund_total = MoneyField(_("amount distributed"))
    rule = models.CharField(_("order"), max_length=16, choices=PlanRule.choices)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default="draft", db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("distribution plan")
        verbose_name_plural = _("distribution plans")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fund_total__gt=0), name="distribution_total_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | ~models.Q(decided_by=models.F("proposed_by")),
                name="distribution_not_approved_by_its_proposer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enforcement_case} {self.fund_total}"


class DistributionLine(models.Model):
    """One recipient's share: ``claim`` what they are owed in this class, ``allocated`` their share (to the
    fen; the lines of a plan always sum to its total), ``paid`` what has been paid out so far."""

    plan = models.ForeignKey(DistributionPlan, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("class"), max_length=10, choices=LineKind.choices)
    recipient = models.ForeignKey(
        "cases.Party", verbose_name=_("recipient"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    claim = MoneyField(_("claim"))
    allocated = MoneyField(_("allocated"))
    paid = MoneyField(_("paid"), default=0)

    class Meta:
        verbose_name = _("distribution line")
        verbose_name_plural = _("distribution lines")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(allocated__lte=models.F("claim")), name="line_within_claim"),
            models.CheckConstraint(condition=models.Q(paid__lte=models.F("allocated")), name="line_paid_within_share"),
            models.CheckConstraint(condition=models.Q(allocated__gte=0), name="line_allocated_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.position} {self.allocated}"


class DistributionObjection(models.Model):
    """A party's objection to a distribution plan (分配方案异议), recorded with its outcome."""

    plan = models.ForeignKey(DistributionPlan, on_delete=models.CASCADE, related_name="objections")
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    received_on = models.DateField(_("received on"))
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("distribution objection")
        verbose_name_plural = _("distribution objections")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.party}"


# ---- remedies and coercion --------------------------------------------------------------------------------------


class Objection(models.Model):
    """An objection against enforcement (执异): to an act of the court (art. 236: by a party or an interested
    person) or, by an outsider, to the property enforced on (art. 238). Reviewed within 15 days; the ruling is
    served and may be taken to the higher court within 10 days (``Reconsideration``). While a third-party
    objection on an asset is pending, the asset is not disposed of (``asset_id``: assets.Asset, referenced by id
    because enforcement comes before assets)."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="objections"
    )
    case = models.OneToOneField(
        Case, verbose_name=_("objection case (执异)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ObjectionKind.choices)
    objector = models.ForeignKey("cases.Party", verbose_name=_("objector"), on_delete=models.PROTECT, related_name="+")
    act = models.ForeignKey(
        StatusChange,
        verbose_name=_("act objected to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    act_description = models.CharField(_("act objected to"), max_length=200, blank=True)
    act_on = models.DateField(_("act done on"), null=True, blank=True)
    asset_id = models.PositiveBigIntegerField(_("asset"), null=True, blank=True, db_index=True)
    asset_label = models.CharField(_("asset"), max_length=200, blank=True)
    grounds = models.TextField(_("grounds"))
    filed_on = models.DateField(_("filed on"))
    review_due_on = models.DateField(_("decision due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING, db_index=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ruling = models.TextField(_("ruling"), blank=True)
    served_on = models.DateField(_("ruling served on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("objection (执行异议)")
        verbose_name_plural = _("objections (执行异议)")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="third_party") | models.Q(asset_id__isnull=False),
                name="third_party_objection_names_the_asset",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_on__isnull=False),
                name="decided_objection_has_a_date",
            ),
        ]
        indexes = [
            models.Index(fields=["asset_id"], name="objection_pending_asset_idx", condition=models.Q(status="pending"))
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.objector}"


class Reconsideration(models.Model):
    """复议 (执复) of an objection ruling by the court one level up, applied for within 10 days of service (民诉法
    2023 art. 236) and decided within 30 days of receipt (异议复议规定 2015 art. 12, extendable once by 30 days
    with the president's approval)."""

    objection = models.OneToOneField(Objection, on_delete=models.PROTECT, related_name="reconsideration")
    court = models.ForeignKey("core.Court", verbose_name=_("higher court"), on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(
        Case, verbose_name=_("reconsideration case (执复)"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    applicant = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField(_("grounds"))
    filed_on = models.DateField(_("filed on"))
    decision_due_on = models.DateField(_("decision due"))
    extended = models.BooleanField(_("extended by 30 days"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReconsiderationStatus.choices,
        default=ReconsiderationStatus.PENDING,
        db_index=True,
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ruling = models.TextField(_("ruling"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("reconsideration (执行复议)")
        verbose_name_plural = _("reconsiderations (执行复议)")
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.objection} → {self.court}"


class CoerciveMeasure(models.Model):
    """A coercive measure against obstruction of enforcement (民诉法 2023 arts. 114–120): a fine (persons up to
    100,000 yuan, organisations 50,000 to 1,000,000, art. 118), detention (up to 15 days, art. 118) or a search
    (a search warrant signed by the president, art. 255; 解释 2022 art. 494 ff.). Fines and detention need the
    president's approval (art. 119); the decision (.docx) is served and executed; detention's end is tracked."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="coercive_measures"
    )
    kind = models.CharField(_("measure"), max_length=10, choices=CoerciveKind.choices)
    subject = models.ForeignKey("cases.Party", verbose_name=_("against"), on_delete=models.PROTECT, related_name="+")
    responsible_person = models.CharField(
        _("responsible person (for an organisation)"), max_length=100, blank=True
    )  # art. 118: an organisation's principal or the person directly responsible may be fined or detained
    ground = models.CharField(_("ground"), max_length=20, choices=ObstructionGround.choices)
    facts = models.TextField(_("facts"))
    amount = MoneyField(_("fine"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("days of detention"), null=True, blank=True)
    search_place = models.CharField(_("place to search"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CoerciveStatus.choices, default=CoerciveStatus.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    order_number = models.CharField(_("decision or warrant number"), max_length=60, blank=True)
    document = models.FileField(_("decision or warrant (.docx)"), upload_to="enforcement/coercion/", blank=True)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    ends_on = models.DateField(_("detention ends on"), null=True, blank=True, db_index=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("coercive measure")
        verbose_name_plural = _("coercive measures")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="fine") | models.Q(amount__gt=0), name="fine_has_an_amount"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="detention") | models.Q(days__gte=1, days__lte=15),
                name="detention_at_most_15_days",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=("approved", "executed"))
                | ~models.Q(approved_by=models.F("proposed_by")),
                name="coercion_not_approved_by_its_proposer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"


class DebtorSearch(models.Model):
    """查人: the search for a debtor whose whereabouts are unknown — each attempt (an address tried, an agency
    asked) with its result; exit restriction can be asked for from it (credit)."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="debtor_searches"
    )
    debtor = models.ForeignKey("cases.Party", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=SearchStatus.choices, default=SearchStatus.SEARCHING, db_index=True
    )
    started_on = models.DateField(_("started on"))
    attempts = models.JSONField(_("attempts"), default=list, blank=True)  # [{on, kind, where, result, by}]
    found_on = models.DateField(_("found on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("debtor search (查人)")
        verbose_name_plural = _("debtor searches (查人)")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enforcement_case", "debtor"],
                condition=models.Q(status="searching"),
                name="one_open_search_per_debtor_and_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.debtor} ({self.get_status_display()})"


class RewardNotice(models.Model):
    """悬赏公告: on the applicant's request the court publishes the debtor, the amount owed and the reward rule
    (a share of what a lead recovers, capped) on the public pages, masked as the disclosure pages are; withdrawn
    or expired, it leaves them."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="reward_notices"
    )
    debtor = models.ForeignKey("cases.Party", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        "cases.Party", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    amount_owed = MoneyField(_("amount owed"))
    reward_rate = models.DecimalField(_("reward (share of what is recovered)"), max_digits=5, decimal_places=4)
    reward_cap = MoneyField(_("reward cap"))
    text = models.TextField(_("notice text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RewardStatus.choices, default=RewardStatus.PUBLISHED, db_index=True
    )
    published_on = models.DateField(_("published on"))
    expires_on = models.DateField(_("expires on"), db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reward notice (悬赏公告)")
        verbose_name_plural = _("reward notices (悬赏公告)")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reward_rate__gt=0, reward_rate__lte=1), name="reward_rate_a_share"
            ),
            models.CheckConstraint(condition=models.Q(reward_cap__gt=0), name="reward_cap_positive"),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("published_on")), name="reward_expires_after_publication"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debtor} ({self.published_on})"

    @property
    def rate_percent(self):
        """The reward rate as an exact percent for display: 0.125 -> 12.5, 0.1 -> 10 (never rounded)."""
        from decimal import Decimal

        pct = Decimal(self.reward_rate) * 100
        return pct.quantize(Decimal(1)) if pct == pct.to_integral_value() else pct.normalize()


class TipOff(models.Model):
    """线索举报: a lead sent by anyone through the public form, on a reward notice or a listed debtor's case. It
    reaches the case officer, who records whether it was verified, what it recovered and the reward paid. The
    tipster's name and contact are seen only by the officer of the case and the auditor (reads audited)."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="tip_offs"
    )
    reward_notice = models.ForeignKey(
        RewardNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="tip_offs"
    )
    what = models.TextField(_("what you know"))
    where = models.CharField(_("where"), max_length=200, blank=True)
    tipster_name = models.CharField(_("your name"), max_length=100, blank=True)
    tipster_contact = models.CharField(_("how to reach you"), max_length=100)
    client_key = models.CharField(max_length=64, db_index=True, editable=False)  # a hash of the sender's address
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TipStatus.choices, default=TipStatus.NEW, db_index=True
    )
    recovered = MoneyField(_("recovered thanks to it"), default=0)
    reward_paid = MoneyField(_("reward paid"), default=0)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    note = models.TextField(_("officer's note"), blank=True)

    class Meta:
        verbose_name = _("tip-off (线索举报)")
        verbose_name_plural = _("tip-offs (线索举报)")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(recovered__gte=0), name="tip_recovered_not_negative"),
            models.CheckConstraint(condition=models.Q(reward_paid__gte=0), name="tip_reward_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.enforcement_case} {self.received_at:%Y-%m-%d}"
