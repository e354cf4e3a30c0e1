"""Correction requests (纠正申请, 失信规定 arts. 11–12): filed by the listed person (identity checked, no leak)
or by staff; reviewed within 15 days; corrected within 3 working days when upheld (across a public holiday);
reconsideration asked within 10 days of service and decided within 15 days; nothing written on refusal."""

import datetime as dt

import pytest

from core.exceptions import InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog, CalendarDay
from credit.choices import CorrectionGround, CorrectionStatus, FeedEventKind, ListingStatus, RemovalEvent
from credit.models import FeedEvent
from credit.services.corrections import (
    NOT_FOUND_PUBLIC,
    correction_decide,
    correction_file,
    correction_list,
    correction_mark_corrected,
    correction_reconsideration_asked,
    correction_reconsideration_decided,
    correction_rejection_served,
    listing_for_public_correction,
)
from tests.credit.feed_builders import listing_of, nothing_written
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILED = dt.date(2025, 9, 25)  # a Thursday, before the National Day holiday


@pytest.fixture
def listing(court):
    return listing_of(court, listed_on=dt.date(2025, 6, 1))


@pytest.fixture
def reviewer(division_head):
    return division_head


@pytest.fixture
def national_day(db):
    """国庆节 2025: 1–8 October off, with the make-up working days 28 September and 11 October."""
    for day in range(1, 9):
        CalendarDay.objects.create(date=dt.date(2025, 10, day), working=False, note="国庆节")
    CalendarDay.objects.create(date=dt.date(2025, 9, 28), working=True, note="调休上班")
    CalendarDay.objects.create(date=dt.date(2025, 10, 11), working=True, note="调休上班")


def public_file(listing, **overrides):
    fields = {
        "listing": listing,
        "applicant_name": listing.debtor.name,
        "applicant_id_number": listing.debtor.id_number,
        "contact": "13800000000",
        "ground": CorrectionGround.SHOULD_BE_DELETED,
        "statement": "已全部履行。",
        "on": FILED,
    }
    fields.update(overrides)
    return correction_file(**fields)


def rejected(listing, reviewer, *, on=FILED + dt.timedelta(days=5)):
    request = public_file(listing)
    return correction_decide(actor=reviewer, request=request, uphold=False, note="理由不成立。", on=on)


# ---- filing ------------------------------------------------------------------------------------------------


def test_the_listed_person_files_and_the_review_is_due_in_15_days(listing):
    request = public_file(listing)
    assert request.status == CorrectionStatus.PENDING
    assert request.review_due_on == dt.date(2025, 10, 10)
    assert request.filed_by is None
    audit = AuditLog.objects.get(action="credit.correction_file")
    assert audit.changes["channel"] == "public"
    assert audit.changes["review_due_on"] == "2025-10-10"


def test_a_lower_case_check_letter_and_spaces_still_match(court):
    debtor = listing_of(court).debtor
    debtor.id_number = debtor.id_number[:-1] + "X"
    debtor.save()
    request = public_file(debtor.dishonest_listings.get(), applicant_id_number=debtor.id_number.lower() + " ")
    assert request.applicant_id_number == debtor.id_number


@pytest.mark.parametrize(
    "wrong",
    [{"applicant_name": "张三"}, {"applicant_id_number": "110105199001011237"}],
)
def test_a_public_filing_with_the_wrong_identity_is_not_found_and_writes_nothing(listing, wrong):
    with nothing_written(), pytest.raises(NotFound) as refused:
        public_file(listing, **wrong)
    assert refused.value.message == str(NOT_FOUND_PUBLIC)
    assert refused.value.code == "correction.entry_not_found"


def test_the_public_lookup_answers_alike_for_an_unknown_case_and_a_wrong_identity(listing):
    number = listing.enforcement_case.case.number
    found = listing_for_public_correction(
        case_number=f" {number} ", name=listing.debtor.name, id_number=listing.debtor.id_number
    )
    assert found == listing
    refusals = []
    for case_number, name in (("(2025)京0105执99999号", listing.debtor.name), (number, "张三")):
        with pytest.raises(NotFound) as refused:
            listing_for_public_correction(case_number=case_number, name=name, id_number=listing.debtor.id_number)
        refusals.append((refused.value.message, refused.value.code))
    assert refusals[0] == refusals[1]


def test_an_entry_no_longer_listed_is_not_found_publicly_and_refused_to_staff(court, clerk):
    removed = listing_of(court, status=ListingStatus.REMOVED)
    with nothing_written(), pytest.raises(NotFound):
        public_file(removed)
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        public_file(removed, actor=clerk)
    assert refused.value.code == "correction.not_listed"


def test_staff_record_a_written_application_of_their_court_only(listing, clerk, other_clerk):
    request = public_file(
        listing, actor=clerk, applicant_name="代理人 李律师", applicant_id_number="110105198001010012"
    )
    assert request.filed_by == clerk
    assert AuditLog.objects.get(action="credit.correction_file").changes["channel"] == "staff"
    another = listing_of(listing.enforcement_case.case.court)
    with nothing_written(), pytest.raises(NotFound):
        public_file(another, actor=other_clerk)


def test_a_second_request_while_one_is_open_is_refused(listing):
    public_file(listing)
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        public_file(listing)
    assert refused.value.code == "correction.already_open"
    assert (
        refused.value.message
        == "A correction request on this entry is already being handled; the court answers it first."
    )


def test_a_filing_without_a_statement_is_refused(listing):
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        public_file(listing, statement="  ")
    assert refused.value.fields == {"statement": ["Say what is wrong and why."]}


# ---- review and correction ---------------------------------------------------------------------------------


def test_upheld_the_entry_is_corrected_within_3_working_days_across_the_holiday(listing, reviewer, national_day):
    request = public_file(listing)
    upheld = correction_decide(actor=reviewer, request=request, uphold=True, on=dt.date(2025, 9, 30))
    assert upheld.status == CorrectionStatus.UPHELD
    # 1–8 October are holidays: 9 (Thu), 10 (Fri) and the make-up Saturday 11 October
    assert upheld.correct_due_on == dt.date(2025, 10, 11)


def test_without_holidays_the_3_working_days_skip_only_the_weekend(listing, reviewer):
    request = public_file(listing)
    upheld = correction_decide(actor=reviewer, request=request, uphold=True, on=dt.date(2025, 9, 26))  # a Friday
    assert upheld.correct_due_on == dt.date(2025, 10, 1)


def test_a_rejection_needs_its_reasons(listing, reviewer):
    request = public_file(listing)
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        correction_decide(actor=reviewer, request=request, uphold=False, note="", on=FILED)
    assert refused.value.code == "correction.note_required"


def test_a_decision_after_the_15_days_is_taken_and_flagged_late(listing, reviewer):
    request = public_file(listing)
    decided = correction_decide(actor=reviewer, request=request, uphold=False, note="不成立", on=dt.date(2025, 10, 13))
    assert decided.status == CorrectionStatus.REJECTED
    assert AuditLog.objects.get(action="credit.correction_decide").changes["late"] is True


def test_only_a_reviewer_decides(listing, clerk, officer):
    request = public_file(listing)
    for user in (clerk, officer):
        with nothing_written(), pytest.raises(PermissionDenied):
            correction_decide(actor=user, request=request, uphold=True, on=FILED)


def test_a_decided_request_cannot_be_decided_again(listing, reviewer):
    request = public_file(listing)
    correction_decide(actor=reviewer, request=request, uphold=True, on=FILED)
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        correction_decide(actor=reviewer, request=request, uphold=False, note="x", on=FILED)
    assert refused.value.code == "correction.not_pending"


def test_upheld_and_corrected_a_wrongful_entry_is_revoked_and_the_agencies_told(listing, reviewer):
    request = public_file(listing, ground=CorrectionGround.SHOULD_NOT_BE_LISTED)
    correction_decide(actor=reviewer, request=request, uphold=True, on=FILED + dt.timedelta(days=3))
    done = correction_mark_corrected(actor=reviewer, request=request, on=FILED + dt.timedelta(days=4))
    assert done.status == CorrectionStatus.CORRECTED
    assert done.corrected_on == FILED + dt.timedelta(days=4)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.REMOVED
    assert listing.removal_event == RemovalEvent.WRONGFUL
    assert "Correction request upheld" in listing.removal_reason
    assert FeedEvent.objects.filter(listing=listing, kind=FeedEventKind.REMOVED).count() == 1


def test_an_inaccurate_entry_is_corrected_with_a_note_and_an_update_event(listing, reviewer):
    request = public_file(listing, ground=CorrectionGround.INACCURATE)
    correction_decide(actor=reviewer, request=request, uphold=True, on=FILED)
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        correction_mark_corrected(actor=reviewer, request=request, on=FILED)
    assert refused.value.code == "correction.note_required"
    done = correction_mark_corrected(actor=reviewer, request=request, note="履行情况更正为部分履行。", on=FILED)
    assert "履行情况更正为部分履行。" in done.decision_note
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    event = FeedEvent.objects.get(listing=listing, kind=FeedEventKind.LISTING_UPDATED)
    assert event.payload["correction"] == "履行情况更正为部分履行。"


def test_a_pending_request_cannot_be_marked_corrected(listing, reviewer):
    request = public_file(listing)
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        correction_mark_corrected(actor=reviewer, request=request, on=FILED)
    assert refused.value.code == "correction.not_upheld"


# ---- rejection, service, reconsideration -------------------------------------------------------------------


def test_service_of_the_rejection_opens_10_days_for_reconsideration(listing, reviewer):
    request = rejected(listing, reviewer)
    served = correction_rejection_served(actor=reviewer, request=request, on=dt.date(2025, 10, 2))
    assert served.reconsideration_due_on == dt.date(2025, 10, 12)


def test_reconsideration_on_the_10th_day_is_decided_within_15_days(listing, reviewer):
    request = rejected(listing, reviewer)
    correction_rejection_served(actor=reviewer, request=request, on=dt.date(2025, 10, 2))
    asked = correction_reconsideration_asked(actor=reviewer, request=request, on=dt.date(2025, 10, 12))
    assert asked.status == CorrectionStatus.RECONSIDERATION
    assert asked.reconsideration_decision_due_on == dt.date(2025, 10, 27)


def test_reconsideration_after_the_10_days_is_refused(listing, reviewer):
    request = rejected(listing, reviewer)
    correction_rejection_served(actor=reviewer, request=request, on=dt.date(2025, 10, 2))
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        correction_reconsideration_asked(actor=reviewer, request=request, on=dt.date(2025, 10, 13))
    assert refused.value.code == "correction.reconsideration_too_late"
    assert refused.value.message == (
        "Reconsideration must be asked within 10 days of service of the rejection (失信规定 art. 12): the "
        "period ended on 2025-10-12."
    )


def test_reconsideration_before_service_is_recorded_is_refused(listing, reviewer):
    request = rejected(listing, reviewer)
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        correction_reconsideration_asked(actor=reviewer, request=request, on=dt.date(2025, 10, 2))
    assert refused.value.code == "correction.rejection_not_served"


def test_the_higher_courts_decision_closes_or_reopens_the_request(listing, reviewer, court):
    request = rejected(listing, reviewer)
    correction_rejection_served(actor=reviewer, request=request, on=dt.date(2025, 10, 2))
    correction_reconsideration_asked(actor=reviewer, request=request, on=dt.date(2025, 10, 5))
    decided = correction_reconsideration_decided(
        actor=reviewer, request=request, result="驳回复议申请。", on=dt.date(2025, 10, 15)
    )
    assert decided.status == CorrectionStatus.RECONSIDERED
    assert decided.reconsideration_result == "驳回复议申请。"

    other = rejected(listing_of(court), reviewer)
    correction_rejection_served(actor=reviewer, request=other, on=dt.date(2025, 10, 2))
    correction_reconsideration_asked(actor=reviewer, request=other, on=dt.date(2025, 10, 5))
    reopened = correction_reconsideration_decided(
        actor=reviewer, request=other, result="撤销驳回决定。", upheld=True, on=dt.date(2025, 10, 15)
    )
    assert reopened.status == CorrectionStatus.UPHELD
    assert reopened.correct_due_on == dt.date(2025, 10, 20)


# ---- the deadline list -------------------------------------------------------------------------------------


def test_the_list_shows_what_is_due_first_and_overdue_on_top(court, reviewer, clerk):
    overdue = public_file(listing_of(court), on=dt.date(2025, 1, 1))
    later = public_file(listing_of(court), on=dt.date(2025, 3, 1))
    closed = rejected(listing_of(court), reviewer)  # rejected, not served: nothing due from the court
    today = dt.date(2025, 2, 1)
    ordered = list(correction_list(user=clerk, today=today))
    assert ordered == [overdue, later, closed]
    assert list(correction_list(user=clerk, due="overdue", today=today)) == [overdue]
    assert ordered[0].next_due_on == dt.date(2025, 1, 16)
    assert ordered[2].next_due_on is None


def test_the_list_is_scoped_to_the_users_court(court, other_clerk):
    public_file(listing_of(court))
    assert list(correction_list(user=other_clerk)) == []
    assert len(correction_list(user=UserFactory(superuser=True, username="root2"))) == 1
