"""Decision support (辅助决策) for one enforcement case: what the system suggests, each item with its reasons.

The paper (§4) asks for rules first and explainable suggestions; the officer decides. ``case_facts`` gathers
what the apps know about the case once (a pinned number of queries, whatever the number of assets, measures or
parties), and ``decision_support`` turns the facts into:

1. the triage score (繁简分流) and its track, with the top reasons (stored at filing; computed now if not);
2. preservation and control suggestions: property found but not controlled → freeze / seal / impound it within
   the caps of 解释 2022 art. 485; a measure expiring within ``EXPIRY_DAYS`` → renew it before it lapses; a live
   freeze on money → deduct; property moved to a related party (``cases.clues``) → verify, and the 失信 ground
   and the sanctions legal-rules.md provides for evasion;
3. 执转破 for the case's organisation debtors: the open ``bankruptcy.Suggestion`` if the screening job wrote one,
   else the screening computed now (``bankruptcy.screening``), with the score and reasons;
4. platform recommendations for the disposal of each kind of property found (``assets.recommendation``);
5. similar-case statistics (``command.similar``);
6. law-article suggestions (``command.law_articles``): the table's entries whose predicate holds on the facts.

Reads only; nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.choices import LIVE_CONTROL_STATUSES, REMINDER_THRESHOLDS, AssetCategory, ControlKind, ControlStatus
from assets.models import Asset, ControlMeasure
from assets.recommendation import Recommendation, recommend_platforms
from assets.services.controls import CATEGORY_CLASS, MONEY_CATEGORIES
from bankruptcy.choices import SuggestionStatus
from bankruptcy.models import Suggestion
from bankruptcy.screening import assess, debtor_figures
from cases.choices import MAX_CONTROL_YEARS, PartyKind, PartyRole, PropertyClass
from cases.clues import hidden_asset_clues
from core.access import require_capability
from core.models import User
from core.money import format_yuan
from credit.choices import ListingStatus, RestrictionKind, RestrictionStatus
from credit.models import DishonestListing, Restriction
from credit.services.listing import is_minor_on
from enforcement.choices import (
    ClosingKind,
    NoticeKind,
    ObjectionStatus,
    ProposalStatus,
    SearchStatus,
    Status,
    Track,
)
from enforcement.models import DebtorSearch, EnforcementCase, Objection, TerminationProposal
from enforcement.selectors import enforcement_case_get
from enforcement.termination import termination_checklist
from enforcement.triage import triage_score

from .law_articles import LawArticle, suggest_articles
from .similar import SimilarStats, similar_case_stats

# The assets app's reminders before a measure expires: suggest the renewal from the first, in red from the last.
EXPIRY_DAYS, EXPIRY_URGENT_DAYS = REMINDER_THRESHOLDS
TOP_REASONS = 5
TOP_PLATFORMS = 3
ZERO = Decimal("0.00")
# Kinds of property sold by online judicial auction (网拍规定 2016 art. 2); money is deducted, not auctioned.
AUCTIONED = (
    AssetCategory.REAL_ESTATE,
    AssetCategory.VEHICLE,
    AssetCategory.SHIP,
    AssetCategory.FISHING_VESSEL,
    AssetCategory.EQUITY,
    AssetCategory.SECURITIES,
)
# The measure that controls each class of property (查封 real estate, 扣押 movables, 冻结 money and rights).
CONTROL_FOR_CLASS = {
    PropertyClass.DEPOSIT: ControlKind.FREEZE,
    PropertyClass.MOVABLE: ControlKind.IMPOUND,
    PropertyClass.REAL_ESTATE: ControlKind.SEAL,
    PropertyClass.OTHER_RIGHT: ControlKind.FREEZE,
}
TERMINATION_ART1 = 5  # the first five checklist items are 终本规定 art. 1(1)–(5)


# ---- facts ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetFact:
    id: int
    category: str
    category_label: str
    label: str
    debtor_name: str
    value: Decimal | None
    controlled: bool  # a live measure (ordered, in force or waiting in line) holds it
    control_kind: str  # the measure that fits it ("" when the category is a record, not property)
    max_years: int | None


@dataclass(frozen=True)
class MeasureFact:
    id: int
    asset_label: str
    category: str
    kind: str
    kind_label: str
    status: str
    amount: Decimal | None
    expires_on: dt.date
    days_left: int


@dataclass(frozen=True)
class ClueFact:
    debtor_name: str
    related_name: str
    description: str
    value: Decimal
    transferred_on: dt.date
    path: str
    score: int
    level: str


@dataclass(frozen=True)
class ObjectionFact:
    kind: str
    kind_label: str
    objector_name: str
    filed_on: dt.date
    review_due_on: dt.date


@dataclass(frozen=True)
class CheckFact:
    code: str
    met: bool
    message: str


@dataclass(frozen=True)
class BankruptcyFact:
    debtor_id: int
    debtor_name: str
    score: int
    indicated: bool
    reasons: list[str]
    suggestion_id: int | None  # None: computed now, the screening job has not written a suggestion


@dataclass
class Facts:
    """What the system knows about one enforcement case, read once (see ``case_facts``)."""

    today: dt.date
    enforcement_case_id: int
    status: str
    closing_kind: str
    filing_date: dt.date
    amount: Decimal
    performed: Decimal
    cause: str
    deadline_on: dt.date | None
    debtor_names: list[str] = field(default_factory=list)
    organisation_debtors: list[tuple[int, str]] = field(default_factory=list)
    minor_debtors: list[str] = field(default_factory=list)
    adult_debtors: int = 0
    enforcement_notice_on: dt.date | None = None  # the earliest service of the 执行通知书
    report_order_missing: list[str] = field(default_factory=list)  # debtors not yet served a 报告财产令
    notices_complete: bool = False
    network_query_done: bool = False
    assets: list[AssetFact] = field(default_factory=list)
    measures: list[MeasureFact] = field(default_factory=list)
    clues: list[ClueFact] = field(default_factory=list)
    objections: list[ObjectionFact] = field(default_factory=list)  # pending ones
    listed: bool = False  # a dishonest listing pending or in force on this case
    consumption_restricted: bool = False  # a consumption restriction in force on this case
    debtor_missing: bool = False  # an open search for a debtor (查人)
    termination_proposed: bool = False
    termination_checks: list[CheckFact] = field(default_factory=list)  # 终本规定 art. 1(1)–(5)
    bankruptcy: list[BankruptcyFact] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def suspended(self) -> bool:
        return self.status == Status.SUSPENDED

    @property
    def terminated_this_round(self) -> bool:
        return self.closing_kind == ClosingKind.TERMINATED_THIS_ROUND

    @property
    def owed(self) -> Decimal:
        return max(self.amount - self.performed, ZERO)

    @property
    def days_to_deadline(self) -> int | None:
        if self.deadline_on is None or not self.is_open:
            return None
        return (self.deadline_on - self.today).days

    @property
    def debtor_kind(self) -> str:
        return PartyKind.ORGANISATION if self.organisation_debtors else PartyKind.PERSON

    @property
    def uncontrolled_assets(self) -> list[AssetFact]:
        return [a for a in self.assets if a.control_kind and not a.controlled]

    @property
    def property_value(self) -> Decimal:
        return sum((a.value or ZERO for a in self.assets if a.control_kind), ZERO)

    @property
    def live_measures(self) -> list[MeasureFact]:
        return [m for m in self.measures if m.status in LIVE_CONTROL_STATUSES]

    @property
    def expiring_measures(self) -> list[MeasureFact]:
        """Measures in force or waiting in line that lapse within ``EXPIRY_DAYS`` (or are past their date and not
        yet marked lapsed)."""
        return [
            m
            for m in self.measures
            if m.status in (ControlStatus.ACTIVE, ControlStatus.WAITING) and m.days_left <= EXPIRY_DAYS
        ]

    @property
    def money_freezes(self) -> list[MeasureFact]:
        return [
            m
            for m in self.measures
            if m.status == ControlStatus.ACTIVE and m.kind == ControlKind.FREEZE and m.category in MONEY_CATEGORIES
        ]

    @property
    def termination_unmet(self) -> list[CheckFact]:
        return [c for c in self.termination_checks if not c.met]

    @property
    def bankruptcy_indicated(self) -> list[BankruptcyFact]:
        return [b for b in self.bankruptcy if b.indicated or b.suggestion_id is not None]


def _asset_fact(asset: Asset, controlled: set[int]) -> AssetFact:
    property_class = CATEGORY_CLASS.get(asset.category)
    return AssetFact(
        id=asset.pk,
        category=asset.category,
        category_label=str(asset.get_category_display()),
        label=asset.description or asset.identifier,
        debtor_name=asset.debtor.name,
        value=asset.value,
        controlled=asset.pk in controlled,
        control_kind=CONTROL_FOR_CLASS[property_class] if property_class else "",
        max_years=MAX_CONTROL_YEARS[property_class] if property_class else None,
    )


def _bankruptcy_facts(organisations: list[tuple[int, str]]) -> list[BankruptcyFact]:
    """The open suggestions of the organisation debtors; for those without one, the screening computed now."""
    if not organisations:
        return []
    names = dict(organisations)
    facts = []
    suggestions = {
        s.debtor_id: s
        for s in Suggestion.objects.filter(debtor_id__in=list(names), status=SuggestionStatus.OPEN).order_by("pk")
    }
    for debtor_id, suggestion in suggestions.items():
        facts.append(
            BankruptcyFact(debtor_id, names[debtor_id], suggestion.score, True, suggestion.reason_texts, suggestion.pk)
        )
    rest = [pk for pk in names if pk not in suggestions]
    if rest:
        figures = debtor_figures(rest)
        for debtor_id in rest:
            if debtor_id not in figures:
                continue
            indicated, score, reasons = assess(figures[debtor_id])
            facts.append(BankruptcyFact(debtor_id, names[debtor_id], score, indicated, reasons, None))
    return sorted(facts, key=lambda f: (-f.score, f.debtor_id))


def case_facts(enforcement_case: EnforcementCase, *, today: dt.date | None = None) -> Facts:
    """Everything the suggestions read about ``enforcement_case``, in a fixed number of queries (the case as
    ``enforcement.selectors.enforcement_case_get`` loads it: case, court and parties)."""
    ec = enforcement_case
    case = ec.case
    today = today or timezone.localdate()
    debtors = [link.party for link in case.party_links.all() if link.role == PartyRole.DEBTOR]
    facts = Facts(
        today=today,
        enforcement_case_id=ec.pk,
        status=ec.status,
        closing_kind=ec.closing_kind,
        filing_date=case.filing_date,
        amount=case.amount,
        performed=ec.performed_amount,
        cause=case.cause,
        deadline_on=ec.deadline_on,
        debtor_names=[d.name for d in debtors],
        organisation_debtors=[(d.pk, d.name) for d in debtors if d.kind == PartyKind.ORGANISATION],
    )
    for debtor in debtors:
        if debtor.kind == PartyKind.PERSON and is_minor_on(debtor, today):
            facts.minor_debtors.append(debtor.name)
        else:
            facts.adult_debtors += 1

    notices = list(ec.notices.values_list("kind", "recipient_id", "served_on"))
    served = {(kind, recipient) for kind, recipient, _on in notices}
    enforcement_notices = [on for kind, _r, on in notices if kind == NoticeKind.ENFORCEMENT_NOTICE]
    facts.enforcement_notice_on = min(enforcement_notices) if enforcement_notices else None
    facts.report_order_missing = [d.name for d in debtors if (NoticeKind.PROPERTY_REPORT_ORDER, d.pk) not in served]
    facts.notices_complete = bool(debtors) and all(
        (kind, d.pk) in served for kind in NoticeKind.values for d in debtors
    )

    measures = list(
        ControlMeasure.objects.filter(enforcement_case=ec).select_related("asset").order_by("expires_on", "pk")
    )
    controlled = {m.asset_id for m in measures if m.status in LIVE_CONTROL_STATUSES}
    facts.measures = [
        MeasureFact(
            id=m.pk,
            asset_label=m.asset.description or m.asset.identifier,
            category=m.asset.category,
            kind=m.kind,
            kind_label=str(m.get_kind_display()),
            status=m.status,
            amount=m.amount,
            expires_on=m.expires_on,
            days_left=(m.expires_on - today).days,
        )
        for m in measures
    ]
    assets = Asset.objects.filter(case=case).select_related("debtor").order_by("category", "pk")
    facts.assets = [_asset_fact(a, controlled) for a in assets]

    facts.objections = [
        ObjectionFact(o.kind, str(o.get_kind_display()), o.objector.name, o.filed_on, o.review_due_on)
        for o in Objection.objects.filter(enforcement_case=ec, status=ObjectionStatus.PENDING)
        .select_related("objector")
        .order_by("filed_on", "pk")
    ]
    facts.listed = DishonestListing.objects.filter(
        enforcement_case=ec, status__in=(ListingStatus.PENDING, ListingStatus.LISTED)
    ).exists()
    facts.consumption_restricted = Restriction.objects.filter(
        enforcement_case=ec, kind=RestrictionKind.CONSUMPTION, status=RestrictionStatus.ACTIVE
    ).exists()
    facts.debtor_missing = DebtorSearch.objects.filter(enforcement_case=ec, status=SearchStatus.SEARCHING).exists()

    if facts.is_open:  # the 终本 question arises only for an open case
        proposal = TerminationProposal.objects.filter(enforcement_case=ec, status=ProposalStatus.PENDING).first()
        facts.termination_proposed = proposal is not None
        checks = termination_checklist(ec, proposal, today)[:TERMINATION_ART1]
        facts.termination_checks = [CheckFact(c.code, c.met, str(c.message)) for c in checks]
        # the investigation item carries the completed network query's batch (enforcement.termination)
        facts.network_query_done = any(c.code == "termination.investigation" and c.details.get("batch") for c in checks)

    facts.clues = [
        ClueFact(
            debtor_name=c.debtor_name,
            related_name=c.related_name,
            description=c.transfer.description,
            value=c.transfer.value,
            transferred_on=c.transfer.transferred_on,
            path=c.path,
            score=c.score,
            level=c.level,
        )
        for c in hidden_asset_clues(case=case)
    ]
    facts.bankruptcy = _bankruptcy_facts(facts.organisation_debtors)
    return facts


# ---- the decision -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """One suggestion: ``code`` (stable), ``title`` (what to do), ``reasons`` (why), ``citation`` (the rule)."""

    code: str
    title: str
    reasons: list[str]
    citation: str = ""
    level: str = "info"  # info | warning | danger


@dataclass(frozen=True)
class TriageView:
    score: int | None
    track: str
    track_label: str
    reasons: list[dict]
    stored: bool


@dataclass(frozen=True)
class PlatformGroup:
    category: str
    category_label: str
    assets: list[str]
    recommendations: list[Recommendation]


@dataclass(frozen=True)
class ArticleSuggestion:
    article: LawArticle
    reason: str


@dataclass
class Decision:
    enforcement_case: EnforcementCase
    facts: Facts
    triage: TriageView
    preservation: list[Advice]
    bankruptcy_url: str
    platforms: list[PlatformGroup]
    similar: SimilarStats
    articles: list[ArticleSuggestion]

    @property
    def bankruptcy(self) -> list[BankruptcyFact]:
        return self.facts.bankruptcy


def _triage(ec: EnforcementCase) -> TriageView:
    if ec.difficulty_score is not None:
        score, track, reasons, stored = ec.difficulty_score, ec.track, list(ec.difficulty_reasons or []), True
    else:
        result = triage_score(ec)
        score, track, reasons, stored = result.score, result.track, result.reasons, False
    reasons = sorted(reasons, key=lambda r: -abs(int(r.get("points", 0))))[:TOP_REASONS]
    label = str(Track(track).label) if track in Track.values else "—"
    return TriageView(score=score, track=track, track_label=label, reasons=reasons, stored=stored)


def _preservation(facts: Facts) -> list[Advice]:
    items: list[Advice] = []
    if not facts.is_open:
        return items
    groups: dict[tuple[str, str], list[AssetFact]] = {}
    for asset in facts.uncontrolled_assets:
        groups.setdefault((asset.control_kind, asset.category), []).append(asset)
    for (kind, _category), assets in groups.items():
        reasons = [
            _("%(asset)s of %(debtor)s, %(value)s: found by the network query, under no control measure.")
            % {
                "asset": a.label,
                "debtor": a.debtor_name,
                "value": format_yuan(a.value) if a.value is not None else _("value not reported"),
            }
            for a in assets
        ]
        reasons.append(
            _("A measure on it may last at most %(years)s year(s) at a time.") % {"years": assets[0].max_years}
        )
        items.append(
            Advice(
                code="control.order",
                title=_("%(measure)s: %(category)s (%(count)s)")
                % {"measure": ControlKind(kind).label, "category": assets[0].category_label, "count": len(assets)},
                reasons=reasons,
                citation="《民事诉讼法》（2023）第二百五十三条、第二百五十五条；《民事诉讼法解释》（2022）第四百八十五条",
                level="warning",
            )
        )
    for measure in facts.expiring_measures:
        if measure.days_left < 0:
            when = _("its period ended on %(day)s and it lapses unless renewed") % {"day": measure.expires_on}
        else:
            when = _("it expires on %(day)s, in %(days)s day(s)") % {
                "day": measure.expires_on,
                "days": measure.days_left,
            }
        items.append(
            Advice(
                code="control.renew",
                title=_("Renew the %(measure)s of %(asset)s")
                % {"measure": measure.kind_label, "asset": measure.asset_label},
                reasons=[
                    _("The measure is in force: %(when)s.") % {"when": when},
                    _("A renewal (续行) is made before expiry, for up to the same period; the court may renew on "
                      "its own motion."),
                ],
                citation="《民事诉讼法解释》（2022）第四百八十五条",
                level="danger" if measure.days_left <= EXPIRY_URGENT_DAYS else "warning",
            )
        )  # fmt: skip
    for measure in facts.money_freezes:
        reasons = [_("Money is frozen and in force: it can be paid over to the court.")]
        if measure.amount is not None:
            reasons.append(_("Frozen %(amount)s.") % {"amount": format_yuan(measure.amount)})
        items.append(
            Advice(
                code="control.deduct",
                title=_("Deduct (扣划) the frozen %(asset)s") % {"asset": measure.asset_label},
                reasons=reasons,
                citation="《民事诉讼法》（2023）第二百五十三条",
            )
        )
    for clue in facts.clues:
        items.append(
            Advice(
                code="clue.transfer",
                title=_("Verify the transfer of %(property)s to %(related)s")
                % {"property": clue.description, "related": clue.related_name},
                reasons=[
                    _("%(debtor)s transferred it on %(day)s, value %(value)s; relation: %(path)s.")
                    % {
                        "debtor": clue.debtor_name,
                        "day": clue.transferred_on,
                        "value": format_yuan(clue.value),
                        "path": clue.path,
                    },
                    _("Hiding or transferring property to evade enforcement is a ground for the dishonest list, and "
                      "obstruction may be fined or detained."),
                ],
                citation="《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第（三）项；《民事诉讼法》（2023）第一百一十四条",
                level="danger" if clue.level == "high" else "warning",
            )
        )  # fmt: skip
    return items


def _platforms(facts: Facts) -> list[PlatformGroup]:
    groups = []
    by_category: dict[str, list[AssetFact]] = {}
    for asset in facts.assets:
        if asset.category in AUCTIONED:
            by_category.setdefault(asset.category, []).append(asset)
    for category, assets in by_category.items():
        groups.append(
            PlatformGroup(
                category=category,
                category_label=assets[0].category_label,
                assets=[a.label for a in assets],
                recommendations=recommend_platforms(category=category)[:TOP_PLATFORMS],
            )
        )
    return groups


def decision_support(*, user: User, enforcement_case: EnforcementCase, today: dt.date | None = None) -> Decision:
    """The suggestions for ``enforcement_case`` (already scoped to ``user`` by the caller's selector)."""
    require_capability(user, "command.decision")
    facts = case_facts(enforcement_case, today=today)
    can_screen = user.is_superuser or user.can("bankruptcy.view")
    return Decision(
        enforcement_case=enforcement_case,
        facts=facts,
        triage=_triage(enforcement_case),
        preservation=_preservation(facts),
        bankruptcy_url=reverse("bankruptcy:index") if can_screen else "",
        platforms=_platforms(facts),
        similar=similar_case_stats(enforcement_case=enforcement_case, debtor_kind=facts.debtor_kind),
        articles=[ArticleSuggestion(article, reason) for article, reason in suggest_articles(facts)],
    )


def decision_for(*, user: User, pk: int, today: dt.date | None = None) -> Decision:
    """The decision support of the enforcement case ``pk``: ``NotFound`` alike when it is missing or at a court
    the user may not see (``enforcement.selectors.enforcement_case_get``)."""
    require_capability(user, "command.decision")
    return decision_support(user=user, enforcement_case=enforcement_case_get(user=user, pk=pk), today=today)
