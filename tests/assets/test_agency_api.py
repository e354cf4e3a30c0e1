"""The agency API: pulling requests, answering them exactly once, isolation between agencies, bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import RequestStatus
from assets.models import AgencyRequest, Asset, QueryResult
from assets.services import requests_time_out_due
from core.services import credential_issue
from tests.assets.builders import make_agency, nothing_written

pytestmark = pytest.mark.django_db

LIST = "/api/v1/agency/requests/"


def answers_url(request_id: int) -> str:
    return f"/api/v1/agency/requests/{request_id}/answers/"


@pytest.fixture
def batch(order, officer, enforcement_case, agencies):
    return order(actor=officer, enforcement_case=enforcement_case)


def bank_answer(debtors) -> dict:
    first, second = debtors
    return {
        "results": [
            {
                "debtor": first.pk,
                "category": "deposit",
                "outcome": "found",
                "assets": [
                    {
                        "identifier": "6222020200112233445",
                        "value": "152300.50",
                        "details": {"bank": "中国工商银行", "branch": "朝阳支行"},
                    }
                ],
            },
            {"debtor": first.pk, "category": "wealth_product", "outcome": "none_found"},
            {"debtor": second.pk, "category": "deposit", "outcome": "none_found"},
            {"debtor": second.pk, "category": "wealth_product", "outcome": "none_found"},
        ]
    }


def test_an_agency_pulls_only_its_own_pending_requests_and_they_are_marked_delivered(batch, agencies, agency_api):
    bank, key = agencies["bank"]
    response = agency_api(key).get(LIST, {"status": "pending"})

    assert response.status_code == 200
    [item] = response.json()["results"]
    request = AgencyRequest.objects.get(agency=bank)
    assert item["id"] == request.pk
    assert item["case_number"] == batch.enforcement_case.case.number
    assert {i["category"] for i in item["items"]} == {"deposit", "wealth_product"}
    request.refresh_from_db()
    assert request.delivered_at is not None
    assert AgencyRequest.objects.exclude(agency=bank).filter(delivered_at__isnull=False).count() == 0


def test_the_agency_api_refuses_a_session_and_a_key_without_the_agency_scope(batch, agencies, api_client, officer):
    api_client.force_login(officer)
    assert api_client.get(LIST).status_code in (401, 403)
    api_client.logout()
    unscoped, key = make_agency("unscoped", kind="bank", categories=["deposit"], scopes=())
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    with nothing_written():
        response = api_client.get(LIST)
    assert response.status_code == 403
    assert response.json()["message"] == "This endpoint is for agency clients with an API key of scope “agency”."


def test_an_answer_is_ingested_into_results_and_assets(batch, agencies, agency_api, debtors, enforcement_case):
    bank, key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)

    response = agency_api(key).post(answers_url(request.pk), bank_answer(debtors), format="json")

    assert response.status_code == 200
    assert response.json() == {"results": 4, "assets": 1, "skipped": 0, "status": "answered"}
    asset = Asset.objects.get()
    assert (asset.case, asset.debtor, asset.category, asset.agency) == (
        enforcement_case.case,
        debtors[0],
        "deposit",
        bank,
    )
    assert asset.identifier == "6222020200112233445"
    assert asset.value == Decimal("152300.50")
    assert asset.details == {"bank": "中国工商银行", "branch": "朝阳支行"}
    assert asset.source_request == request
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    assert QueryResult.objects.filter(request=request).count() == 4


def test_an_answer_sent_twice_changes_nothing(batch, agencies, agency_api, debtors):
    bank, key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)
    client = agency_api(key)
    client.post(answers_url(request.pk), bank_answer(debtors), format="json")

    with nothing_written():
        response = client.post(answers_url(request.pk), bank_answer(debtors), format="json")

    assert response.status_code == 200
    assert response.json() == {"results": 0, "assets": 0, "skipped": 4, "status": "answered"}


def test_a_partial_answer_leaves_the_rest_pending(batch, agencies, agency_api, debtors):
    bank, key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)
    body = {"results": bank_answer(debtors)["results"][:2]}

    response = agency_api(key).post(answers_url(request.pk), body, format="json")

    assert response.json()["status"] == "partially_answered"


def test_answering_another_agencys_request_is_not_found_and_changes_nothing(batch, agencies, agency_api, debtors):
    _bank, bank_key = agencies["bank"]
    vehicles, _key = agencies["vehicles"]
    foreign = AgencyRequest.objects.get(agency=vehicles)
    body = {"results": [{"debtor": debtors[0].pk, "category": "vehicle", "outcome": "none_found"}]}

    with nothing_written():
        response = agency_api(bank_key).post(answers_url(foreign.pk), body, format="json")

    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "extra": {}}


def test_a_late_answer_after_time_out_is_still_accepted(batch, agencies, agency_api, debtors):
    bank, key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)
    requests_time_out_due(now=request.due_at + dt.timedelta(seconds=1))
    request.refresh_from_db()
    assert request.status == RequestStatus.TIMED_OUT

    response = agency_api(key).post(answers_url(request.pk), bank_answer(debtors), format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "answered"
    request.refresh_from_db()
    assert request.next_attempt_at is None


@pytest.mark.parametrize(
    ("asset", "field", "message"),
    [
        ({"identifier": "6222020200112233445", "value": "12.345", "details": {"bank": "工行"}},
         "results.0.assets.0.value", "An amount has at most two decimal places (fen)."),
        ({"identifier": "6222020200112233445", "value": "a lot", "details": {"bank": "工行"}},
         "results.0.assets.0.value", "Enter an amount in yuan, such as 12345.67."),
        ({"identifier": "62-22", "value": "10.00", "details": {"bank": "工行"}},
         "results.0.assets.0.identifier", "An account number is 8 to 32 digits."),
        ({"identifier": "6222020200112233445", "value": "10.00", "details": {}},
         "results.0.assets.0.details.bank", "This field is required."),
    ],
)  # fmt: skip
def test_a_malformed_amount_or_account_is_refused_naming_the_field(
    batch, agencies, agency_api, debtors, asset, field, message
):
    bank, key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)
    body = {"results": [{"debtor": debtors[0].pk, "category": "deposit", "outcome": "found", "assets": [asset]}]}

    with nothing_written():
        response = agency_api(key).post(answers_url(request.pk), body, format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"][field] == [message]


def test_a_result_for_an_item_not_asked_is_refused(batch, agencies, agency_api, debtors):
    bank, key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)
    body = {"results": [{"debtor": debtors[0].pk, "category": "vehicle", "outcome": "none_found"}]}

    with nothing_written():
        response = agency_api(key).post(answers_url(request.pk), body, format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "results.0": ["This debtor and category were not asked of you in this request."]
    }


def test_the_same_asset_reported_in_a_later_batch_updates_one_row(
    order, officer, enforcement_case, agencies, agency_api, debtors
):
    bank, key = agencies["bank"]
    first = order(actor=officer, enforcement_case=enforcement_case, categories=["deposit"])
    client = agency_api(key)
    body = {"results": bank_answer(debtors)["results"][:1]}
    client.post(answers_url(first.requests.get(agency=bank).pk), body, format="json")
    second = order(actor=officer, enforcement_case=enforcement_case, categories=["deposit"])
    body["results"][0]["assets"][0]["value"] = "99.00"

    client.post(answers_url(second.requests.get(agency=bank).pk), body, format="json")

    asset = Asset.objects.get()
    assert asset.value == Decimal("99.00")
    assert asset.source_request == second.requests.get(agency=bank)
    assert asset.reported_at >= asset.first_reported_at


def test_a_revoked_key_is_refused(batch, agencies, agency_api):
    bank, _key = agencies["bank"]
    _credential, key = credential_issue(actor=None, user=bank.client, name="second", scopes=["agency"])
    _credential.revoked_at = timezone.now()
    _credential.save()
    assert agency_api(key).get(LIST).status_code == 401


def _accounts(debtor, count: int) -> dict:
    return {
        "debtor": debtor.pk,
        "category": "deposit",
        "outcome": "found",
        "assets": [
            {"identifier": f"62220202001122{n:05d}", "value": "100.00", "details": {"bank": "中国工商银行"}}
            for n in range(count)
        ],
    }


def test_an_answer_costs_the_same_queries_whatever_the_number_of_assets(
    order, officer, enforcement_case, agencies, debtors
):
    """Ingestion is batched: the results in one insert, the new assets in one, those reported before updated in
    one, never a query per asset or per foreign key."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assets.services import request_answer

    bank, _key = agencies["bank"]

    def queries(count: int) -> int:
        batch = order(actor=officer, enforcement_case=enforcement_case, categories=["deposit"])
        request = batch.requests.get(agency=bank)
        with CaptureQueriesContext(connection) as captured:
            request_answer(agency=bank, request_id=request.pk, results=[_accounts(debtors[0], count)])
        return len(captured)

    queries(2)
    # each later batch reports the known assets again (one update) and new ones (one insert)
    assert queries(40) == queries(80)
    assert Asset.objects.filter(case=enforcement_case.case).count() == 80


def test_the_same_asset_twice_in_one_answer_is_one_row_on_the_first_debtor(batch, agencies, agency_api, debtors):
    bank, key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)
    body = bank_answer(debtors)
    twice = dict(body["results"][0]["assets"][0], value="200.00")
    body["results"][2] = {"debtor": debtors[1].pk, "category": "deposit", "outcome": "found", "assets": [twice]}

    response = agency_api(key).post(answers_url(request.pk), body, format="json")

    assert response.status_code == 200
    asset = Asset.objects.get()
    assert (asset.debtor, asset.value) == (debtors[0], Decimal("200.00"))


@pytest.mark.parametrize(
    ("category", "asset", "field", "message"),
    [
        ("wealth_product", {"identifier": "理财" * 33, "value": "10.00",
                            "details": {"institution": "工行", "product": "稳利"}},
         "results.0.assets.1.identifier", "at most 64 characters"),
        ("deposit", {"identifier": "6222020200112233446", "value": "1" * 20, "details": {"bank": "工行"}},
         "results.0.assets.1.value", "digits"),
    ],
)  # fmt: skip
def test_the_service_refuses_what_the_asset_cannot_hold_naming_its_place_and_writes_nothing(
    batch, agencies, debtors, category, asset, field, message
):
    """The service's own check, for callers that do not pass through the API's serializer (the simulator in
    process, the tracking runs): the identifier's length and the amount's digits by the Asset fields."""
    from assets.services import request_answer
    from core.exceptions import InvalidInput

    bank, _key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)
    good = dict(asset, identifier="WP-2026-0001") if category == "wealth_product" else {**asset, "value": "1.00"}
    result = {"debtor": debtors[0].pk, "category": category, "outcome": "found", "assets": [good, asset]}

    with nothing_written(), pytest.raises(InvalidInput) as refused:
        request_answer(agency=bank, request_id=request.pk, results=[result])

    assert refused.value.code == "answer.invalid"
    [messages] = [m for f, m in refused.value.extra["fields"].items() if f == field]
    assert message in messages[0]


def test_a_first_answer_does_not_ask_what_was_answered_before(batch, agencies, debtors):
    """Nothing is answered before the request's first results are stored (they set its answered time), so the
    first answer skips that look-up; the second asks it, and skips what the first stored. Neither reads the
    agency or its client again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assets.services import request_answer

    bank, _key = agencies["bank"]
    request = AgencyRequest.objects.get(agency=bank)
    results = bank_answer(debtors)["results"]

    with CaptureQueriesContext(connection) as first:
        request_answer(agency=bank, request_id=request.pk, results=results[:2])
    with CaptureQueriesContext(connection) as second:
        counts = request_answer(agency=bank, request_id=request.pk, results=results)

    looked_up = [q["sql"] for q in first.captured_queries if 'FROM "assets_queryresult"' in q["sql"]]
    assert looked_up == []
    read_again = [
        q["sql"] for q in first.captured_queries if 'FROM "assets_agency"' in q["sql"] or 'FROM "core_user"' in q["sql"]
    ]
    assert read_again == []  # the agency and its client came with the caller
    assert any('FROM "assets_queryresult"' in q["sql"] for q in second.captured_queries)
    assert counts == {"results": 2, "assets": 0, "skipped": 2}
    assert QueryResult.objects.filter(request=request).count() == 4
