"""The 终本 checklist and the reason analysis (reads only).

``termination_checklist`` evaluates, all at once, the five conditions of 终本规定 2016 art. 1 (every failure is
reported, not just the first), then the applicant heard (art. 5) and the confirmation of 解释 2022 art. 517
(the applicant's signature, or a collegial panel whose decision the division head approves for the
president). What the apps to the right know (the network query of assets, the restrictions and listings of
credit) is read through ``enforcement.checks.termination_facts``; until credit answers, the officer's
recorded decision counts.

``follow_up_for`` suggests what happens after 终本: trace a missing debtor, dispose again of property that
could not be sold, transfer an insolvent organisation to bankruptcy (执转破, 解释 2022 arts. 511–514), or
track the debtor and restore when property appears (终本规定 art. 9).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cases.choices import PartyKind, PartyRole
from core.money import round_fen

from .checks import termination_facts
from .choices import OPEN_STATUSES, ClosingKind, FollowUp, ListingDecision, Status, TerminationReason
from .deadlines import add_months
from .models import EnforcementCase, notices_served_on_every_debtor

# 终本规定 (2016) art. 1(4): a case may be terminated for want of property only more than 3 months after filing.
TERMINATION_MIN_MONTHS = 3
# Signs of insolvency of an organisation debtor (解释 2022 art. 511: 不能清偿到期债务, 资产不足以清偿全部债务
# or 明显缺乏清偿能力): several 终本 cases, several open enforcement cases, or debts far above what was found.
BANKRUPTCY_MIN_TERMINATED = 2
BANKRUPTCY_MIN_OPEN_CASES = 3
BANKRUPTCY_DEBT_TO_PROPERTY = Decimal(10)

CHECK_CODES = (
    "termination.notices",
    "termination.restriction",
    "termination.investigation",
    "termination.three_months",
    "termination.missing_and_obstruction",
    "termination.applicant_heard",
    "termination.confirmation",
)
FIELDS = (
    "reason",
    "reason_detail",
    "consumption_restriction_on",
    "listing_decision",
    "listing_note",
    "onsite_investigation_on",
    "onsite_investigation_note",
    "debtor_missing",
    "search_note",
    "obstruction",
    "sanction_note",
    "applicant_informed_on",
    "applicant_opinion",
    "applicant_opinion_text",
    "applicant_signed",
    "panel_members",
)


@dataclass(frozen=True)
class CheckItem:
    """One condition: ``code`` (stable), ``met``, ``label`` (the rule, named), ``message`` (what is met or what is
    missing, naming the rule) and ``details`` (what the evaluation read)."""

    code: str
    met: bool
    label: str
    message: str
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


_DATES = ("consumption_restriction_on", "onsite_investigation_on", "applicant_informed_on")
_FLAGS = ("debtor_missing", "obstruction", "applicant_signed")


def _data(proposal_data: Any) -> dict:
    """The proposal's fields from a ``TerminationProposal`` or a mapping (missing ones blank)."""
    source = proposal_data if isinstance(proposal_data, dict) else vars(proposal_data)
    data = {}
    for name in FIELDS:
        value = source.get(name)
        if name in _DATES:
            data[name] = value or None
        elif name in _FLAGS:
            data[name] = bool(value)
        else:
            data[name] = str(value or "").strip()
    return data


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def property_found(facts: dict) -> tuple[list[dict], Decimal]:
    """The property the network query found (``[{"category", "identifier", "description", "value"}]``) and its
    total value."""
    fact = facts.get("network_query")
    if fact is None or not fact.met:
        return [], Decimal(0)
    return list(fact.details.get("property") or []), _decimal(fact.details.get("property_value"))


def _notices(ec: EnforcementCase) -> CheckItem:
    label = _("Execution notice and property report order served on every debtor (终本规定 art. 1(1)).")
    met = notices_served_on_every_debtor(ec)
    message = (
        label
        if met
        else _("Serve the execution notice and the property report order on every debtor first (终本规定 art. 1(1)).")
    )
    return CheckItem("termination.notices", met, label, message)


def _restriction(data: dict, facts: dict) -> CheckItem:
    label = _("Consumption restriction issued, and the debtor listed as dishonest where eligible (终本规定 art. 1(2)).")
    problems, details = [], {}
    restriction = facts.get("consumption_restriction")
    if restriction is not None:
        restricted, details["restriction_source"] = restriction.met, "credit"
    else:
        restricted, details["restriction_source"] = bool(data["consumption_restriction_on"]), "recorded"
    if not restricted:
        problems.append(_("no consumption restriction order has been issued"))
    listing = facts.get("dishonest_listing")
    if listing is not None:
        details["listing_source"] = "credit"
        listed = listing.met or not listing.details.get("eligible", True)
        if not listed:
            problems.append(_("the debtor is eligible for the dishonest list but is not listed"))
    else:
        details["listing_source"] = "recorded"
        decision = data["listing_decision"]
        if decision not in ListingDecision.values:
            problems.append(_("no dishonest-list decision is recorded"))
        elif decision == ListingDecision.NOT_ELIGIBLE and not data["listing_note"]:
            problems.append(_("say why the debtor is not eligible for the dishonest list"))
    if not problems:
        return CheckItem("termination.restriction", True, label, label, details)
    message = _("Restrictions (终本规定 art. 1(2)): %(problems)s.") % {"problems": "; ".join(problems)}
    return CheckItem("termination.restriction", False, label, message, {**details, "problems": problems})


def _investigation(data: dict, facts: dict) -> CheckItem:
    label = _(
        "Property investigation exhausted: a network query over every category completed, and an on-site "
        "investigation where the network cannot reach (终本规定 art. 1(3), art. 3)."
    )
    problems, details = [], {}
    fact = facts.get("network_query")
    if fact is None or not fact.met:
        problems.append(
            str(fact.message).rstrip(".。")  # the message below ends the sentence
            if fact is not None
            else _("No network query over every asset category has completed (终本规定 art. 1(3), art. 3).").rstrip(
                ".。"
            )
        )
    else:
        details = {key: fact.details.get(key) for key in ("batch", "completed_at", "unreached_categories")}
        unreached = fact.details.get("unreached_categories") or []
        if unreached and not (data["onsite_investigation_on"] and data["onsite_investigation_note"]):
            problems.append(
                _(
                    "the network did not reach %(categories)s: record the on-site investigation (date and "
                    "findings, 终本规定 art. 3(3))"
                )
                % {"categories": ", ".join(fact.details.get("unreached_labels") or unreached)}
            )
        found, value = property_found(facts)
        details["property_value"] = str(value)
        if value > 0 and data["reason"] == TerminationReason.NO_PROPERTY:
            problems.append(
                _("property was found (value %(value)s): choose 'cannot be disposed of' and explain (终本规定 art. 4)")
                % {"value": value}
            )
    if not problems:
        return CheckItem("termination.investigation", True, label, label, details)
    message = _("Investigation (终本规定 art. 1(3)): %(problems)s.") % {"problems": "; ".join(problems)}
    return CheckItem("termination.investigation", False, label, message, {**details, "problems": problems})


def earliest_termination_day(ec: EnforcementCase) -> dt.date:
    return add_months(ec.case.filing_date, TERMINATION_MIN_MONTHS) + dt.timedelta(days=1)


def _three_months(ec: EnforcementCase, on: dt.date) -> CheckItem:
    label = _("More than 3 months since filing (终本规定 art. 1(4)).")
    earliest = earliest_termination_day(ec)
    details = {"filing_date": ec.case.filing_date.isoformat(), "earliest": earliest.isoformat(), "on": on.isoformat()}
    if on >= earliest:
        return CheckItem("termination.three_months", True, label, label, details)
    message = _(
        "This round of enforcement can be terminated only more than 3 months after filing (终本规定 art. 1(4)): "
        "not before %(day)s."
    ) % {"day": earliest.isoformat()}
    return CheckItem("termination.three_months", False, label, message, details)


# 终本规定 art. 1(5): "对妨害执行行为依法采取罚款、拘留等强制措施" — the sanctions are fines and detention (a search is
# a measure of enforcement, not a sanction of obstruction).
SANCTION_KINDS = ("fine", "detention")


def coercive_sanctions(ec: EnforcementCase) -> list[dict]:
    """The fines and detentions executed on the case (the coercive-measure record), oldest first."""
    from .models import CoerciveMeasure

    rows = (
        CoerciveMeasure.objects.filter(enforcement_case=ec, status="executed", kind__in=SANCTION_KINDS)
        .select_related("subject")
        .order_by("executed_on", "id")
    )
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "subject": m.subject.name,
            "order_number": m.order_number,
            "amount": str(m.amount) if m.amount is not None else None,
            "days": m.days,
            "executed_on": m.executed_on.isoformat() if m.executed_on else None,
        }
        for m in rows
    ]


def _missing_and_obstruction(data: dict, ec: EnforcementCase | None = None) -> CheckItem:
    """A missing debtor: flagged and the search recorded. Obstruction: sanctioned — by a fine or detention
    executed on the case (the coercive-measure record), or by what ``sanction_note`` records of sanctions taken
    outside the system (e.g. a criminal referral)."""
    label = _("A missing debtor searched for; obstruction of enforcement sanctioned (终本规定 art. 1(5)).")
    problems = []
    if data["reason"] == TerminationReason.DEBTOR_MISSING and not data["debtor_missing"]:
        problems.append(_("the reason is a missing debtor: record the debtor as missing and the search"))
    if data["debtor_missing"] and not data["search_note"]:
        problems.append(_("the debtor is missing: record how the debtor was searched for"))
    sanctions = coercive_sanctions(ec) if ec is not None and ec.pk else []
    if data["obstruction"] and not sanctions and not data["sanction_note"]:
        problems.append(
            _(
                "enforcement was obstructed: execute a fine or detention on the case, or record the sanctions "
                "taken outside the system (e.g. a criminal referral)"
            )
        )
    details = {
        "debtor_missing": bool(data["debtor_missing"]),
        "obstruction": bool(data["obstruction"]),
        "coercive_measures": sanctions,
        "sanction_source": ("record" if sanctions else "note" if data["sanction_note"] else None)
        if data["obstruction"]
        else None,
    }
    if not problems:
        return CheckItem("termination.missing_and_obstruction", True, label, label, details)
    message = _("Missing debtor and obstruction (终本规定 art. 1(5)): %(problems)s.") % {
        "problems": "; ".join(problems)
    }
    return CheckItem("termination.missing_and_obstruction", False, label, message, {**details, "problems": problems})


def _applicant_heard(data: dict, on: dt.date) -> CheckItem:
    label = _("The applicant told the state of the case and their opinion recorded (终本规定 art. 5).")
    informed, opinion = data["applicant_informed_on"], data["applicant_opinion"]
    details = {"informed_on": informed.isoformat() if informed else None, "opinion": opinion or None}
    if informed and opinion and informed <= on:
        return CheckItem("termination.applicant_heard", True, label, label, details)
    message = _(
        "Tell the applicant the state of the case and record their opinion before terminating (终本规定 art. 5)."
    )
    return CheckItem("termination.applicant_heard", False, label, message, details)


def _confirmation(data: dict) -> CheckItem:
    label = _(
        "The applicant's signed confirmation, or a collegial panel whose decision the division head approves "
        "for the president (解释 2022 art. 517)."
    )
    details = {"applicant_signed": bool(data["applicant_signed"]), "panel_members": data["panel_members"]}
    if data["applicant_signed"] or data["panel_members"]:
        return CheckItem("termination.confirmation", True, label, label, details)
    message = _(
        "Record the applicant's signed confirmation, or name the collegial panel that decided (解释 2022 art. 517)."
    )
    return CheckItem("termination.confirmation", False, label, message, details)


def termination_checklist(enforcement_case: EnforcementCase, proposal_data, on: dt.date) -> list[CheckItem]:
    """Every condition of 终本 for ``enforcement_case`` on ``on``, with the proposal's recorded facts
    (``proposal_data``: a ``TerminationProposal`` or a mapping of its fields; ``None`` for none recorded)."""
    data = _data(proposal_data or {})
    facts = termination_facts(enforcement_case)
    return [
        _notices(enforcement_case),
        _restriction(data, facts),
        _investigation(data, facts),
        _three_months(enforcement_case, on),
        _missing_and_obstruction(data, enforcement_case),
        _applicant_heard(data, on),
        _confirmation(data),
    ]


def unmet(items: list[CheckItem]) -> list[CheckItem]:
    return [item for item in items if not item.met]


# ---- the reason analysis --------------------------------------------------------------------------------------


def _organisation_debtors(ec: EnforcementCase) -> list[int]:
    return list(
        ec.case.party_links.filter(role=PartyRole.DEBTOR, party__kind=PartyKind.ORGANISATION).values_list(
            "party_id", flat=True
        )
    )


def _owed(queryset) -> Decimal:
    money = DecimalField(max_digits=18, decimal_places=2)
    total = queryset.aggregate(
        owed=Coalesce(Sum(F("case__amount") - F("performed_amount"), output_field=money), Value(0, money))
    )["owed"]
    return round_fen(Decimal(total or 0))


def follow_up_for(enforcement_case: EnforcementCase, reason: str) -> tuple[str, list[str]]:
    """The suggested follow-up of a 终本 case and why:

    - a missing debtor → keep tracing the debtor;
    - property found that cannot be disposed of → try disposal again;
    - an organisation debtor with 2 or more 终本 cases (this one included), or with signs of insolvency (the
      debtor in 3 or more open enforcement cases, or owing across its enforcement cases 10 times or more the
      value of the property found) → consider 执转破 (解释 2022 arts. 511–514);
    - otherwise track the debtor and restore when property appears (终本规定 art. 9).
    """
    if reason == TerminationReason.DEBTOR_MISSING:
        return FollowUp.TRACE_DEBTOR, [_("The debtor is missing: keep searching and restore when found.")]
    if reason == TerminationReason.NOT_DISPOSABLE:
        return FollowUp.DISPOSE_AGAIN, [
            _("Property was found but could not be disposed of: try again when the market allows.")
        ]
    reasons: list[str] = []
    _found, value = property_found(termination_facts(enforcement_case))
    for party_id in _organisation_debtors(enforcement_case):
        as_debtor = EnforcementCase.objects.filter(
            case__party_links__party_id=party_id, case__party_links__role=PartyRole.DEBTOR
        ).distinct()
        terminated = as_debtor.filter(status=Status.CLOSED, closing_kind=ClosingKind.TERMINATED_THIS_ROUND)
        count = terminated.count() + (0 if terminated.filter(pk=enforcement_case.pk).exists() else 1)
        if count >= BANKRUPTCY_MIN_TERMINATED:
            reasons.append(_("The organisation debtor has %(count)d 终本 cases, this one included.") % {"count": count})
        open_cases = as_debtor.filter(status__in=OPEN_STATUSES).count()
        if open_cases >= BANKRUPTCY_MIN_OPEN_CASES:
            reasons.append(
                _("The organisation debtor is the debtor in %(count)d open enforcement cases.") % {"count": open_cases}
            )
        if value > 0:
            owed = _owed(
                as_debtor.filter(
                    Q(status__in=OPEN_STATUSES)
                    | Q(status=Status.CLOSED, closing_kind=ClosingKind.TERMINATED_THIS_ROUND)
                )
            )
            if owed >= BANKRUPTCY_DEBT_TO_PROPERTY * value:
                reasons.append(
                    _(
                        "The organisation debtor owes %(owed)s across its enforcement cases, %(times)s times or "
                        "more the value of the property found (%(value)s)."
                    )
                    % {"owed": owed, "times": BANKRUPTCY_DEBT_TO_PROPERTY, "value": value}
                )
    if reasons:
        return FollowUp.TRANSFER_TO_BANKRUPTCY, [
            *reasons,
            _("Consider transfer to bankruptcy (执转破, 解释 2022 art. 511)."),
        ]
    return FollowUp.RESTORE_WHEN_PROPERTY, [
        _("Track the debtor's property; the case is restored when property appears (终本规定 art. 9).")
    ]
