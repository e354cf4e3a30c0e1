"""Proposing, approving and extending a dishonest listing (失信规定 2017 arts. 1–5): every bar refused with its
rule and nothing written, approval by someone else only, the period arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assets.models import Asset, ControlMeasure
from core.exceptions import InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.identifiers import make_resident_id
from credit.choices import FeedEventKind, ListingStatus, RemovalEvent
from credit.models import DishonestListing, FeedEvent, Restriction
from credit.services.listing import listing_decide, listing_extend
from credit.services.removal import listing_remove_on_applicant_request
from enforcement.choices import Status
from tests.assets.builders import make_agency
from tests.credit.listing_builders import (  # noqa: F401 - fixture
    _restriction_issue_available,
    another_head,
    debtor_of,
    listed,
    listing_case,
    nothing_written,
    propose,
)
from tests.enforcement.builders import TODAY
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_propose_writes_a_pending_entry_under_the_published_name(court, officer):
    ec = listing_case(court, officer)
    listing = propose(officer, ec)
    assert listing.status == ListingStatus.PENDING
    assert listing.debtor_name == "王小明"
    assert listing.proposed_by == officer


def test_a_party_who_is_not_a_debtor_of_the_case_is_refused(court, officer):
    ec = listing_case(court, officer)
    creditor = ec.case.parties.get(case_links__role="creditor")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec, debtor=creditor)
    assert error.value.code == "listing.not_a_debtor"


def test_a_minor_by_the_resident_id_is_never_listed(court, officer):
    minor = PartyFactory(minor=True, birth_date=None)
    ec = listing_case(court, officer, debtors=[minor])
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec)
    assert error.value.code == "listing.minor"
    assert str(error.value.message) == "A minor is never put on the dishonest list (失信规定 art. 4)."


def test_a_minor_by_the_recorded_birth_date_is_never_listed(court, officer):
    born = TODAY.replace(year=TODAY.year - 17)
    # The identifier says adult; the recorded birth date (from the household register) says 17.
    debtor = PartyFactory(id_number=make_resident_id("110105", dt.date(1980, 1, 1), 77), birth_date=born)
    ec = listing_case(court, officer, debtors=[debtor])
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec)
    assert error.value.code == "listing.minor"


def test_a_debtor_who_turned_eighteen_today_can_be_listed(court, officer):
    debtor = PartyFactory(birth_date=TODAY.replace(year=TODAY.year - 18))
    ec = listing_case(court, officer, debtors=[debtor])
    assert propose(officer, ec).status == ListingStatus.PENDING


def test_listing_is_refused_before_the_enforcement_notice_was_served(court, officer):
    ec = listing_case(court, officer, notices=False)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec)
    assert error.value.code == "listing.notice_not_served"
    assert "失信规定 art. 5" in str(error.value.message)


def test_ground_one_is_refused_when_sufficient_security_was_given(court, officer):
    ec = listing_case(court, officer)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec, ground="able_but_refuses", security_given=True)
    assert error.value.code == "listing.security_given"


def _freeze(ec, *, amount=None, value=None, status="active"):
    agency, _token = make_agency(f"B{Asset.objects.count()}", kind="bank", categories=["deposit"])
    asset = Asset.objects.create(
        case=ec.case, debtor=debtor_of(ec), category="deposit", agency=agency,
        identifier=f"6222{ec.pk}{amount}{value}", description="工商银行账户", value=value,
    )  # fmt: skip
    return ControlMeasure.objects.create(
        enforcement_case=ec, asset=asset, kind="freeze", status=status, amount=amount,
        starts_on=TODAY - dt.timedelta(days=10), expires_on=TODAY + dt.timedelta(days=300),
    )  # fmt: skip


def test_ground_one_is_refused_when_controlled_property_covers_the_debt(court, officer):
    ec = listing_case(court, officer, amount="100000.00", performed_amount=Decimal("20000.00"))
    _freeze(ec, amount=Decimal("50000.00"))
    _freeze(ec, value=Decimal("30000.00"))  # a seal: the asset's value counts
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec, ground="able_but_refuses")
    assert error.value.code == "listing.property_controlled"
    assert "失信规定 art. 3(2)" in str(error.value.message)


def test_ground_one_is_allowed_when_controlled_property_falls_short(court, officer):
    ec = listing_case(court, officer, amount="100000.00")
    _freeze(ec, amount=Decimal("50000.00"))
    _freeze(ec, amount=Decimal("49999.99"), status="released")
    _freeze(ec, amount=Decimal("49999.98"))
    assert propose(officer, ec, ground="able_but_refuses").status == ListingStatus.PENDING


def test_ground_one_is_refused_for_a_debtor_later_in_the_order_of_liability(court, officer):
    ec = listing_case(court, officer)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec, ground="able_but_refuses", later_in_order=True)
    assert error.value.code == "listing.later_in_order"


def test_the_ground_one_bars_do_not_apply_to_other_grounds(court, officer):
    ec = listing_case(court, officer)
    _freeze(ec, amount=Decimal("200000.00"))
    assert propose(officer, ec, ground="obstructs", later_in_order=True).status == ListingStatus.PENDING


def test_one_active_listing_per_case_and_debtor(court, officer):
    ec = listing_case(court, officer)
    propose(officer, ec)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec, ground="evades")
    assert error.value.code == "listing.already_active"


def test_a_case_closed_otherwise_than_terminated_this_round_is_refused(court, officer):
    ec = listing_case(court, officer, status=Status.CLOSED, closing_kind="completed")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec)
    assert error.value.code == "listing.case_closed"


def test_a_debtor_of_a_case_terminated_this_round_can_be_listed(court, officer):
    ec = listing_case(court, officer, status=Status.CLOSED)
    assert propose(officer, ec).status == ListingStatus.PENDING


def test_missing_facts_and_request_date_are_invalid(court, officer):
    ec = listing_case(court, officer)
    with nothing_written(), pytest.raises(InvalidInput) as error:
        propose(officer, ec, facts=" ", on_request=True)
    assert set(error.value.fields) == {"facts", "requested_on"}


def test_a_clerk_cannot_propose(court, officer, clerk):
    ec = listing_case(court, officer)
    with nothing_written(), pytest.raises(PermissionDenied):
        propose(clerk, ec)


def test_another_court_sees_nothing(court, officer, other_officer):
    ec = listing_case(court, officer)
    with nothing_written(), pytest.raises(NotFound):
        propose(other_officer, ec)


# ---- approval --------------------------------------------------------------------------------------------------


def test_the_proposer_cannot_approve_their_own_proposal(court, division_head):
    ec = listing_case(court, division_head)
    listing = propose(division_head, ec)
    with nothing_written(), pytest.raises(RuleViolation) as error:
        listing_decide(actor=division_head, listing=listing, approve=True)
    assert error.value.code == "listing.self_approval"


def test_an_officer_cannot_approve(court, officer, other_officer):
    ec = listing_case(court, officer)
    listing = propose(officer, ec)
    colleague = UserFactory(officer=True, court=court)
    with nothing_written(), pytest.raises(PermissionDenied):
        listing_decide(actor=colleague, listing=listing, approve=True)


def test_a_refusal_needs_a_note_and_writes_no_listing(court, officer, division_head):
    ec = listing_case(court, officer)
    listing = propose(officer, ec)
    with nothing_written(), pytest.raises(InvalidInput):
        listing_decide(actor=division_head, listing=listing, approve=False)
    refused = listing_decide(actor=division_head, listing=listing, approve=False, note="证据不足")
    assert refused.status == ListingStatus.REFUSED
    assert not FeedEvent.objects.exists()


def test_approval_lists_for_two_years_publishes_and_restricts_consumption(court, officer, division_head, media_root):
    ec = listing_case(court, officer)
    on = dt.date(2026, 3, 2)
    listing = listed(officer, division_head, ec, on=on)
    assert listing.status == ListingStatus.LISTED
    assert listing.listed_on == on
    assert listing.period_years == 2
    assert listing.expires_on == dt.date(2028, 3, 2)
    assert listing.decision_number == f"{ec.case.number}之失{listing.pk}"
    assert listing.decision.name.endswith(".docx")
    event = FeedEvent.objects.get(kind=FeedEventKind.LISTED)
    assert event.kind == FeedEventKind.LISTED
    assert event.payload["identifier"] == listing.debtor.id_number
    assert event.payload["expires_on"] == "2028-03-02"
    restriction = Restriction.objects.get(listing=listing)
    assert restriction.kind == "consumption"


def test_a_listing_on_ground_one_has_no_fixed_term(court, officer, division_head, media_root):
    ec = listing_case(court, officer)
    listing = listed(officer, division_head, ec, ground="able_but_refuses")
    assert listing.period_years is None
    assert listing.expires_on is None


def test_a_listing_from_the_29th_of_february_ends_on_the_28th(court, officer, division_head, media_root):
    listing = listed(officer, division_head, listing_case(court, officer), on=dt.date(2024, 2, 29))
    assert listing.expires_on == dt.date(2026, 2, 28)


def test_approval_re_checks_the_bars(court, officer, division_head):
    ec = listing_case(court, officer, amount="100000.00")
    listing = propose(officer, ec, ground="able_but_refuses")
    _freeze(ec, amount=Decimal("100000.00"))
    with nothing_written(), pytest.raises(RuleViolation) as error:
        listing_decide(actor=division_head, listing=listing, approve=True)
    assert error.value.code == "listing.property_controlled"


def test_a_decided_proposal_cannot_be_decided_again(court, officer, division_head, media_root):
    listing = listed(officer, division_head, listing_case(court, officer))
    with nothing_written(), pytest.raises(RuleViolation) as error:
        listing_decide(actor=another_head(court), listing=listing, approve=True)
    assert error.value.code == "listing.decided"


# ---- extension ------------------------------------------------------------------------------------------------


def test_an_extension_moves_the_end_and_writes_a_feed_event(court, officer, division_head, media_root):
    listing = listed(officer, division_head, listing_case(court, officer), on=dt.date(2026, 3, 2))
    listing = listing_extend(actor=division_head, listing=listing, years=2, reason="仍拒不履行")
    assert listing.extension_years == 2
    assert listing.expires_on == dt.date(2030, 3, 2)
    listing = listing_extend(actor=division_head, listing=listing, years=1, reason="再次延长")
    assert listing.expires_on == dt.date(2031, 3, 2)
    assert FeedEvent.objects.filter(kind=FeedEventKind.LISTING_UPDATED).count() == 2


def test_an_extension_beyond_three_years_in_total_is_refused(court, officer, division_head, media_root):
    listing = listed(officer, division_head, listing_case(court, officer))
    listing = listing_extend(actor=division_head, listing=listing, years=2, reason="仍拒不履行")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        listing_extend(actor=division_head, listing=listing, years=2, reason="再次延长")
    assert error.value.code == "listing.extension_too_long"
    assert "失信规定 art. 2" in str(error.value.message)


def test_an_extension_needs_a_reason_and_at_least_a_year(court, officer, division_head, media_root):
    listing = listed(officer, division_head, listing_case(court, officer))
    with nothing_written(), pytest.raises(InvalidInput):
        listing_extend(actor=division_head, listing=listing, years=0, reason="")


def test_a_ground_one_listing_is_not_extended(court, officer, division_head, media_root):
    listing = listed(officer, division_head, listing_case(court, officer), ground="able_but_refuses")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        listing_extend(actor=division_head, listing=listing, years=1, reason="x")
    assert error.value.code == "listing.no_fixed_term"


# ---- the 6-month block and re-listing -------------------------------------------------------------------------


def test_after_removal_on_the_applicants_request_no_listing_on_their_request_for_six_months(
    court, officer, division_head, media_root
):
    ec = listing_case(court, officer)
    listing = listed(officer, division_head, ec)
    listing_remove_on_applicant_request(actor=division_head, listing=listing, request_text="申请执行人书面申请删除")
    with nothing_written(), pytest.raises(RuleViolation) as error:
        propose(officer, ec, on_request=True, requested_on=TODAY)
    assert error.value.code == "listing.relisting_blocked"
    # On the court's own motion a ground arising again can be listed.
    assert propose(officer, ec).status == ListingStatus.PENDING


def test_the_six_month_block_ends(court, officer, division_head, media_root):
    ec = listing_case(court, officer)
    listing = listed(officer, division_head, ec)
    listing_remove_on_applicant_request(actor=division_head, listing=listing, request_text="申请删除")
    DishonestListing.objects.filter(pk=listing.pk).update(removed_on=TODAY - dt.timedelta(days=190))
    assert propose(officer, ec, on_request=True, requested_on=TODAY).on_request


def test_re_listing_is_allowed_after_a_removal(court, officer, division_head, media_root):
    ec = listing_case(court, officer)
    first = listed(officer, division_head, ec)
    from credit.services.removal import listing_remove_early

    listing_remove_early(actor=division_head, listing=first, reason="主动履行")
    again = listed(officer, another_head(court), ec, ground="evades")
    assert again.status == ListingStatus.LISTED
    assert DishonestListing.objects.get(pk=first.pk).removal_event == RemovalEvent.EARLY


def test_an_organisations_listing_restricts_its_legal_representative_too(court, officer, division_head, media_root):
    company = PartyFactory(organisation=True, name="北京恒通商贸有限公司")
    ec = listing_case(court, officer, debtors=[company])
    listing = propose(officer, ec)
    legal_rep = {
        "role": "legal_representative",
        "name": company.legal_representative,
        "id_number": make_resident_id("110105", dt.date(1975, 5, 5), 12),
    }
    listing = listing_decide(actor=division_head, listing=listing, approve=True, bound_persons=[legal_rep])
    restriction = Restriction.objects.get(listing=listing)
    assert list(restriction.bound_persons.values_list("name", flat=True)) == [company.legal_representative]


def test_an_organisations_listing_without_its_legal_representative_writes_nothing(
    court, officer, division_head, media_root
):
    ec = listing_case(court, officer, debtors=[PartyFactory(organisation=True)])
    listing = propose(officer, ec)
    with nothing_written(), pytest.raises(RuleViolation):
        listing_decide(actor=division_head, listing=listing, approve=True)
