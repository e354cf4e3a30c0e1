"""A staff read of a party's personal details is written to the audit log: selector, page and API alike."""

import pytest

from cases.selectors import party_get_personal
from core.exceptions import NotFound, PermissionDenied
from core.models import AuditLog
from tests.factories import CaseFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(officer):
    """A debtor on a case of the officer's court (京0105)."""
    debtor = PartyFactory(id_number="11010519491231002X", name="李华", phone="13912345678")
    CaseFactory(court=officer.court, parties=[("creditor", PartyFactory()), ("debtor", debtor)])
    return debtor


@pytest.fixture
def elsewhere(other_court):
    """A party on a case of another court only."""
    debtor = PartyFactory()
    CaseFactory(court=other_court, parties=[("creditor", PartyFactory()), ("debtor", debtor)])
    return debtor


def reads():
    return AuditLog.objects.filter(action="party.read_personal")


def test_the_selector_records_who_read_whose_details_and_why(officer, party):
    assert party_get_personal(user=officer, party_id=party.pk, purpose="preparing the notice") == party
    entry = reads().get()
    assert (entry.actor, entry.court, entry.object_type, entry.object_id, entry.object_repr, entry.reason) == (
        officer,
        officer.court,
        "cases.party",
        str(party.pk),
        "李华",
        "preparing the notice",
    )


def test_the_selector_refuses_another_courts_party_without_recording_a_read(officer, elsewhere):
    with pytest.raises(NotFound):
        party_get_personal(user=officer, party_id=elsewhere.pk)
    assert not reads().exists()


def test_the_selector_refuses_a_role_without_party_view_personal(court, party):
    with pytest.raises(PermissionDenied):
        party_get_personal(user=UserFactory(court_admin=True, court=court), party_id=party.pk)
    assert not reads().exists()


def test_the_api_returns_the_full_details_and_records_the_read_with_the_request_id(api_as, officer, party):
    response = api_as(officer).get(
        f"/api/v1/parties/{party.pk}/", {"purpose": "asset query"}, headers={"X-Request-ID": "trace-0042"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["id_number"], body["phone"], body["birth_date"]) == ("11010519491231002X", "13912345678", "1949-12-31")
    entry = reads().get()
    assert (entry.actor, entry.object_id, entry.reason) == (officer, str(party.pk), "asset query")
    assert entry.request_id == "trace-0042"
    assert entry.ip_address == "127.0.0.1"


def test_the_api_answers_404_for_another_courts_party_and_records_nothing(api_as, officer, elsewhere):
    response = api_as(officer).get(f"/api/v1/parties/{elsewhere.pk}/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "extra": {}}
    assert not reads().exists()


def test_the_api_refuses_a_court_administrator_the_personal_details(api_as, court, party):
    response = api_as(UserFactory(court_admin=True, court=court)).get(f"/api/v1/parties/{party.pk}/")
    assert response.status_code == 403
    assert not reads().exists()


def test_the_masked_party_list_is_not_a_personal_read(api_as, officer, party):
    assert api_as(officer).get("/api/v1/parties/").status_code == 200
    assert not reads().exists()


def test_opening_the_party_page_records_the_read_with_the_request_id(client_as, officer, party):
    response = client_as(officer).get(f"/cases/parties/{party.pk}/", headers={"X-Request-ID": "page-7"})
    assert response.status_code == 200
    assert "11010519491231002X" in response.content.decode()
    entry = reads().get()
    assert (entry.actor, entry.object_id, entry.reason, entry.request_id) == (
        officer,
        str(party.pk),
        "party page",
        "page-7",
    )


def test_the_party_page_of_another_courts_party_is_404_and_records_nothing(client_as, officer, elsewhere):
    assert client_as(officer).get(f"/cases/parties/{elsewhere.pk}/").status_code == 404
    assert not reads().exists()
