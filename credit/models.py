"""Models of credit (惩): the dishonest list (失信被执行人名单, 失信规定 2017), consumption and exit restrictions
(限制消费规定 2015), corrections, the credit feed for agencies and the party portal's query codes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assets.models import Agency
from cases.models import Case, Party
from enforcement.models import EnforcementCase

from .choices import (
    BoundPersonRole,
    CorrectionGround,
    CorrectionStatus,
    FeedEventKind,
    LiftGround,
    ListingGround,
    ListingStatus,
    RemovalEvent,
    RestrictionKind,
    RestrictionStatus,
)

ACTIVE_LISTING = models.Q(status__in=("pending", "listed"))


class DishonestListing(models.Model):
    """One entry of a debtor on the dishonest list for one enforcement case.

    Proposed by an officer (on the applicant's request or the court's own motion) and approved by a division
    head other than the proposer; listed from ``listed_on``. Grounds 2–6 run for ``period_years`` (2) plus
    ``extension_years`` (1–3, with a reason) to ``expires_on``; ground 1 has no fixed term (art. 2). A removal
    event (art. 10) sets ``event_on`` and ``removal_due_on`` (3 working days later); the removal job deletes
    what is due and records why (``removal_event``, ``removal_reason``, ``removed_on``).

    ``debtor_name`` is the name as published (kept for the public search and its trigram index)."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="dishonest_listings"
    )
    debtor = models.ForeignKey(
        Party, verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="dishonest_listings"
    )
    debtor_name = models.CharField(_("name as published"), max_length=200)
    ground = models.CharField(pgettext_lazy("credit", "ground"), max_length=24, choices=ListingGround.choices)
    facts = models.TextField(_("the dishonest conduct"))
    on_request = models.BooleanField(_("on the applicant's request"), default=False)
    requested_on = models.DateField(_("applicant's request received on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.PENDING, db_index=True
    )
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
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision = models.FileField(_("decision (.docx)"), upload_to="credit/decisions/%Y/%m/", blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    period_years = models.PositiveSmallIntegerField(_("period in years"), null=True, blank=True)
    extension_years = models.PositiveSmallIntegerField(_("extended by (years)"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    expires_on = models.DateField(_("listed until"), null=True, blank=True)
    removal_event = models.CharField(_("removal event"), max_length=24, choices=RemovalEvent.choices, blank=True)
    removal_reason = models.TextField(_("why removed"), blank=True)
    event_on = models.DateField(_("removal event on"), null=True, blank=True)
    removal_due_on = models.DateField(_("to be removed by"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dishonest listing")
        verbose_name_plural = _("dishonest listings")
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enforcement_case", "debtor"], condition=ACTIVE_LISTING, name="one_active_listing_per_case"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="listed") | ~models.Q(decided_by=models.F("proposed_by")),
                name="listing_not_approved_by_its_proposer",
            ),
            models.CheckConstraint(condition=models.Q(extension_years__lte=3), name="listing_extension_at_most_3"),
            models.CheckConstraint(
                condition=~models.Q(status="listed") | models.Q(listed_on__isnull=False), name="listed_has_a_date"
            ),
        ]
        indexes = [
            # The removal job reads only what is due (partial: listed entries with a due date or an end).
            models.Index(
                fields=["removal_due_on"], name="listing_removal_due_idx", condition=models.Q(status="listed")
            ),
            models.Index(fields=["expires_on"], name="listing_expiry_idx", condition=models.Q(status="listed")),
            models.Index(fields=["debtor", "status"], name="listing_debtor_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.debtor_name} ({self.get_status_display()})"


class Restriction(models.Model):
    """A consumption restriction order (限制消费令) or an exit restriction (限制出境) on a debtor of a case.

    A consumption restriction lists the kinds of consumption prohibited (``prohibited``: ProhibitedConsumption
    values; all nine by default) and, for an organisation, binds the persons in ``bound_persons``. It is
    mandatory for a listed debtor (``listing``), optional after the notice's deadline. Lifted (must when
    performed; may with security or the applicant's consent) with ``lift_ground``."""

    kind = models.CharField(_("kind"), max_length=12, choices=RestrictionKind.choices)
    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="restrictions"
    )
    debtor = models.ForeignKey(Party, verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="restrictions")
    listing = models.ForeignKey(
        DishonestListing,
        verbose_name=_("because of the listing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restrictions",
    )
    prohibited = models.JSONField(_("prohibited consumption"), default=list, blank=True)
    reason = models.TextField(_("reason"))
    order_number = models.CharField(_("order number"), max_length=60, blank=True)
    order = models.FileField(_("order (.docx)"), upload_to="credit/orders/%Y/%m/", blank=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=RestrictionStatus.choices, default=RestrictionStatus.ACTIVE, db_index=True
    )
    lift_ground = models.CharField(_("lifted because"), max_length=20, choices=LiftGround.choices, blank=True)
    lift_reason = models.TextField(_("lifting note"), blank=True)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enforcement_case", "debtor", "kind"],
                condition=models.Q(status="active"),
                name="one_active_restriction_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["debtor", "status"], name="restriction_debtor_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.debtor}"


class BoundPerson(models.Model):
    """A person a restriction on an organisation also binds (限制消费规定 art. 3(2)): legal representative, main
    responsible person, directly responsible person, actual controller."""

    restriction = models.ForeignKey(Restriction, on_delete=models.CASCADE, related_name="bound_persons")
    role = models.CharField(_("role"), max_length=24, choices=BoundPersonRole.choices)
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("identifier"), max_length=18)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("bound person")
        verbose_name_plural = _("bound persons")
        constraints = [
            models.UniqueConstraint(fields=["restriction", "role", "id_number"], name="bound_person_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class TemporaryPermission(models.Model):
    """Temporary permission to consume for a necessary purpose with the debtor's own money (限制消费规定 art. 9)."""

    restriction = models.ForeignKey(Restriction, on_delete=models.CASCADE, related_name="permissions")
    purpose = models.TextField(_("purpose"))
    allowed = models.JSONField(_("consumption allowed"), default=list, blank=True)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("temporary permission")
        verbose_name_plural = _("temporary permissions")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="permission_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.restriction_id} {self.valid_from}–{self.valid_until}"


class CorrectionRequest(models.Model):
    """纠正申请 (失信规定 2017 arts. 11–12): the listed person (on the public page, with identity details) or staff
    asks to correct an entry. Reviewed within 15 days (``review_due_on``); when upheld, corrected within 3
    working days (``correct_due_on``); when rejected, reconsideration (复议) at the higher court may be asked
    within 10 days of service (``reconsideration_due_on``), decided within 15 days."""

    listing = models.ForeignKey(
        DishonestListing, verbose_name=_("listing"), on_delete=models.PROTECT, related_name="corrections"
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(_("applicant's identifier"), max_length=18)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    ground = models.CharField(pgettext_lazy("credit", "ground"), max_length=24, choices=CorrectionGround.choices)
    statement = models.TextField(_("statement"))
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING, db_index=True
    )
    review_due_on = models.DateField(_("review due by"))
    decided_on = models.DateField(pgettext_lazy("credit", "decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("decision"), blank=True)
    correct_due_on = models.DateField(_("to be corrected by"), null=True, blank=True)
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    rejection_served_on = models.DateField(_("rejection served on"), null=True, blank=True)
    reconsideration_due_on = models.DateField(_("reconsideration may be asked until"), null=True, blank=True)
    reconsideration_asked_on = models.DateField(_("reconsideration asked on"), null=True, blank=True)
    reconsideration_decision_due_on = models.DateField(_("reconsideration decided by"), null=True, blank=True)
    reconsideration_result = models.TextField(_("reconsideration result"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["review_due_on", "id"]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.filed_on}"


class FeedEvent(models.Model):
    """One change for the credit feed (listings, restrictions, liftings, removals). The id is the cursor: an
    agency reads ``id > cursor`` in order, so a removal reaches it at its next poll."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("kind"), max_length=24, choices=FeedEventKind.choices)
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    listing = models.ForeignKey(DishonestListing, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    restriction = models.ForeignKey(Restriction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("credit feed event")
        verbose_name_plural = _("credit feed events")
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "id"], name="feed_kind_cursor_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class FeedSubscription(models.Model):
    """What an agency (bank, airline, railway, credit bureau) is entitled to read from the feed."""

    agency = models.OneToOneField(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="feed")
    kinds = models.JSONField(_("event kinds"), default=list, help_text=_("FeedEventKind values this agency reads."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("feed subscription")
        verbose_name_plural = _("feed subscriptions")

    def __str__(self) -> str:
        return str(self.agency)


class CaseQueryCode(models.Model):
    """The query code a party uses on the party portal with the case number (only the hash is stored)."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="query_code")
    code_hash = models.CharField(_("code hash"), max_length=64)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case query code")
        verbose_name_plural = _("case query codes")

    def __str__(self) -> str:
        return str(self.case)
