"""Preservation (财产保全): applications, decisions, measures with their period caps, and carry-over."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.choices import CaseType, MeasureKind, MeasureStatus, PartyRole, PreservationKind, PropertyClass
from cases.exceptions import PreservationRuleViolation
from cases.models import PreservationMeasure
from cases.services import (
    preservation_apply,
    preservation_carry_over,
    preservation_decide,
    preservation_measure_add,
)
from cases.services.preservation import control_cap
from core.exceptions import InvalidInput, PermissionDenied
from core.models import AuditLog
from tests.cases.builders import TODAY, civil_case, judgment, party, preservation_case
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def apply(case, actor, **overrides):
    claimant, opponent = (link.party_id for link in case.party_links.order_by("position")[:2])
    data = {
        "kind": PreservationKind.PRE_SUIT
        if case.case_type == CaseType.PRESERVATION_REVIEW
        else PreservationKind.IN_SUIT,
        "applicant_id": claimant,
        "respondent_id": opponent,
        "amount": "150000.00",
        "security_offered": "保险公司保函",
        "applied_on": TODAY,
    }
    data.update(overrides)
    return preservation_apply(actor=actor, case=case, **data)


@pytest.fixture
def granted(court, clerk, judge):
    application = apply(preservation_case(court), clerk)
    return preservation_decide(actor=judge, application=application, grant=True, reason="符合法定条件")


def add(application, actor, **overrides):
    data = {
        "kind": MeasureKind.FREEZE,
        "property_class": PropertyClass.DEPOSIT,
        "asset_description": "中国工商银行北京朝阳支行 账号0200…1234",
        "amount": "100000.00",
        "starts_on": TODAY,
    }
    data.update(overrides)
    return preservation_measure_add(actor=actor, application=application, **data)


def refused(nothing_written, fn, *args, **kwargs) -> PreservationRuleViolation:
    with nothing_written(), pytest.raises(PreservationRuleViolation) as caught:
        fn(*args, **kwargs)
    return caught.value


# ---- applications -------------------------------------------------------------------------------------------


def test_a_pre_suit_application_on_a_preservation_case_has_a_48_hour_deadline(clerk, court):
    application = apply(preservation_case(court), clerk)
    assert (application.kind, application.status, application.amount) == (
        "pre_suit",
        "applied",
        Decimal("150000.00"),
    )
    assert application.decision_deadline == application.received_at + dt.timedelta(hours=48)
    assert not application.decision_overdue
    assert AuditLog.objects.get(action="preservation.apply").changes["application"] == application.pk


def test_an_in_suit_application_on_a_pending_lawsuit_has_no_statutory_deadline(clerk, court):
    application = apply(civil_case(court), clerk, security_offered="", amount="80000")
    assert application.kind == "in_suit"
    assert application.decision_deadline is None


def test_a_pre_suit_application_needs_a_preservation_case(clerk, court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, apply, case, clerk, kind=PreservationKind.PRE_SUIT)
    assert error.code == "preservation.pre_suit_case"
    assert error.message == "A pre-suit application is filed as its own preservation case (财保)."


def test_an_in_suit_application_needs_a_pending_civil_case(clerk, judge, court, nothing_written):
    enforcement = CaseFactory(court=court, case_type=CaseType.ENFORCEMENT)
    assert refused(nothing_written, apply, enforcement, clerk).code == "preservation.in_suit_case"
    decided = civil_case(court)
    judgment(decided, actor=judge)
    error = refused(nothing_written, apply, decided, clerk)
    assert error.code == "preservation.not_pending"
    assert error.message == "The case has an effective document: the lawsuit is no longer pending."


def test_applicant_and_respondent_are_on_the_case_on_opposite_sides(clerk, court, nothing_written):
    case = civil_case(court, third_party=True)
    stranger = CaseFactory(court=court).party_links.first().party_id
    error = refused(nothing_written, apply, case, clerk, respondent_id=stranger)
    assert error.code == "preservation.party_not_on_case"
    error = refused(nothing_written, apply, case, clerk, respondent_id=party(case, PartyRole.THIRD_PARTY).pk)
    assert error.code == "preservation.same_side"
    assert error.message == "The applicant and the respondent must be on opposite sides of the case."


def test_preservation_stays_within_the_claim(clerk, court, nothing_written):
    case = civil_case(court, amount="100000.00")
    error = refused(nothing_written, apply, case, clerk, amount="100000.01")
    assert error.code == "preservation.above_claim"
    assert (
        error.message == "Preservation is limited to the claim (民诉法 2023 art. 105): at most 100000.00 on this case."
    )


def test_a_clerk_registers_but_an_officer_may_not(officer, court, nothing_written):
    case = preservation_case(court)
    with nothing_written(), pytest.raises(PermissionDenied) as caught:
        apply(case, officer)
    assert caught.value.code == "capability.preservation.apply"


# ---- decisions ----------------------------------------------------------------------------------------------


def test_a_judge_grants_with_reasons_and_the_audit_says_whether_it_was_in_time(granted, judge):
    assert (granted.status, granted.decided_by, granted.decided_on) == ("granted", judge, TODAY)
    entry = AuditLog.objects.get(action="preservation.decide")
    assert entry.changes == {"application": granted.pk, "granted": True, "late": False}
    assert entry.reason == "符合法定条件"


def test_a_late_pre_suit_decision_is_recorded_as_late(clerk, judge, court):
    application = apply(preservation_case(court), clerk)
    type(application).objects.filter(pk=application.pk).update(received_at=timezone.now() - dt.timedelta(hours=49))
    application.refresh_from_db()
    assert application.decision_overdue
    preservation_decide(actor=judge, application=application, grant=False, reason="担保不足")
    assert AuditLog.objects.get(action="preservation.decide").changes["late"] is True


def test_pre_suit_preservation_is_not_granted_without_security(clerk, judge, court, nothing_written):
    application = apply(preservation_case(court), clerk, security_offered="")
    error = refused(
        nothing_written, preservation_decide, actor=judge, application=application, grant=True, reason="理由"
    )
    assert error.code == "preservation.no_security"
    assert error.message == "Pre-suit preservation is granted only against security (民诉法 2023 art. 104)."


def test_a_decision_needs_reasons_and_is_taken_once(granted, judge, nothing_written):
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        preservation_decide(actor=judge, application=granted, grant=False, reason=" ")
    assert caught.value.fields == {"reason": ["Give the reasons for the decision."]}
    error = refused(nothing_written, preservation_decide, actor=judge, application=granted, grant=False, reason="x")
    assert error.code == "preservation.already_decided"
    assert error.message == "This application was already decided (Granted)."


def test_a_clerk_may_not_decide(clerk, court, nothing_written):
    application = apply(preservation_case(court), clerk)
    with nothing_written(), pytest.raises(PermissionDenied):
        preservation_decide(actor=clerk, application=application, grant=True, reason="x")


# ---- measures and their periods (民诉法解释 2022 art. 485) ----------------------------------------------------


@pytest.mark.parametrize(
    ("property_class", "years"),
    [
        (PropertyClass.DEPOSIT, 1),
        (PropertyClass.MOVABLE, 2),
        (PropertyClass.REAL_ESTATE, 3),
        (PropertyClass.OTHER_RIGHT, 3),
    ],
)
def test_a_measure_runs_for_the_longest_period_of_its_class_by_default(granted, officer, property_class, years):
    start = dt.date(2026, 3, 1)
    type(granted).objects.filter(pk=granted.pk).update(decided_on=start)
    measure = add(granted, officer, property_class=property_class, starts_on=start, amount="1000")
    assert measure.expires_on == dt.date(2026 + years, 3, 1) - DAY  # 2028 is a leap year: 29 February
    assert measure.status == MeasureStatus.ACTIVE


def test_the_cap_of_a_period_starting_on_29_february_ends_with_february():
    assert control_cap(dt.date(2028, 2, 29), PropertyClass.DEPOSIT) == dt.date(2029, 2, 28)
    assert control_cap(dt.date(2026, 1, 1), PropertyClass.DEPOSIT) == dt.date(2026, 12, 31)


def test_a_measure_beyond_the_cap_is_refused_naming_the_article(granted, officer, nothing_written):
    error = refused(nothing_written, add, granted, officer, expires_on=control_cap(TODAY, "deposit") + DAY)
    assert error.code == "measure.period_cap"
    assert error.message == (
        "Bank deposit may be controlled for at most 1 year(s) (民诉法解释 2022 art. 485): "
        f"from {TODAY} until {control_cap(TODAY, 'deposit')} at the latest."
    )


def test_deposits_frozen_never_exceed_the_amount_preserved(granted, officer, nothing_written):
    add(granted, officer, amount="100000.00")
    add(granted, officer, amount="50000.00")
    error = refused(nothing_written, add, granted, officer, amount="0.01")
    assert error.code == "measure.above_preserved_amount"
    assert error.message == (
        "Deposits frozen on this application may not exceed the amount preserved, 150000.00: 150000.00 is frozen "
        "already."
    )
    # Real estate is sealed whole: its valuation is not capped by the amount preserved.
    house = add(granted, officer, kind=MeasureKind.SEAL, property_class=PropertyClass.REAL_ESTATE, amount="3000000")
    assert house.amount == Decimal("3000000.00")


def test_a_deposit_freeze_names_its_amount(granted, officer, nothing_written):
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        add(granted, officer, amount=None)
    assert caught.value.fields == {"amount": ["A deposit freeze names the amount frozen."]}


def test_measures_only_on_a_granted_application(clerk, officer, court, nothing_written):
    application = apply(preservation_case(court), clerk)
    error = refused(nothing_written, add, application, officer)
    assert error.code == "measure.not_granted"
    assert error.message == "Measures are taken only on a granted application."


def test_a_measure_does_not_start_before_the_grant(granted, officer, nothing_written):
    assert refused(nothing_written, add, granted, officer, starts_on=TODAY - DAY).code == "measure.before_decision"


# ---- carrying over into enforcement (解释 2022 art. 168) ------------------------------------------------------


def enforcement_for(application, court):
    return CaseFactory(
        court=court,
        case_type=CaseType.ENFORCEMENT,
        parties=[(PartyRole.CREDITOR, application.applicant), (PartyRole.DEBTOR, application.respondent)],
    )


def test_measures_carry_over_and_their_period_runs_on(granted, officer, clerk, court):
    measures = [add(granted, officer), add(granted, officer, amount="1000", starts_on=TODAY, expires_on=TODAY + DAY)]
    expiries = [m.expires_on for m in measures]
    target = enforcement_for(granted, court)
    preservation_carry_over(actor=clerk, measures=measures, enforcement_case_record=target)
    assert list(PreservationMeasure.objects.order_by("pk").values_list("carried_into", "expires_on")) == [
        (target.pk, expiries[0]),
        (target.pk, expiries[1]),
    ]
    assert AuditLog.objects.filter(action="preservation.carry_over").count() == 2


def test_a_measure_carries_over_once_into_an_enforcement_case_of_the_same_parties(
    granted, officer, clerk, court, nothing_written
):
    measure = add(granted, officer)
    litigation = civil_case(court)
    error = refused(
        nothing_written, preservation_carry_over, actor=clerk, measures=[measure], enforcement_case_record=litigation
    )
    assert error.code == "carry_over.not_enforcement"
    stranger = CaseFactory(court=court, case_type=CaseType.ENFORCEMENT)
    error = refused(
        nothing_written, preservation_carry_over, actor=clerk, measures=[measure], enforcement_case_record=stranger
    )
    assert error.code == "carry_over.other_parties"
    target = enforcement_for(granted, court)
    preservation_carry_over(actor=clerk, measures=[measure], enforcement_case_record=target)
    error = refused(
        nothing_written, preservation_carry_over, actor=clerk, measures=[measure], enforcement_case_record=target
    )
    assert error.code == "carry_over.already_carried"
    assert error.message == f"{measure} was already carried into {target.number}."


def test_a_lapsed_measure_does_not_carry_over(granted, officer, clerk, court, nothing_written):
    measure = add(granted, officer)
    PreservationMeasure.objects.filter(pk=measure.pk).update(status=MeasureStatus.LAPSED)
    target = enforcement_for(granted, court)
    error = refused(
        nothing_written, preservation_carry_over, actor=clerk, measures=[measure], enforcement_case_record=target
    )
    assert error.code == "carry_over.not_in_force"
