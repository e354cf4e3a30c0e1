"""Models of 查控: the agencies that answer, what they find (assets), and the query batches sent to them.

A query batch is fanned out as ONE ``AgencyRequest`` per agency (its payload lists every debtor × category
item the agency answers); each answered item is one ``QueryResult`` row, unique per (request, debtor,
category), which is what makes ingestion exactly-once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Party, PreservationMeasure
from core.models import Court
from core.money import MoneyField
from core.roles import Role
from enforcement.models import EnforcementCase

from .choices import (
    AWAITING_STATUSES,
    LIVE_CONTROL_STATUSES,
    AgencyKind,
    AgencyScope,
    AnswerStatus,
    AssetCategory,
    AuctionKind,
    AuctionStatus,
    BatchPurpose,
    BatchStatus,
    ControlKind,
    ControlStatus,
    DeductionStatus,
    PriceMethod,
    PriceStatus,
    RequestKind,
    RequestStatus,
    ResultOutcome,
    TrackingOutcome,
    TrackingStatus,
)


def validate_categories(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one asset category."), code="categories_empty")
    unknown = sorted({str(v) for v in value} - set(AssetCategory.values))
    if unknown:
        raise ValidationError(
            _("Unknown asset categories: %(names)s.") % {"names": ", ".join(unknown)}, code="categories_unknown"
        )


class Agency(models.Model):
    """A bank or registry that answers queries: national (总对总, serves every court) or local (点对点,
    serves the listed courts). It answers through its ``client``, an agency user holding API keys."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=AgencyScope.choices, default=AgencyScope.NATIONAL)
    courts = models.ManyToManyField(Court, verbose_name=_("courts served"), blank=True, related_name="agencies")
    categories = models.JSONField(_("asset categories answered"), default=list, validators=[validate_categories])
    client = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("API client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agency",
    )
    active = models.BooleanField(_("active"), default=True)
    tracking_daily_quota = models.PositiveIntegerField(
        _("tracking queries per day"),
        null=True,
        blank=True,
        help_text=_("How many post-termination tracking queries this agency takes a day; empty: the default."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.client_id and self.client.role != Role.AGENCY:
            raise ValidationError({"client": _("An agency answers through an agency client account.")})


class QueryBatch(models.Model):
    """One order to query ``debtors`` across ``categories`` for an enforcement case."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="query_batches"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    categories = models.JSONField(_("asset categories"), validators=[validate_categories])
    debtors = models.ManyToManyField(Party, verbose_name=_("debtors"), related_name="query_batches")
    created_at = models.DateTimeField(_("ordered"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.ORDERED, db_index=True
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=BatchPurpose.choices, default=BatchPurpose.CASE)

    class Meta:
        verbose_name = _("query batch")
        verbose_name_plural = _("query batches")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the minute job's "still ordered five minutes on" (batches_stale): the few not yet fanned out
            models.Index(fields=["created_at", "id"], name="batch_ordered_idx", condition=models.Q(status="ordered"))
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.enforcement_case_id})"


class AgencyRequest(models.Model):
    """What one agency is asked in one batch. ``payload["items"]`` lists ``{"debtor", "name", "id_number",
    "category"}``. Waiting requests time out at ``due_at``; timed-out ones are re-issued at
    ``next_attempt_at`` (exponential backoff) until ``attempts`` reaches the cap, then they fail. A late
    answer is still accepted."""

    batch = models.ForeignKey(
        QueryBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requests",
        help_text=_("Queries only; a control order has a measure instead."),
    )
    measure = models.ForeignKey(
        "ControlMeasure",
        verbose_name=_("control measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requests",
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices, default=RequestKind.QUERY)
    payload = models.JSONField(_("payload"), default=dict)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    confirmation_reference = models.CharField(_("agency's confirmation reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("agency request")
        verbose_name_plural = _("agency requests")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "agency", "kind"], name="one_request_per_agency_per_batch"),
            models.CheckConstraint(
                condition=(models.Q(kind=RequestKind.QUERY, batch__isnull=False, measure__isnull=True))
                | (~models.Q(kind=RequestKind.QUERY) & models.Q(batch__isnull=True, measure__isnull=False)),
                name="request_is_a_query_or_a_control_order",
            ),
        ]
        indexes = [
            # The periodic time-out job reads only what is due (partial indexes: cost follows what is due).
            models.Index(
                fields=["due_at"], name="agreq_awaiting_due_idx", condition=models.Q(status__in=AWAITING_STATUSES)
            ),
            models.Index(
                fields=["next_attempt_at"],
                name="agreq_retry_due_idx",
                condition=models.Q(status=RequestStatus.TIMED_OUT),
            ),
            models.Index(fields=["agency", "status"], name="agreq_agency_status_idx"),
            # The tracking dispatcher counts what each agency was sent today.
            models.Index(fields=["agency", "created_at"], name="agreq_agency_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} #{self.pk}"


class Asset(models.Model):
    """A piece of the debtor's property (or a fact about it) reported by an agency. One row per (case,
    category, agency, identifier): a later report of the same asset updates value, details and time."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="assets")
    debtor = models.ForeignKey(Party, verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="assets")
    category = models.CharField(_("category"), max_length=24, choices=AssetCategory.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="assets")
    identifier = models.CharField(_("identifier"), max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    value = MoneyField(_("value or balance"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    first_reported_at = models.DateTimeField(_("first reported"), default=timezone.now)
    reported_at = models.DateTimeField(_("last reported"), default=timezone.now)
    source_request = models.ForeignKey(
        AgencyRequest, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["case", "category", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "category", "agency", "identifier"], name="one_asset_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.identifier}"


class QueryResult(models.Model):
    """The answer to one debtor × category item of a request; exists at most once (exactly-once ingestion)."""

    request = models.ForeignKey(AgencyRequest, on_delete=models.CASCADE, related_name="results")
    debtor = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=24, choices=AssetCategory.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ResultOutcome.choices)
    asset_count = models.PositiveSmallIntegerField(_("assets found"), default=0)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("query result")
        verbose_name_plural = _("query results")
        constraints = [
            models.UniqueConstraint(fields=["request", "debtor", "category"], name="one_result_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.debtor_id} {self.category} {self.outcome}"


class AgencyAnswer(models.Model):
    """An answer received for ingestion by a worker (the agency asked ``Prefer: respond-async``): checked in full
    when received (a bad item is refused then, nothing stored), then ingested with the other answers waiting, in
    one transaction per group, by ``answers_drain``. The row is the record of what was received, from whom and
    when; ``receipt`` holds the counts once ingested, ``refusal`` the rule that refused it at ingestion."""

    request = models.ForeignKey(
        AgencyRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="answers_received"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    results = models.JSONField(_("results"), encoder=DjangoJSONEncoder)
    item_count = models.PositiveIntegerField(_("results sent"))
    status = models.CharField(_("status"), max_length=12, choices=AnswerStatus.choices, default=AnswerStatus.PENDING)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    ingested_at = models.DateTimeField(_("ingested"), null=True, blank=True)
    receipt = models.JSONField(_("receipt"), default=dict, blank=True)
    refusal = models.JSONField(_("refusal"), default=dict, blank=True)
    # the HTTP request that brought it: its audit entry, written by the worker, carries them
    http_request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency answer")
        verbose_name_plural = _("agency answers")
        ordering = ["id"]
        indexes = [
            # the drain reads only what waits (partial index: its cost follows the queue, not the history)
            models.Index(fields=["id"], name="answer_pending_idx", condition=models.Q(status=AnswerStatus.PENDING)),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.item_count} results, {self.get_status_display()}"


class ControlMeasure(models.Model):
    """A freeze, seal, impound or deduction order on one asset of an enforcement case (or a preservation
    measure carried over into it, 解释 2022 art. 168: ``preservation_measure``).

    ``position`` is the place in line among the measures on the asset (order of registration): the first in
    force is primary (首封), later ones wait (轮候) and take effect in order when it ends (查封规定 art. 26).
    A measure is in force until ``expires_on`` (the day it lapses unless renewed, art. 27). A renewal (续行) is
    a new row with ``renewed_from`` pointing at the measure it continues; the old row then reads "renewed".
    """

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="control_measures"
    )
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="controls")
    preservation_measure = models.ForeignKey(
        PreservationMeasure,
        verbose_name=_("carried over from preservation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="control_measures",
    )
    kind = models.CharField(_("measure"), max_length=10, choices=ControlKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ControlStatus.choices, default=ControlStatus.ORDERED)
    amount = MoneyField(_("amount frozen"), null=True, blank=True)
    starts_on = models.DateField(_("from"))
    expires_on = models.DateField(_("until"))
    position = models.PositiveIntegerField(_("place in line"), default=1)
    renewed_from = models.ForeignKey(
        "self", verbose_name=_("renews"), null=True, blank=True, on_delete=models.PROTECT, related_name="renewals"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ordered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed by the agency"), null=True, blank=True)
    confirmation_reference = models.CharField(_("agency's confirmation reference"), max_length=64, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=200, blank=True)
    release_requested_at = models.DateTimeField(_("release ordered"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("control measure")
        verbose_name_plural = _("control measures")
        ordering = ["asset", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("starts_on")), name="control_expires_after_it_starts"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="control_amount_positive"
            ),
            # Only one measure on an asset is primary (首封) at a time.
            models.UniqueConstraint(
                fields=["asset"], condition=models.Q(status=ControlStatus.ACTIVE), name="one_active_control_per_asset"
            ),
        ]
        indexes = [
            # The lapse job and the expiry reminders read only what is due.
            models.Index(fields=["status", "expires_on"], name="control_due_idx"),
            models.Index(fields=["asset", "status", "position"], name="control_line_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset.identifier if self.asset_id else ''}".strip()

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_CONTROL_STATUSES

    @property
    def days_left(self) -> int:
        return (self.expires_on - timezone.localdate()).days


class Deduction(models.Model):
    """One deduction (扣划) from a frozen deposit, sent to the agency; ``reference`` is the caller's
    idempotency key. Awaiting, pending and confirmed deductions all count against the frozen and the owed
    amounts. A deduction above the approval threshold waits for a division head other than the one who
    ordered it before it is sent; ``approved_by``/``approved_at`` name the head who decided, either way (a
    refusal is "declined", with ``decided_reason``)."""

    measure = models.ForeignKey(
        ControlMeasure, verbose_name=_("freeze"), on_delete=models.PROTECT, related_name="deductions"
    )
    amount = MoneyField(_("amount"))
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeductionStatus.choices, default=DeductionStatus.PENDING
    )
    request = models.OneToOneField(
        AgencyRequest,
        verbose_name=_("order"),
        null=True,
        blank=True,  # none while the deduction awaits a division head's approval
        on_delete=models.PROTECT,
        related_name="deduction",
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ordered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="deduction_amount_positive")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount}"


class ExpiryReminder(models.Model):
    """A reminder to the case's officer that a measure expires within ``threshold`` days; once per measure
    and threshold. ``read_at`` is set when the officer dismisses it."""

    measure = models.ForeignKey(
        ControlMeasure, verbose_name=_("control measure"), on_delete=models.CASCADE, related_name="reminders"
    )
    threshold = models.PositiveSmallIntegerField(_("days ahead"))
    expires_on = models.DateField(_("expires"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="control_reminders",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        ordering = ["expires_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "threshold"], name="one_reminder_per_measure_and_threshold")
        ]
        indexes = [models.Index(fields=["officer", "read_at"], name="reminder_officer_unread_idx")]

    def __str__(self) -> str:
        return f"{self.measure_id} ({self.threshold})"


class TrackingPlan(models.Model):
    """Post-termination tracking of one 终本 case (终本规定 2016 art. 9): for 5 years after the ruling, a network
    query every 6 months, the applicant told each result; the case restored when property appears.

    Run *k* (1–10) is due on ``starts_on`` + 6·k months; ``next_due_on`` is the next one's date (indexed,
    partial on active plans: the dispatcher's cost follows what is due). After two or more empty runs with no
    lead from the applicant, ``delisting_flagged_at`` marks the debtor's dishonest entry for deletion
    (失信规定 art. 10(4))."""

    enforcement_case = models.OneToOneField(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="tracking_plan"
    )
    status = models.CharField(_("status"), max_length=10, choices=TrackingStatus.choices, default=TrackingStatus.ACTIVE)
    starts_on = models.DateField(_("terminated on"))
    ends_on = models.DateField(_("tracked until"))
    next_due_on = models.DateField(_("next query due"), null=True, blank=True)
    runs_done = models.PositiveSmallIntegerField(_("queries sent"), default=0)
    empty_runs = models.PositiveSmallIntegerField(_("empty queries"), default=0)
    lead_supplied_on = models.DateField(_("lead supplied on"), null=True, blank=True)
    delisting_flagged_at = models.DateTimeField(_("flagged for dishonest-list deletion"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tracking plan")
        verbose_name_plural = _("tracking plans")
        ordering = ["next_due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(runs_done__lte=10), name="tracking_at_most_ten_runs"),
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(next_due_on__isnull=False),
                name="active_tracking_has_a_due_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_due_on", "id"],
                name="tracking_due_idx",
                condition=models.Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enforcement_case} ({self.get_status_display()})"


class TrackingRun(models.Model):
    """One tracking query of a plan: its batch, when it was due and sent, what it found, and when the
    applicant was told."""

    plan = models.ForeignKey(
        TrackingPlan, verbose_name=_("tracking plan"), on_delete=models.CASCADE, related_name="runs"
    )
    number = models.PositiveSmallIntegerField(_("run"))
    due_on = models.DateField(_("due on"))
    batch = models.OneToOneField(
        QueryBatch, verbose_name=_("query batch"), on_delete=models.PROTECT, related_name="tracking_run"
    )
    dispatched_at = models.DateTimeField(_("sent"), default=timezone.now)
    completed_at = models.DateTimeField(_("answered"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=TrackingOutcome.choices, default=TrackingOutcome.PENDING
    )
    new_assets = models.JSONField(_("new property"), default=list, blank=True)
    applicant_notified_at = models.DateTimeField(_("applicant told"), null=True, blank=True)

    class Meta:
        verbose_name = _("tracking run")
        verbose_name_plural = _("tracking runs")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_tracking_run_per_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=10), name="tracking_run_number_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.number}"


class ReferencePrice(models.Model):
    """参考价 (参考价规定 2018) of one controlled asset: tried by ``method`` in the order of art. 2 (a failed method
    leaves this row FAILED and the next one is a new row), started within 30 days of control (art. 1),
    valid for one year from ``determined_on`` (art. 27). Online inquiries and valuations are asked of agencies
    (platforms, valuers) as ``PriceQuote`` rows through the same channel as queries."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="reference_prices"
    )
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="reference_prices")
    method = models.CharField(_("method"), max_length=12, choices=PriceMethod.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=PriceStatus.choices, default=PriceStatus.IN_PROGRESS, db_index=True
    )
    started_on = models.DateField(_("started on"))
    value = MoneyField(_("reference price"), null=True, blank=True)
    determined_on = models.DateField(_("determined on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # When the periodic job next has work on an online inquiry in progress: the round's due time (art. 11),
    # then the end of the parties' objection period (art. 13). Cleared once the price is determined or fails.
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reference price")
        verbose_name_plural = _("reference prices")
        ordering = ["-started_on", "-id"]
        indexes = [
            # the inquiry job reads only what is due (partial: cost follows what is due)
            models.Index(
                fields=["next_check_at"],
                name="price_next_check_idx",
                condition=models.Q(status="in_progress", next_check_at__isnull=False),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"], condition=models.Q(status="in_progress"), name="one_price_in_progress_per_asset"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gt=0), name="reference_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.asset_id}"


class PriceQuote(models.Model):
    """One platform's answer to an online inquiry, or one valuer's report (with its deadline and extensions);
    ``objected`` marks a result a party objected to (art. 13 averages only the others)."""

    reference_price = models.ForeignKey(ReferencePrice, on_delete=models.CASCADE, related_name="quotes")
    agency = models.ForeignKey(Agency, verbose_name=_("platform or valuer"), on_delete=models.PROTECT, related_name="+")
    request = models.OneToOneField(
        AgencyRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="price_quote"
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    amount = MoneyField(_("amount"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    objected = models.BooleanField(_("objected to"), default=False)
    objection = models.TextField(_("objection"), blank=True)

    class Meta:
        verbose_name = _("price quote")
        verbose_name_plural = _("price quotes")
        ordering = ["reference_price", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reference_price", "agency"], name="one_quote_per_platform"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="quote_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.amount or ''}".strip()


class Auction(models.Model):
    """One round of disposal of an asset on a platform (网拍规定 2016): the first or second online auction
    (``round`` 1 or 2) or the sale (变卖) after them. ``ends_at`` moves by 5 minutes when a bid comes in the
    last 5 minutes (art. 20)."""

    enforcement_case = models.ForeignKey(
        EnforcementCase, verbose_name=_("enforcement case"), on_delete=models.PROTECT, related_name="auctions"
    )
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="auctions")
    reference_price = models.ForeignKey(
        ReferencePrice, verbose_name=_("reference price"), on_delete=models.PROTECT, related_name="auctions"
    )
    platform = models.ForeignKey(Agency, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="auctions")
    kind = models.CharField(_("kind"), max_length=8, choices=AuctionKind.choices, default=AuctionKind.AUCTION)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    previous = models.OneToOneField(
        "self", verbose_name=_("after"), null=True, blank=True, on_delete=models.PROTECT, related_name="next_round"
    )
    starting_price = MoneyField(_("starting price (reserve)"))
    deposit = MoneyField(_("deposit"))
    increment = MoneyField(_("bid increment"))
    parties_notified_on = models.DateField(_("parties notified on"), null=True, blank=True)
    announced_on = models.DateField(_("announced on"))
    starts_at = models.DateTimeField(_("bidding starts"))
    ends_at = models.DateTimeField(_("bidding ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=AuctionStatus.choices, default=AuctionStatus.ANNOUNCED, db_index=True
    )
    final_price = MoneyField(_("final price"), null=True, blank=True)
    buyer = models.CharField(_("buyer"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("auction")
        verbose_name_plural = _("auctions")
        ordering = ["asset", "round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="auction_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(starting_price__gt=0), name="auction_price_positive"),
            models.UniqueConstraint(
                fields=["asset"],
                condition=models.Q(status__in=("announced", "bidding")),
                name="one_live_auction_per_asset",
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="auction_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.round} {self.asset_id}"


class Bid(models.Model):
    auction = models.ForeignKey(Auction, on_delete=models.CASCADE, related_name="bids")
    bidder = models.CharField(_("bidder"), max_length=200)
    amount = MoneyField(_("amount"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["auction", "at", "id"]

    def __str__(self) -> str:
        return f"{self.bidder} {self.amount}"


class InKindSettlement(models.Model):
    """以物抵债: after the auctions and the sale failed, a creditor who accepts takes the asset at a value."""

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="+")
    enforcement_case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="in_kind_settlements")
    creditor = models.ForeignKey(Party, verbose_name=_("creditor"), on_delete=models.PROTECT, related_name="+")
    value = MoneyField(_("value credited"))
    accepted_on = models.DateField(_("accepted on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("settlement in kind")
        verbose_name_plural = _("settlements in kind")

    def __str__(self) -> str:
        return f"{self.asset_id} → {self.creditor}"
