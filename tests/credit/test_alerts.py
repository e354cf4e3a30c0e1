"""Cross-case alerts (issue 6, item 7): a listed or restricted party is found by the filing checks (one query
for all parties), and a newly listed debtor that is a creditor elsewhere is shown to that case's officer."""

import pytest

from cases.checks import party_records
from cases.choices import PartyRole
from cases.models import Notification
from credit.alerts import notify_creditor_listed
from credit.choices import ListingStatus, RestrictionStatus
from credit.models import DishonestListing
from credit.party_checks import credit_records
from credit.signals import debtor_listed
from enforcement.choices import Status
from tests.credit.feed_builders import listing_of, restriction_of
from tests.enforcement.builders import case_in
from tests.factories import CaseFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def credit_of(records):
    return [(r.code, r.count) for r in records if r.source == "credit"]


def test_a_listed_and_a_restricted_party_have_credit_records(court):
    listed, restricted, both, clean = PartyFactory(), PartyFactory(), PartyFactory(), PartyFactory()
    listing_of(court, debtor=listed)
    restriction_of(court, debtor=restricted)
    listing_of(court, debtor=both)
    restriction_of(court, debtor=both)
    found = party_records([listed.pk, restricted.pk, both.pk, clean.pk])
    assert credit_of(found[listed.pk]) == [("listed_dishonest", 1)]
    assert credit_of(found[restricted.pk]) == [("restricted", 1)]
    assert credit_of(found[both.pk]) == [("listed_dishonest", 1), ("restricted", 1)]
    assert clean.pk not in found
    message = [r.message for r in found[listed.pk] if r.source == "credit"][0]
    assert message == "is on the dishonest list (失信被执行人名单) in 1 case(s)"


def test_removed_listings_and_lifted_restrictions_are_not_records(court):
    debtor = PartyFactory()
    listing_of(court, debtor=debtor, status=ListingStatus.REMOVED)
    listing_of(court, debtor=debtor, status=ListingStatus.PENDING)
    restriction = restriction_of(court, debtor=debtor)
    restriction.status = RestrictionStatus.LIFTED
    restriction.save()
    assert credit_records([debtor.pk]) == {}


def test_the_case_being_checked_is_not_its_own_finding(court):
    debtor = PartyFactory()
    listing = listing_of(court, debtor=debtor)
    own = listing.enforcement_case.case_id
    assert credit_of(party_records([debtor.pk], case_id=own).get(debtor.pk, [])) == []
    assert credit_of(party_records([debtor.pk]).get(debtor.pk, [])) == [("listed_dishonest", 1)]


def test_the_provider_answers_for_all_parties_in_one_query(court, django_assert_num_queries):
    parties = [PartyFactory() for _ in range(5)]
    for party in parties:
        listing_of(court, debtor=party)
        restriction_of(court, debtor=party)
    with django_assert_num_queries(1):
        found = credit_records([p.pk for p in parties])
    assert len(found) == 5


def test_a_new_filing_against_a_listed_party_raises_the_filing_alert(court, clerk):
    from cases.services.filing_alerts import filing_alerts_record

    debtor = PartyFactory()
    listing_of(court, debtor=debtor)
    case = CaseFactory(court=court, parties=[(PartyRole.CREDITOR, PartyFactory()), (PartyRole.DEBTOR, debtor)])
    alerts = filing_alerts_record(actor=clerk, case=case, links=list(case.party_links.all()))
    assert len(alerts) == 1
    assert alerts[0].party == debtor
    assert "dishonest list" in alerts[0].message
    assert any(r["code"] == "listed_dishonest" for r in alerts[0].records)


def test_a_listed_debtor_who_is_a_creditor_elsewhere_is_shown_to_that_cases_officer(court, officer):
    party = PartyFactory(organisation=True)
    elsewhere = case_in(Status.INVESTIGATING, court, debtors=[PartyFactory()], officer=officer)
    elsewhere.case.party_links.create(party=party, role=PartyRole.CREDITOR, position=5)
    closed = case_in(Status.CLOSED, court, debtors=[PartyFactory()], officer=officer)
    closed.case.party_links.create(party=party, role=PartyRole.CREDITOR, position=5)
    listing = listing_of(court, debtor=party)

    debtor_listed.send(sender=DishonestListing, listing=listing, actor=None)

    notes = list(Notification.objects.filter(kind="credit.creditor_listed"))
    assert len(notes) == 1
    note = notes[0]
    assert (note.recipient_user, note.case) == (officer, elsewhere.case)
    assert note.link == f"/enforcement/{elsewhere.pk}/"
    assert note.subject == f"Creditor of {elsewhere.case.number} put on the dishonest list"
    assert listing.enforcement_case.case.number in note.body


def test_no_notification_without_an_officer_or_a_creditor_role(court):
    party = PartyFactory()
    unassigned = case_in(Status.FILED, court, debtors=[PartyFactory()])
    unassigned.case.party_links.create(party=party, role=PartyRole.CREDITOR, position=5)
    as_debtor = case_in(Status.INVESTIGATING, court, debtors=[party], officer=UserFactory(officer=True, court=court))
    listing = listing_of(court, debtor=party, enforcement_case=as_debtor)
    assert notify_creditor_listed(DishonestListing, listing=listing) == 0
    assert not Notification.objects.filter(kind="credit.creditor_listed").exists()
