"""Registering a party (service and POST /api/v1/parties/), and the party list's masking and scope."""

import datetime as dt

import pytest

from cases.models import Party
from cases.services import PartyInput, party_register
from core.exceptions import InvalidInput, PermissionDenied
from core.models import AuditLog
from tests.factories import CaseFactory, PartyFactory, UserFactory, party_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/parties/"


def register(actor, **data):
    return party_register(actor=actor, data=PartyInput(role="", **data))


def test_registering_a_person_reads_birth_date_and_sex_from_the_id(clerk):
    party = register(clerk, kind="person", name=" 李华 ", id_number="11010519491231002x", phone="13900000000")
    assert (party.name, party.id_number) == ("李华", "11010519491231002X")
    assert (party.birth_date, party.sex) == (dt.date(1949, 12, 31), "F")
    assert party.created_by == clerk


def test_registering_an_organisation_keeps_its_legal_representative(clerk):
    party = register(
        clerk, kind="organisation", name="福州某公司", id_number="91350100M000100Y43", legal_representative="陈明"
    )
    assert (party.kind, party.legal_representative, party.birth_date, party.sex) == ("organisation", "陈明", None, "")


def test_registering_a_party_is_audited(officer):
    party = register(officer, **party_data())
    entry = AuditLog.objects.get(action="party.register")
    assert (entry.actor, entry.court, entry.object_id) == (officer, officer.court, str(party.pk))


def test_registering_an_identifier_twice_is_refused_naming_the_registered_party(clerk, nothing_written):
    PartyFactory(id_number="11010519491231002X", name="李华")
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        register(clerk, kind="person", name="李华", id_number="11010519491231002X")
    assert caught.value.code == "party.duplicate"
    assert caught.value.fields == {"id_number": ["A party with this identifier is already registered (李华)."]}


def test_registering_an_invalid_identifier_is_refused(clerk, nothing_written):
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        register(clerk, kind="organisation", name="某公司", id_number="91350100M000100Y4Z", legal_representative="陈明")
    assert caught.value.code == "party.invalid"
    assert caught.value.fields == {
        "id_number": ["A unified social credit code uses digits and the letters of GB 32100 (no I, O, S, V, Z)."]
    }


def test_a_judge_may_not_register_parties(court, nothing_written):
    judge = UserFactory(judge=True, court=court)
    with nothing_written(), pytest.raises(PermissionDenied):
        register(judge, **party_data())


# ---- the API ------------------------------------------------------------------------------------------------


def test_the_api_registers_a_party_and_returns_its_details(api_as, clerk):
    response = api_as(clerk).post(
        URL, {"kind": "person", "name": "李华", "id_number": "11010519491231002X"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id_number"] == "11010519491231002X"
    assert (body["birth_date"], body["sex"], body["kind"]) == ("1949-12-31", "F", "person")
    assert Party.objects.filter(pk=body["id"]).exists()


def test_the_api_refuses_a_duplicate_identifier_with_code_party_duplicate(api_as, clerk, nothing_written):
    PartyFactory(id_number="11010519491231002X", name="李华")
    with nothing_written():
        response = api_as(clerk).post(
            URL, {"kind": "person", "name": "李华", "id_number": "11010519491231002X"}, format="json"
        )
    assert response.status_code == 400
    assert response.json() == {
        "message": "A party with this identifier is already registered (李华).",
        "code": "party.duplicate",
        "extra": {"fields": {"id_number": ["A party with this identifier is already registered (李华)."]}},
    }


def test_the_api_refuses_an_invalid_id_naming_the_field(api_as, clerk, nothing_written):
    with nothing_written():
        response = api_as(clerk).post(
            URL, {"kind": "person", "name": "李华", "id_number": "110105194912310021"}, format="json"
        )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "party.invalid"
    assert body["extra"]["fields"] == {
        "id_number": ["The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2)."]
    }


def test_the_api_refuses_a_registration_without_a_kind(api_as, clerk, nothing_written):
    with nothing_written():
        response = api_as(clerk).post(URL, {"name": "李华", "id_number": "11010519491231002X"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"kind"}


def test_the_api_refuses_registration_by_a_judge(api_as, court, nothing_written):
    with nothing_written():
        response = api_as(UserFactory(judge=True, court=court)).post(URL, party_data(), format="json")
    assert response.status_code == 403


def test_the_party_list_masks_a_persons_id_and_shows_an_organisations_code(api_as, officer):
    person, company = PartyFactory(id_number="11010519491231002X"), PartyFactory(organisation=True)
    CaseFactory(court=officer.court, parties=[("creditor", person), ("debtor", company)])
    body = api_as(officer).get(URL).json()
    shown = {row["id"]: row["id_number"] for row in body["results"]}
    assert shown == {person.pk: "110105********002X", company.pk: company.id_number}
    assert set(body["results"][0]) == {"id", "kind", "name", "id_number"}


def test_the_party_list_shows_only_parties_on_the_users_courts_cases(api_as, officer, other_court):
    CaseFactory(court=other_court)
    mine = CaseFactory(court=officer.court)
    PartyFactory()  # on no case at all
    body = api_as(officer).get(URL).json()
    assert {row["id"] for row in body["results"]} == set(mine.party_links.values_list("party_id", flat=True))
    assert body["count"] == 2
