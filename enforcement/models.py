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
    ExtensionStatus,
    FollowUp,
    LineKind,
    ListingDecision,
    NoticeKind,
    PlanRule,
    PlanStatus,
    ProposalStatus,
    RestorationRequestStatus,
    ServiceMethod,
    Status,
    SuspensionGround,
    TerminationReason,
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
