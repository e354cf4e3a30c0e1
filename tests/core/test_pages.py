"""Core pages: the home page sends staff where their role works; the audit log page for auditors."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.audit import audit_record
from tests.factories import PASSWORD, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["officer", "judge", "division_head"])
def test_the_home_page_sends_officers_judges_and_division_heads_to_their_workspace(client_as, court, role):
    response = client_as(UserFactory(court=court, **{role: True})).get("/")
    assert (response.status_code, response["Location"]) == (302, "/command/workspace/")


@pytest.mark.parametrize("role", ["clerk", "court_admin", "president"])
def test_the_home_page_sends_clerks_administrators_and_presidents_to_the_case_list(client_as, court, role):
    response = client_as(UserFactory(court=court, **{role: True})).get("/")
    assert (response.status_code, response["Location"]) == (302, "/cases/")


def test_an_officer_lands_on_the_workspace_after_logging_in(client, court):
    officer = UserFactory(officer=True, court=court, username="landing-officer")
    response = client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1] == ("/command/workspace/", 302)
    assert response.status_code == 200


def test_the_home_page_sends_an_auditor_to_the_audit_log(client_as, court):
    response = client_as(UserFactory(auditor=True, court=court)).get("/")
    assert (response.status_code, response["Location"]) == (302, "/audit/")


def test_the_home_page_sends_a_superuser_to_the_case_list(client_as, superuser):
    assert client_as(superuser).get("/")["Location"] == "/cases/"


def test_anonymous_visitors_and_agency_clients_see_the_public_portal(client, client_as, agency_user):
    assert client.get("/").status_code == 200
    assert client_as(agency_user).get("/").status_code == 200


@pytest.fixture
def auditor(court):
    return UserFactory(auditor=True, court=court, username="auditor-0105")


@pytest.fixture
def entries(officer, other_officer):
    """Two rows at 京0105 and one at 京0108."""
    party = PartyFactory(name="李华")
    read = audit_record(actor=officer, action="party.read_personal", obj=party, reason="asset query")
    filed = audit_record(actor=officer, action="case.file", reason="")
    audit_record(actor=other_officer, action="case.file")
    return read, filed


def test_the_audit_page_lists_the_auditors_courts_rows(client_as, auditor, entries):
    response = client_as(auditor).get("/audit/")
    assert response.status_code == 200
    assert set(response.context["entries"]) == set(entries)


def test_the_audit_page_filters_by_action_and_by_object(client_as, auditor, entries):
    read, filed = entries
    client = client_as(auditor)
    assert list(client.get("/audit/", {"action": "case."}).context["entries"]) == [filed]
    assert list(client.get("/audit/", {"q": "李华"}).context["entries"]) == [read]


def test_the_audit_log_exports_as_csv_and_xlsx(client_as, auditor, entries):
    client = client_as(auditor)
    text = b"".join(client.get("/audit/", {"export": "csv"}).streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Time", "Actor", "Action"]
    assert sorted(row[2] for row in rows[1:]) == ["case.file", "party.read_personal"]
    sheet = load_workbook(io.BytesIO(client.get("/audit/", {"export": "xlsx"}).content)).active
    assert sheet.max_row == 3


def test_an_officer_may_not_open_the_audit_log(client_as, officer):
    assert client_as(officer).get("/audit/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_for_the_audit_log(client):
    response = client.get("/audit/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/audit/")
