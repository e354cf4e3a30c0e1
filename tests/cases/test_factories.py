"""The factories make valid records: identifiers pass the same checks the services apply."""

import pytest

from core.case_numbers import format_case_number
from core.identifiers import is_minor, normalize_credit_code, normalize_resident_id
from tests.factories import CaseFactory, PartyFactory, UserFactory, organisation_check_character, organisation_code

pytestmark = pytest.mark.django_db


def test_person_organisation_and_minor_parties_have_valid_identifiers():
    person, company, child = PartyFactory(), PartyFactory(organisation=True), PartyFactory(minor=True)
    assert normalize_resident_id(person.id_number) == person.id_number
    assert normalize_credit_code(company.id_number) == company.id_number
    assert company.legal_representative and company.birth_date is None
    assert is_minor(child.id_number) and not is_minor(person.id_number)
    person.full_clean()
    company.full_clean()


def test_the_organisation_code_inside_a_credit_code_carries_its_own_check_character():
    assert organisation_check_character("M000100Y") == "4"  # the standard's example (legal-rules §11.2)
    assert organisation_code(7) == "MA000007" + organisation_check_character("MA000007")
    assert len({organisation_code(n) for n in range(500)}) == 500


def test_users_by_trait_have_their_role_and_court():
    clerk, agency, root = UserFactory(clerk=True), UserFactory(agency=True), UserFactory(superuser=True)
    assert (clerk.role, clerk.court.code) == ("clerk", "京0105")
    assert (agency.role, agency.court) == ("agency", None)
    assert root.is_superuser and root.court is None
    clerk.full_clean()


def test_a_factory_case_has_one_party_on_each_side_and_an_allocated_number():
    case = CaseFactory()
    assert sorted(case.party_links.values_list("role", flat=True)) == ["creditor", "debtor"]
    assert case.number == format_case_number(
        year=case.year, court_code=case.court.code, type_code=case.case_type, serial=case.serial
    )
    case.full_clean()
