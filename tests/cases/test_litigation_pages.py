"""The case page's trial, documents, preservation, alerts and recommendation sections, and their forms."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import checks
from cases.alerts import pending_litigation_records
from cases.choices import PartyRole, PreservationKind
from cases.models import EffectiveDocument, PreservationMeasure, PreservationNoticeDecision, TrialEvent
from cases.services import preservation_apply, preservation_decide, preservation_measure_add
from tests.cases.builders import TODAY, civil_case, judgment, party, preservation_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def providers(monkeypatch):
    monkeypatch.setattr(checks, "_PROVIDERS", {"cases": pending_litigation_records})


def page(client, case):
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_shows_the_judgment_with_its_instalments(client_as, judge, court):
    case = civil_case(court)
    judgment(
        case,
        actor=judge,
        performance_deadline=None,
        instalments=[(TODAY - dt.timedelta(days=5), "30000.00"), (TODAY + dt.timedelta(days=30), "21000.00")],
    )
    html = page(client_as(judge), case)
    for text in (
        "Effective legal documents",
        "Judgment (判决书)",
        "¥30,000.00",
        "¥21,000.00",
        "Record full performance",
    ):
        assert text in html
    assert "Trial" in html and "Record the event" in html
    assert "Preservation notice (财产保全告知书)" in html


def test_a_measure_about_to_expire_is_highlighted(client_as, clerk, judge, officer, court):
    case = preservation_case(court, filed_days_ago=360)
    applicant, respondent = (link.party_id for link in case.party_links.order_by("position"))
    application = preservation_apply(
        actor=clerk,
        case=case,
        kind=PreservationKind.PRE_SUIT,
        applicant_id=applicant,
        respondent_id=respondent,
        amount="1000",
        security_offered="保函",
        applied_on=case.filing_date,
    )
    application = preservation_decide(actor=judge, application=application, grant=True, reason="同意")
    type(application).objects.filter(pk=application.pk).update(decided_on=case.filing_date)
    application.refresh_from_db()
    measure = preservation_measure_add(
        actor=officer,
        application=application,
        kind="freeze",
        property_class="deposit",
        asset_description="工行账户",
        amount="1000",
        starts_on=case.filing_date,
    )
    html = page(client_as(officer), case)
    assert f'<tr class="table-warning"\n                    data-measure="{measure.pk}">' in html
    assert f"Expires in {measure.days_left} days: renew now" in html


def test_recording_a_trial_event_from_the_page(client_as, judge, court):
    case = civil_case(court)
    at = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client_as(judge).post(
        f"/cases/{case.pk}/trial-events/", {"kind": "hearing_scheduled", "at": at, "place": "第五法庭"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#trial"
    assert TrialEvent.objects.get().place == "第五法庭"


def test_a_refused_document_form_shows_the_rule_and_writes_nothing(client_as, judge, court, nothing_written):
    case = civil_case(court)
    form = {
        "kind": "judgment",
        "issued_on": str(TODAY - dt.timedelta(days=3)),
        "principal": "1000",
        "costs": "0",
        "instalments": f"{TODAY} 400\n{TODAY + dt.timedelta(days=9)} 500",
        "obligee_ids": [party(case, PartyRole.PLAINTIFF).pk],
        "obligor_ids": [party(case, PartyRole.DEFENDANT).pk],
    }
    with nothing_written():
        response = client_as(judge).post(f"/cases/{case.pk}/documents/", form)
    assert response.status_code == 400
    assert (
        "The instalments must add up to the amount due (principal plus costs), 1000.00, not 900.00."
        in response.content.decode()
    )
    form["instalments"] = f"{TODAY} 400\n{TODAY + dt.timedelta(days=9)} 600"
    assert client_as(judge).post(f"/cases/{case.pk}/documents/", form).status_code == 302
    assert EffectiveDocument.objects.get().instalments.count() == 2


def test_a_badly_written_instalment_line_is_a_field_error(client_as, judge, court, nothing_written):
    case = civil_case(court)
    with nothing_written():
        response = client_as(judge).post(
            f"/cases/{case.pk}/documents/", {"kind": "judgment", "instalments": "next month 500"}
        )
    assert response.status_code == 400
    assert "Line 1: write the due date and the amount, such as 2026-03-31 5000.00." in response.content.decode()


def test_deciding_and_adding_a_measure_from_the_page(client_as, clerk, judge, officer, court):
    case = preservation_case(court)
    applicant, respondent = (link.party_id for link in case.party_links.order_by("position"))
    response = client_as(clerk).post(
        f"/cases/{case.pk}/preservations/",
        {
            "kind": "pre_suit",
            "applicant_id": applicant,
            "respondent_id": respondent,
            "amount": "5000",
            "security_offered": "",
            "applied_on": str(TODAY),
        },
    )
    assert response.status_code == 302
    application = case.preservations.get()
    prefix = f"d{application.pk}"
    refused = client_as(judge).post(
        f"/cases/preservations/{application.pk}/decide/", {f"{prefix}-grant": "yes", f"{prefix}-reason": "同意"}
    )
    assert refused.status_code == 400
    assert "Pre-suit preservation is granted only against security (民诉法 2023 art. 104)." in refused.content.decode()
    assert (
        client_as(judge)
        .post(
            f"/cases/preservations/{application.pk}/decide/",
            {f"{prefix}-grant": "no", f"{prefix}-reason": "未提供担保"},
        )
        .status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == "refused"
    measure = client_as(officer).post(
        f"/cases/preservations/{application.pk}/measures/",
        {
            f"m{application.pk}-kind": "freeze",
            f"m{application.pk}-property_class": "deposit",
            f"m{application.pk}-asset_description": "账户",
            f"m{application.pk}-amount": "100",
            f"m{application.pk}-starts_on": str(TODAY),
        },
    )
    assert measure.status_code == 400
    assert "Measures are taken only on a granted application." in measure.content.decode()
    assert not PreservationMeasure.objects.exists()


def test_the_clerk_decides_on_the_notice_from_the_page_and_downloads_it(client_as, clerk, court):
    case = civil_case(court)
    defendant = party(case, PartyRole.DEFENDANT)
    html = page(client_as(clerk), case)
    assert "No property of the defendant is known yet." in html
    assert "The notice is recommended from 40 points. The clerk decides." in html
    prefix = f"n{defendant.pk}"
    response = client_as(clerk).post(
        f"/cases/{case.pk}/preservation-notices/",
        {"party": defendant.pk, f"{prefix}-party_id": defendant.pk, f"{prefix}-send": "yes", f"{prefix}-note": ""},
    )
    assert response.status_code == 302
    decision = PreservationNoticeDecision.objects.get()
    assert decision.decided_send
    assert f"/cases/preservation-notices/{decision.pk}/docx/" in page(client_as(clerk), case)


def test_an_officer_may_not_post_a_document(client_as, officer, court, nothing_written):
    case = civil_case(court)
    with nothing_written():
        assert client_as(officer).post(f"/cases/{case.pk}/documents/", {}).status_code == 403
