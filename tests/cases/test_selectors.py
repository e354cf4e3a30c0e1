"""Reads of cases and parties, each scoped to what the user may see."""

import pytest

from cases.selectors import case_get, case_list, party_cases, party_list
from core.exceptions import NotFound, PermissionDenied
from tests.factories import CaseFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_case_list_holds_the_users_courts_cases_only(officer, other_court):
    mine = CaseFactory(court=officer.court)
    CaseFactory(court=other_court)
    assert list(case_list(user=officer)) == [mine]


def test_case_list_applies_filters_when_given(officer):
    wanted = CaseFactory(
        court=officer.court, parties=[("creditor", PartyFactory()), ("debtor", PartyFactory(name="赵德胜"))]
    )
    CaseFactory(court=officer.court)
    assert list(case_list(user=officer, filters={"q": "德胜"})) == [wanted]


def test_case_list_is_newest_filing_first(officer):
    import datetime as dt

    older = CaseFactory(court=officer.court, filing_date=dt.date(2025, 1, 2))
    newer = CaseFactory(court=officer.court, filing_date=dt.date(2025, 6, 1))
    assert list(case_list(user=officer)) == [newer, older]


@pytest.mark.parametrize("role", ["auditor", "agency"])
def test_case_list_refuses_a_role_without_case_view(court, role):
    user = UserFactory(court=None if role == "agency" else court, **{role: True})
    with pytest.raises(PermissionDenied) as caught:
        case_list(user=user)
    assert caught.value.code == "capability.case.view"


def test_case_get_finds_a_case_of_the_users_court_with_its_parties(officer, django_assert_num_queries):
    case = CaseFactory(court=officer.court)
    with django_assert_num_queries(2):  # the case with court and author, then its parties
        found = case_get(user=officer, case_id=case.pk)
        assert [link.party.name for link in found.party_links.all()]
    assert found == case


def test_case_get_says_not_found_for_another_courts_case_and_for_a_missing_one(officer, other_court):
    theirs = CaseFactory(court=other_court)
    for case_id in (theirs.pk, theirs.pk + 1000):
        with pytest.raises(NotFound) as caught:
            case_get(user=officer, case_id=case_id)
        assert (caught.value.message, caught.value.code) == ("Not found.", "not_found")


def test_party_list_holds_parties_on_the_users_courts_cases(officer, other_court, superuser):
    shared = PartyFactory(organisation=True)
    mine = CaseFactory(court=officer.court, parties=[("creditor", PartyFactory()), ("debtor", shared)])
    theirs = CaseFactory(court=other_court, parties=[("creditor", PartyFactory()), ("debtor", shared)])
    visible = set(party_list(user=officer))
    assert visible == {link.party for link in mine.party_links.all()}
    assert set(party_list(user=superuser)) >= visible | {link.party for link in theirs.party_links.all()}


def test_party_cases_lists_only_the_visible_cases_of_a_party(officer, other_court):
    shared = PartyFactory(organisation=True)
    mine = CaseFactory(court=officer.court, parties=[("creditor", PartyFactory()), ("debtor", shared)])
    CaseFactory(court=other_court, parties=[("creditor", PartyFactory()), ("debtor", shared)])
    assert [link.case for link in party_cases(user=officer, party=shared)] == [mine]
