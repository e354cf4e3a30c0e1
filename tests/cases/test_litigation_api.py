"""/api/v1/ for the trial side: trial events, documents, preservation, alerts, the notice, appeals."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from cases import checks
from cases.alerts import pending_litigation_records
from cases.choices import PartyRole
from cases.models import EffectiveDocument, PreservationMeasure
from tests.cases.builders import TODAY, civil_case, party, preservation_case
from tests.factories import CourtFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def providers(monkeypatch):
    monkeypatch.setattr(checks, "_PROVIDERS", {"cases": pending_litigation_records})


def document_body(case, **overrides):
    body = {
        "kind": "judgment",
        "issued_on": str(TODAY - dt.timedelta(days=30)),
        "principal": "40000.00",
        "costs": "2000.00",
        "interest_rule": "按LPR计算",
        "instalments": [
            {"due_on": str(TODAY - dt.timedelta(days=5)), "amount": "21000.00"},
            {"due_on": str(TODAY + dt.timedelta(days=25)), "amount": "21000.00"},
        ],
        "obligee_ids": [party(case, PartyRole.PLAINTIFF).pk],
        "obligor_ids": [party(case, PartyRole.DEFENDANT).pk],
    }
    body.update(overrides)
    return body


def test_a_judge_walks_a_case_from_hearing_to_effective_judgment(api_as, judge, court):
    case = civil_case(court)
    api = api_as(judge)
    base = f"/api/v1/cases/{case.pk}"
    at = (timezone.now() - dt.timedelta(days=10)).isoformat()
    assert api.post(f"{base}/trial-events/", {"kind": "hearing_scheduled", "at": at}, format="json").status_code == 201
    assert api.post(f"{base}/trial-events/", {"kind": "hearing_held", "at": at}, format="json").status_code == 201
    assert [e["kind"] for e in api.get(f"{base}/trial-events/").json()] == ["hearing_scheduled", "hearing_held"]
    response = api.post(f"{base}/documents/", document_body(case), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["amount_due"], body["is_effective"]) == (case.number, "42000.00", False)
    assert [(i["sequence"], i["amount"]) for i in body["instalments"]] == [(1, "21000.00"), (2, "21000.00")]
    assert body["period_start"] == str(TODAY + dt.timedelta(days=25))
    effective = api.post(
        f"/api/v1/documents/{body['id']}/effective/", {"effective_on": str(TODAY - dt.timedelta(days=2))}
    )
    assert (effective.status_code, effective.json()["is_effective"]) == (200, True)
    performed = api.post(f"/api/v1/documents/{body['id']}/performed/", {"on": str(TODAY)})
    assert performed.json()["fully_performed_on"] == str(TODAY)
    assert [d["id"] for d in api.get(f"{base}/documents/").json()] == [body["id"]]


def test_a_refused_document_answers_with_the_rule_and_writes_nothing(api_as, judge, court, nothing_written):
    case = civil_case(court)
    bad = document_body(case, instalments=[{"due_on": str(TODAY), "amount": "1.00"}])
    with nothing_written():
        response = api_as(judge).post(f"/api/v1/cases/{case.pk}/documents/", bad, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "message": "The instalments must add up to the amount due (principal plus costs), 42000.00, not 1.00.",
        "code": "document.instalment_total",
        "extra": {},
    }


def test_preservation_through_the_api(api_as, clerk, judge, officer, court):
    case = preservation_case(court)
    applicant, respondent = (link.party_id for link in case.party_links.order_by("position"))
    response = api_as(clerk).post(
        f"/api/v1/cases/{case.pk}/preservations/",
        {
            "kind": "pre_suit",
            "applicant_id": applicant,
            "respondent_id": respondent,
            "amount": "120000.00",
            "security_offered": "现金担保36000元",
            "applied_on": str(TODAY),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    application = response.json()
    assert application["decision_deadline"] is not None
    decided = api_as(judge).post(
        f"/api/v1/preservations/{application['id']}/decide/", {"grant": True, "reason": "符合法定条件"}
    )
    assert decided.json()["status"] == "granted"
    measure = api_as(officer).post(
        f"/api/v1/preservations/{application['id']}/measures/",
        {
            "kind": "freeze",
            "property_class": "deposit",
            "asset_description": "招商银行账户",
            "amount": "120000.00",
            "starts_on": str(TODAY),
        },
        format="json",
    )
    assert measure.status_code == 201, measure.json()
    assert measure.json()["expires_on"] == str(TODAY.replace(year=TODAY.year + 1) - dt.timedelta(days=1))
    too_long = api_as(officer).post(
        f"/api/v1/preservations/{application['id']}/measures/",
        {
            "kind": "seal",
            "property_class": "movable",
            "asset_description": "车辆",
            "starts_on": str(TODAY),
            "expires_on": str(TODAY + dt.timedelta(days=800)),
        },
        format="json",
    )
    assert (too_long.status_code, too_long.json()["code"]) == (400, "measure.period_cap")
    assert PreservationMeasure.objects.count() == 1
    listed = api_as(officer).get(f"/api/v1/cases/{case.pk}/preservations/").json()
    assert [len(a["measures"]) for a in listed] == [1]


def test_the_recommendation_and_the_notice_through_the_api(api_as, clerk, court):
    case = civil_case(court)
    defendant = party(case, PartyRole.DEFENDANT)
    api = api_as(clerk)
    [row] = api.get(f"/api/v1/cases/{case.pk}/preservation-recommendation/").json()
    assert (row["party_id"], row["score"], row["recommended"], row["threshold"]) == (defendant.pk, 0, False, 40)
    assert [r["factor"] for r in row["reasons"]] == ["assets", "debts", "enforcement", "credit"]
    response = api.post(
        f"/api/v1/cases/{case.pk}/preservation-notices/", {"party_id": defendant.pk, "send": True}, format="json"
    )
    assert response.status_code == 201
    decision = response.json()
    assert (decision["decided_send"], decision["recommended"]) == (True, False)
    docx = api.get(f"/api/v1/preservation-notices/{decision['id']}/docx/")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert "财产保全告知书" in text and defendant.name in text
    assert api.get(f"/api/v1/cases/{case.pk}/preservation-recommendation/").json() == []


def test_an_appeal_through_the_api(api_as, clerk, court):
    superior = CourtFactory(code="京03", name="北京市第三中级人民法院", level="intermediate")
    court.parent = superior
    court.save()
    case = civil_case(court)
    response = api_as(clerk).post(
        f"/api/v1/cases/{case.pk}/appeal/",
        {"court": "京03", "filing_date": str(TODAY), "appellant_ids": [party(case, PartyRole.DEFENDANT).pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["number"], response.json()["source_case"]) == (f"（{TODAY.year}）京03民终1号", case.pk)


def test_another_courts_case_is_404_and_a_role_without_the_capability_is_403(
    api_as, other_judge, officer, court, nothing_written
):
    case = civil_case(court)
    with nothing_written():
        hidden = api_as(other_judge).post(
            f"/api/v1/cases/{case.pk}/trial-events/",
            {"kind": "hearing_scheduled", "at": timezone.now().isoformat()},
            format="json",
        )
        assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
        forbidden = api_as(officer).post(f"/api/v1/cases/{case.pk}/documents/", document_body(case), format="json")
        assert forbidden.status_code == 403
    assert api_as(officer).get(f"/api/v1/cases/{case.pk}/documents/").status_code == 200
    assert not EffectiveDocument.objects.exists()
