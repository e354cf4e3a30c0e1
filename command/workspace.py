"""The officer workspace (执行指挥: what to do today): reads for the signed-in case worker, each section a count
and its first rows, each row a link to the page where the action is taken.

- **Deadlines**: the user's open cases by time limit (``deadline_on``: overdue, today, within 7 days — suspended
  cases left out, their clock stands still, as the case list's "overdue" filter does) and the dated steps of the
  apps on those cases: objections (15 days, 民诉法 2023 art. 236) and reconsiderations (30 days, 异议复议规定 art.
  12) awaiting decision, detention ending, reward notices expiring, dishonest listings due for removal (失信规定
  art. 10: 3 working days) and post-termination tracking queries due on the user's 终本 cases.
- **Control measures** in force expiring within 30 and 7 days (查封规定 art. 27: renew before they lapse).
- **New**: query answers and property found by tracking in the last ``NEW_DAYS`` days. A per-user read marker
  exists only for in-app notifications (``cases.Notification.read_at``), which cover tracking finds but not query
  answers, so "new" is one rule for both: answered or found in the last 7 days.
- **Filing alerts** (``cases.FilingAlert``) on the user's open cases. Alerts have no read or resolved marker: every
  alert of an open case is shown.
- **Approvals**: for those who approve (division heads), the court's pending 终本 proposals, extensions,
  distribution plans, dishonest listings and large deductions (never their own proposals, which they may not
  approve); for the others, what they asked for that still waits. Both see the restoration requests on their
  cases they must decide.
- **Case funds** held for the user's cases (receipts less reversals and payouts) and approved payouts not yet
  made.
- **On-site tasks** of today where the user is among the officers, with the debtor's active risk notes.

Every section is a fixed number of queries whatever the number of cases (aggregates with ``Count(filter=...)``,
``UNION ALL`` of per-kind rows and counts, ``values()``, a row limit per section): ``workspace_counts`` is 8
queries, ``workspace`` 17.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.choices import (
    REMINDER_THRESHOLDS,
    BatchPurpose,
    ControlKind,
    ControlStatus,
    DeductionStatus,
    RequestKind,
    RequestStatus,
    ResultOutcome,
    TrackingOutcome,
    TrackingStatus,
)
from assets.models import AgencyRequest, ControlMeasure, Deduction, QueryBatch, TrackingPlan, TrackingRun
from cases.choices import PartyRole
from cases.models import FilingAlert
from core.access import scope_to_user
from core.models import User
from core.money import round_fen
from credit.choices import ListingStatus
from credit.models import DishonestListing
from enforcement.choices import (
    OPEN_STATUSES,
    CoerciveKind,
    CoerciveStatus,
    ExtensionStatus,
    ObjectionStatus,
    PlanStatus,
    ProposalStatus,
    ReconsiderationStatus,
    RestorationRequestStatus,
    RewardStatus,
    Status,
)
from enforcement.models import (
    CoerciveMeasure,
    DistributionLine,
    DistributionPlan,
    EnforcementCase,
    ExtensionRequest,
    FundEntry,
    FundEntryKind,
    Objection,
    Reconsideration,
    RestorationRequest,
    RewardNotice,
    TerminationProposal,
)

from .choices import OnSitePurpose, OnSiteStatus, RiskKind
from .models import OnSiteTask, RiskNote

LIMIT = 10  # rows per section
SOON_DAYS = 7  # "within 7 days" of the deadlines
EXPIRY_WIDE, EXPIRY_NEAR = REMINDER_THRESHOLDS  # control measures expiring: 30 and 7 days
NEW_DAYS = 7
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=18, decimal_places=2)
TEXT = CharField()

# The statuses whose time limit runs: open, less suspended (their clock stands still).
WORKING = sorted(OPEN_STATUSES - {Status.SUSPENDED})

# Risk kinds shown in red; the others in amber.
SEVERE_RISKS = frozenset({RiskKind.VIOLENCE, RiskKind.WEAPON, RiskKind.SELF_HARM})


# ---- results ------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    overdue: int = 0
    due_today: int = 0
    due_soon: int = 0  # after today, within SOON_DAYS
    expiring_30: int = 0
    expiring_7: int = 0
    new_answers: int = 0
    new_finds: int = 0
    alerts: int = 0
    approvals: int = 0
    funds_cases: int = 0
    funds_held: Decimal = ZERO
    payouts_waiting: int = 0  # approved distribution lines not (fully) paid
    payouts_amount: Decimal = ZERO
    onsite_today: int = 0

    @property
    def deadlines(self) -> int:
        return self.overdue + self.due_today + self.due_soon

    @property
    def new(self) -> int:
        return self.new_answers + self.new_finds


@dataclass(frozen=True)
class Item:
    """One row of a section: what (``label``), on which case (``number``), when, and where to act (``url``)."""

    kind: str
    label: str
    number: str
    url: str
    due: dt.date | None = None
    at: dt.datetime | None = None
    amount: Decimal | None = None
    note: str = ""
    today: dt.date | None = None

    @property
    def days_left(self) -> int | None:
        if self.due is None or self.today is None:
            return None
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True)
class Risk:
    kind: str
    label: str
    party: str
    severe: bool


@dataclass(frozen=True)
class OnSiteItem:
    scheduled_at: dt.datetime
    purpose: str
    address: str
    number: str
    url: str
    risks: tuple[Risk, ...] = ()


@dataclass
class Workspace:
    today: dt.date
    counts: Counts
    approver: bool  # True: the approvals waiting for the user; False: what the user asked for that waits
    deadlines: list[Item] = field(default_factory=list)
    measures: list[Item] = field(default_factory=list)
    new: list[Item] = field(default_factory=list)
    alerts: list[Item] = field(default_factory=list)
    approvals: list[Item] = field(default_factory=list)
    funds: list[Item] = field(default_factory=list)
    onsite: list[OnSiteItem] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


# ---- scope --------------------------------------------------------------------------------------------------


def _court(queryset: QuerySet, user: User, prefix: str = "") -> QuerySet:
    """``queryset`` at the courts the user may see (``prefix`` leads to an EnforcementCase, whose copied court
    spares the join to the case record)."""
    return scope_to_user(queryset, user, court_field=f"{prefix}court")


def _mine(queryset: QuerySet, user: User, prefix: str = "") -> QuerySet:
    """Of ``queryset``, the user's own cases at the courts the user may see."""
    return _court(queryset.filter(**{f"{prefix}officer": user}), user, prefix)


def _today_window(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return start, start + dt.timedelta(days=1)


# ---- deadlines and dated steps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    kind: str
    label: object
    queryset: QuerySet
    due: str  # the due-date field path
    case: str  # the path to the enforcement case ("" for the case itself)
    anchor: str = ""


def _steps(user: User) -> list[_Step]:
    ec = "enforcement_case__"
    return [
        _Step("deadline", _("Case time limit"),
              _mine(EnforcementCase.objects.all(), user).filter(status__in=WORKING, deadline_on__isnull=False),
              "deadline_on", ""),
        _Step("objection", _("Objection: decision due (15 days)"),
              _mine(Objection.objects.all(), user, ec).filter(status=ObjectionStatus.PENDING), "review_due_on", ec,
              "#case-objections"),
        _Step("reconsideration", _("Reconsideration: decision due (30 days)"),
              _mine(Reconsideration.objects.all(), user, "objection__" + ec)
              .filter(status=ReconsiderationStatus.PENDING),
              "decision_due_on", "objection__" + ec, "#case-objections"),
        _Step("detention", _("Detention ends"),
              _mine(CoerciveMeasure.objects.all(), user, ec).filter(kind=CoerciveKind.DETENTION,
                                             status=CoerciveStatus.EXECUTED, released_on__isnull=True,
                                             ends_on__isnull=False),
              "ends_on", ec, "#coercion"),
        _Step("reward", _("Reward notice expires"),
              _mine(RewardNotice.objects.all(), user, ec).filter(status=RewardStatus.PUBLISHED), "expires_on", ec,
              "#case-rewards"),
        _Step("delisting", _("Dishonest listing to be removed"),
              _mine(DishonestListing.objects.all(), user, ec).filter(status=ListingStatus.LISTED,
                                              removal_due_on__isnull=False),
              "removal_due_on", ec, "#credit-listings"),
        _Step("tracking", _("Tracking query due (终本)"),
              _mine(TrackingPlan.objects.all(), user, ec).filter(status=TrackingStatus.ACTIVE), "next_due_on", ec,
              "#asset-tracking"),
    ]  # fmt: skip


def _step_rows(steps: list[_Step], horizon: dt.date) -> QuerySet:
    parts = [
        s.queryset.order_by()
        .filter(**{f"{s.due}__lte": horizon})
        .annotate(
            w_kind=Value(s.kind, output_field=TEXT),
            w_due=ExpressionWrapper(F(s.due), output_field=DateField()),
            w_ec=ExpressionWrapper(F(f"{s.case}pk" if s.case else "pk"), output_field=IntegerField()),
            w_num=ExpressionWrapper(F(f"{s.case}case__number"), output_field=TEXT),
        )
        .values("w_kind", "w_due", "w_ec", "w_num")
        for s in steps
    ]
    return parts[0].union(*parts[1:], all=True).order_by("w_due", "w_kind", "w_ec")


def _step_counts(steps: list[_Step], today: dt.date, horizon: dt.date) -> QuerySet:
    parts = [
        s.queryset.order_by()
        .annotate(w_kind=Value(s.kind, output_field=TEXT))
        .values("w_kind")
        .annotate(
            w_overdue=Count("pk", filter=Q(**{f"{s.due}__lt": today})),
            w_today=Count("pk", filter=Q(**{s.due: today})),
            w_soon=Count("pk", filter=Q(**{f"{s.due}__gt": today, f"{s.due}__lte": horizon})),
        )
        .values("w_kind", "w_overdue", "w_today", "w_soon")
        for s in steps
    ]
    return parts[0].union(*parts[1:], all=True)


# ---- approvals ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ask:
    kind: str
    label: object
    queryset: QuerySet
    at: str
    who: str
    case: str = "enforcement_case__"
    anchor: str = ""


def is_approver(user: User) -> bool:
    return any(
        user.can(c)
        for c in (
            "enforcement.approve_termination",
            "enforcement.approve_extension",
            "enforcement.approve_distribution",
            "enforcement.approve_coercion",
            "assets.approve_deduction",
            "credit.approve",
        )
    )


def _asks(user: User, approver: bool) -> list[_Ask]:
    ec = "enforcement_case__"
    # kind, label, what waits, when asked, who asked, the approver's capability, the anchor on the case page, the
    # path to the enforcement case (a deduction above the approval threshold reaches it through its freeze)
    kinds = [
        ("termination", _("终本 proposal"), TerminationProposal.objects.filter(status=ProposalStatus.PENDING),
         "proposed_at", "proposed_by", "enforcement.approve_termination", "#termination", ec),
        ("extension", _("Extension of the time limit"), ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING),
         "requested_at", "requested_by", "enforcement.approve_extension", "", ec),
        ("distribution", _("Distribution plan"), DistributionPlan.objects.filter(status=PlanStatus.PROPOSED),
         "proposed_at", "proposed_by", "enforcement.approve_distribution", "#distribution", ec),
        ("listing", _("Dishonest listing"), DishonestListing.objects.filter(status=ListingStatus.PENDING),
         "proposed_at", "proposed_by", "credit.approve", "#credit-listings", ec),
        ("coercion", _("Fine or detention (president)"), CoerciveMeasure.objects.filter(status=CoerciveStatus.PROPOSED),
         "proposed_at", "proposed_by", "enforcement.approve_coercion", "#coercion", ec),
        ("deduction", _("Large deduction (扣划)"), Deduction.objects.filter(status=DeductionStatus.AWAITING),
         "created_at", "ordered_by", "assets.approve_deduction", "#deductions", "measure__" + ec),
    ]  # fmt: skip
    asks = []
    for kind, label, queryset, at, who, capability, anchor, case in kinds:
        if approver:
            if not user.can(capability):
                continue
            queryset = _court(queryset, user, case).exclude(**{who: user})
        else:
            queryset = _court(queryset, user, case).filter(**{who: user})
        asks.append(_Ask(kind, label, queryset, at, f"{who}__display_name", case, anchor))
    asks.append(
        _Ask(
            "restoration",
            _("Restoration request to decide"),
            _mine(RestorationRequest.objects.all(), user, ec).filter(status=RestorationRequestStatus.PENDING),
            "recorded_at",
            "applicant__name",
            anchor="#restoration",
        )
    )
    return asks


def _ask_rows(asks: list[_Ask]) -> QuerySet:
    parts = [
        a.queryset.order_by()
        .annotate(
            w_kind=Value(a.kind, output_field=TEXT),
            w_at=ExpressionWrapper(F(a.at), output_field=DateTimeField()),
            w_ec=ExpressionWrapper(F(f"{a.case}pk"), output_field=IntegerField()),
            w_num=ExpressionWrapper(F(f"{a.case}case__number"), output_field=TEXT),
            w_who=ExpressionWrapper(F(a.who), output_field=TEXT),
        )
        .values("w_kind", "w_at", "w_ec", "w_num", "w_who")
        for a in asks
    ]
    return parts[0].union(*parts[1:], all=True).order_by("w_at", "w_kind", "w_ec")


def _ask_counts(asks: list[_Ask]) -> QuerySet:
    parts = [
        a.queryset.order_by()
        .annotate(w_kind=Value(a.kind, output_field=TEXT))
        .values("w_kind")
        .annotate(w_n=Count("pk"))
        .values("w_kind", "w_n")
        for a in asks
    ]
    return parts[0].union(*parts[1:], all=True)


# ---- new answers and finds ----------------------------------------------------------------------------------

ANSWERED = (RequestStatus.ANSWERED, RequestStatus.PARTIALLY_ANSWERED)


def _answers(user: User, since: dt.datetime) -> QuerySet:
    return _mine(AgencyRequest.objects.all(), user, "batch__enforcement_case__").filter(
        kind=RequestKind.QUERY,
        batch__purpose=BatchPurpose.CASE,
        status__in=ANSWERED,
        answered_at__gte=since,
    )


def _finds(user: User, since: dt.datetime) -> QuerySet:
    return _mine(TrackingRun.objects.all(), user, "plan__enforcement_case__").filter(
        outcome=TrackingOutcome.FOUND, completed_at__gte=since
    )


def _answered_batches(user: User, since: dt.datetime) -> QuerySet:
    """The user's case query batches with an answer in the window (one row per batch, however many agencies)."""
    return QueryBatch.objects.filter(pk__in=Subquery(_answers(user, since).values("batch_id")))


def _new_counts(user: User, since: dt.datetime) -> QuerySet:
    parts = [
        qs.order_by().annotate(w_kind=Value(kind, output_field=TEXT)).values("w_kind").annotate(w_n=Count("pk"))
        .values("w_kind", "w_n")
        for kind, qs in (("answer", _answered_batches(user, since)), ("find", _finds(user, since)))
    ]  # fmt: skip
    return parts[0].union(parts[1], all=True)


# ---- control measures, alerts, funds, on-site ---------------------------------------------------------------


def _measures(user: User, today: dt.date) -> QuerySet:
    return _mine(ControlMeasure.objects.all(), user, "enforcement_case__").filter(
        status=ControlStatus.ACTIVE,
        expires_on__lte=today + dt.timedelta(days=EXPIRY_WIDE),
    )


def _alerts(user: User) -> QuerySet:
    alerts = FilingAlert.objects.filter(case__enforcement__status__in=sorted(OPEN_STATUSES))
    return _mine(alerts, user, "case__enforcement__")


def _held(user: User) -> QuerySet:
    """Per case of the user's: the money held in the case fund (receipts less reversals and payouts), > 0."""

    def total(kind: str):
        return Coalesce(Sum("amount", filter=Q(kind=kind)), Value(ZERO), output_field=MONEY)

    return (
        _mine(FundEntry.objects.all(), user, "enforcement_case__")
        .order_by()
        .values("enforcement_case_id")
        .annotate(
            held=ExpressionWrapper(
                total(FundEntryKind.RECEIPT) - total(FundEntryKind.REVERSAL) - total(FundEntryKind.PAYOUT),
                output_field=MONEY,
            )
        )
        .filter(held__gt=0)
    )


def _unpaid_lines(user: User) -> QuerySet:
    return _mine(DistributionLine.objects.all(), user, "plan__enforcement_case__").filter(
        plan__status=PlanStatus.APPROVED, paid__lt=F("allocated")
    )


def _onsite(user: User, today: dt.date) -> QuerySet:
    start, end = _today_window(today)
    tasks = OnSiteTask.objects.filter(
        officers=user, status=OnSiteStatus.PLANNED, scheduled_at__gte=start, scheduled_at__lt=end
    )
    return _court(tasks, user, "case__")


# ---- the two entry points -----------------------------------------------------------------------------------


def workspace_counts(*, user: User, today: dt.date | None = None) -> Counts:
    """The counts of every section (8 queries, whatever the number of cases)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=SOON_DAYS)
    since = timezone.now() - dt.timedelta(days=NEW_DAYS)
    counts = Counts()
    for row in _step_counts(_steps(user), today, horizon):
        counts.overdue += row["w_overdue"]
        counts.due_today += row["w_today"]
        counts.due_soon += row["w_soon"]
    expiring = _measures(user, today).aggregate(
        wide=Count("pk"), near=Count("pk", filter=Q(expires_on__lte=today + dt.timedelta(days=EXPIRY_NEAR)))
    )
    counts.expiring_30, counts.expiring_7 = expiring["wide"], expiring["near"]
    new = {row["w_kind"]: row["w_n"] for row in _new_counts(user, since)}
    counts.new_answers, counts.new_finds = new.get("answer", 0), new.get("find", 0)
    counts.alerts = _alerts(user).count()
    counts.approvals = sum(row["w_n"] for row in _ask_counts(_asks(user, is_approver(user))))
    held = _held(user).aggregate(n=Count("enforcement_case_id"), total=Sum("held"))
    counts.funds_cases, counts.funds_held = held["n"], _money(held["total"])
    lines = _unpaid_lines(user).aggregate(
        n=Count("pk"),
        total=Coalesce(Sum(F("allocated") - F("paid"), output_field=MONEY), Value(ZERO), output_field=MONEY),
    )
    counts.payouts_waiting, counts.payouts_amount = lines["n"], _money(lines["total"])
    counts.onsite_today = _onsite(user, today).count()
    return counts


def _money(value) -> Decimal:
    """A sum as Decimal to the fen (SQLite answers sums of decimals with more places; an empty sum is None)."""
    return round_fen(value or 0)


def _case_url(ec_id: int, anchor: str = "") -> str:
    return reverse("enforcement:detail", args=[ec_id]) + anchor


def workspace(*, user: User, today: dt.date | None = None) -> Workspace:
    """The workspace of ``user``: the counts and the first ``LIMIT`` rows of each section, most urgent first
    (17 queries, whatever the number of cases)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=SOON_DAYS)
    since = timezone.now() - dt.timedelta(days=NEW_DAYS)
    counts = workspace_counts(user=user, today=today)
    approver = is_approver(user)
    ws = Workspace(today=today, counts=counts, approver=approver)

    steps = {s.kind: s for s in _steps(user)}
    for row in _step_rows(list(steps.values()), horizon)[:LIMIT]:
        step = steps[row["w_kind"]]
        ws.deadlines.append(
            Item(kind=step.kind, label=str(step.label), number=row["w_num"], due=row["w_due"], today=today,
                 url=_case_url(row["w_ec"], step.anchor))
        )  # fmt: skip

    measures = _measures(user, today).order_by("expires_on", "pk")
    measures = measures.values(
        "kind", "expires_on", "amount", "enforcement_case_id", "enforcement_case__case__number", "asset__identifier"
    )
    for m in measures[:LIMIT]:
        ws.measures.append(
            Item(kind=m["kind"], label=str(ControlKind(m["kind"]).label), number=m["enforcement_case__case__number"],
                 due=m["expires_on"], today=today, amount=m["amount"], note=m["asset__identifier"],
                 url=_case_url(m["enforcement_case_id"], "#asset-measures"))
        )  # fmt: skip

    answers = (
        _answers(user, since)
        .order_by()
        .values("batch_id", "batch__enforcement_case_id", "batch__enforcement_case__case__number")
        .annotate(
            agencies=Count("pk", distinct=True),
            found=Count("results", filter=Q(results__outcome=ResultOutcome.FOUND)),
            last=Max("answered_at"),
        )
        .order_by("-last", "-batch_id")
    )
    for a in answers[:LIMIT]:
        label = _("Agencies answered: %(agencies)s · with property: %(found)s") % {
            "agencies": a["agencies"],
            "found": a["found"],
        }
        ws.new.append(
            Item(kind="answer", label=str(label), number=a["batch__enforcement_case__case__number"], at=a["last"],
                 url=_case_url(a["batch__enforcement_case_id"], "#asset-queries"))
        )  # fmt: skip
    finds = _finds(user, since).order_by("-completed_at", "-pk")
    finds = finds.values("completed_at", "number", "plan__enforcement_case_id", "plan__enforcement_case__case__number")
    for f in finds[:LIMIT]:
        ws.new.append(
            Item(kind="find", label=str(_("Tracking query %(run)s found property") % {"run": f["number"]}),
                 number=f["plan__enforcement_case__case__number"], at=f["completed_at"],
                 url=_case_url(f["plan__enforcement_case_id"], "#asset-tracking"))
        )  # fmt: skip
    ws.new.sort(key=lambda item: item.at, reverse=True)
    del ws.new[LIMIT:]

    alerts = _alerts(user).order_by("-created_at", "-pk")
    alerts = alerts.values("message", "created_at", "party__name", "case__number", "case__enforcement__id")
    for a in alerts[:LIMIT]:
        ws.alerts.append(
            Item(kind="alert", label=a["message"], number=a["case__number"], at=a["created_at"],
                 note=a["party__name"], url=_case_url(a["case__enforcement__id"]))
        )  # fmt: skip

    asks = {a.kind: a for a in _asks(user, approver)}
    for row in _ask_rows(list(asks.values()))[:LIMIT]:
        ask = asks[row["w_kind"]]
        ws.approvals.append(
            Item(kind=ask.kind, label=str(ask.label), number=row["w_num"], at=row["w_at"], note=row["w_who"] or "",
                 url=_case_url(row["w_ec"], ask.anchor))
        )  # fmt: skip

    held = _held(user).values("enforcement_case_id", "enforcement_case__case__number", "held").order_by("-held")
    for h in held[:LIMIT]:
        ws.funds.append(
            Item(kind="held", label=str(_("Held in the case fund")), number=h["enforcement_case__case__number"],
                 amount=_money(h["held"]), url=_case_url(h["enforcement_case_id"], "#distribution"))
        )  # fmt: skip

    tasks = list(
        _onsite(user, today)
        .order_by("scheduled_at", "pk")
        .values("scheduled_at", "purpose", "address", "case_id", "case__case__number", "case__case_id")[:LIMIT]
    )
    risks = (
        RiskNote.objects.filter(
            withdrawn_at__isnull=True,
            party__case_links__role=PartyRole.DEBTOR,
            party__case_links__case_id__in=Subquery(_onsite(user, today).values("case__case_id")),
        )
        .order_by("party__name", "kind")
        .values("kind", "party__name", "party__case_links__case_id")
        .distinct()
    )
    by_case: dict[int, list[Risk]] = {}
    for r in risks:
        by_case.setdefault(r["party__case_links__case_id"], []).append(
            Risk(kind=r["kind"], label=str(RiskKind(r["kind"]).label), party=r["party__name"],
                 severe=r["kind"] in SEVERE_RISKS)
        )  # fmt: skip
    for t in tasks:
        ws.onsite.append(
            OnSiteItem(scheduled_at=t["scheduled_at"], purpose=str(OnSitePurpose(t["purpose"]).label),
                       address=t["address"], number=t["case__case__number"], url=_case_url(t["case_id"]),
                       risks=tuple(by_case.get(t["case__case_id"], ())))
        )  # fmt: skip

    ws.links = _links(user, today)
    return ws


def _links(user: User, today: dt.date) -> dict[str, str]:
    """The filtered lists behind the sections ("all N →"), where one exists."""
    horizon = today + dt.timedelta(days=SOON_DAYS)
    enforcement = reverse("enforcement:list")
    soon = {"officer": user.pk, "deadline_before": horizon.isoformat(), "status": WORKING}
    return {
        "overdue": f"{enforcement}?{urlencode({'officer': user.pk, 'overdue': 'true'})}",
        "deadlines": f"{enforcement}?{urlencode(soon, doseq=True)}",
        "measures": f"{reverse('assets:measure-list')}?{urlencode({'status': 'active', 'within': EXPIRY_WIDE})}",
        "funds": f"{reverse('enforcement:fund-ageing')}?held=1",
        "terminations": reverse("enforcement:terminations"),
        "extensions": reverse("enforcement:extensions"),
    }
