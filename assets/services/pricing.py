"""Reference price (参考价, 参考价规定 2018; legal-rules.md §6.3; issue 7 item 1).

A reference price of a controlled asset is tried by the four methods of art. 2 in order — agreed by the
parties (议价), directed inquiry (定向询价), online inquiry (网络询价), commissioned valuation (委托评估). Each
attempt is one ``ReferencePrice`` row; a failed attempt stays FAILED and the next method is a new row. A method
may start only if every earlier method has a FAILED row for the asset, or the officer records why it is
skipped (``skip_reason``: a party refuses or cannot be found (art. 4), no tax/government price exists
(art. 5), both parties ask to go straight to a later method (arts. 6, 7, 14), or the law requires a
valuation (art. 14)). The online inquiry is not available for categories that need an on-site inspection or
expert appraisal (art. 7): it counts as skipped for them (``ONLINE_CATEGORIES``, grade M: our reading —
real estate and vehicles have market data the platforms price; equity, ships and other rights need a valuer).

Art. 1 says the court "should" start within 30 days of control: a later start is not refused, it is recorded
(``details["late_start"]``) and shown.

The online inquiry (arts. 10–13) cannot travel as an ``AgencyRequest`` (its check constraint
``request_is_a_query_or_a_control_order`` ties every request to a query batch or a control measure), so it
goes to the platforms as ``PriceQuote`` rows they pull and answer through the agency API
(``/api/v1/agency/price-inquiries/``). The periodic job ``price_inquiries_due`` applies art. 11 at the due
time and settles by art. 13 after the 5-day objection period.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import get_visible_or_404, require_capability, scope_to_user
from core.audit import audit_record
from core.exceptions import InvalidInput, RuleViolation
from core.models import User
from core.money import round_fen
from enforcement.deadlines import add_months
from enforcement.models import EnforcementCase

from ..choices import AgencyKind, AssetCategory, ControlStatus, PriceMethod, PriceStatus
from ..models import Agency, Asset, ControlMeasure, PriceQuote, ReferencePrice

CAPABILITY = "assets.control"
METHOD_ORDER = (PriceMethod.NEGOTIATION, PriceMethod.DIRECTED, PriceMethod.ONLINE, PriceMethod.APPRAISAL)
START_WINDOW_DAYS = 30  # art. 1
QUOTE_WINDOW = dt.timedelta(days=3)  # art. 11, and the one extension when no platform answered
OBJECTION_DAYS = 5  # arts. 13, 22
REPORT_DAYS = 30  # art. 19
MAX_APPRAISAL_EXTENSIONS = 2
MAX_EXTENSION_DAYS = 15
VALIDITY_MONTHS = 12  # art. 27
VALUERS = 3  # art. 16
ONLINE_CATEGORIES = frozenset({AssetCategory.REAL_ESTATE, AssetCategory.VEHICLE})
LIVE = (ControlStatus.ACTIVE, ControlStatus.WAITING)


# -- helpers ------------------------------------------------------------------------------------------------


def _locked_price(actor: User | None, pk: int, *, method: str | None = None) -> ReferencePrice:
    if actor is not None:
        require_capability(actor, CAPABILITY)
        get_visible_or_404(ReferencePrice.objects.all(), actor, court_field="enforcement_case__case__court", pk=pk)
    price = ReferencePrice.objects.select_for_update(of=("self",)).select_related("asset").get(pk=pk)
    if price.status != PriceStatus.IN_PROGRESS:
        raise RuleViolation(_("This reference price is no longer in progress."), code="price.not_in_progress")
    if method is not None and price.method != method:
        raise RuleViolation(
            _("This step belongs to another method (%(method)s).") % {"method": PriceMethod(method).label},
            code="price.wrong_method",
        )
    return price


def _determine(price: ReferencePrice, value: Decimal, on: dt.date) -> None:
    price.value = round_fen(value)
    price.determined_on = on
    price.valid_until = add_months(on, VALIDITY_MONTHS)  # art. 27: at most one year
    price.status = PriceStatus.DETERMINED
    price.next_check_at = None
    price.full_clean()
    price.save()


def _fail(price: ReferencePrice, reason: str) -> None:
    price.status = PriceStatus.FAILED
    price.next_check_at = None
    price.details = {**price.details, "failure": reason}
    price.full_clean()
    price.save()


def _positive(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception:
        raise InvalidInput({field: _("Give an amount in yuan.")}, code="price.amount") from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput({field: _("The amount must be positive.")}, code="price.amount")
    return round_fen(amount)


def online_applies(asset: Asset) -> bool:
    """Art. 7: the online inquiry serves assets needing no on-site inspection or expert appraisal."""
    return asset.category in ONLINE_CATEGORIES


def next_methods(asset: Asset) -> list[str]:
    """The methods that may start now without a skip reason (for the page's buttons)."""
    failed = set(asset.reference_prices.filter(status=PriceStatus.FAILED).values_list("method", flat=True))
    allowed = []
    for method in METHOD_ORDER:
        if method == PriceMethod.ONLINE and not online_applies(asset):
            continue
        allowed.append(method)
        if method not in failed:
            break
    return allowed[-1:]


# -- start --------------------------------------------------------------------------------------------------


@transaction.atomic
def price_start(
    *,
    actor: User,
    asset: Asset,
    method: str,
    enforcement_case: EnforcementCase | None = None,
    skip_reason: str = "",
    on: dt.date | None = None,
) -> ReferencePrice:
    """Start a reference price of ``asset`` by ``method`` (the order of art. 2; see the module docstring).
    Refused if a price is already in progress or a valid one exists. An online inquiry is sent to the
    platforms after commit (task ``query_price_inquiry_fan_out``)."""
    require_capability(actor, CAPABILITY)
    on = on or timezone.localdate()
    if method not in PriceMethod.values:
        raise InvalidInput({"method": _("Unknown method.")}, code="price.unknown_method")
    seen = get_visible_or_404(Asset.objects.all(), actor, court_field="case__court", pk=asset.pk)
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=seen.pk)
    controls = ControlMeasure.objects.filter(asset=asset, status__in=LIVE)
    if enforcement_case is not None:
        controls = controls.filter(enforcement_case=enforcement_case)
    control = controls.select_related("enforcement_case").order_by("starts_on", "pk").first()
    if control is None:
        raise RuleViolation(
            _("A reference price is set only for an asset under a control measure in force (参考价规定 art. 1)."),
            code="price.not_controlled",
        )
    if asset.reference_prices.filter(status=PriceStatus.IN_PROGRESS).exists():
        raise RuleViolation(_("A reference price of this asset is already in progress."), code="price.in_progress")
    if price_current(asset, on) is not None:
        raise RuleViolation(
            _("This asset has a reference price still valid (参考价规定 art. 27)."), code="price.still_valid"
        )
    if method == PriceMethod.ONLINE and not online_applies(asset):
        raise RuleViolation(
            _("This asset needs an inspection or an expert valuation: no online inquiry (参考价规定 art. 7)."),
            code="price.online_not_applicable",
        )
    failed = set(asset.reference_prices.filter(status=PriceStatus.FAILED).values_list("method", flat=True))
    skipped = []
    for earlier in METHOD_ORDER[: METHOD_ORDER.index(method)]:
        if earlier in failed or (earlier == PriceMethod.ONLINE and not online_applies(asset)):
            continue
        if not skip_reason.strip():
            raise RuleViolation(
                _(
                    "The methods are tried in order (参考价规定 art. 2): %(earlier)s has not failed; "
                    "give the reason to skip it."
                )
                % {"earlier": PriceMethod(earlier).label},
                code="price.method_order",
            )
        skipped.append(earlier)
    if (
        method == PriceMethod.ONLINE
        and not Agency.objects.filter(kind=AgencyKind.INQUIRY_PLATFORM, active=True).exists()
    ):
        raise RuleViolation(_("No online price-inquiry platform is listed."), code="price.no_platform")
    control_on = control.starts_on
    details = {"control": control.pk, "control_on": control_on.isoformat()}
    if skipped:
        details["skipped"] = [str(m) for m in skipped]
        details["skip_reason"] = skip_reason.strip()
    if on > control_on + dt.timedelta(days=START_WINDOW_DAYS):
        details["late_start"] = True  # art. 1 "should": recorded and shown, not refused
    price = ReferencePrice(
        enforcement_case=control.enforcement_case,
        asset=asset,
        method=method,
        started_on=on,
        details=details,
        started_by=actor,
    )
    price.full_clean()
    price.save()
    audit_record(actor=actor, action="price.start", obj=price, reason=skip_reason, changes={"method": method})
    if method == PriceMethod.ONLINE:
        from ..tasks import query_price_inquiry_fan_out

        transaction.on_commit(lambda: query_price_inquiry_fan_out.delay(price.pk))
    return price


# -- negotiation and directed inquiry -----------------------------------------------------------------------


@transaction.atomic
def price_negotiated(
    *, actor: User, price: ReferencePrice, creditor_figure, debtor_figure, on: dt.date
) -> ReferencePrice:
    """Art. 4: equal figures are the reference price; different ones fail the negotiation."""
    price = _locked_price(actor, price.pk, method=PriceMethod.NEGOTIATION)
    creditor = _positive(creditor_figure, "creditor_figure")
    debtor = _positive(debtor_figure, "debtor_figure")
    price.details = {**price.details, "creditor_figure": str(creditor), "debtor_figure": str(debtor)}
    if creditor == debtor:
        _determine(price, creditor, on)
    else:
        _fail(price, _("The parties' figures differ."))
    audit_record(actor=actor, action="price.negotiated", obj=price, changes={"status": price.status})
    return price


@transaction.atomic
def price_directed(
    *, actor: User, price: ReferencePrice, value=None, source: str = "", on: dt.date, reason: str = ""
) -> ReferencePrice:
    """Arts. 5–6: the body's figure (tax base, government price) is the reference price; without one the
    directed inquiry fails with ``reason``."""
    price = _locked_price(actor, price.pk, method=PriceMethod.DIRECTED)
    if value in (None, ""):
        if not reason.strip():
            raise InvalidInput({"reason": _("Say why the directed inquiry failed.")}, code="price.reason")
        _fail(price, reason.strip())
    else:
        if not source.strip():
            raise InvalidInput({"source": _("Name the body that gave the price.")}, code="price.source")
        amount = _positive(value, "value")
        price.details = {**price.details, "source": source.strip()}
        _determine(price, amount, on)
    audit_record(actor=actor, action="price.directed", obj=price, changes={"status": price.status})
    return price


# -- online inquiry -----------------------------------------------------------------------------------------


@transaction.atomic
def price_inquiry_send(*, price: ReferencePrice, now: dt.datetime | None = None) -> int:
    """Art. 10: one quote per active platform, all at once, due in 3 days. Safe to run twice."""
    now = now or timezone.now()
    price = ReferencePrice.objects.select_for_update().get(pk=price.pk)
    if price.method != PriceMethod.ONLINE or price.status != PriceStatus.IN_PROGRESS or price.quotes.exists():
        return 0
    platforms = Agency.objects.filter(kind=AgencyKind.INQUIRY_PLATFORM, active=True).order_by("pk")
    quotes = [
        PriceQuote(reference_price=price, agency=a, requested_at=now, due_at=now + QUOTE_WINDOW) for a in platforms
    ]
    PriceQuote.objects.bulk_create(quotes)
    price.next_check_at = now + QUOTE_WINDOW
    price.save(update_fields=["next_check_at"])
    audit_record(actor=None, action="price.inquiry_send", obj=price, changes={"platforms": len(quotes)})
    return len(quotes)


@transaction.atomic
def price_quote_answer(*, agency: Agency, quote_id: int, amount, now: dt.datetime | None = None) -> PriceQuote:
    """A platform's answer to its own quote (another agency's quote is "not found"). Answering the same
    figure again changes nothing; an answer after the results went out is refused."""
    from core.exceptions import NotFound

    now = now or timezone.now()
    quote = PriceQuote.objects.select_for_update().filter(pk=quote_id, agency=agency).first()
    if quote is None:
        raise NotFound(_("No such price inquiry."), code="price.quote_not_found")
    figure = _positive(amount, "amount")
    if quote.answered_at is not None:
        if quote.amount == figure:
            return quote
        raise RuleViolation(_("This inquiry was already answered."), code="price.already_answered")
    price = ReferencePrice.objects.select_for_update().get(pk=quote.reference_price_id)
    if price.status != PriceStatus.IN_PROGRESS or "results_sent_on" in price.details or quote.late:
        raise RuleViolation(_("The inquiry is closed (参考价规定 art. 11)."), code="price.inquiry_closed")
    quote.amount, quote.answered_at = figure, now
    quote.late = now > quote.due_at
    quote.full_clean()
    quote.save()
    audit_record(actor=None, action="price.quote_answer", obj=price, changes={"quote": quote.pk, "amount": str(figure)})
    return quote


def _on_time(quote: PriceQuote) -> bool:
    return quote.answered_at is not None and quote.answered_at <= quote.due_at


@transaction.atomic
def price_inquiry_close_round(*, price: ReferencePrice, now: dt.datetime | None = None) -> str:
    """Art. 11 at the due time: nobody answered → one 3-day extension for all (or, after it, the inquiry fails:
    the court turns to a valuation); some answered → the others are late and left out, and the results go to
    the parties (``results_sent_on``, the 5-day objection period starts). Returns what happened."""
    now = now or timezone.now()
    price = _locked_price(None, price.pk, method=PriceMethod.ONLINE)
    quotes = list(price.quotes.select_for_update())
    if not quotes or "results_sent_on" in price.details:
        return "nothing"
    if now < max(q.due_at for q in quotes):
        return "not_due"
    answered = [q for q in quotes if _on_time(q)]
    if not answered:
        if max(q.extensions for q in quotes) == 0:
            for q in quotes:
                # an answer that came after the first due time but before this job ran is within the extension
                q.due_at, q.extensions, q.late = q.due_at + QUOTE_WINDOW, q.extensions + 1, False
                q.save(update_fields=["due_at", "extensions", "late"])
            price.next_check_at = max(q.due_at for q in quotes)
            price.save(update_fields=["next_check_at"])
            audit_record(actor=None, action="price.inquiry_extend", obj=price)
            return "extended"
        _fail(price, _("No platform answered, even after the extension (参考价规定 art. 11)."))
        audit_record(actor=None, action="price.inquiry_failed", obj=price)
        return "failed"
    for q in quotes:
        if not _on_time(q):
            q.late = True
            q.save(update_fields=["late"])
    sent_on = timezone.localdate(now)
    price.details = {**price.details, "results_sent_on": sent_on.isoformat()}
    price.next_check_at = objection_period_end(sent_on)
    price.save(update_fields=["details", "next_check_at"])
    audit_record(actor=None, action="price.inquiry_results_sent", obj=price)
    return "results_sent"


def objection_period_end(sent_on: dt.date) -> dt.datetime:
    """The first moment after the 5-day objection period that follows the day the results were sent."""
    first_day_after = sent_on + dt.timedelta(days=OBJECTION_DAYS + 1)
    return timezone.make_aware(dt.datetime.combine(first_day_after, dt.time.min))


def _objection_window_open(sent_on: str, on: dt.date) -> bool:
    return on <= dt.date.fromisoformat(sent_on) + dt.timedelta(days=OBJECTION_DAYS)


@transaction.atomic
def price_objection(*, actor: User, quote: PriceQuote, text: str, on: dt.date | None = None) -> PriceQuote:
    """A party objects to one platform's result, within 5 days of the results being sent (art. 13, 22)."""
    on = on or timezone.localdate()
    price = _locked_price(actor, quote.reference_price_id, method=PriceMethod.ONLINE)
    quote = PriceQuote.objects.select_for_update().get(pk=quote.pk, reference_price=price)
    if not text or not text.strip():
        raise InvalidInput({"text": _("Give the objection.")}, code="price.objection_text")
    sent_on = price.details.get("results_sent_on")
    if sent_on is None:
        raise RuleViolation(_("The results have not been sent to the parties yet."), code="price.results_not_sent")
    if not _objection_window_open(sent_on, on):
        raise RuleViolation(
            _("An objection is made within 5 days of the results (参考价规定 art. 22)."),
            code="price.objection_late",
        )
    if not _on_time(quote):
        raise RuleViolation(_("A late or missing result is not counted."), code="price.quote_not_counted")
    quote.objected, quote.objection = True, text.strip()
    quote.save(update_fields=["objected", "objection"])
    audit_record(actor=actor, action="price.objection", obj=price, reason=text, changes={"quote": quote.pk})
    return quote


@transaction.atomic
def price_objection_reject(*, actor: User, quote: PriceQuote) -> PriceQuote:
    """The objection to a result is rejected: the result counts again (its text stays on record)."""
    price = _locked_price(actor, quote.reference_price_id, method=PriceMethod.ONLINE)
    quote = PriceQuote.objects.select_for_update().get(pk=quote.pk, reference_price=price)
    if not quote.objected:
        raise RuleViolation(_("There is no objection to reject."), code="price.no_objection")
    quote.objected = False
    quote.save(update_fields=["objected"])
    audit_record(actor=actor, action="price.objection_reject", obj=price, changes={"quote": quote.pk})
    return quote


def inquiry_average(quotes: list[PriceQuote]) -> Decimal | None:
    """Art. 13 over the on-time results: none objected → all; some objected → the others; every objection
    rejected → all (a rejected objection leaves ``objected`` False). None if every result stands objected."""
    counted = [q for q in quotes if _on_time(q) and not q.late]
    kept = [q.amount for q in counted if not q.objected]
    if not kept:
        return None
    return round_fen(sum(kept, Decimal("0")) / len(kept))


@transaction.atomic
def price_inquiry_settle(*, price: ReferencePrice, now: dt.datetime | None = None) -> ReferencePrice:
    """After the 5-day objection period: the reference price is the art. 13 average, rounded to the fen."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    price = _locked_price(None, price.pk, method=PriceMethod.ONLINE)
    sent_on = price.details.get("results_sent_on")
    if sent_on is None:
        raise RuleViolation(_("The results have not been sent to the parties yet."), code="price.results_not_sent")
    if _objection_window_open(sent_on, today):
        raise RuleViolation(_("The 5-day objection period is still open."), code="price.objection_period_open")
    average = inquiry_average(list(price.quotes.all()))
    if average is None:
        raise RuleViolation(
            _("Every result stands objected: decide the objections first (参考价规定 art. 13)."),
            code="price.all_objected",
        )
    _determine(price, average, today)
    audit_record(actor=None, action="price.inquiry_settle", obj=price, changes={"value": str(average)})
    return price


def price_inquiries_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: close the rounds that are due, settle the inquiries whose objection period ended.
    It reads only the online prices in progress whose ``next_check_at`` has come (a partial index), each in its
    own transaction; safe to run twice."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    due = ReferencePrice.objects.filter(
        method=PriceMethod.ONLINE, status=PriceStatus.IN_PROGRESS, next_check_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        price = ReferencePrice.objects.get(pk=pk)
        try:
            if "results_sent_on" in price.details:
                price_inquiry_settle(price=price, now=now)
                outcome = "settled"
            else:
                outcome = price_inquiry_close_round(price=price, now=now)
        except RuleViolation:
            outcome = "waiting"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# -- commissioned valuation ---------------------------------------------------------------------------------


@transaction.atomic
def price_appraisal_commission(
    *, actor: User, price: ReferencePrice, valuer_ids: list[int] | None = None, now: dt.datetime | None = None
) -> PriceQuote:
    """Art. 16: three valuers in the order the parties agreed, or drawn by lot among the listed valuers
    (``random.SystemRandom``; the candidates and the draw are recorded). The first reports within 30 days."""
    now = now or timezone.now()
    price = _locked_price(actor, price.pk, method=PriceMethod.APPRAISAL)
    if price.quotes.exists():
        raise RuleViolation(_("The valuers are already commissioned."), code="price.already_commissioned")
    listed = Agency.objects.filter(kind=AgencyKind.VALUER, active=True)
    if valuer_ids:
        ids = [int(i) for i in valuer_ids]
        found = {a.pk: a for a in listed.filter(pk__in=ids)}
        if len(ids) != VALUERS or len(set(ids)) != VALUERS or len(found) != VALUERS:
            raise InvalidInput(
                {"valuer_ids": _("Give three different listed valuers, in order (参考价规定 art. 16).")},
                code="price.valuers",
            )
        chosen, drawn = [found[i] for i in ids], None
    else:
        candidates = list(listed.order_by("pk"))
        if len(candidates) < VALUERS:
            raise RuleViolation(_("Fewer than three valuers are listed."), code="price.too_few_valuers")
        chosen = random.SystemRandom().sample(candidates, VALUERS)
        drawn = {"candidates": [a.pk for a in candidates], "drawn": [a.pk for a in chosen], "at": now.isoformat()}
    price.details = {**price.details, "valuers": [a.pk for a in chosen], "draw": drawn}
    price.save(update_fields=["details"])
    quote = PriceQuote(
        reference_price=price, agency=chosen[0], requested_at=now, due_at=now + dt.timedelta(days=REPORT_DAYS)
    )
    quote.full_clean()
    quote.save()
    audit_record(
        actor=actor, action="price.appraisal_commission", obj=price, changes={"valuers": price.details["valuers"]}
    )
    return quote


def _valuation(price: ReferencePrice) -> PriceQuote:
    quote = price.quotes.select_for_update().order_by("pk").first()
    if quote is None:
        raise RuleViolation(_("No valuer is commissioned yet."), code="price.not_commissioned")
    return quote


@transaction.atomic
def price_appraisal_extend(*, actor: User, price: ReferencePrice, days: int) -> PriceQuote:
    """Art. 19: at most two extensions of at most 15 days each."""
    price = _locked_price(actor, price.pk, method=PriceMethod.APPRAISAL)
    quote = _valuation(price)
    if quote.extensions >= MAX_APPRAISAL_EXTENSIONS:
        raise RuleViolation(
            _("A valuation is extended at most twice (参考价规定 art. 19)."), code="price.too_many_extensions"
        )
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise RuleViolation(_("An extension is at most 15 days (参考价规定 art. 19)."), code="price.extension_too_long")
    quote.due_at, quote.extensions = quote.due_at + dt.timedelta(days=days), quote.extensions + 1
    quote.save(update_fields=["due_at", "extensions"])
    audit_record(actor=actor, action="price.appraisal_extend", obj=price, changes={"days": days})
    return quote


@transaction.atomic
def price_appraisal_report(*, actor: User, price: ReferencePrice, amount, on: dt.date) -> ReferencePrice:
    """The valuer's report: its figure is the reference price from ``on``; a report after the deadline is
    marked late."""
    price = _locked_price(actor, price.pk, method=PriceMethod.APPRAISAL)
    quote = _valuation(price)
    figure = _positive(amount, "amount")
    answered_at = timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))
    quote.amount, quote.answered_at = figure, answered_at
    quote.late = on > timezone.localdate(quote.due_at)
    quote.save(update_fields=["amount", "answered_at", "late"])
    price.details = {**price.details, "report_on": on.isoformat()}
    _determine(price, figure, on)
    audit_record(actor=actor, action="price.appraisal_report", obj=price, changes={"value": str(figure)})
    return price


@transaction.atomic
def price_appraisal_objection(*, actor: User, price: ReferencePrice, text: str, on: dt.date) -> ReferencePrice:
    """Art. 22: a party's written objection within 5 days of the report, recorded on the valuation."""
    require_capability(actor, CAPABILITY)
    get_visible_or_404(ReferencePrice.objects.all(), actor, court_field="enforcement_case__case__court", pk=price.pk)
    price = ReferencePrice.objects.select_for_update().get(pk=price.pk)
    if price.method != PriceMethod.APPRAISAL or "report_on" not in price.details:
        raise RuleViolation(_("There is no valuation report to object to."), code="price.no_report")
    if not text or not text.strip():
        raise InvalidInput({"text": _("Give the objection.")}, code="price.objection_text")
    report_on = dt.date.fromisoformat(price.details["report_on"])
    if on > report_on + dt.timedelta(days=OBJECTION_DAYS):
        raise RuleViolation(
            _("An objection is made within 5 days of the report (参考价规定 art. 22)."),
            code="price.objection_late",
        )
    quote = _valuation(price)
    quote.objected, quote.objection = True, text.strip()
    quote.save(update_fields=["objected", "objection"])
    objections = [*price.details.get("objections", []), {"on": on.isoformat(), "text": text.strip()}]
    price.details = {**price.details, "objections": objections}
    price.save(update_fields=["details"])
    audit_record(actor=actor, action="price.appraisal_objection", obj=price, reason=text)
    return price


# -- reads --------------------------------------------------------------------------------------------------


def price_current(asset: Asset, on: dt.date | None = None) -> ReferencePrice | None:
    """The reference price valid on ``on`` (art. 27), the latest determined; None if there is none."""
    on = on or timezone.localdate()
    return (
        ReferencePrice.objects.filter(
            asset=asset, status=PriceStatus.DETERMINED, determined_on__lte=on, valid_until__gte=on
        )
        .order_by("-determined_on", "-pk")
        .first()
    )


def case_price_list(*, user: User, enforcement_case: EnforcementCase):
    """The case's reference prices with their quotes, by asset, newest first (scoped to the user's court)."""
    require_capability(user, "assets.view")
    queryset = (
        ReferencePrice.objects.filter(enforcement_case=enforcement_case)
        .select_related("asset", "started_by")
        .prefetch_related("quotes__agency")
        .order_by("asset_id", "-started_on", "-pk")
    )
    return scope_to_user(queryset, user, court_field="enforcement_case__case__court")


def price_get(*, user: User, pk: int) -> ReferencePrice:
    """One reference price visible to the user; ``NotFound`` alike if missing or another court's."""
    require_capability(user, "assets.view")
    return get_visible_or_404(
        ReferencePrice.objects.select_related("asset", "enforcement_case__case"),
        user,
        court_field="enforcement_case__case__court",
        pk=pk,
    )


def quote_get(*, user: User, pk: int) -> PriceQuote:
    require_capability(user, "assets.view")
    return get_visible_or_404(
        PriceQuote.objects.select_related("reference_price", "agency"),
        user,
        court_field="reference_price__enforcement_case__case__court",
        pk=pk,
    )


def agency_quote_list(*, agency: Agency, status: str | None = None):
    """The calling agency's own online-inquiry quotes, oldest first. ``pending``: unanswered, still open."""
    queryset = PriceQuote.objects.filter(agency=agency, reference_price__method=PriceMethod.ONLINE).select_related(
        "reference_price__asset"
    )
    if status == "pending":
        queryset = queryset.filter(
            answered_at__isnull=True, late=False, reference_price__status=PriceStatus.IN_PROGRESS
        )
    elif status == "answered":
        queryset = queryset.filter(answered_at__isnull=False)
    return queryset.order_by("requested_at", "pk")
