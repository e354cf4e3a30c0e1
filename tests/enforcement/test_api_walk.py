"""The whole path of 立审执 over REST, each step by the role that takes it with its own session: the clerk files
a 民初 case, the judge records the hearing (scheduled, held) and the judgment and marks it effective, the
clerk applies for enforcement on it, the division head triages and assigns the new case, the officer issues
the 执行通知书 and the 报告财产令. Then the enforcement case answers with its status, timeline and deadlines,
and both generated .docx files name the case, the debtor and the amount."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document
from rest_framework.test import APIClient

from cases.choices import CaseType, PartyRole
from core.identifiers import make_credit_code, make_resident_id
from enforcement.choices import NoticeKind, ServiceMethod
from enforcement.deadlines import add_months, application_last_day
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def day(days_ago: int) -> str:
    return str(TODAY - dt.timedelta(days=days_ago))


def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def docx_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_case_walks_from_filing_through_trial_to_a_notified_enforcement_case_over_rest(court, media_root):
    clerk = session(UserFactory(clerk=True, court=court, username="walk-clerk"))
    judge = session(UserFactory(judge=True, court=court, username="walk-judge"))
    head = session(UserFactory(division_head=True, court=court, username="walk-head"))
    officer_user = UserFactory(officer=True, court=court, username="walk-officer")
    officer = session(officer_user)

    # 立: the clerk files the 民初 case.
    case = ok(
        clerk.post(
            "/api/v1/cases/",
            {
                "court": "京0105",
                "case_type": CaseType.CIVIL_FIRST,
                "filing_date": day(60),
                "amount": "150000.00",
                "cause": "买卖合同纠纷",
                "parties": [
                    {
                        "role": PartyRole.PLAINTIFF,
                        "kind": "person",
                        "name": "周申请",
                        "id_number": make_resident_id("110105", dt.date(1975, 4, 2), 31),
                    },
                    {
                        "role": PartyRole.DEFENDANT,
                        "kind": "organisation",
                        "name": "北京鼎盛建材有限公司",
                        "id_number": make_credit_code("91", "110105", "MA01DK8X2"),
                        "legal_representative": "孙某",
                    },
                ],
            },
            format="json",
        ),
        201,
    )
    assert case["number"] == f"（{(TODAY - dt.timedelta(days=60)).year}）京0105民初1号"
    plaintiff, defendant = (row["party"]["id"] for row in case["parties"])
    base = f"/api/v1/cases/{case['id']}"

    # 审: the judge records the hearing, scheduled and held, and the judgment; then it takes effect.
    hearing = (timezone.now() - dt.timedelta(days=45)).isoformat()
    for kind in ("hearing_scheduled", "hearing_held"):
        ok(judge.post(f"{base}/trial-events/", {"kind": kind, "at": hearing, "place": "第三法庭"}, format="json"), 201)
    judgment = ok(
        judge.post(
            f"{base}/documents/",
            {
                "kind": "judgment",
                "issued_on": day(35),
                "performance_deadline": day(20),
                "principal": "150000.00",
                "costs": "3300.00",
                "interest_rule": "自2025年1月1日起按LPR计算至实际清偿之日",
                "obligee_ids": [plaintiff],
                "obligor_ids": [defendant],
            },
            format="json",
        ),
        201,
    )
    assert (judgment["amount_due"], judgment["is_effective"]) == ("153300.00", False)
    effective = ok(judge.post(f"/api/v1/documents/{judgment['id']}/effective/", {"effective_on": day(30)}))
    assert effective["is_effective"] is True

    # 执: the clerk applies; the division head triages and assigns; the officer serves both documents.
    ec = ok(
        clerk.post(
            "/api/v1/enforcement-cases/",
            {
                "document": judgment["id"],
                "court": "京0105",
                "applicants": [plaintiff],
                "respondents": [defendant],
                "filing_date": str(TODAY),
            },
            format="json",
        ),
        201,
    )
    assert (ec["status"], ec["amount"], ec["case_type"]) == ("filed", "153300.00", "执")
    assert [(p["role"], p["party"]["id"]) for p in ec["parties"]] == [("creditor", plaintiff), ("debtor", defendant)]
    assert ec["timeline"][0]["details"]["application_last_day"] == str(application_last_day(TODAY - dt.timedelta(20)))
    url = f"/api/v1/enforcement-cases/{ec['id']}/"
    triaged = ok(head.post(url + "triage/", format="json"))
    assert triaged["difficulty_score"] is not None and triaged["track"] in ("simple", "complex")
    assigned = ok(head.post(url + "assign/", {"officer": officer_user.pk}, format="json"))
    assert (assigned["status"], assigned["officer"]["id"]) == ("assigned", officer_user.pk)
    notices = []
    for kind in (NoticeKind.ENFORCEMENT_NOTICE, NoticeKind.PROPERTY_REPORT_ORDER):
        body = {
            "kind": kind,
            "recipient": defendant,
            "service_method": ServiceMethod.IN_PERSON,
            "served_on": str(TODAY),
        }
        notices.append(ok(officer.post(url + "notices/", body, format="json"), 201))

    # The case as it now is: notified, its timeline, its deadlines, its documents.
    result = ok(officer.get(url))
    assert result["status"] == "notified"
    assert result["source_document"] == judgment["id"]
    timeline = result["timeline"]
    assert [row["details"]["transition"] for row in timeline if row["kind"] == "status_change"] == [
        "file",
        "assign",
        "notify",
    ]
    assert sorted(row["details"]["kind"] for row in timeline if row["kind"] == "notice") == sorted(NoticeKind.values)
    deadlines = {row["code"]: row for row in result["deadlines"]}
    assert deadlines["conclude"]["due_on"] == str(add_months(TODAY, 6)) == result["deadline_on"]
    assert (deadlines["assign"]["done_on"], deadlines["assign"]["overdue"]) == (str(TODAY), False)
    assert (deadlines["enforcement_notice"]["done_on"], deadlines["enforcement_notice"]["overdue"]) == (
        str(TODAY),
        False,
    )
    assert deadlines["investigation"]["due_on"] == str(add_months(TODAY, 1))
    assert [n["kind"] for n in result["notices"]] == [NoticeKind.ENFORCEMENT_NOTICE, NoticeKind.PROPERTY_REPORT_ORDER]
    for notice, title in zip(notices, ("执行通知书", "报告财产令"), strict=True):
        text = docx_text(officer.get(notice["download_url"]))
        assert title in text
        assert result["number"] in text
        assert "北京鼎盛建材有限公司" in text
        assert "¥153,300.00" in text
