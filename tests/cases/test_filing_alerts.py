"""The cross-case alert at filing: every party checked against the registered providers, one query each for
all parties, and the findings recorded with the filing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import checks
from cases.alerts import pending_litigation_records
from cases.checks import PartyRecord, party_records, register_party_record_provider
from cases.choices import CaseType, PartyRole
from cases.models import FilingAlert, Party
from cases.selectors import case_current_findings
from core.models import AuditLog
from tests.cases.builders import civil_case, judgment, party
from tests.factories import PartyFactory, file_case, party_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    """Only the cases app's own provider, plus what a test registers (the real enforcement and credit
    providers are left out, so that each test says exactly what is on record)."""
    monkeypatch.setattr(checks, "_PROVIDERS", {"cases": pending_litigation_records})
    return checks._PROVIDERS


def listed_provider(calls: list):
    """A fake "enforcement" + "credit" provider: one query over the party table, like a real one."""

    def provider(party_ids):
        calls.append(list(party_ids))
        listed = Party.objects.filter(pk__in=party_ids, name__startswith="失信").values_list("pk", flat=True)
        return {
            pk: [
                PartyRecord("enforcement", "debtor_in_open_enforcement", 3, "在3起执行案件中为被执行人"),
                PartyRecord("credit", "dishonest_listed", 1, "已被列入失信名单"),
            ]
            for pk in listed
        }

    return provider


def civil_filing(defendant_name="北京失信商贸有限公司", defendant=None):
    company = defendant or PartyFactory.build(organisation=True, name=defendant_name)
    return {
        "case_type": CaseType.CIVIL_FIRST,
        "parties": [
            {"role": PartyRole.PLAINTIFF, **party_data()},
            {"role": PartyRole.DEFENDANT, **party_data(company)},
        ],
    }


def test_filing_records_the_alert_against_a_listed_defendant(clerk, providers):
    calls = []
    register_party_record_provider("fake", listed_provider(calls))
    debtor = PartyFactory(organisation=True, name="失信建材有限公司")
    case = file_case(actor=clerk, **civil_filing(defendant=debtor))
    alert = FilingAlert.objects.get()
    assert (alert.case, alert.party, alert.role) == (case, debtor, PartyRole.DEFENDANT)
    assert alert.message == "Defendant (被告) 失信建材有限公司: 在3起执行案件中为被执行人, 已被列入失信名单"
    assert alert.sentence == alert.message
    assert [r["code"] for r in alert.records] == ["debtor_in_open_enforcement", "dishonest_listed"]
    assert AuditLog.objects.get(action="case.alert").changes["parties"] == [debtor.pk]
    assert len(calls) == 1 and len(calls[0]) == 2  # one call for all the parties


def test_a_filing_with_nothing_on_record_has_no_alert(clerk, providers):
    register_party_record_provider("fake", listed_provider([]))
    file_case(actor=clerk, **civil_filing(defendant_name="北京诚信商贸有限公司"))
    assert not FilingAlert.objects.exists()
    assert not AuditLog.objects.filter(action="case.alert").exists()


def test_a_defendant_in_other_pending_litigation_is_flagged(clerk, judge, court, providers):
    earlier = civil_case(court)
    defendant = party(earlier, PartyRole.DEFENDANT)
    file_case(actor=clerk, **civil_filing(defendant=defendant))
    assert FilingAlert.objects.get().message == (
        f"Defendant (被告) {defendant.name}: defendant in 1 other pending lawsuit(s)"
    )
    judgment(earlier, actor=judge)  # the earlier lawsuit is decided: no longer pending
    third = file_case(actor=clerk, **civil_filing(defendant=defendant))
    assert third.filing_alerts.get().records[0]["count"] == 1  # the second filing only


def test_the_case_being_checked_is_not_its_own_finding(clerk, court, providers):
    case = civil_case(court)
    assert case_current_findings(case=case) == []
    other = civil_case(court)
    defendant = party(other, PartyRole.DEFENDANT)
    third = file_case(actor=clerk, **civil_filing(defendant=defendant))
    [finding] = case_current_findings(case=third)
    assert finding["party"] == defendant
    assert finding["records"][0].count == 1


def test_the_cases_provider_answers_for_all_parties_in_one_query(court, django_assert_num_queries):
    cases = [civil_case(court) for _ in range(3)]
    ids = [party(case, PartyRole.DEFENDANT).pk for case in cases] + [party(cases[0], PartyRole.PLAINTIFF).pk]
    with django_assert_num_queries(1):
        found = pending_litigation_records(ids)
    assert set(found) == set(ids[:3])


def test_each_provider_runs_one_query_for_all_parties(court, providers, django_assert_num_queries):
    calls = []
    register_party_record_provider("fake", listed_provider(calls))
    ids = [PartyFactory().pk for _ in range(12)]
    with django_assert_num_queries(2):  # the cases provider and the fake one
        party_records(ids)
    assert calls == [sorted(ids)]


def test_a_provider_adds_exactly_one_query_to_a_filing(clerk, providers):
    def queries_for_a_filing():
        with CaptureQueriesContext(connection) as captured:
            file_case(actor=clerk, **civil_filing(defendant_name="北京诚信商贸有限公司"))
        return len(captured)

    without = queries_for_a_filing()
    register_party_record_provider("fake", listed_provider([]))
    assert queries_for_a_filing() == without + 1


def test_the_alert_is_written_with_the_filing_or_not_at_all(clerk, providers, monkeypatch, nothing_written):
    register_party_record_provider("fake", listed_provider([]))
    debtor = PartyFactory(organisation=True, name="失信科技有限公司")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(FilingAlert.objects, "bulk_create", explode)
    with nothing_written(), pytest.raises(RuntimeError):
        file_case(actor=clerk, **civil_filing(defendant=debtor))


def test_the_filing_page_and_the_case_page_show_the_alert(client_as, clerk, providers):
    register_party_record_provider("fake", listed_provider([]))
    debtor = PartyFactory(organisation=True, name="失信物流有限公司")
    plaintiff = party_data()
    form = {
        "court": clerk.court_id,
        "case_type": CaseType.CIVIL_FIRST,
        "filing_date": "2026-01-05",
        "amount": "5000",
        "cause": "买卖合同纠纷",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-0-role": PartyRole.PLAINTIFF,
        **{f"parties-0-{k}": v for k, v in plaintiff.items()},
        "parties-1-role": PartyRole.DEFENDANT,
        **{f"parties-1-{k}": v for k, v in party_data(debtor).items()},
    }
    response = client_as(clerk).post("/cases/new/", form, follow=True)
    sentence = "Defendant (被告) 失信物流有限公司: 在3起执行案件中为被执行人, 已被列入失信名单"
    html = response.content.decode()
    assert html.count(sentence) == 3  # the filing message, the recorded alert, and the checks run again now


def test_the_api_lists_the_recorded_alerts(api_as, clerk, officer, providers):
    register_party_record_provider("fake", listed_provider([]))
    debtor = PartyFactory(organisation=True, name="失信餐饮有限公司")
    case = file_case(actor=clerk, **civil_filing(defendant=debtor))
    body = api_as(officer).get(f"/api/v1/cases/{case.pk}/alerts/").json()
    assert [(row["party"]["id"], row["role"]) for row in body] == [(debtor.pk, "defendant")]
    assert [r["message"] for r in body[0]["records"]] == ["在3起执行案件中为被执行人", "已被列入失信名单"]
