"""Enforcement's filing-time check: a party that is the debtor in open enforcement cases, in one query for
all the parties asked about."""

import pytest

from cases.checks import PartyRecord, party_records
from enforcement.checks import debtor_in_open_enforcement
from enforcement.choices import Status
from tests.enforcement.builders import case_in
from tests.factories import CaseFactory, PartyFactory

pytestmark = pytest.mark.django_db


def test_a_debtor_in_open_enforcement_cases_is_reported_with_the_count(court, other_court):
    debtor = PartyFactory(organisation=True)
    case_in(Status.FILED, court, debtors=[debtor])
    case_in(Status.INVESTIGATING, other_court, debtors=[debtor])
    case_in(Status.SUSPENDED, court, debtors=[debtor])
    assert debtor_in_open_enforcement([debtor.pk]) == {
        debtor.pk: [
            PartyRecord(
                source="enforcement",
                code="debtor_in_open_enforcement",
                count=3,
                message="is the debtor in 3 open enforcement case(s)",
            )
        ]
    }


def test_closed_cases_creditors_and_cases_without_an_enforcement_record_do_not_count(court):
    party = PartyFactory()
    case_in(Status.CLOSED, court, debtors=[party])
    creditor_case = case_in(Status.FILED, court)
    CaseFactory(court=court, parties=[("creditor", PartyFactory()), ("debtor", party)])  # a 执 record alone
    creditor = creditor_case.case.party_links.get(role="creditor").party
    assert debtor_in_open_enforcement([party.pk, creditor.pk]) == {}


def test_one_query_answers_for_many_parties(court, django_assert_num_queries):
    debtors = [PartyFactory() for _ in range(5)]
    for index, debtor in enumerate(debtors):
        for _ in range(index):
            case_in(Status.CONTROLLING, court, debtors=[debtor])
    with django_assert_num_queries(1):
        found = debtor_in_open_enforcement([d.pk for d in debtors])
    assert {pk: records[0].count for pk, records in found.items()} == {d.pk: i for i, d in enumerate(debtors) if i}


def test_the_provider_is_registered_for_the_filing_checks(court):
    debtor = PartyFactory()
    case_in(Status.NOTIFIED, court, debtors=[debtor])
    records = [r for r in party_records([debtor.pk])[debtor.pk] if r.source == "enforcement"]
    assert [(r.code, r.count) for r in records] == [("debtor_in_open_enforcement", 1)]
