"""立案执行 (enforcement.services.enforcement_file): the checks on the application, the 2-year period of
民诉法 2023 art. 250 and its edges, and what a filing creates (case, parties, limit, deadline, carried measures,
timeline). Every refusal writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.choices import CaseType, DocumentKind, MeasureKind, MeasureStatus, PreservationKind, PropertyClass
from cases.models import PreservationApplication, PreservationMeasure
from core.exceptions import PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import Status
from enforcement.deadlines import add_years, application_last_day
from enforcement.models import StatusChange
from tests.enforcement.builders import TODAY, document, file_on, nothing_written, parties_of
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(doc, *, actor, code: str, **kwargs) -> RuleViolation:
    with nothing_written(), pytest.raises(RuleViolation) as caught:
        file_on(doc, actor=actor, **kwargs)
    assert caught.value.code == code
    return caught.value


# ---- what a filing creates ----------------------------------------------------------------------------------


def test_filing_creates_a_zhi_case_with_the_parties_in_their_enforcement_roles(clerk, court):
    doc = document(court)
    creditor, debtor = parties_of(doc)
    ec = file_on(doc, actor=clerk, filing_date=dt.date(2025, 3, 3))
    record = ec.case
    assert record.case_type == CaseType.ENFORCEMENT
    assert record.number == "（2025）京0105执1号"
    assert record.court == court
    assert record.cause == doc.case.cause
    assert [(link.role, link.party) for link in record.party_links.all()] == [
        ("creditor", creditor),
        ("debtor", debtor),
    ]
    assert ec.source_document == doc
    assert ec.status == Status.FILED


def test_the_amount_defaults_to_what_the_document_awards_principal_and_costs(clerk, court):
    ec = file_on(document(court, principal="100000.00", costs="2300.50"), actor=clerk)
    assert ec.case.amount == Decimal("102300.50")


def test_an_explicit_amount_is_taken(clerk, court):
    ec = file_on(document(court), actor=clerk, amount="88000.01")
    assert ec.case.amount == Decimal("88000.01")


def test_a_judgment_is_enforced_within_six_months_and_the_deadline_is_the_corresponding_day(clerk, court):
    ec = file_on(document(court), actor=clerk, filing_date=dt.date(2025, 3, 3))
    assert (ec.limit_months, ec.deadline_on) == (6, dt.date(2025, 9, 3))


def test_an_arbitral_award_is_non_litigation_enforcement_with_three_months(clerk, court):
    ec = file_on(document(court, kind=DocumentKind.ARBITRAL_AWARD), actor=clerk, filing_date=dt.date(2025, 8, 31))
    assert (ec.limit_months, ec.deadline_on) == (3, dt.date(2025, 11, 30))


def test_the_filing_starts_the_timeline_and_is_audited(clerk, court):
    ec = file_on(document(court), actor=clerk, filing_date=dt.date(2025, 3, 3))
    change = StatusChange.objects.get(enforcement_case=ec)
    assert (change.transition, change.from_status, change.to_status, change.actor) == ("file", "filed", "filed", clerk)
    assert change.details["application_last_day"] == "2027-01-20"
    entry = AuditLog.objects.get(action="enforcement.file")
    assert entry.object_id == str(ec.pk)
    assert entry.changes["limit_months"] == 6


def test_an_officer_cannot_file_an_enforcement_case(officer, court):
    doc = document(court)
    with nothing_written(), pytest.raises(PermissionDenied) as caught:
        file_on(doc, actor=officer)
    assert caught.value.code == "capability.enforcement.file"


# ---- refusals -----------------------------------------------------------------------------------------------


def test_a_document_not_yet_effective_is_refused(clerk, court):
    error = refused(document(court, effective_on=None), actor=clerk, code="enforcement_filing.document_not_effective")
    assert error.message == "The document has not taken effect yet: only an effective legal document can be enforced."


def test_a_document_effective_only_after_the_filing_date_is_refused(clerk, court):
    doc = document(court, effective_on=dt.date(2025, 3, 4))
    refused(doc, actor=clerk, filing_date=dt.date(2025, 3, 3), code="enforcement_filing.document_not_effective")


def test_a_document_already_fully_performed_is_refused(clerk, court):
    error = refused(
        document(court, fully_performed_on=dt.date(2025, 2, 1)),
        actor=clerk,
        code="enforcement_filing.document_performed",
    )
    assert error.message == (
        "The obligation under this document was fully performed on 2025-02-01: there is nothing to enforce."
    )


def test_an_applicant_who_is_not_an_obligee_is_refused(clerk, court):
    doc = document(court)
    stranger = PartyFactory()
    error = refused(doc, actor=clerk, applicant_ids=[stranger.pk], code="enforcement_filing.applicant_not_obligee")
    assert error.message == (
        f"Only an obligee of the document may apply for its enforcement; party {stranger.pk} is not one."
    )
    assert error.extra == {"parties": [stranger.pk]}


def test_a_respondent_who_is_not_an_obligor_is_refused(clerk, court):
    doc = document(court)
    creditor, _debtor = parties_of(doc)
    error = refused(doc, actor=clerk, respondent_ids=[creditor.pk], code="enforcement_filing.respondent_not_obligor")
    assert error.message == (
        f"Enforcement lies only against an obligor of the document; party {creditor.pk} is not one."
    )


def test_an_application_without_a_respondent_is_refused(clerk, court):
    refused(document(court), actor=clerk, respondent_ids=[], code="enforcement_filing.parties")


def test_filing_at_another_court_is_refused(clerk, court, other_court):
    error = refused(document(court), actor=clerk, court=other_court, code="enforcement_filing.court")
    assert error.extra == {}
    assert error.message == "You can file enforcement cases only at your own court."


# ---- the 2-year period (民诉法 2023 art. 250) ---------------------------------------------------------------------
# The period runs from the end of the performance period (the day itself not counted, 民法典 art. 201) and ends
# at the end of the corresponding day two years later (art. 202). 2026-01-20 is a Tuesday.


def test_an_application_on_the_anniversary_of_the_performance_deadline_is_in_time(clerk, court):
    doc = document(court, performance_deadline=dt.date(2024, 1, 20))
    ec = file_on(doc, actor=clerk, filing_date=dt.date(2026, 1, 20))
    assert ec.late_application_reason == ""


def test_an_application_the_day_after_the_anniversary_is_late_and_refused_naming_the_article(clerk, court):
    doc = document(court, performance_deadline=dt.date(2024, 1, 20))
    error = refused(doc, actor=clerk, filing_date=dt.date(2026, 1, 21), code="enforcement_filing.period_expired")
    assert error.message == (
        "The period for applying for enforcement ended on 2026-01-20 (2 years, 民诉法 2023 art. 250). "
        "Record the reason the period was interrupted or suspended to file it nevertheless."
    )
    assert error.extra == {"last_day": "2026-01-20"}


def test_a_late_application_with_a_recorded_reason_is_filed_and_the_reason_kept_and_audited(clerk, court):
    doc = document(court, performance_deadline=dt.date(2024, 1, 20))
    reason = "申请执行人于2026年12月向被执行人发送催款函，时效中断（民法典第195条）。"
    ec = file_on(doc, actor=clerk, filing_date=dt.date(2026, 1, 21), late_reason=f"  {reason} ")
    assert ec.late_application_reason == reason
    assert AuditLog.objects.get(action="enforcement.file").reason == reason
    assert StatusChange.objects.get(enforcement_case=ec).details["late_application_reason"] == reason


def test_a_reason_given_for_an_application_in_time_is_not_recorded_as_a_late_reason(clerk, court):
    ec = file_on(document(court), actor=clerk, filing_date=dt.date(2025, 3, 3), late_reason="不需要")
    assert ec.late_application_reason == ""


def test_with_instalments_the_period_runs_from_the_last_instalment(clerk, court):
    instalments = [(dt.date(2024, 3, 31), "50000"), (dt.date(2024, 9, 15), "52300")]
    dates = {"effective_on": dt.date(2024, 1, 5), "performance_deadline": dt.date(2024, 1, 20)}
    doc = document(court, instalments=instalments, **dates)
    assert doc.period_start() == dt.date(2024, 9, 15)
    file_on(doc, actor=clerk, filing_date=dt.date(2026, 9, 15))  # a Tuesday: the last day, in time
    late = document(court, instalments=instalments, **dates)
    refused(late, actor=clerk, filing_date=dt.date(2026, 9, 16), code="enforcement_filing.period_expired")


def test_without_a_performance_period_it_runs_from_the_effective_date(clerk, court):
    doc = document(court, effective_on=dt.date(2024, 4, 15), performance_deadline=None)
    assert application_last_day(doc.period_start()) == dt.date(2026, 4, 15)
    file_on(doc, actor=clerk, filing_date=dt.date(2026, 4, 15))
    refused(
        document(court, effective_on=dt.date(2024, 4, 15), performance_deadline=None),
        actor=clerk,
        filing_date=dt.date(2026, 4, 16),
        code="enforcement_filing.period_expired",
    )


def test_from_a_leap_day_the_period_ends_on_the_last_day_of_february():
    # 2026 has no 29 February: the period ends on the month's last day (民法典 art. 202) …
    assert add_years(dt.date(2024, 2, 29), 2) == dt.date(2026, 2, 28)
    # … which is a Saturday, so the last day to apply rolls over to Monday 2 March (art. 203).
    assert application_last_day(dt.date(2024, 2, 29)) == dt.date(2026, 3, 2)
    # From 28 February the corresponding day is 28 February, even in a leap year.
    assert application_last_day(dt.date(2026, 2, 28)) == dt.date(2028, 2, 28)


def test_a_leap_day_deadline_application_on_the_rolled_over_monday_is_in_time(clerk, court):
    doc = document(court, effective_on=dt.date(2024, 2, 20), performance_deadline=dt.date(2024, 2, 29))
    file_on(doc, actor=clerk, filing_date=dt.date(2026, 3, 2))
    doc2 = document(court, effective_on=dt.date(2024, 2, 20), performance_deadline=dt.date(2024, 2, 29))
    refused(doc2, actor=clerk, filing_date=dt.date(2026, 3, 3), code="enforcement_filing.period_expired")


def test_a_last_day_on_a_sunday_moves_to_the_monday():
    assert dt.date(2027, 3, 14).weekday() == 6
    assert application_last_day(dt.date(2025, 3, 14)) == dt.date(2027, 3, 15)


# ---- 保全转执行 ----------------------------------------------------------------------------------------------------


def _measure(doc, *, applicant, respondent, case=None, kind=PreservationKind.IN_SUIT, expires_on=None, **fields):
    application = PreservationApplication.objects.create(
        case=case or doc.case,
        kind=kind,
        applicant=applicant,
        respondent=respondent,
        amount=Decimal("50000"),
        applied_on=dt.date(2024, 9, 2),
        status="granted",
    )
    return PreservationMeasure.objects.create(
        application=application,
        kind=MeasureKind.FREEZE,
        property_class=PropertyClass.DEPOSIT,
        asset_description="工商银行账户 6222…0001",
        amount=Decimal("50000"),
        starts_on=TODAY - dt.timedelta(days=100),
        expires_on=expires_on or TODAY + dt.timedelta(days=200),
        **fields,
    )


def test_preservation_measures_in_force_against_the_respondent_carry_over_with_their_period(clerk, court):
    doc = document(
        court, performance_deadline=TODAY - dt.timedelta(days=30), effective_on=TODAY - dt.timedelta(days=40)
    )
    creditor, debtor = parties_of(doc)
    carried = _measure(doc, applicant=creditor, respondent=debtor)
    expired = _measure(doc, applicant=creditor, respondent=debtor, expires_on=TODAY - dt.timedelta(days=1))
    released = _measure(doc, applicant=creditor, respondent=debtor, status=MeasureStatus.RELEASED)
    other_debtor = _measure(doc, applicant=creditor, respondent=PartyFactory())
    ec = file_on(doc, actor=clerk)
    carried.refresh_from_db()
    assert carried.carried_into == ec.case
    assert carried.expires_on == TODAY + dt.timedelta(days=200)  # the period runs on unchanged
    for measure in (expired, released, other_debtor):
        measure.refresh_from_db()
        assert measure.carried_into is None
    assert StatusChange.objects.get(enforcement_case=ec).details["measures"] == [carried.pk]


def test_a_pre_suit_preservation_between_the_same_parties_carries_over(clerk, court):
    from tests.factories import CaseFactory

    doc = document(
        court, performance_deadline=TODAY - dt.timedelta(days=30), effective_on=TODAY - dt.timedelta(days=40)
    )
    creditor, debtor = parties_of(doc)
    review = CaseFactory(
        court=court, case_type=CaseType.PRESERVATION_REVIEW, parties=[("applicant", creditor), ("respondent", debtor)]
    )
    measure = _measure(doc, applicant=creditor, respondent=debtor, case=review, kind=PreservationKind.PRE_SUIT)
    ec = file_on(doc, actor=clerk)
    measure.refresh_from_db()
    assert measure.carried_into == ec.case


def test_a_superuser_files_at_any_court(court, other_court):
    root = UserFactory(superuser=True, username="root")
    ec = file_on(document(court), actor=root, court=other_court)
    assert ec.case.court == other_court
