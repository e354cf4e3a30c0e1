"""Models of bankruptcy (破): 执转破 screening, the transfer of a corporate debtor's enforcement to the court of its
domicile (解释 2022 arts. 511–514), the bankruptcy case that court accepts, its effect on every enforcement case
against the debtor (企业破产法 art. 19), claims registration (债权申报) and a simple distribution record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField

from .choices import (
    BankruptcyStatus,
    ClaimKind,
    ClaimStatus,
    ConsentRole,
    EffectKind,
    SuggestionStatus,
    TransferStatus,
)


class Suggestion(models.Model):
    """A corporate debtor that looks insolvent (企业破产法 art. 2(1)) from what the system knows, with the reasons
    (several 终本 cases, unpaid total against known assets, many creditors, failed auctions). Written by the
    screening job; the officer decides (transfer, or dismiss with a note). One open suggestion per debtor."""

    debtor = models.ForeignKey("cases.Party", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN, db_index=True
    )
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    courts = models.ManyToManyField("core.Court", verbose_name=_("courts with cases"), related_name="+", blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("bankruptcy suggestion")
        verbose_name_plural = _("bankruptcy suggestions")
        ordering = ["-score", "-computed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["debtor"], condition=models.Q(status="open"), name="one_open_suggestion_per_debtor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.debtor} ({self.score})"

    @property
    def reason_texts(self) -> list[str]:
        """The reasons in the reader's language, rebuilt from the stored figures (the stored ``reasons`` are in
        the language the job ran in); the stored ones when there are no figures."""
        if not self.figures:
            return list(self.reasons)
        from .screening import Figures, assess

        return assess(Figures.from_json(self.debtor_id, self.figures))[2]


class Transfer(models.Model):
    """执转破: the enforcement court, with the consent of one applicant or the debtor (解释 2022 art. 511), rules to
    suspend enforcement against a corporate debtor and sends the file to the court of the debtor's domicile,
    which must decide within 30 days whether it accepts the bankruptcy case (art. 512); refusal returns the
    file and enforcement resumes (art. 513)."""

    debtor = models.ForeignKey("cases.Party", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(
        "core.Court", verbose_name=_("enforcement court"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_court = models.ForeignKey(
        "core.Court", verbose_name=_("court of the debtor's domicile"), on_delete=models.PROTECT, related_name="+"
    )
    enforcement_cases = models.ManyToManyField(
        "enforcement.EnforcementCase", verbose_name=_("enforcement cases"), related_name="bankruptcy_transfers"
    )
    # the cases the ruling suspended (a case already suspended on another ground is not among them): these,
    # and only these, resume if the domicile court refuses the case (解释 2022 art. 513)
    suspended_cases = models.ManyToManyField(
        "enforcement.EnforcementCase", verbose_name=_("cases the ruling suspended"), related_name="+", blank=True
    )
    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="transfers"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.NOTIFYING, db_index=True
    )
    grounds = models.TextField(_("grounds (企业破产法 art. 2)"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    notice_document = models.FileField(_("notice (执转破告知书)"), upload_to="bankruptcy/notices/", blank=True)
    notified_on = models.DateField(_("parties notified on"), null=True, blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due"), null=True, blank=True, db_index=True)
    petition_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("petition review case (破申)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(_("reasons of the decision"), blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue reported"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer to bankruptcy (执转破)")
        verbose_name_plural = _("transfers to bankruptcy (执转破)")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["debtor", "court"],
                condition=models.Q(status__in=("notifying", "transferred")),
                name="one_live_transfer_per_debtor_and_court",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="transferred") | models.Q(decision_due_on__isnull=False),
                name="transferred_has_a_decision_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debtor} → {self.receiving_court}"

    @property
    def overdue(self) -> bool:
        return (
            self.status == TransferStatus.TRANSFERRED
            and self.decision_due_on is not None
            and self.decision_due_on < timezone.localdate()
        )


class Consent(models.Model):
    """An applicant's or the debtor's answer to the 执转破 notice (解释 2022 art. 511: one consent suffices)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="consents")
    party = models.ForeignKey("cases.Party", verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("as"), max_length=10, choices=ConsentRole.choices)
    consents = models.BooleanField(_("consents"))
    answered_on = models.DateField(_("answered on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("consent to the transfer")
        verbose_name_plural = _("consents to the transfer")
        ordering = ["transfer", "answered_on", "id"]
        constraints = [models.UniqueConstraint(fields=["transfer", "party"], name="one_answer_per_party")]

    def __str__(self) -> str:
        return f"{self.party}: {'+' if self.consents else '-'}"


class BankruptcyCase(models.Model):
    """A bankruptcy case (破) accepted by the court of the debtor's domicile. Acceptance suspends every
    enforcement case against the debtor in every court and releases their measures (企业破产法 art. 19; 解释
    2022 art. 513); a declaration of bankruptcy ends them (终结执行)."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="bankruptcy_case"
    )
    debtor = models.ForeignKey("cases.Party", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+")
    transfer = models.OneToOneField(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="bankruptcy_case"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BankruptcyStatus.choices, default=BankruptcyStatus.ACCEPTED, db_index=True
    )
    accepted_on = models.DateField(_("accepted on"))
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    effects_applied_at = models.DateTimeField(_("effects on enforcement applied"), null=True, blank=True)
    administrator = models.CharField(_("administrator (管理人)"), max_length=200, blank=True)
    administrator_appointed_on = models.DateField(_("administrator appointed on"), null=True, blank=True)
    claims_deadline_on = models.DateField(_("claims to be filed by"), null=True, blank=True)
    declared_on = models.DateField(_("declared bankrupt on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("bankruptcy case")
        verbose_name_plural = _("bankruptcy cases")
        ordering = ["-accepted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["debtor"], condition=~models.Q(status="closed"), name="one_open_bankruptcy_per_debtor"
            )
        ]

    def __str__(self) -> str:
        return str(self.case)


class Effect(models.Model):
    """What the acceptance (or the declaration) did to one enforcement case against the debtor: suspended,
    already suspended, closed before (终本), or ended (终结执行); the measures whose release was ordered and the
    dishonest entries flagged for removal."""

    bankruptcy_case = models.ForeignKey(BankruptcyCase, on_delete=models.CASCADE, related_name="effects")
    enforcement_case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.PROTECT, related_name="bankruptcy_effects"
    )
    kind = models.CharField(_("effect"), max_length=20, choices=EffectKind.choices)
    measures_released = models.PositiveIntegerField(_("releases ordered"), default=0)
    listings_flagged = models.PositiveIntegerField(_("dishonest entries flagged"), default=0)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("effect on an enforcement case")
        verbose_name_plural = _("effects on enforcement cases")
        ordering = ["bankruptcy_case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bankruptcy_case", "enforcement_case", "kind"], name="one_effect_of_a_kind")
        ]

    def __str__(self) -> str:
        return f"{self.enforcement_case} {self.kind}"


class Claim(models.Model):
    """A creditor's claim filed with the administrator (债权申报, 企业破产法 arts. 44 ff.), pre-filled from the
    creditor's enforcement case against the debtor when there is one, then reviewed (admitted in whole or in
    part, or rejected)."""

    bankruptcy_case = models.ForeignKey(BankruptcyCase, on_delete=models.CASCADE, related_name="claims")
    creditor = models.ForeignKey("cases.Party", verbose_name=_("creditor"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("class"), max_length=10, choices=ClaimKind.choices, default=ClaimKind.ORDINARY)
    amount = MoneyField(_("amount claimed"))
    enforcement_case = models.ForeignKey(
        "enforcement.EnforcementCase",
        verbose_name=_("from enforcement case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    documents = models.TextField(_("supporting documents"), blank=True)
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.FILED, db_index=True
    )
    admitted_amount = MoneyField(_("amount admitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("claim (债权申报)")
        verbose_name_plural = _("claims (债权申报)")
        ordering = ["bankruptcy_case", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bankruptcy_case", "creditor", "kind"], name="one_claim_per_creditor_and_class"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(admitted_amount__isnull=True) | models.Q(admitted_amount__lte=models.F("amount")),
                name="claim_admitted_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.creditor} {self.amount}"


class Distribution(models.Model):
    """A distribution of the bankruptcy estate (破产财产分配, 企业破产法 art. 113): the amount distributed and each
    admitted claim's share, by class in the statutory order and pro rata within a class."""

    bankruptcy_case = models.ForeignKey(BankruptcyCase, on_delete=models.CASCADE, related_name="distributions")
    total = MoneyField(_("amount distributed"))
    made_on = models.DateField(_("made on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("bankruptcy distribution")
        verbose_name_plural = _("bankruptcy distributions")
        ordering = ["bankruptcy_case", "made_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(total__gt=0), name="bankruptcy_distribution_positive")]

    def __str__(self) -> str:
        return f"{self.bankruptcy_case} {self.total}"


class Share(models.Model):
    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="shares")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="shares")
    amount = MoneyField(_("share"))

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["distribution", "claim"]
        constraints = [models.UniqueConstraint(fields=["distribution", "claim"], name="one_share_per_claim")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.amount}"
