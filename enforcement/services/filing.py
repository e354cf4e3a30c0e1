"""立案执行: the creditor's application on an effective legal document becomes a 执 case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import CaseType, PartyRole, PreservationKind, PreservationStatus
from cases.models import EffectiveDocument, PreservationMeasure
from core.access import require_capability
from core.audit import audit_record
from core.exceptions import RuleViolation
from core.models import Court, User

from ..choices import Status
from ..deadlines import application_last_day, compute_deadline, limit_months_for
from ..models import EnforcementCase
from .lifecycle import OPEN_MEASURES, carry_over_measures, record_status_change


def _ids(values: Iterable[int]) -> list[int]:
    seen: list[int] = []
    for value in values or []:
        if int(value) not in seen:
            seen.append(int(value))
    return seen


def measures_to_carry_over(
    *, document: EffectiveDocument, applicant_ids: list[int], respondent_ids: list[int]
) -> list[PreservationMeasure]:
    """The preservation measures that pass into the enforcement case (解释 2022 art. 168): granted on the
    source case — or before suit (诉前保全, its own 财保 case) — for one of these applicants against one of
    these respondents, still in force today (an unrenewed measure past its expiry has lapsed, 查封规定 art. 27,
    whatever its recorded status), and not carried into another case yet. A measure protecting a co-plaintiff
    who does not apply stays where it is."""
    on_source_case = Q(application__case=document.case_id)
    before_suit = Q(application__kind=PreservationKind.PRE_SUIT)
    return list(
        PreservationMeasure.objects.filter(
            on_source_case | before_suit,
            application__status=PreservationStatus.GRANTED,
            application__applicant_id__in=applicant_ids,
            application__respondent_id__in=respondent_ids,
            status__in=OPEN_MEASURES,
            expires_on__gte=timezone.localdate(),
            carried_into__isnull=True,
        ).order_by("starts_on", "id")
    )


def _refuse(message: str, code: str, **extra) -> RuleViolation:
    return RuleViolation(message, code=code, extra=extra)


def _check_application(
    *,
    actor: User,
    document: EffectiveDocument,
    court: Court,
    applicant_ids: list[int],
    respondent_ids: list[int],
    filing_date: dt.date,
    late_reason: str,
) -> dt.date:
    """Every rule of an enforcement application; returns the last day of the application period."""
    if not actor.is_superuser and (court is None or court.pk != actor.court_id):
        raise _refuse(_("You can file enforcement cases only at your own court."), "enforcement_filing.court")
    if document.effective_on is None or document.effective_on > filing_date:
        raise _refuse(
            _("The document has not taken effect yet: only an effective legal document can be enforced."),
            "enforcement_filing.document_not_effective",
        )
    if document.fully_performed_on is not None:
        raise _refuse(
            _("The obligation under this document was fully performed on %(day)s: there is nothing to enforce.")
            % {"day": document.fully_performed_on.isoformat()},
            "enforcement_filing.document_performed",
        )
    if not applicant_ids or not respondent_ids:
        raise _refuse(
            _("An application names at least one applicant and one respondent."), "enforcement_filing.parties"
        )
    obligees = set(document.obligees.values_list("pk", flat=True))
    obligors = set(document.obligors.values_list("pk", flat=True))
    if strangers := [pk for pk in applicant_ids if pk not in obligees]:
        raise _refuse(
            _("Only an obligee of the document may apply for its enforcement; party %(ids)s is not one.")
            % {"ids": ", ".join(map(str, strangers))},
            "enforcement_filing.applicant_not_obligee",
            parties=strangers,
        )
    if strangers := [pk for pk in respondent_ids if pk not in obligors]:
        raise _refuse(
            _("Enforcement lies only against an obligor of the document; party %(ids)s is not one.")
            % {"ids": ", ".join(map(str, strangers))},
            "enforcement_filing.respondent_not_obligor",
            parties=strangers,
        )
    last_day = application_last_day(document.period_start())
    if filing_date > last_day and not late_reason:
        raise _refuse(
            _(
                "The period for applying for enforcement ended on %(day)s (2 years, 民诉法 2023 art. 250). "
                "Record the reason the period was interrupted or suspended to file it nevertheless."
            )
            % {"day": last_day.isoformat()},
            "enforcement_filing.period_expired",
            last_day=last_day.isoformat(),
        )
    return last_day


@transaction.atomic
def enforcement_file(
    *,
    actor: User,
    document: EffectiveDocument,
    court: Court,
    applicant_ids: Iterable[int],
    respondent_ids: Iterable[int],
    filing_date: dt.date,
    amount: Decimal | str | None = None,
    late_reason: str = "",
) -> EnforcementCase:
    """File an enforcement case (执) on ``document`` for the applicants against the respondents.

    Refuses, writing nothing, when the document is not effective on ``filing_date`` or already fully
    performed; when an applicant is not an obligee or a respondent not an obligor of the document; when the
    2-year application period (民诉法 2023 art. 250, see ``deadlines.application_last_day``) has run out and
    no ``late_reason`` (interruption or suspension of the period, art. 250 para. 1) is recorded; when
    ``court`` is not the actor's.

    Then files the 执 case through ``cases.services.case_file`` (applicants as 申请执行人, respondents as
    被执行人, the amount by default what the document awards), creates the enforcement case with its time
    limit (3 months for non-litigation enforcement, else 6; 法释〔2000〕29号 art. 5) and deadline, carries the
    preservation measures over (解释 2022 art. 168), and starts the timeline with a "file" row.
    """
    from cases.services import PartyInput, case_file

    require_capability(actor, "enforcement.file")
    applicant_ids, respondent_ids = _ids(applicant_ids), _ids(respondent_ids)
    late_reason = (late_reason or "").strip()
    last_day = _check_application(
        actor=actor,
        document=document,
        court=court,
        applicant_ids=applicant_ids,
        respondent_ids=respondent_ids,
        filing_date=filing_date,
        late_reason=late_reason,
    )
    late = filing_date > last_day
    parties = [PartyInput(role=PartyRole.CREDITOR, party_id=pk) for pk in applicant_ids] + [
        PartyInput(role=PartyRole.DEBTOR, party_id=pk) for pk in respondent_ids
    ]
    record = case_file(
        actor=actor,
        court=court,
        case_type=CaseType.ENFORCEMENT,
        filing_date=filing_date,
        amount=document.amount_due if amount in (None, "") else amount,
        cause=document.case.cause,
        parties=parties,
        summary=_("Enforcement of %(document)s") % {"document": document},
    )
    limit_months = limit_months_for(non_litigation=document.is_non_litigation)
    enforcement_case = EnforcementCase(
        case=record,
        source_document=document,
        late_application_reason=late_reason if late else "",
        limit_months=limit_months,
        deadline_on=compute_deadline(filing_date=filing_date, limit_months=limit_months),
    )
    enforcement_case.full_clean(exclude=["status"])  # protected: only transitions set it
    enforcement_case.save()
    measures = measures_to_carry_over(document=document, applicant_ids=applicant_ids, respondent_ids=respondent_ids)
    carried = carry_over_measures(actor=actor, measures=measures, case_record=record)
    details = {
        "document": document.pk,
        "application_last_day": last_day,
        "limit_months": limit_months,
        "measures": [m.pk for m in carried],
    }
    if late:
        details["late_application_reason"] = late_reason
    record_status_change(
        actor=actor,
        enforcement_case=enforcement_case,
        transition="file",
        from_status=Status.FILED,
        to_status=Status.FILED,
        reason=late_reason if late else "",
        details=details,
    )
    audit_record(
        actor=actor,
        action="enforcement.file",
        obj=enforcement_case,
        reason=late_reason if late else "",
        changes={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in details.items()},
    )
    return enforcement_case
