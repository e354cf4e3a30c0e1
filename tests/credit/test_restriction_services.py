"""Issuing, lifting and temporary permission of consumption and exit restrictions (限制消费规定 2015 arts. 1,
3, 8, 9; 民诉法 2023 art. 266)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import InvalidInput, PermissionDenied, RuleViolation
from credit.choices import ProhibitedConsumption
from credit.models import FeedEvent, Restriction
from credit.services.restrictions import (
    permission_grant,
    restriction_issue,
    restriction_lift,
    restrictions_lift_for_performed_case,
)
from tests.credit.restriction_builders import (
    CONTROLLER_ID,
    LEGAL_REP_ID,
    SERVED,
    controller,
    debtor_of,
    docx_text,
    legal_rep,
    listed,
    nothing_written,
    restriction_case,
)
from tests.enforcement.builders import TODAY
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.usefixtures("media_root")


def issue(officer, ec, **kwargs):
    kwargs.setdefault("debtor", debtor_of(ec))
    kwargs.setdefault("kind", "consumption")
    kwargs.setdefault("reason", "被执行人未按执行通知书履行义务。")
    if debtor_of(ec).kind == "organisation" and kwargs["kind"] == "consumption":
        kwargs.setdefault("bound_persons", [legal_rep()])
    return restriction_issue(actor=officer, enforcement_case=ec, **kwargs)


@pytest.fixture
def person_case(court, officer):
    return restriction_case(court, officer, debtor=PartyFactory(name="张三"))


# ---- when -------------------------------------------------------------------------------------------------


def test_an_optional_restriction_is_issued_after_the_notice_deadline_with_all_nine_items(court, officer):
    ec = restriction_case(court, officer)
    restriction = issue(officer, ec)
    assert restriction.status == "active"
    assert restriction.prohibited == ProhibitedConsumption.values
    assert restriction.listing is None
    assert restriction.order_number == f"{ec.case.number}之一"
    assert restriction.issued_on == TODAY


def test_an_optional_restriction_is_refused_before_the_notice_is_served(court, officer):
    ec = restriction_case(court, officer, served_on=None)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(officer, ec)
    assert error.value.code == "restriction.notice_not_served"
    assert "Serve the enforcement notice on 北京恒通商贸有限公司 first" in error.value.message


def test_an_optional_restriction_is_refused_on_the_day_the_notice_was_served(court, officer):
    ec = restriction_case(court, officer, served_on=TODAY)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(officer, ec)
    assert error.value.code == "restriction.notice_deadline"
    assert TODAY.isoformat() in error.value.message


def test_a_listed_debtor_is_restricted_whatever_the_notice(court, officer, division_head):
    ec = restriction_case(court, officer, served_on=None)
    listing = listed(ec, proposer=officer, approver=division_head)
    restriction = issue(division_head, ec, listing=listing)
    assert restriction.listing == listing


def test_a_listed_debtor_is_restricted_as_listed_even_without_the_listing_argument(court, officer, division_head):
    ec = restriction_case(court, officer, served_on=None)
    listing = listed(ec, proposer=officer, approver=division_head)
    assert issue(officer, ec).listing == listing


def test_a_listing_of_another_case_is_refused(court, officer, division_head):
    ec = restriction_case(court, officer)
    other = restriction_case(court, officer)
    listing = listed(other, proposer=officer, approver=division_head)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(division_head, ec, listing=listing)
    assert error.value.code == "restriction.listing_mismatch"


def test_a_party_who_is_not_a_debtor_is_refused(court, officer):
    ec = restriction_case(court, officer)
    creditor = ec.case.party_links.get(role="creditor").party
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(officer, ec, debtor=creditor)
    assert error.value.code == "restriction.not_debtor"


def test_a_closed_case_is_refused_unless_closed_as_terminated_this_round(court, officer):
    ec = restriction_case(court, officer, status="closed", closing_kind="terminated", closed_on=TODAY)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(officer, ec)
    assert error.value.code == "restriction.case_closed"
    assert "终本规定 art. 15" in error.value.message
    terminated = restriction_case(court, officer, status="closed", closed_on=TODAY)
    assert issue(officer, terminated).status == "active"


def test_a_performed_obligation_is_not_restricted(court, officer):
    ec = restriction_case(court, officer, performed_amount=Decimal("100000.00"))
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(officer, ec)
    assert error.value.code == "restriction.performed"


def test_a_clerk_may_not_restrict(court, officer, clerk):
    ec = restriction_case(court, officer)
    with nothing_written(), pytest.raises(PermissionDenied):
        issue(clerk, ec)


# ---- items ------------------------------------------------------------------------------------------------


def test_chosen_items_are_kept_in_the_rules_order(court, officer):
    ec = restriction_case(court, officer)
    restriction = issue(officer, ec, prohibited=["travel", "flights", "travel"])
    assert restriction.prohibited == ["flights", "travel"]


def test_an_unknown_item_is_refused(court, officer):
    ec = restriction_case(court, officer)
    with nothing_written(), pytest.raises(InvalidInput) as error:
        issue(officer, ec, prohibited=["flights", "yachts"])
    assert error.value.code == "restriction.prohibited_unknown"
    assert error.value.fields["prohibited"] == [
        "Unknown kind of consumption: yachts (限制消费规定 art. 3 lists nine kinds)."
    ]


def test_an_empty_list_of_items_is_refused(court, officer):
    ec = restriction_case(court, officer)
    with nothing_written(), pytest.raises(InvalidInput) as error:
        issue(officer, ec, prohibited=[])
    assert error.value.code == "restriction.prohibited_empty"


# ---- bound persons ----------------------------------------------------------------------------------------


def test_an_organisations_order_binds_the_named_persons_and_links_a_known_party(court, officer):
    known = PartyFactory(name="赵德明", id_number=CONTROLLER_ID)
    ec = restriction_case(court, officer)
    restriction = issue(officer, ec, bound_persons=[legal_rep(), controller()])
    persons = {p.role: p for p in restriction.bound_persons.all()}
    assert persons["legal_representative"].id_number == LEGAL_REP_ID
    assert persons["legal_representative"].party is None
    assert persons["actual_controller"].party == known


def test_the_legal_representatives_name_defaults_to_the_recorded_one(court, officer):
    ec = restriction_case(court, officer)
    restriction = issue(officer, ec, bound_persons=[legal_rep(name="")])
    assert restriction.bound_persons.get().name == "王建国"


def test_an_organisations_order_without_the_legal_representative_is_refused(court, officer):
    ec = restriction_case(court, officer)
    for persons in ([], [controller()]):
        with nothing_written(), pytest.raises(RuleViolation) as error:
            issue(officer, ec, bound_persons=persons)
        assert error.value.code == "restriction.legal_representative_required"


def test_a_bad_identifier_of_a_bound_person_is_refused(court, officer):
    ec = restriction_case(court, officer)
    bad = LEGAL_REP_ID[:-1] + ("0" if LEGAL_REP_ID[-1] != "0" else "1")
    with nothing_written(), pytest.raises(InvalidInput) as error:
        issue(officer, ec, bound_persons=[legal_rep(id_number=bad)])
    assert error.value.code == "restriction.bound_persons"
    assert error.value.fields["bound_persons.0"] == [
        "王建国: The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2)."
    ]


def test_bound_persons_are_refused_for_a_natural_person(court, officer, person_case):
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(officer, person_case, bound_persons=[legal_rep()])
    assert error.value.code == "restriction.bound_persons_for_person"


# ---- exit ----------------------------------------------------------------------------------------------------


def test_an_exit_restriction_on_a_person_has_no_items(court, officer, person_case):
    restriction = issue(officer, person_case, kind="exit")
    assert restriction.kind == "exit"
    assert restriction.prohibited == []
    text = docx_text(restriction.order.read())
    assert "限制出境决定书" in text
    assert "对被执行人张三（身份证号码：" in text


def test_an_exit_restriction_refuses_items(court, officer, person_case):
    with nothing_written(), pytest.raises(InvalidInput) as error:
        issue(officer, person_case, kind="exit", prohibited=["flights"])
    assert error.value.code == "restriction.prohibited_exit"


def test_an_exit_restriction_on_an_organisation_names_its_persons(court, officer):
    ec = restriction_case(court, officer)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(officer, ec, kind="exit")
    assert error.value.code == "restriction.exit_persons_required"
    with nothing_written(), pytest.raises(InvalidInput):
        issue(officer, ec, kind="exit", bound_persons=[controller()])
    restriction = issue(officer, ec, kind="exit", bound_persons=[legal_rep()])
    assert restriction.bound_persons.get().role == "legal_representative"


def test_consumption_and_exit_restrictions_coexist_but_one_of_each_kind(court, officer, person_case):
    issue(officer, person_case)
    second = issue(officer, person_case, kind="exit")
    assert second.order_number.endswith("之二")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        issue(officer, person_case)
    assert error.value.code == "restriction.already_active"
    assert (
        error.value.message == "A Consumption restriction (限制消费令) is already in force on this debtor in this case."
    )


def test_the_database_keeps_one_active_restriction_per_kind(court, officer, person_case):
    first = issue(officer, person_case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.create(
            kind="consumption",
            enforcement_case=person_case,
            debtor=first.debtor,
            reason="x",
            issued_on=TODAY,
            issued_by=officer,
        )


# ---- the order and the feed -----------------------------------------------------------------------------


def test_the_consumption_order_lists_the_items_and_the_bound_persons_masked(court, officer):
    ec = restriction_case(court, officer)
    restriction = issue(officer, ec, bound_persons=[legal_rep(), controller()])
    text = docx_text(restriction.order.read())
    assert "限制消费令" in text
    assert restriction.order_number in text
    assert "（一）乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位；" in text
    assert "（九）乘坐G字头动车组列车全部座位" in text
    assert f"法定代表人：王建国，身份证号码：{LEGAL_REP_ID[:6]}********{LEGAL_REP_ID[-4:]}；" in text
    assert "实际控制人：赵德明" in text
    assert LEGAL_REP_ID not in text and CONTROLLER_ID not in text
    assert "第一条第一款" in text


def test_the_order_of_a_listed_debtor_cites_the_mandatory_rule(court, officer, division_head):
    ec = restriction_case(court, officer)
    listing = listed(ec, proposer=officer, approver=division_head)
    text = docx_text(issue(division_head, ec, listing=listing).order.read())
    assert "因被执行人已被纳入失信被执行人名单" in text
    assert "第一条第二款" in text


def test_issuing_writes_a_feed_event_an_agency_can_act_on(court, officer):
    ec = restriction_case(court, officer)
    restriction = issue(officer, ec, prohibited=["flights", "high_speed_rail"])
    event = FeedEvent.objects.get(restriction=restriction)
    assert event.kind == "restriction.issued"
    assert event.party == restriction.debtor
    assert event.payload == {
        "action": "issued",
        "restriction": restriction.pk,
        "kind": "consumption",
        "order_number": restriction.order_number,
        "name": "北京恒通商贸有限公司",
        "identifier": restriction.debtor.id_number,
        "party_kind": "organisation",
        "prohibited": ["flights", "high_speed_rail"],
        "bound_persons": [{"role": "legal_representative", "name": "王建国", "id_number": LEGAL_REP_ID}],
        "case_number": ec.case.number,
        "court": court.name,
        "issued_on": TODAY.isoformat(),
        "status": "active",
    }


# ---- lifting ------------------------------------------------------------------------------------------------


def test_lifting_as_performed_needs_the_debt_performed(court, officer, person_case):
    restriction = issue(officer, person_case)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        restriction_lift(actor=officer, restriction=restriction, ground="performed")
    assert error.value.code == "restriction.not_performed"
    type(person_case).objects.filter(pk=person_case.pk).update(performed_amount=Decimal("100000.00"))
    lifted = restriction_lift(actor=officer, restriction=restriction, ground="performed")
    assert (lifted.status, lifted.lift_ground, lifted.lifted_on, lifted.lifted_by) == (
        "lifted",
        "performed",
        TODAY,
        officer,
    )
    event = FeedEvent.objects.filter(restriction=restriction).latest("id")
    assert event.kind == "restriction.lifted"
    assert event.payload["lifted_on"] == TODAY.isoformat()
    assert event.payload["identifier"] == restriction.debtor.id_number


def test_a_case_closed_as_completed_allows_lifting_as_performed(court, officer, person_case):
    restriction = issue(officer, person_case)
    type(person_case).objects.filter(pk=person_case.pk).update(
        status="closed", closing_kind="completed", closed_on=TODAY
    )
    assert restriction_lift(actor=officer, restriction=restriction, ground="performed").status == "lifted"


@pytest.mark.parametrize("ground", ["security", "applicant_consent", "other"])
def test_security_consent_and_other_grounds_need_a_note(court, officer, person_case, ground):
    restriction = issue(officer, person_case)
    with nothing_written(), pytest.raises(InvalidInput) as error:
        restriction_lift(actor=officer, restriction=restriction, ground=ground, reason=" ")
    assert error.value.code == "restriction.lift_note"
    lifted = restriction_lift(actor=officer, restriction=restriction, ground=ground, reason="申请执行人书面同意。")
    assert lifted.lift_reason == "申请执行人书面同意。"


def test_a_listed_debtors_consumption_restriction_is_not_lifted_but_as_performed(court, officer, division_head):
    ec = restriction_case(court, officer)
    listing = listed(ec, proposer=officer, approver=division_head)
    restriction = issue(division_head, ec, listing=listing)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        restriction_lift(actor=officer, restriction=restriction, ground="security", reason="提供担保。")
    assert error.value.code == "restriction.listed"
    with nothing_written(), pytest.raises(RuleViolation) as error:
        restriction_lift(actor=officer, restriction=restriction, ground="listing_removed")
    assert error.value.code == "restriction.listing_not_removed"
    type(listing).objects.filter(pk=listing.pk).update(status="removed", removed_on=TODAY)
    lifted = restriction_lift(actor=officer, restriction=restriction, ground="listing_removed")
    assert lifted.lift_ground == "listing_removed"


def test_a_lifted_restriction_is_not_lifted_again_and_a_new_one_may_be_issued(court, officer, person_case):
    restriction = issue(officer, person_case)
    restriction_lift(actor=officer, restriction=restriction, ground="applicant_consent", reason="同意。")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        restriction_lift(actor=officer, restriction=restriction, ground="applicant_consent", reason="同意。")
    assert error.value.code == "restriction.not_active"
    assert issue(officer, person_case).status == "active"


def test_lifting_is_refused_to_another_courts_officer(court, officer, other_officer, person_case):
    from core.exceptions import NotFound

    restriction = issue(officer, person_case)
    with nothing_written(), pytest.raises(NotFound):
        restriction_lift(actor=other_officer, restriction=restriction, ground="applicant_consent", reason="x")


def test_a_performed_case_has_all_its_restrictions_lifted_once(court, officer, person_case):
    issue(officer, person_case)
    issue(officer, person_case, kind="exit")
    assert restrictions_lift_for_performed_case(enforcement_case=person_case, on=TODAY) == []
    type(person_case).objects.filter(pk=person_case.pk).update(
        status="closed", closing_kind="completed", closed_on=TODAY
    )
    lifted = restrictions_lift_for_performed_case(enforcement_case=person_case, on=TODAY)
    assert sorted(r.kind for r in lifted) == ["consumption", "exit"]
    assert {r.lift_ground for r in lifted} == {"performed"}
    assert FeedEvent.objects.filter(kind="restriction.lifted").count() == 2
    assert restrictions_lift_for_performed_case(enforcement_case=person_case, on=TODAY) == []


# ---- temporary permission ------------------------------------------------------------------------------------


def permit(officer, restriction, **kwargs):
    kwargs.setdefault("purpose", "赴外地就医。")
    kwargs.setdefault("allowed", ["flights"])
    kwargs.setdefault("valid_from", TODAY)
    kwargs.setdefault("valid_until", TODAY + dt.timedelta(days=7))
    return permission_grant(actor=officer, restriction=restriction, **kwargs)


def test_a_permission_is_granted_and_told_to_the_agencies(court, officer, person_case):
    restriction = issue(officer, person_case)
    permission = permit(officer, restriction, allowed=["high_speed_rail", "flights"])
    assert permission.allowed == ["flights", "high_speed_rail"]
    event = FeedEvent.objects.filter(restriction=restriction).latest("id")
    assert event.kind == "restriction.issued"
    assert event.payload["action"] == "permission"
    assert event.payload["permission"] == {
        "id": permission.pk,
        "allowed": ["flights", "high_speed_rail"],
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + dt.timedelta(days=7)).isoformat(),
        "purpose": "赴外地就医。",
    }


def test_a_permission_outside_the_prohibited_items_is_refused(court, officer, person_case):
    restriction = issue(officer, person_case, prohibited=["travel"])
    with nothing_written(), pytest.raises(InvalidInput) as error:
        permit(officer, restriction, allowed=["flights"])
    assert error.value.fields["allowed"] == [
        "Only consumption the order prohibits can be permitted; not prohibited: flights."
    ]


def test_a_permission_needs_a_purpose_and_sane_dates(court, officer, person_case):
    restriction = issue(officer, person_case)
    with nothing_written(), pytest.raises(InvalidInput) as error:
        permit(officer, restriction, purpose="")
    assert "purpose" in error.value.fields
    with nothing_written(), pytest.raises(InvalidInput) as error:
        permit(officer, restriction, valid_until=TODAY - dt.timedelta(days=1))
    assert error.value.fields["valid_until"] == ["The permission ends on or after the day it starts."]
    with nothing_written(), pytest.raises(InvalidInput) as error:
        permit(officer, restriction, valid_from=SERVED)
    assert error.value.fields["valid_from"] == ["The permission starts on or after the day the order was issued."]


def test_a_permission_is_refused_on_an_exit_or_lifted_restriction(court, officer, person_case):
    exit_restriction = issue(officer, person_case, kind="exit")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        permit(officer, exit_restriction)
    assert error.value.code == "restriction.permission_kind"
    restriction = issue(officer, person_case)
    restriction_lift(actor=officer, restriction=restriction, ground="applicant_consent", reason="同意。")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        permit(officer, restriction)
    assert error.value.code == "restriction.not_active"


def test_a_division_head_may_restrict(court, officer):
    head = UserFactory(division_head=True, court=court, username="head-2")
    ec = restriction_case(court, officer)
    assert issue(head, ec).issued_by == head
