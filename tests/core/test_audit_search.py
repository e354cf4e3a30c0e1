"""The auditor searches the audit log of their court — on the page and through ``GET /api/v1/audit/`` with the
same filters — and every search is itself an audited read."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from core.audit import audit_record
from core.context import request_id_var
from core.models import AuditLog
from tests.factories import CaseFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/audit/"


@pytest.fixture
def auditor(court):
    return UserFactory(auditor=True, court=court, username="auditor-0105")


@pytest.fixture
def other_auditor(other_court):
    return UserFactory(auditor=True, court=other_court, username="auditor-0108")


@pytest.fixture
def rows(officer, clerk, other_officer):
    """Three rows at 京0105 (two actors, a party read with a reason, a case file under a request id, a row ten
    days old) and one at 京0108."""
    party = PartyFactory(name="李华")
    case = CaseFactory(court=officer.court)
    read = audit_record(actor=officer, action="party.read_personal", obj=party, reason="查控前核对身份")
    token = request_id_var.set("req-7f3a")
    try:
        filed = audit_record(actor=clerk, action="case.file", obj=case)
    finally:
        request_id_var.reset(token)
    old = AuditLog.objects.create(
        at=timezone.now() - dt.timedelta(days=10),
        actor=officer,
        actor_name=officer.username,
        court=officer.court,
        action="case.touch",
        object_type="cases.case",
        object_id=str(case.pk),
        object_repr=case.number,
        reason="旧记录",
    )
    other = audit_record(actor=other_officer, action="case.file")
    return {"read": read, "filed": filed, "old": old, "other": other, "party": party, "case": case}


def _page(client, **params):
    response = client.get("/audit/", params)
    assert response.status_code == 200
    return list(response.context["entries"])


def _api(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


# --- the filters, on the page and the API alike ---------------------------------------------------------


@pytest.mark.parametrize("surface", ["page", "api"])
def test_the_auditor_filters_by_actor(client_as, api_as, auditor, clerk, rows, surface):
    if surface == "api":
        assert _api(api_as(auditor), actor=clerk.username) == [rows["filed"].pk]
    else:
        assert _page(client_as(auditor), actor=clerk.username) == [rows["filed"]]


@pytest.mark.parametrize("surface", ["page", "api"])
def test_the_auditor_filters_by_object_type_and_id(client_as, api_as, auditor, rows, surface):
    params = {"object_type": "cases.case", "object_id": str(rows["case"].pk)}
    expected = [rows["filed"], rows["old"]]
    if surface == "api":
        assert _api(api_as(auditor), **params) == [e.pk for e in expected]
    else:
        assert _page(client_as(auditor), **params) == expected


@pytest.mark.parametrize("surface", ["page", "api"])
def test_the_auditor_finds_a_request_by_its_id(client_as, api_as, auditor, rows, surface):
    if surface == "api":
        assert _api(api_as(auditor), request_id="req-7f3a") == [rows["filed"].pk]
    else:
        assert _page(client_as(auditor), request_id="req-7f3a") == [rows["filed"]]


@pytest.mark.parametrize("surface", ["page", "api"])
def test_the_auditor_searches_the_text_of_the_reasons(client_as, api_as, auditor, rows, surface):
    if surface == "api":
        assert _api(api_as(auditor), reason="核对身份") == [rows["read"].pk]
    else:
        assert _page(client_as(auditor), reason="核对身份") == [rows["read"]]
        assert _page(client_as(auditor), q="旧记录") == [rows["old"]]


def test_the_auditor_filters_by_action_prefix_and_by_date_range(client_as, api_as, auditor, rows):
    today = timezone.localdate()
    client = client_as(auditor)
    assert _page(client, action="party.") == [rows["read"]]
    assert set(_page(client, at_from=str(today), at_to=str(today))) == {rows["read"], rows["filed"]}
    assert _page(client, at_to=str(today - dt.timedelta(days=1))) == [rows["old"]]
    assert _api(api_as(auditor), at_from=str(today + dt.timedelta(days=1))) == []


def test_a_superuser_narrows_the_log_to_one_court(api_as, client_as, superuser, rows, other_court):
    assert _api(api_as(superuser), court=other_court.pk, action="case.") == [rows["other"].pk]
    assert _page(client_as(superuser), court=other_court.pk, action="case.") == [rows["other"]]


# --- scope: the auditor's court only ------------------------------------------------------------------


def test_the_api_lists_only_the_auditors_court(api_as, auditor, rows):
    assert set(_api(api_as(auditor))) == {rows["read"].pk, rows["filed"].pk, rows["old"].pk}


def test_asking_for_another_court_shows_the_auditor_nothing_of_it(api_as, client_as, auditor, rows, other_court):
    response = api_as(auditor).get(API, {"court": other_court.pk})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert "court" in response.json()["extra"]["fields"]
    page = client_as(auditor).get("/audit/", {"court": other_court.pk})
    assert rows["other"] not in page.context["entries"]
    assert page.context["filter"].form.errors["court"]


def test_an_auditor_of_another_court_sees_none_of_these_rows(api_as, other_auditor, rows):
    assert _api(api_as(other_auditor), action="case.") == [rows["other"].pk]


# --- the API: read-only, capability audit.view, paginated --------------------------------------------


def test_the_api_answers_a_page_of_rows_with_their_fields(api_as, auditor, rows):
    body = api_as(auditor).get(API, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]
    assert set(body["results"][0]) == {
        "id",
        "at",
        "actor",
        "actor_name",
        "court",
        "court_code",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "reason",
        "changes",
        "request_id",
        "ip_address",
    }
    assert body["results"][0]["court_code"] == "京0105"


@pytest.mark.parametrize("role", ["officer", "clerk", "judge", "division_head", "president"])
def test_staff_without_audit_view_are_refused_the_api(api_as, court, role):
    response = api_as(UserFactory(court=court, **{role: True})).get(API)
    assert response.status_code == 403
    assert response.json()["message"] == "Your role does not allow this action."


def test_a_court_administrator_may_search_the_audit_api(api_as, court, rows):
    assert _api(api_as(UserFactory(court_admin=True, court=court)), actor="clerk-0105") == [rows["filed"].pk]


def test_anonymous_callers_are_refused_the_api(api_client):
    assert api_client.get(API).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_audit_api_is_read_only(api_as, auditor, rows, method):
    before = AuditLog.objects.count()
    response = getattr(api_as(auditor), method)(API, {}, format="json")
    assert response.status_code == 405
    assert AuditLog.objects.count() == before


# --- a search of the audit is an audited read --------------------------------------------------------


def test_a_search_on_the_page_is_recorded_with_its_filters(client_as, auditor, rows):
    _page(client_as(auditor), actor="clerk-0105", reason="身份")
    entry = AuditLog.objects.latest("id")
    assert (entry.actor, entry.action, entry.court_id) == (auditor, "audit.search", auditor.court_id)
    assert entry.changes == {"filters": {"actor": "clerk-0105", "reason": "身份"}}


def test_a_search_through_the_api_is_recorded_with_its_filters(api_as, auditor, rows):
    _api(api_as(auditor), object_type="cases.case")
    entry = AuditLog.objects.latest("id")
    assert (entry.actor, entry.action) == (auditor, "audit.search")
    assert entry.changes == {"filters": {"object_type": "cases.case"}}


def test_a_refused_search_is_not_recorded_as_a_read(api_as, client_as, officer, rows):
    before = AuditLog.objects.count()
    assert api_as(officer).get(API).status_code == 403
    assert client_as(officer).get("/audit/").status_code == 403
    assert AuditLog.objects.count() == before


def test_an_export_of_the_log_is_recorded_as_such(client_as, auditor, rows):
    response = client_as(auditor).get("/audit/", {"export": "csv", "action": "case."})
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:4] == ["Time", "Actor", "Action", "Court"]
    assert sorted(line[2] for line in lines[1:]) == ["case.file", "case.touch"]
    entry = AuditLog.objects.latest("id")
    assert (entry.action, entry.changes) == ("audit.search", {"filters": {"action": "case."}, "export": "csv"})


def test_searches_of_the_log_are_listed_only_when_asked_for(client_as, api_as, auditor, rows):
    client = client_as(auditor)
    _page(client)
    _page(client, actor="nobody")
    assert all(e.action != "audit.search" for e in _page(client))
    searches = _page(client, action="audit")
    assert [e.action for e in searches] == ["audit.search"] * 4
    assert searches[1].changes == {"filters": {}}
    assert len(_api(api_as(auditor), action="audit.search")) == 5


def test_the_schema_documents_the_audit_endpoint_and_its_filters():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/audit/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"actor", "action", "object_type", "object_id", "court", "request_id", "reason", "at_from", "at_to"} <= names
    assert {"page", "page_size"} <= names
    assert "AuditEntry" in schema["components"]["schemas"]
    assert set(schema["paths"]["/api/v1/audit/"]) == {"get"}
