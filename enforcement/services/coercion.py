"""Writes of the coercive measures against obstruction of enforcement (民诉法 2023 arts. 114–120, 255) and of
the search for a missing debtor (查人).

A measure is proposed by an officer (``coercion_propose``) within the statutory caps of art. 118: a natural
person is fined up to 100,000 yuan, an organisation 50,000 to 1,000,000 yuan; detention is 1 to 15 days and
only of a natural person — for an organisation, of its principal or the person directly responsible, who must
be named. A search names the place. The president (capability ``enforcement.approve_coercion``; never the
proposer) approves or refuses it (``coercion_decide``, art. 119; for a search, the warrant of art. 255); the
approval numbers the decision and generates it (.docx: 罚款决定书 / 拘留决定书 / 搜查令).

Order numbers: the case number with a serial suffix, as courts number the documents of a case — the first
decision of （2026）京0105执1234号 is （2026）京0105执1234号之一, the next 之二, and so on (counted over the
case's numbered measures). The president may give another number; it must be unused.

Execution (``coercion_execute``) needs an approved measure: a search without its approved warrant is refused
(``coercion.search_without_order``). Detention of ``days`` executed on D ends on D + days − 1 (``ends_on``,
the last day in custody). ``coercion_release`` records the release: on ``ends_on`` (the term served), or
earlier with a reason (解释 2022 art. 182: early release after repentance — the reason should record the
president's approval); never before execution nor after ``ends_on`` (nobody is held past the term: a release
recorded late is recorded on its real day, which cannot be after the end).

``detention_ends_notify`` (the daily job) tells the case officer of each detention whose end has come and whose
release is not recorded — once per measure per day.

Every refusal names its rule and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyKind, PartyRole
from cases.models import Notification, Party
from core.access import require_capability
from core.audit import audit_record
from core.exceptions import Conflict, InvalidInput, RuleViolation
from core.models import User
from core.money import parse_amount
from core.signing import document_sign

from ..choices import CoerciveKind, CoerciveStatus, ObstructionGround, SearchStatus, Status
from ..models import CoerciveMeasure, DebtorSearch, EnforcementCase
from .lifecycle import lock_case

# 民诉法 2023 art. 118
FINE_PERSON_MAX = Decimal("100000.00")
FINE_ORGANISATION_MIN = Decimal("50000.00")
FINE_ORGANISATION_MAX = Decimal("1000000.00")
DETENTION_MAX_DAYS = 15
DETENTION_NOTICE_KIND = "coercion.detention_ends"
ATTEMPT_KINDS = {
    "address": "address visited",
    "agency": "agency asked",
    "relatives": "relatives asked",
    "other": "other",
}
_NUMERALS = "零一二三四五六七八九"


def chinese_serial(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (up to 99; beyond, the digits)."""
    if n < 10:
        return _NUMERALS[n]
    if n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")


def _today() -> dt.date:
    return timezone.localdate()


def _case_party(
    case: EnforcementCase, party, *, field: str, debtor_only: bool = False, code: str = "coercion.invalid"
) -> Party:
    links = case.case.party_links.all()
    if debtor_only:
        links = links.filter(role=PartyRole.DEBTOR)
    party_id = getattr(party, "pk", party)
    if party_id in (None, "") or not links.filter(party_id=party_id).exists():
        message = _("Choose a debtor of this case.") if debtor_only else _("Choose a party of this case.")
        raise InvalidInput({field: [message]}, code=code)
    return Party.objects.get(pk=party_id)


def _date(value, field: str, code: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise InvalidInput({field: [_("Enter a date.")]}, code=code)
    if value > _today():
        raise InvalidInput({field: [_("The date cannot be in the future.")]}, code=code)
    return value


# ---- coercive measures ------------------------------------------------------------------------------------------


def _check_fine(amount, subject: Party) -> Decimal:
    try:
        amount = parse_amount(amount)  # exact, at most two decimals: a cap is not met by rounding
    except ValidationError as exc:
        raise InvalidInput({"amount": [_("Enter the amount of the fine.")]}, code="coercion.invalid") from exc
    if amount <= 0:
        raise InvalidInput({"amount": [_("The fine must be greater than zero.")]}, code="coercion.invalid")
    if subject.kind == PartyKind.ORGANISATION:
        if not FINE_ORGANISATION_MIN <= amount <= FINE_ORGANISATION_MAX:
            raise RuleViolation(
                _(
                    "An organisation is fined from 50,000 to 1,000,000 yuan (民诉法 2023 art. 118); "
                    "%(amount)s is outside that range."
                )
                % {"amount": amount},
                code="coercion.fine_cap",
            )
    elif amount > FINE_PERSON_MAX:
        raise RuleViolation(
            _("A natural person is fined at most 100,000 yuan (民诉法 2023 art. 118); %(amount)s is over it.")
            % {"amount": amount},
            code="coercion.fine_cap",
        )
    return amount


def _check_days(days) -> int:
    try:
        days = int(days)
    except (TypeError, ValueError) as exc:
        raise InvalidInput({"days": [_("Enter the days of detention.")]}, code="coercion.invalid") from exc
    if not 1 <= days <= DETENTION_MAX_DAYS:
        raise RuleViolation(
            _("Detention lasts from 1 to 15 days (民诉法 2023 art. 118); %(days)s days is outside that range.")
            % {"days": days},
            code="coercion.detention_cap",
        )
    return days


@transaction.atomic
def coercion_propose(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    kind: str,
    subject,
    ground: str,
    facts: str,
    amount=None,
    days=None,
    search_place: str = "",
    responsible_person: str = "",
) -> CoerciveMeasure:
    """Propose a fine, a detention or a search against ``subject`` (a party of the case) on ``ground``.

    Refused, nothing written: ``coercion.case_closed``; ``coercion.invalid`` (kind, ground, facts, party);
    ``coercion.fine_cap`` (art. 118); ``coercion.detention_cap`` (1–15 days, art. 118);
    ``coercion.responsible_person`` (detention of an organisation names the person detained);
    ``coercion.search_place`` (a search names the place)."""
    require_capability(actor, "enforcement.coercion")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    if case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed."), code="coercion.case_closed")
    errors: dict[str, list[str]] = {}
    if kind not in CoerciveKind.values:
        errors["kind"] = [_("Choose a fine, detention or a search.")]
    if ground not in ObstructionGround.values:
        errors["ground"] = [_("Choose the ground (民诉法 2023 arts. 114–117).")]
    facts = (facts or "").strip()
    if not facts:
        errors["facts"] = [_("State the facts of the obstruction.")]
    if errors:
        raise InvalidInput(errors, code="coercion.invalid")
    subject = _case_party(case, subject, field="subject")
    responsible_person = (responsible_person or "").strip()
    search_place = (search_place or "").strip()
    fine, term = None, None
    if kind == CoerciveKind.FINE:
        fine = _check_fine(amount, subject)
    elif kind == CoerciveKind.DETENTION:
        term = _check_days(days)
        if subject.kind == PartyKind.ORGANISATION and not responsible_person:
            raise RuleViolation(
                _(
                    "Only a natural person is detained: for an organisation, name its principal or the person "
                    "directly responsible (民诉法 2023 art. 118)."
                ),
                code="coercion.responsible_person",
            )
    elif not search_place:
        raise InvalidInput(
            {"search_place": [_("A search names the place to search (民诉法 2023 art. 255).")]},
            code="coercion.search_place",
        )
    measure = CoerciveMeasure(
        enforcement_case=case,
        kind=kind,
        subject=subject,
        responsible_person=responsible_person if subject.kind == PartyKind.ORGANISATION else "",
        ground=ground,
        facts=facts,
        amount=fine,
        days=term,
        search_place=search_place if kind == CoerciveKind.SEARCH else "",
        status=CoerciveStatus.PROPOSED,
        proposed_by=actor,
    )
    measure.full_clean()
    measure.save()
    audit_record(
        actor=actor,
        action="enforcement.coercion_propose",
        obj=case,
        changes={
            "measure": measure.pk,
            "kind": kind,
            "subject": subject.pk,
            "amount": str(fine) if fine is not None else None,
            "days": term,
        },
    )
    return measure


def _lock_measure(measure: CoerciveMeasure) -> CoerciveMeasure:
    return CoerciveMeasure.objects.select_for_update().select_related("subject").get(pk=measure.pk)


def next_order_number(case: EnforcementCase) -> str:
    numbered = CoerciveMeasure.objects.filter(enforcement_case=case).exclude(order_number="").count()
    serial = numbered + 1
    while True:
        number = f"{case.case.number}之{chinese_serial(serial)}"
        if not CoerciveMeasure.objects.filter(order_number=number).exists():
            return number
        serial += 1


@transaction.atomic
def coercion_decide(
    *,
    actor: User,
    measure: CoerciveMeasure,
    approve: bool,
    on: dt.date | None = None,
    order_number: str | None = None,
    note: str = "",
) -> CoerciveMeasure:
    """The president approves or refuses a proposed measure (民诉法 2023 art. 119; a search warrant, art. 255).
    Approval numbers the decision (``order_number`` or the next 之N of the case) and generates it (.docx).

    Refused, nothing written: ``coercion.decided`` (not waiting); ``coercion.self_approval`` (the proposer);
    ``coercion.invalid`` (a refusal without a note); ``coercion.order_number_taken``."""
    require_capability(actor, "enforcement.approve_coercion")
    case = lock_case(actor=actor, enforcement_case=measure.enforcement_case)
    measure = _lock_measure(measure)
    if measure.status != CoerciveStatus.PROPOSED:
        raise RuleViolation(_("This measure is not waiting for a decision."), code="coercion.decided")
    if measure.proposed_by_id == actor.pk:
        raise RuleViolation(
            _("A coercive measure is approved by the president, never by the one who proposed it (art. 119)."),
            code="coercion.self_approval",
        )
    on = _date(on or _today(), "on", "coercion.invalid")
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput({"note": [_("Say why the measure is refused.")]}, code="coercion.invalid")
    measure.approved_by = actor
    measure.approved_at = timezone.now()
    if approve:
        number = (order_number or "").strip() or next_order_number(case)
        if CoerciveMeasure.objects.filter(order_number=number).exclude(pk=measure.pk).exists():
            raise Conflict(_("This decision number is already used."), code="coercion.order_number_taken")
        measure.order_number = number
        measure.status = CoerciveStatus.APPROVED
        measure.enforcement_case = case
        from ..documents_coercion import TITLES, coercion_decision_docx

        content = coercion_decision_docx(measure=measure, decided_on=on)
        content = document_sign(court=case.case.court, content=content, title=TITLES[measure.kind], reference=number)
        measure.document.save(f"{TITLES[measure.kind]}-{number}.docx", ContentFile(content), save=False)
    else:
        measure.status = CoerciveStatus.REFUSED
        measure.outcome = note
    measure.full_clean()
    measure.save()
    audit_record(
        actor=actor,
        action="enforcement.coercion_decide",
        obj=case,
        reason=note,
        changes={"measure": measure.pk, "approved": bool(approve), "order_number": measure.order_number},
    )
    return measure


@transaction.atomic
def coercion_execute(
    *, actor: User, measure: CoerciveMeasure, executed_on: dt.date, outcome: str = ""
) -> CoerciveMeasure:
    """Record the execution of an approved measure (the fine paid or enforced, the person taken into custody, the
    search made). Detention sets ``ends_on`` = ``executed_on`` + days − 1.

    Refused, nothing written: ``coercion.search_without_order`` (a search whose warrant is not approved);
    ``coercion.not_approved``; ``coercion.invalid`` (a date in the future or before the approval)."""
    require_capability(actor, "enforcement.coercion")
    case = lock_case(actor=actor, enforcement_case=measure.enforcement_case)
    measure = _lock_measure(measure)
    if measure.status != CoerciveStatus.APPROVED:
        if measure.kind == CoerciveKind.SEARCH and measure.status in (CoerciveStatus.PROPOSED, CoerciveStatus.REFUSED):
            raise RuleViolation(
                _("No search without a warrant signed by the president (民诉法 2023 art. 255)."),
                code="coercion.search_without_order",
            )
        if measure.status == CoerciveStatus.EXECUTED:
            raise RuleViolation(_("This measure has already been executed."), code="coercion.executed")
        raise RuleViolation(
            _("A fine or detention is executed only once the president approved it (民诉法 2023 art. 119)."),
            code="coercion.not_approved",
        )
    executed_on = _date(executed_on, "executed_on", "coercion.invalid")
    approved_on = timezone.localtime(measure.approved_at).date() if measure.approved_at else None
    if approved_on and executed_on < approved_on:
        raise InvalidInput(
            {"executed_on": [_("A measure is executed after it was approved.")]}, code="coercion.invalid"
        )
    measure.status = CoerciveStatus.EXECUTED
    measure.executed_on = executed_on
    measure.outcome = (outcome or "").strip()
    if measure.kind == CoerciveKind.DETENTION:
        measure.ends_on = executed_on + dt.timedelta(days=measure.days - 1)
    measure.full_clean()
    measure.save()
    audit_record(
        actor=actor,
        action="enforcement.coercion_execute",
        obj=case,
        changes={
            "measure": measure.pk,
            "executed_on": executed_on.isoformat(),
            "ends_on": measure.ends_on.isoformat() if measure.ends_on else None,
        },
    )
    return measure


@transaction.atomic
def coercion_release(
    *, actor: User, measure: CoerciveMeasure, released_on: dt.date, reason: str = ""
) -> CoerciveMeasure:
    """Record the release of a detained person: on ``ends_on`` (term served) or earlier with a reason (解释 2022
    art. 182). Refused, nothing written: ``coercion.not_detained`` (not an executed detention, or already
    released); ``coercion.release_after_end`` (after ``ends_on``); ``coercion.early_release_reason``;
    ``coercion.invalid`` (before the execution, or in the future)."""
    require_capability(actor, "enforcement.coercion")
    case = lock_case(actor=actor, enforcement_case=measure.enforcement_case)
    measure = _lock_measure(measure)
    if (
        measure.kind != CoerciveKind.DETENTION
        or measure.status != CoerciveStatus.EXECUTED
        or measure.released_on is not None
    ):
        raise RuleViolation(_("Only a person in detention is released."), code="coercion.not_detained")
    released_on = _date(released_on, "released_on", "coercion.invalid")
    if released_on < measure.executed_on:
        raise InvalidInput(
            {"released_on": [_("The release cannot come before the detention began.")]}, code="coercion.invalid"
        )
    if released_on > measure.ends_on:
        raise RuleViolation(
            _("Detention ended on %(end)s: nobody is held past the term (民诉法 2023 art. 118); record the real day.")
            % {"end": measure.ends_on.isoformat()},
            code="coercion.release_after_end",
        )
    reason = (reason or "").strip()
    if released_on < measure.ends_on and not reason:
        raise InvalidInput(
            {"reason": [_("An early release states its reason and the president's approval (解释 2022 art. 182).")]},
            code="coercion.early_release_reason",
        )
    measure.released_on = released_on
    if reason:
        measure.outcome = f"{measure.outcome}\n{_('Released early')}: {reason}".strip()
    measure.full_clean()
    measure.save()
    audit_record(
        actor=actor,
        action="enforcement.coercion_release",
        obj=case,
        reason=reason,
        changes={"measure": measure.pk, "released_on": released_on.isoformat(), "early": released_on < measure.ends_on},
    )
    return measure


def detention_ends_notify(*, today: dt.date | None = None, limit: int = 5000) -> int:
    """The daily job: tell the case officer of every executed detention whose end (``ends_on``) is today or past
    and whose release is not recorded — once per measure per day (the notification's reference
    ``coercion:<pk>:<day>``). Returns how many were sent. Safe to run twice."""
    from cases.services import notify_user

    today = today or _today()
    due = (
        CoerciveMeasure.objects.filter(
            kind=CoerciveKind.DETENTION,
            status=CoerciveStatus.EXECUTED,
            released_on__isnull=True,
            ends_on__lte=today,
            enforcement_case__officer__isnull=False,
        )
        .select_related("enforcement_case__case", "enforcement_case__officer", "subject")
        .order_by("ends_on", "id")[:limit]
    )
    sent = 0
    for measure in due:
        reference = f"coercion:{measure.pk}:{today.isoformat()}"
        with transaction.atomic():
            if Notification.objects.filter(kind=DETENTION_NOTICE_KIND, reference=reference).exists():
                continue
            ec = measure.enforcement_case
            person = measure.responsible_person or measure.subject.name
            notification = notify_user(
                user=ec.officer,
                case=ec.case,
                kind=DETENTION_NOTICE_KIND,
                subject=_("Detention ends: %(person)s (%(number)s)") % {"person": person, "number": ec.case.number},
                body=_(
                    "The detention of %(person)s (%(order)s) ends on %(end)s: release the person and record the "
                    "release."
                )
                % {"person": person, "order": measure.order_number, "end": measure.ends_on.isoformat()},
                link=reverse("enforcement:detail", args=[ec.pk]),
            )
            notification.reference = reference
            notification.save(update_fields=["reference"])
            sent += 1
    return sent


# ---- the search for a missing debtor (查人) -----------------------------------------------------------------------


def _lock_search(search: DebtorSearch) -> DebtorSearch:
    return DebtorSearch.objects.select_for_update().select_related("debtor").get(pk=search.pk)


@transaction.atomic
def debtor_search_start(*, actor: User, enforcement_case: EnforcementCase, debtor, on: dt.date) -> DebtorSearch:
    """Open the search for a debtor of the case whose whereabouts are unknown. Refused: ``debtor_search.open``
    (one open search per debtor and case), ``debtor_search.case_closed``, ``debtor_search.invalid``."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    if case.status == Status.CLOSED:
        raise RuleViolation(_("The case is closed."), code="debtor_search.case_closed")
    debtor = _case_party(case, debtor, field="debtor", debtor_only=True, code="debtor_search.invalid")
    on = _date(on, "on", "debtor_search.invalid")
    if DebtorSearch.objects.filter(enforcement_case=case, debtor=debtor, status=SearchStatus.SEARCHING).exists():
        raise Conflict(_("This debtor is already being searched for on this case."), code="debtor_search.open")
    search = DebtorSearch(enforcement_case=case, debtor=debtor, started_on=on, started_by=actor, attempts=[])
    search.full_clean()
    search.save()
    audit_record(
        actor=actor,
        action="enforcement.debtor_search_start",
        obj=case,
        changes={"search": search.pk, "debtor": debtor.pk},
    )
    return search


@transaction.atomic
def debtor_search_attempt(
    *, actor: User, search: DebtorSearch, on: dt.date, kind: str, where: str, result: str
) -> DebtorSearch:
    """Record one attempt (an address visited, an agency asked, relatives asked, other) and its result."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=search.enforcement_case)
    search = _lock_search(search)
    if search.status != SearchStatus.SEARCHING:
        raise RuleViolation(_("This search is closed."), code="debtor_search.closed")
    errors: dict[str, list[str]] = {}
    if kind not in ATTEMPT_KINDS:
        errors["kind"] = [_("Choose what was tried: an address, an agency, relatives or other.")]
    where, result = (where or "").strip(), (result or "").strip()
    if not where:
        errors["where"] = [_("Say where or whom.")]
    if not result:
        errors["result"] = [_("Record the result.")]
    if errors:
        raise InvalidInput(errors, code="debtor_search.invalid")
    on = _date(on, "on", "debtor_search.invalid")
    if on < search.started_on:
        raise InvalidInput({"on": [_("The attempt cannot precede the search.")]}, code="debtor_search.invalid")
    entry = {"on": on.isoformat(), "kind": kind, "where": where[:200], "result": result[:1000], "by": actor.pk}
    search.attempts = [*search.attempts, entry]
    search.full_clean()
    search.save(update_fields=["attempts"])
    audit_record(
        actor=actor,
        action="enforcement.debtor_search_attempt",
        obj=case,
        changes={"search": search.pk, "attempt": len(search.attempts), "kind": kind},
    )
    return search


@transaction.atomic
def debtor_search_close(*, actor: User, search: DebtorSearch, found: bool, on: dt.date, result: str) -> DebtorSearch:
    """Close the search: the debtor found (``found_on``), or closed without finding; the result is recorded."""
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=search.enforcement_case)
    search = _lock_search(search)
    if search.status != SearchStatus.SEARCHING:
        raise RuleViolation(_("This search is closed."), code="debtor_search.closed")
    result = (result or "").strip()
    if not result:
        raise InvalidInput({"result": [_("Record the result.")]}, code="debtor_search.invalid")
    on = _date(on, "on", "debtor_search.invalid")
    if on < search.started_on:
        raise InvalidInput({"on": [_("The search cannot close before it started.")]}, code="debtor_search.invalid")
    search.status = SearchStatus.FOUND if found else SearchStatus.CLOSED
    search.found_on = on if found else None
    search.result = result
    search.full_clean()
    search.save()
    audit_record(
        actor=actor,
        action="enforcement.debtor_search_close",
        obj=case,
        changes={"search": search.pk, "found": bool(found), "on": on.isoformat()},
    )
    return search


def can_ask_exit_restriction(search: DebtorSearch) -> bool:
    """Exit restriction (限制出境) can be asked for from a search with at least one attempt."""
    return bool(search.attempts)
