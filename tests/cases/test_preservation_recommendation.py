"""The preservation-notice recommendation (score, reasons), the clerk's decision, and the .docx notice."""

import io

import pytest
from docx import Document

from cases import checks, recommendation
from cases.alerts import pending_litigation_records
from cases.checks import PartyRecord, register_party_record_provider
from cases.choices import CaseType, MeasureKind, PartyRole, PreservationKind, PropertyClass
from cases.exceptions import PreservationRuleViolation
from cases.models import PreservationNoticeDecision
from cases.notice_docx import notice_texts
from cases.recommendation import THRESHOLD, recommend
from cases.services import (
    preservation_apply,
    preservation_decide,
    preservation_measure_add,
    preservation_notice_decide,
)
from core.exceptions import PermissionDenied
from core.models import AuditLog, DocumentSignature
from core.signing import document_verify
from tests.cases.builders import TODAY, civil_case, party
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def providers(monkeypatch):
    monkeypatch.setattr(checks, "_PROVIDERS", {"cases": pending_litigation_records})
    monkeypatch.setattr(recommendation, "_ASSET_PROVIDERS", {})


def on_record(party_id, *records):
    register_party_record_provider("fake", lambda ids: {party_id: list(records)} if party_id in ids else {})


ENFORCEMENT = PartyRecord("enforcement", "debtor_in_open_enforcement", 3, "在3起执行案件中为被执行人")
CREDIT = PartyRecord("credit", "dishonest_listed", 1, "已被列入失信名单")


def test_a_defendant_with_nothing_known_scores_zero_and_is_not_recommended(court):
    case = civil_case(court)
    result = recommend(case=case, party=party(case, PartyRole.DEFENDANT))
    assert (result.score, result.recommended) == (0, False)
    assert [(r.factor, r.points, r.text) for r in result.reasons] == [
        ("assets", 0, "No property of the defendant is known yet."),
        ("debts", 0, "No other open claims against the defendant."),
        ("enforcement", 0, "Not a debtor in any open enforcement case."),
        ("credit", 0, "Nothing on the credit lists."),
    ]


def test_a_listed_debtor_with_debts_and_assets_scores_high(court, clerk, judge, officer):
    case = civil_case(court, amount="100000.00")
    defendant = party(case, PartyRole.DEFENDANT)
    on_record(defendant.pk, ENFORCEMENT, CREDIT)
    CaseFactory(
        court=court,
        amount="350000",
        parties=[(PartyRole.CREDITOR, party(case, PartyRole.PLAINTIFF)), (PartyRole.DEBTOR, defendant)],
    )
    application = preservation_apply(
        actor=clerk,
        case=case,
        kind=PreservationKind.IN_SUIT,
        applicant_id=party(case, PartyRole.PLAINTIFF).pk,
        respondent_id=defendant.pk,
        amount="100000",
        security_offered="保函",
        applied_on=TODAY,
    )
    preservation_decide(actor=judge, application=application, grant=True, reason="符合条件")
    preservation_measure_add(
        actor=officer,
        application=application,
        kind=MeasureKind.SEAL,
        property_class=PropertyClass.REAL_ESTATE,
        asset_description="朝阳区某小区1号楼101室",
        starts_on=TODAY,
    )
    recommendation.register_asset_provider("vehicles", lambda ids: dict.fromkeys(ids, 1))
    result = recommend(case=case, party=defendant)
    assert [(r.factor, r.points) for r in result.reasons] == [
        ("assets", 15),
        ("debts", 25),
        ("enforcement", 30),
        ("credit", 25),
    ]
    assert (result.score, result.recommended) == (95, True)
    assert result.reasons[0].text == "2 known asset(s) of the defendant that preservation could secure."
    assert result.reasons[1].text == "Claims of ¥350,000.00 against the defendant in 1 other open case(s)."
    assert result.reasons[2].text == "在3起执行案件中为被执行人"
    assert result.reasons[3].text == "已被列入失信名单"


def test_the_threshold_decides_the_advice(court):
    case = civil_case(court)
    defendant = party(case, PartyRole.DEFENDANT)
    on_record(defendant.pk, CREDIT)
    assert recommend(case=case, party=defendant).score == 25 < THRESHOLD
    on_record(defendant.pk, CREDIT, PartyRecord("enforcement", "debtor", 1, "在1起执行案件中为被执行人"))
    result = recommend(case=case, party=defendant)
    assert (result.score, result.recommended) == (40, True)


def test_the_clerk_decides_and_the_decision_keeps_the_recommendation(court, clerk):
    case = civil_case(court)
    defendant = party(case, PartyRole.DEFENDANT)
    on_record(defendant.pk, ENFORCEMENT, CREDIT)
    decision = preservation_notice_decide(actor=clerk, case=case, party_id=defendant.pk, send=True, note="建议申请")
    assert (decision.score, decision.recommended, decision.decided_send, decision.decided_by) == (55, True, True, clerk)
    assert [r["factor"] for r in decision.reasons] == ["assets", "debts", "enforcement", "credit"]
    entry = AuditLog.objects.get(action="preservation.notice")
    assert entry.changes == {
        "party": defendant.pk,
        "score": 55,
        "recommended": True,
        "send": True,
        "document": decision.file.name,
    }


def test_a_defendant_is_decided_once(court, clerk, nothing_written):
    case = civil_case(court)
    defendant = party(case, PartyRole.DEFENDANT)
    preservation_notice_decide(actor=clerk, case=case, party_id=defendant.pk, send=False)
    with nothing_written(), pytest.raises(PreservationRuleViolation) as caught:
        preservation_notice_decide(actor=clerk, case=case, party_id=defendant.pk, send=True)
    assert caught.value.code == "notice.already_decided"


def test_the_notice_concerns_a_defendant_of_a_first_instance_case(court, clerk, nothing_written):
    case = civil_case(court)
    with nothing_written(), pytest.raises(PreservationRuleViolation) as caught:
        preservation_notice_decide(actor=clerk, case=case, party_id=party(case, PartyRole.PLAINTIFF).pk, send=True)
    assert (caught.value.code, caught.value.message) == (
        "notice.not_defendant",
        "The preservation notice concerns a defendant of this case.",
    )
    enforcement = CaseFactory(court=court, case_type=CaseType.ENFORCEMENT)
    with nothing_written(), pytest.raises(PreservationRuleViolation) as caught:
        preservation_notice_decide(actor=clerk, case=enforcement, party_id=1, send=True)
    assert caught.value.code == "notice.case_type"


def test_an_officer_may_not_decide_on_the_notice(court, officer, nothing_written):
    case = civil_case(court)
    with nothing_written(), pytest.raises(PermissionDenied):
        preservation_notice_decide(actor=officer, case=case, party_id=party(case, PartyRole.DEFENDANT).pk, send=True)


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_the_notice_docx_is_in_chinese_and_filled_from_the_case(client_as, court, clerk):
    case = civil_case(court, amount="100000.00")
    plaintiff, defendant = party(case, PartyRole.PLAINTIFF), party(case, PartyRole.DEFENDANT)
    decision = preservation_notice_decide(actor=clerk, case=case, party_id=defendant.pk, send=True)
    response = client_as(clerk).get(f"/cases/preservation-notices/{decision.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(b"".join(response.streaming_content))
    assert text.startswith("北京市朝阳区人民法院\n财产保全告知书\n" + case.number)
    assert f"{plaintiff.name}：" in text
    assert f"本院已立案受理原告{plaintiff.name}诉被告{defendant.name}{case.cause}一案，案号为{case.number}" in text
    assert "第一百零三条" in text
    assert f"对被告{defendant.name}的财产采取保全措施" in text
    assert "担保数额一般不超过人民币30000.00元" in text
    assert "十五日内" in text
    assert all(paragraph in text for paragraph in notice_texts(decision))


def test_the_notice_is_sealed_once_at_the_decision_and_every_download_is_that_file(client_as, api_as, court, clerk):
    case = civil_case(court)
    decision = preservation_notice_decide(
        actor=clerk, case=case, party_id=party(case, PartyRole.DEFENDANT).pk, send=True
    )
    seal = DocumentSignature.objects.get(reference=case.number)
    stored = decision.file.read()
    assert seal.title == "财产保全告知书" and seal.court == court
    assert document_verify(number=seal.number, content=stored).valid
    page = client_as(clerk).get(f"/cases/preservation-notices/{decision.pk}/docx/")
    api = api_as(clerk).get(f"/api/v1/preservation-notices/{decision.pk}/docx/")
    assert b"".join(page.streaming_content) == b"".join(api.streaming_content) == stored
    assert DocumentSignature.objects.count() == 1


def test_a_decision_to_send_recorded_before_sealing_gets_its_sealed_notice_once(client_as, court, clerk):
    case = civil_case(court)
    decision = preservation_notice_decide(
        actor=clerk, case=case, party_id=party(case, PartyRole.DEFENDANT).pk, send=True
    )
    DocumentSignature.objects.all().delete()
    PreservationNoticeDecision.objects.filter(pk=decision.pk).update(file="")
    for _ in range(2):
        assert client_as(clerk).get(f"/cases/preservation-notices/{decision.pk}/docx/").status_code == 200
    decision.refresh_from_db()
    assert decision.file and DocumentSignature.objects.count() == 1
    assert AuditLog.objects.filter(action="preservation.notice_sealed").count() == 1


def test_there_is_no_notice_when_the_clerk_decided_not_to_send(client_as, api_as, court, clerk):
    case = civil_case(court)
    decision = preservation_notice_decide(
        actor=clerk, case=case, party_id=party(case, PartyRole.DEFENDANT).pk, send=False
    )
    assert client_as(clerk).get(f"/cases/preservation-notices/{decision.pk}/docx/").status_code == 404
    response = api_as(clerk).get(f"/api/v1/preservation-notices/{decision.pk}/docx/")
    assert (response.status_code, response.json()["code"]) == (409, "notice.not_sent")
    assert PreservationNoticeDecision.objects.count() == 1
    assert not decision.file and not DocumentSignature.objects.exists()
