"""/api/v1/enforcement-cases/ and its actions: filing over REST, the list (scope, filters, a pinned query
count), the detail (deadlines, timeline, notices), each action endpoint, the error shape, and that a refused
request writes nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from enforcement.choices import ClosingKind, NoticeKind, ServiceMethod, Status
from enforcement.deadlines import add_months
from enforcement.models import EnforcementCase, ExtensionRequest, StatusChange
from tests.enforcement.builders import TODAY, case_in, document, nothing_written, parties_of
from tests.enforcement.termination_builders import install_facts, proposal_fields, ready_case
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/enforcement-cases/"


def detail_url(ec, action: str = "") -> str:
    return f"{URL}{ec.pk}/{action + '/' if action else ''}"


def assert_error(response, status: int, code: str, message: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "code", "extra"}
    assert body["code"] == code
    if message is not None:
        assert body["message"] == message
    return body


def filing_body(doc, **overrides) -> dict:
    creditor, debtor = parties_of(doc)
    body = {
        "document": doc.pk,
        "court": "京0105",
        "applicants": [creditor.pk],
        "respondents": [debtor.pk],
        "filing_date": str(TODAY),
    }
    body.update(overrides)
    return body


# ---- filing ------------------------------------------------------------------------------------------------------


def test_a_litigation_system_files_an_enforcement_case_over_rest(api_as, clerk, court):
    doc = document(court)
    response = api_as(clerk).post(URL, filing_body(doc), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    ec = EnforcementCase.objects.get()
    assert body["id"] == ec.pk
    assert body["number"] == f"（{TODAY.year}）京0105执1号"
    assert body["status"] == "filed"
    assert body["amount"] == "102300.00"
    assert body["limit_months"] == 6
    assert body["deadline_on"] == str(add_months(TODAY, 6))
    assert [(p["role"], p["party"]["name"]) for p in body["parties"]] == [
        ("creditor", "李华"),
        ("debtor", "北京恒通商贸有限公司"),
    ]
    assert [row["kind"] for row in body["timeline"]] == ["status_change"]
    assert body["timeline"][0]["title"] == "Case filed"


def test_a_late_filing_over_rest_is_refused_with_the_rule_and_nothing_is_written(api_as, clerk, court):
    doc = document(court, effective_on=dt.date(2023, 1, 2), performance_deadline=dt.date(2023, 1, 10))
    with nothing_written():
        response = api_as(clerk).post(URL, filing_body(doc), format="json")
    body = assert_error(response, 400, "enforcement_filing.period_expired")
    assert body["message"].startswith("The period for applying for enforcement ended on 2025-01-10")
    assert body["extra"] == {"last_day": "2025-01-10"}


def test_a_late_filing_with_a_reason_is_accepted(api_as, clerk, court):
    doc = document(court, effective_on=dt.date(2023, 1, 2), performance_deadline=dt.date(2023, 1, 10))
    response = api_as(clerk).post(URL, filing_body(doc, late_reason="被执行人书面承认债务，时效中断"), format="json")
    assert response.status_code == 201
    assert response.json()["late_application_reason"] == "被执行人书面承认债务，时效中断"


def test_filing_on_another_courts_document_is_not_found(api_as, other_clerk, court):
    doc = document(court)
    with nothing_written():
        response = api_as(other_clerk).post(URL, filing_body(doc, court="京0108"), format="json")
    assert_error(response, 404, "not_found")


def test_filing_needs_its_fields(api_as, clerk, court):
    response = api_as(clerk).post(URL, {"document": document(court).pk}, format="json")
    body = assert_error(response, 400, "invalid_input")
    assert {"court", "applicants", "respondents", "filing_date"} <= set(body["extra"]["fields"])


def test_an_officer_cannot_file_over_rest(api_as, officer, court):
    response = api_as(officer).post(URL, filing_body(document(court)), format="json")
    assert_error(response, 403, "permission_denied")


# ---- list and detail ----------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_court_with_a_fixed_number_of_queries(api_as, officer, court, other_court):
    for _ in range(3):
        case_in(Status.INVESTIGATING, court, officer=officer)
    case_in(Status.FILED, other_court)
    client = api_as(officer)
    with CaptureQueriesContext(connection) as few:
        body = client.get(URL).json()
    assert body["count"] == 3
    for _ in range(7):
        case_in(Status.CONTROLLING, court, debtors=[PartyFactory(), PartyFactory()])
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).json()["count"] == 10
    assert len(many) == len(few)


def test_the_list_filters_by_status_officer_overdue_and_text(api_as, officer, court):
    mine = case_in(Status.INVESTIGATING, court, officer=officer)
    late = case_in(Status.CONTROLLING, court, filing_date=TODAY - dt.timedelta(days=400))
    suspended_late = case_in(Status.SUSPENDED, court, filing_date=TODAY - dt.timedelta(days=400))
    case_in(Status.CLOSED, court, filing_date=TODAY - dt.timedelta(days=400))
    client = api_as(officer)

    def ids(**params):
        return sorted(row["id"] for row in client.get(URL, params).json()["results"])

    assert ids(status="investigating") == [mine.pk]
    assert ids(officer=officer.pk) == [mine.pk]
    assert ids(overdue="true") == [late.pk]
    assert suspended_late.pk not in ids(overdue="true")
    assert ids(q=mine.case.number) == [mine.pk]
    rows = client.get(URL, {"ordering": "-deadline_on"}).json()["results"]
    deadlines = [row["deadline_on"] for row in rows]
    assert deadlines == sorted(deadlines, reverse=True)


def test_the_detail_shows_deadlines_timeline_and_notices(api_as, officer, court):
    ec = case_in(Status.NOTIFIED, court, officer=officer, filing_date=TODAY - dt.timedelta(days=10))
    client = api_as(officer)
    client.post(detail_url(ec, "transitions/start_investigation"), {"reason": "开始调查"}, format="json")
    body = client.get(detail_url(ec)).json()
    assert body["status"] == "investigating"
    assert [d["code"] for d in body["deadlines"]] == ["assign", "enforcement_notice", "investigation", "conclude"]
    assert body["deadlines"][-1]["due_on"] == str(add_months(TODAY - dt.timedelta(days=10), 6))
    assert body["days_remaining"] == (add_months(TODAY - dt.timedelta(days=10), 6) - TODAY).days
    row = body["timeline"][-1]
    assert row["title"] == "start the asset investigation: Notified → Investigating"
    assert (row["reason"], row["actor"]) == ("开始调查", str(officer))
    assert body["notices"] == []


def test_another_courts_case_is_not_found(api_as, other_officer, court):
    ec = case_in(Status.FILED, court)
    assert_error(api_as(other_officer).get(detail_url(ec)), 404, "not_found", "Not found.")


# ---- actions -------------------------------------------------------------------------------------------------------


def test_an_illegal_step_answers_400_with_the_rule_and_writes_nothing(api_as, officer, court):
    ec = case_in(Status.FILED, court)
    with nothing_written():
        response = api_as(officer).post(detail_url(ec, "transitions/start_control"), {}, format="json")
    assert_error(
        response,
        400,
        "lifecycle.illegal_transition",
        "The case is in the state “Filed” and cannot take the step “start controlling assets”.",
    )


def test_steps_with_data_are_not_offered_through_the_generic_endpoint(api_as, officer, court):
    ec = case_in(Status.CONTROLLING, court)
    for name in ("suspend", "close", "assign", "nonsense"):
        response = api_as(officer).post(detail_url(ec, f"transitions/{name}"), {}, format="json")
        assert_error(response, 400, "lifecycle.unknown_transition")


def test_a_clerk_may_not_take_steps(api_as, clerk, court):
    ec = case_in(Status.NOTIFIED, court)
    response = api_as(clerk).post(detail_url(ec, "transitions/start_investigation"), {}, format="json")
    assert_error(response, 403, "permission_denied")


def test_suspend_and_resume_over_rest(api_as, officer, court):
    ec = case_in(Status.CONTROLLING, court, filing_date=TODAY - dt.timedelta(days=60))
    client = api_as(officer)
    body = client.post(
        detail_url(ec, "suspend"),
        {"ground": "third_party_objection", "reason": "案外人提出异议", "on": str(TODAY - dt.timedelta(days=5))},
        format="json",
    ).json()
    assert body["status"] == "suspended"
    assert body["days_remaining"] == (ec.deadline_on - (TODAY - dt.timedelta(days=5))).days
    body = client.post(detail_url(ec, "resume"), {"on": str(TODAY)}, format="json").json()
    assert (body["status"], body["suspended_days"]) == ("controlling", 5)
    assert body["deadline_on"] == str(ec.deadline_on + dt.timedelta(days=5))
    kinds = [row["kind"] for row in body["timeline"]]
    assert kinds.count("suspension") == 1 and kinds.count("resumption") == 1


def test_close_over_rest_refuses_terminating_this_round_directly(api_as, officer, court):
    ec = case_in(Status.INVESTIGATING, court, filing_date=TODAY - dt.timedelta(days=120))
    with nothing_written():
        response = api_as(officer).post(
            detail_url(ec, "close"),
            {"kind": ClosingKind.TERMINATED_THIS_ROUND, "reason": "无财产", "on": str(TODAY)},
            format="json",
        )
    assert_error(response, 400, "closing.termination_needs_approval")


def test_close_over_rest_takes_the_ground_of_termination(api_as, officer, court):
    ec = case_in(Status.INVESTIGATING, court)
    with nothing_written():
        response = api_as(officer).post(
            detail_url(ec, "close"), {"kind": ClosingKind.TERMINATED, "reason": "撤回申请", "on": str(TODAY)},
            format="json",
        )  # fmt: skip
    assert_error(response, 400, "closing.ground_required")
    body = (
        api_as(officer)
        .post(
            detail_url(ec, "close"),
            {"kind": ClosingKind.TERMINATED, "reason": "撤回申请", "on": str(TODAY), "ground": "application_withdrawn"},
            format="json",
        )
        .json()
    )
    assert (body["status"], body["closing_kind"]) == ("closed", "terminated")
    assert EnforcementCase.objects.get(pk=ec.pk).closing_ground == "application_withdrawn"


def test_terminate_through_the_proposal_and_restore_over_rest(
    api_as, officer, clerk, division_head, court, media_root, monkeypatch
):
    install_facts(monkeypatch)  # a completed network query over every category (assets' fact)
    ec = ready_case(court, officer, filing_date=TODAY - dt.timedelta(days=120))
    fields = {k: (str(v) if isinstance(v, dt.date) else v) for k, v in proposal_fields().items()}
    response = api_as(officer).post(f"{URL}{ec.pk}/termination-proposals/", fields, format="json")
    assert response.status_code == 201, response.content
    proposal = response.json()["id"]
    response = api_as(division_head).post(
        f"/api/v1/termination-proposals/{proposal}/decide/", {"approve": True}, format="json"
    )
    assert response.status_code == 200, response.content
    body = api_as(officer).get(detail_url(ec)).json()
    assert (body["status"], body["closing_kind"], body["closed_on"]) == ("closed", "terminated_this_round", str(TODAY))
    response = api_as(clerk).post(detail_url(ec, "restore"), {"on": str(TODAY), "reason": "发现财产"}, format="json")
    assert response.status_code == 201
    restored = response.json()
    assert restored["case_type"] == "执恢"
    assert restored["restored_from"] == ec.pk


def test_notices_over_rest_move_the_case_and_the_docx_downloads(api_as, officer, court, media_root):
    ec = case_in(Status.ASSIGNED, court, officer=officer)
    debtor = ec.case.party_links.get(role="debtor").party
    client = api_as(officer)
    for kind in NoticeKind.values:
        response = client.post(
            detail_url(ec, "notices"),
            {"kind": kind, "recipient": debtor.pk, "service_method": ServiceMethod.ELECTRONIC, "served_on": str(TODAY)},
            format="json",
        )
        assert response.status_code == 201, response.content
    notice = response.json()
    assert notice["download_url"] == f"/api/v1/notices/{notice['id']}/download/"
    download = client.get(notice["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs)
    assert "报告财产令" in text and debtor.name in text and ec.case.number in text
    assert client.get(detail_url(ec)).json()["status"] == "notified"


def test_another_courts_notice_is_not_found(api_as, officer, other_officer, court, media_root):
    from enforcement.services import notice_issue

    ec = case_in(Status.ASSIGNED, court, officer=officer)
    debtor = ec.case.party_links.get(role="debtor").party
    notice = notice_issue(
        actor=officer,
        enforcement_case=ec,
        kind=NoticeKind.ENFORCEMENT_NOTICE,
        recipient_id=debtor.pk,
        service_method=ServiceMethod.IN_PERSON,
        served_on=TODAY,
    )
    assert_error(api_as(other_officer).get(f"/api/v1/notices/{notice.pk}/download/"), 404, "not_found")


def test_a_notice_to_a_creditor_is_refused_over_rest(api_as, officer, court, media_root):
    ec = case_in(Status.ASSIGNED, court, officer=officer)
    creditor = ec.case.party_links.get(role="creditor").party
    with nothing_written():
        response = api_as(officer).post(
            detail_url(ec, "notices"),
            {"kind": "enforcement_notice", "recipient": creditor.pk, "service_method": "post", "served_on": str(TODAY)},
            format="json",
        )
    assert_error(response, 400, "notice.recipient_not_debtor")


# ---- triage, assignment and extensions (services of enforcement/services/assignment.py, extensions.py) -------------


def test_triage_and_assignment_over_rest(api_as, officer, division_head, court):
    ec = case_in(Status.FILED, court)
    head = api_as(division_head)
    body = head.post(detail_url(ec, "triage"), format="json").json()
    assert body["track"] in {"simple", "complex"}
    assert body["difficulty_score"] is not None
    body = head.post(detail_url(ec, "assign"), {"officer": officer.pk}, format="json").json()
    assert (body["status"], body["officer"]["id"]) == ("assigned", officer.pk)


def test_assigning_to_another_courts_officer_is_refused_and_writes_nothing(api_as, division_head, other_officer, court):
    ec = case_in(Status.FILED, court)
    with nothing_written():
        response = api_as(division_head).post(detail_url(ec, "assign"), {"officer": other_officer.pk}, format="json")
    assert_error(response, 400, "assignment.other_court")


def test_an_officer_cannot_assign(api_as, officer, court):
    ec = case_in(Status.FILED, court)
    assert_error(
        api_as(officer).post(detail_url(ec, "assign"), {"officer": officer.pk}, format="json"), 403, "permission_denied"
    )


def test_bulk_assignment_over_rest(api_as, division_head, officer, court):
    cases = [case_in(Status.FILED, court) for _ in range(3)]
    response = api_as(division_head).post(
        f"{URL}assign-bulk/", {"cases": [c.pk for c in cases], "officer": officer.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert sorted(row["case"] for row in response.json()) == sorted(c.pk for c in cases)
    assert set(EnforcementCase.objects.values_list("status", "officer")) == {("assigned", officer.pk)}


def test_bulk_assignment_of_an_invisible_case_is_not_found(api_as, division_head, court, other_court):
    mine, theirs = case_in(Status.FILED, court), case_in(Status.FILED, other_court)
    with nothing_written():
        response = api_as(division_head).post(f"{URL}assign-bulk/", {"cases": [mine.pk, theirs.pk]}, format="json")
    assert_error(response, 404, "not_found")


def test_an_extension_is_requested_by_the_officer_and_decided_by_the_division_head(
    api_as, officer, division_head, court
):
    filed = add_months(TODAY, -6) + dt.timedelta(days=2)  # the deadline is two days away: inside the last 5 days
    ec = case_in(Status.INVESTIGATING, court, officer=officer, filing_date=filed)
    response = api_as(officer).post(detail_url(ec, "extensions"), {"months": 3, "reason": "财产处置中"}, format="json")
    assert response.status_code == 201, response.content
    extension = response.json()
    assert extension["status"] == "pending"
    response = api_as(division_head).post(
        f"/api/v1/extensions/{extension['id']}/decide/", {"approve": True, "note": "同意"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    ec.refresh_from_db()
    assert ec.extended_months == 3
    assert ExtensionRequest.objects.get().decided_by == division_head


def test_an_officer_cannot_decide_an_extension(api_as, officer, court):
    ec = case_in(Status.INVESTIGATING, court, officer=officer)
    extension = ExtensionRequest.objects.create(enforcement_case=ec, months=3, reason="x", requested_by=officer)
    response = api_as(officer).post(f"/api/v1/extensions/{extension.pk}/decide/", {"approve": True}, format="json")
    assert_error(response, 403, "permission_denied")


# ---- the walk the issue asks for: application → triage → assignment → notices ------------------------------------


def test_an_enforcement_application_walks_to_notified_over_rest(
    api_as, clerk, division_head, officer, court, media_root
):
    doc = document(court, principal="80000.00", costs="1500.00")
    creditor, debtor = parties_of(doc)
    ec_id = api_as(clerk).post(URL, filing_body(doc), format="json").json()["id"]
    ec = EnforcementCase.objects.get(pk=ec_id)
    head = api_as(division_head)
    head.post(detail_url(ec, "triage"), format="json")
    head.post(detail_url(ec, "assign"), {"officer": officer.pk}, format="json")
    client = api_as(officer)
    for kind in (NoticeKind.ENFORCEMENT_NOTICE, NoticeKind.PROPERTY_REPORT_ORDER):
        response = client.post(
            detail_url(ec, "notices"),
            {"kind": kind, "recipient": debtor.pk, "service_method": "in_person", "served_on": str(TODAY)},
            format="json",
        )
        assert response.status_code == 201, response.content
    body = client.get(detail_url(ec)).json()
    assert body["status"] == "notified"
    assert body["amount"] == "81500.00"
    transitions = [row["details"].get("transition") for row in body["timeline"] if row["kind"] == "status_change"]
    assert transitions == ["file", "assign", "notify"]
    assert [row["kind"] for row in body["timeline"]].count("notice") == 2
    deadlines = {d["code"]: d for d in body["deadlines"]}
    assert (deadlines["assign"]["done_on"], deadlines["assign"]["overdue"]) == (str(TODAY), False)
    assert (deadlines["enforcement_notice"]["done_on"], deadlines["enforcement_notice"]["overdue"]) == (
        str(TODAY),
        False,
    )
    assert deadlines["investigation"]["due_on"] == str(add_months(TODAY, 1))
    notice = body["notices"][0]
    download = client.get(notice["download_url"])
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs)
    assert "执行通知书" in text
    assert "¥81,500.00（大写：人民币捌万壹仟伍佰元整）" in text
    assert StatusChange.objects.filter(enforcement_case=ec).count() == 3
    assert Decimal(body["performed_amount"]) == 0
    assert creditor.name in text


# ---- schema -------------------------------------------------------------------------------------------------------


def test_the_enforcement_endpoints_are_in_the_valid_schema():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    paths = set(schema["paths"])
    assert {
        "/api/v1/enforcement-cases/",
        "/api/v1/enforcement-cases/{id}/",
        "/api/v1/enforcement-cases/{id}/transitions/{name}/",
        "/api/v1/enforcement-cases/{id}/suspend/",
        "/api/v1/enforcement-cases/{id}/resume/",
        "/api/v1/enforcement-cases/{id}/close/",
        "/api/v1/enforcement-cases/{id}/restore/",
        "/api/v1/enforcement-cases/{id}/triage/",
        "/api/v1/enforcement-cases/{id}/assign/",
        "/api/v1/enforcement-cases/{id}/notices/",
        "/api/v1/enforcement-cases/{id}/extensions/",
        "/api/v1/enforcement-cases/assign-bulk/",
        "/api/v1/notices/{id}/download/",
        "/api/v1/extensions/{id}/decide/",
        "/api/v1/enforcement-cases/{id}/termination-checklist/",
        "/api/v1/enforcement-cases/{id}/termination-proposals/",
        "/api/v1/termination-proposals/",
        "/api/v1/termination-proposals/{id}/decide/",
        "/api/v1/termination-proposals/{id}/withdraw/",
        "/api/v1/termination-proposals/{id}/ruling/",
        "/api/v1/enforcement-cases/{id}/settlements/",
        "/api/v1/settlements/{id}/performed/",
    } <= paths
    names = {p["name"] for p in schema["paths"]["/api/v1/enforcement-cases/"]["get"]["parameters"]}
    assert {"status", "track", "officer", "court", "deadline_before", "deadline_after", "overdue", "q"} <= names
