"""Answers ingested by a worker (``Prefer: respond-async``): checked in full when received, ingested exactly once
with the other answers waiting, in one transaction per group and a number of statements that does not grow with
the answers; refused at ingestion, alone, if their tracking batch ended meanwhile; visible to the agency that
sent them, and to no other."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.choices import AnswerStatus, BatchStatus, RequestStatus, TrackingStatus
from assets.models import AgencyAnswer, AgencyRequest, Asset, QueryBatch, QueryResult, TrackingPlan, TrackingRun
from assets.services import answer_accept, answers_drain, request_answer, tracking_start
from assets.services import answers as answers_module
from core.exceptions import InvalidInput, NotFound
from core.models import AuditLog
from tests.assets.builders import none_found, nothing_written
from tests.assets.test_agency_api import answers_url, bank_answer
from tests.assets.tracking_builders import dispatch, terminated_case

pytestmark = pytest.mark.django_db

ASYNC = {"Prefer": "respond-async"}


@pytest.fixture
def batch(order, officer, enforcement_case, agencies):
    return order(actor=officer, enforcement_case=enforcement_case)


@pytest.fixture
def bank_request(batch, agencies) -> AgencyRequest:
    return AgencyRequest.objects.get(batch=batch, agency=agencies["bank"][0])


# ---- receiving ------------------------------------------------------------------------------------------------


def test_an_answer_sent_with_respond_async_is_accepted_with_its_status_location_and_not_yet_ingested(
    bank_request, agencies, agency_api, debtors
):
    _bank, key = agencies["bank"]

    response = agency_api(key).post(
        answers_url(bank_request.pk), bank_answer(debtors), format="json", headers={"Prefer": "Respond-Async, wait=5"}
    )

    assert response.status_code == 202
    assert response["Preference-Applied"] == "respond-async"
    answer = AgencyAnswer.objects.get()
    assert response["Location"] == f"/api/v1/agency/answers/{answer.pk}/"
    body = response.json()
    assert (body["id"], body["request"], body["status"], body["results_sent"]) == (
        answer.pk,
        bank_request.pk,
        "pending",
        4,
    )
    assert (body["receipt"], body["refusal"], body["ingested_at"], body["request_status"]) == ({}, {}, None, "pending")
    assert not QueryResult.objects.exists() and not Asset.objects.exists()
    assert answer.http_request_id == response["X-Request-ID"]


def test_a_bad_answer_is_refused_when_received_naming_the_item_and_nothing_is_stored(
    bank_request, agencies, agency_api, debtors
):
    _bank, key = agencies["bank"]
    body = bank_answer(debtors)
    body["results"][0]["assets"][0]["identifier"] = "12"  # not a bank account

    with nothing_written():
        response = agency_api(key).post(answers_url(bank_request.pk), body, format="json", headers=ASYNC)

    assert response.status_code == 400
    assert response.json()["code"] == "answer.invalid"
    assert "results.0.assets.0.identifier" in response.json()["extra"]["fields"]


def test_another_agencys_request_or_answer_is_not_found(bank_request, agencies, agency_api, debtors):
    bank, bank_key = agencies["bank"]
    _vehicles, vehicles_key = agencies["vehicles"]
    with nothing_written():
        refused = agency_api(vehicles_key).post(
            answers_url(bank_request.pk), bank_answer(debtors), format="json", headers=ASYNC
        )
    assert refused.status_code == 404

    sent = agency_api(bank_key).post(answers_url(bank_request.pk), bank_answer(debtors), format="json", headers=ASYNC)
    assert agency_api(vehicles_key).get(sent["Location"]).status_code == 404
    assert agency_api(bank_key).get(sent["Location"]).status_code == 200


def test_an_answer_received_queues_one_drain_once_committed_which_ingests_it(
    bank_request, agencies, agency_api, debtors, django_capture_on_commit_callbacks
):
    """Tasks run eagerly here: the drain queued on commit has ingested the answer when the response is read."""
    _bank, key = agencies["bank"]
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = agency_api(key).post(
            answers_url(bank_request.pk), bank_answer(debtors), format="json", headers=ASYNC
        )

    assert len(queued) == 1
    status = agency_api(key).get(response["Location"]).json()
    assert status["status"] == "ingested"
    assert status["receipt"] == {"results": 4, "assets": 1, "skipped": 0}
    assert status["request_status"] == "answered"


def test_a_drain_already_queued_and_not_started_is_not_queued_again(
    bank_request, agencies, debtors, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from assets import tasks

    sent = []
    monkeypatch.setattr(tasks.query_answers_drain, "delay", lambda: sent.append(1))
    bank, _key = agencies["bank"]
    results = bank_answer(debtors)["results"]
    cache.delete(answers_module.drain_mark())
    try:
        with django_capture_on_commit_callbacks(execute=True):
            answer_accept(agency=bank, request_id=bank_request.pk, results=results[:2])
        with django_capture_on_commit_callbacks(execute=True):
            answer_accept(agency=bank, request_id=bank_request.pk, results=results[2:])
        assert sent == [1]  # the second answer waits for the drain already queued
        answers_drain()  # the drain starts: the mark is gone, both answers are ingested
        assert QueryResult.objects.filter(request=bank_request).count() == 4
        with django_capture_on_commit_callbacks(execute=True):
            answer_accept(agency=bank, request_id=bank_request.pk, results=results)
        assert sent == [1, 1]
    finally:
        cache.delete(answers_module.drain_mark())


def test_with_the_broker_down_the_answer_is_still_accepted_and_waits_for_the_periodic_drain(
    bank_request, agencies, agency_api, debtors, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache
    from kombu.exceptions import OperationalError

    from assets import tasks

    def broker_down():
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.query_answers_drain, "delay", broker_down)
    _bank, key = agencies["bank"]
    with django_capture_on_commit_callbacks(execute=True):
        response = agency_api(key).post(
            answers_url(bank_request.pk), bank_answer(debtors), format="json", headers=ASYNC
        )

    assert response.status_code == 202
    assert AgencyAnswer.objects.get().status == AnswerStatus.PENDING
    assert cache.get(answers_module.drain_mark()) is None  # not marked as queued: the next answer tries again
    monkeypatch.undo()
    tasks.query_answers_drain_due()  # the periodic drain, a minute later
    assert AgencyAnswer.objects.get().status == AnswerStatus.INGESTED


# ---- ingesting ------------------------------------------------------------------------------------------------


def test_the_drain_ingests_what_waits_exactly_once_with_an_audit_entry_carrying_the_http_request(
    bank_request, agencies, agency_api, debtors, enforcement_case
):
    bank, key = agencies["bank"]
    client = agency_api(key)
    first = client.post(answers_url(bank_request.pk), bank_answer(debtors), format="json", headers=ASYNC)
    client.post(answers_url(bank_request.pk), bank_answer(debtors), format="json", headers=ASYNC)  # sent again

    assert answers_drain() == {"ingested": 2, "refused": 0}

    first_answer, second_answer = AgencyAnswer.objects.order_by("id")
    assert first_answer.receipt == {"results": 4, "assets": 1, "skipped": 0}
    assert second_answer.receipt == {"results": 0, "assets": 0, "skipped": 4}
    assert {first_answer.status, second_answer.status} == {AnswerStatus.INGESTED}
    assert QueryResult.objects.filter(request=bank_request).count() == 4
    asset = Asset.objects.get()
    assert (asset.case, asset.debtor, asset.agency, asset.value) == (
        enforcement_case.case,
        debtors[0],
        bank,
        Decimal("152300.50"),
    )
    assert asset.reported_at == first_answer.received_at  # the time it was received, not ingested
    bank_request.refresh_from_db()
    assert (bank_request.status, bank_request.answered_at) == (RequestStatus.ANSWERED, first_answer.received_at)
    [entry] = AuditLog.objects.filter(action="agency_request.answer")
    assert (entry.actor, entry.object_id, entry.request_id) == (
        bank.client,
        str(bank_request.pk),
        first["X-Request-ID"],
    )
    assert entry.changes == {"results": 4, "assets": 1, "status": "answered"}
    assert answers_drain() == {"ingested": 0, "refused": 0}  # nothing waits any more


def test_answers_to_every_request_of_a_batch_complete_it_in_one_drain(batch, agencies):
    for agency, _key in agencies.values():
        request = AgencyRequest.objects.get(batch=batch, agency=agency)
        answer_accept(agency=agency, request_id=request.pk, results=none_found(request))

    assert answers_drain()["ingested"] == len(agencies)

    assert set(AgencyRequest.objects.filter(batch=batch).values_list("status", flat=True)) == {RequestStatus.ANSWERED}
    assert QueryBatch.objects.get(pk=batch.pk).status == BatchStatus.COMPLETE


def test_the_same_asset_in_two_answers_of_one_drain_is_one_row_as_last_received(
    order, officer, enforcement_case, agencies, debtors
):
    bank, _key = agencies["bank"]
    requests = [
        order(actor=officer, enforcement_case=enforcement_case, categories=["deposit"]).requests.get(agency=bank)
        for _ in range(2)
    ]
    for request, value in zip(requests, ("100.00", "250.00"), strict=True):
        account = {"identifier": "6222020200112233445", "value": value, "details": {"bank": "工行"}}
        results = none_found(request)
        results[0] = {**results[0], "outcome": "found", "assets": [account]}
        answer_accept(agency=bank, request_id=request.pk, results=results)

    answers_drain()

    asset = Asset.objects.get()
    assert (asset.value, asset.source_request) == (Decimal("250.00"), requests[1])


def test_a_drain_costs_the_same_statements_whatever_the_number_of_answers(order, officer, enforcement_case, agencies):
    """Each answer here leaves its request partly answered (no batch completes): the drain is a fixed set of
    statements, however many answers it ingests."""

    def statements(answers: int) -> int:
        for _ in range(answers):
            batch = order(actor=officer, enforcement_case=enforcement_case)
            for agency, _key in agencies.values():
                request = AgencyRequest.objects.get(batch=batch, agency=agency)
                answer_accept(agency=agency, request_id=request.pk, results=none_found(request, slice(1)))
        with CaptureQueriesContext(connection) as captured:
            assert answers_drain()["ingested"] == answers * len(agencies)
        return len(captured)

    assert statements(1) == statements(4)
    assert AgencyAnswer.objects.filter(status=AnswerStatus.PENDING).count() == 0


def test_the_synchronous_answer_and_the_worker_share_the_exactly_once_rule(bank_request, agencies, debtors):
    bank, _key = agencies["bank"]
    results = bank_answer(debtors)["results"]
    answer_accept(agency=bank, request_id=bank_request.pk, results=results)
    assert request_answer(agency=bank, request_id=bank_request.pk, results=results[:3])["results"] == 3

    answers_drain()

    assert AgencyAnswer.objects.get().receipt == {"results": 1, "assets": 0, "skipped": 3}
    assert QueryResult.objects.filter(request=bank_request).count() == 4


# ---- refused at ingestion -------------------------------------------------------------------------------------


def test_an_answer_whose_tracking_ended_before_the_drain_is_refused_alone_with_the_rule(
    court, officer, debtors, batch, agencies, django_capture_on_commit_callbacks
):
    bank, _key = agencies["bank"]
    zhongben = terminated_case(court, officer=officer, debtors=debtors)
    plan = tracking_start(enforcement_case=zhongben)
    dispatch(django_capture_on_commit_callbacks, on=dt.date(2026, 7, 15))
    run = TrackingRun.objects.filter(plan=plan).select_related("batch").latest("number")
    tracked = AgencyRequest.objects.get(batch=run.batch, agency=bank)
    ordinary = AgencyRequest.objects.get(batch=batch, agency=bank)
    answer_accept(agency=bank, request_id=tracked.pk, results=none_found(tracked))
    answer_accept(agency=bank, request_id=ordinary.pk, results=none_found(ordinary))
    TrackingPlan.objects.filter(pk=plan.pk).update(status=TrackingStatus.ENDED, next_due_on=None)

    assert answers_drain() == {"ingested": 1, "refused": 1}

    refused = AgencyAnswer.objects.get(request=tracked)
    assert refused.status == AnswerStatus.REFUSED
    assert refused.refusal["code"] == "tracking.not_tracked"
    assert "no longer tracked" in refused.refusal["message"]
    assert not QueryResult.objects.filter(request=tracked).exists()
    assert QueryResult.objects.filter(request=ordinary).count() == len(ordinary.payload["items"])


def test_the_service_refuses_another_agencys_request_and_writes_nothing(bank_request, agencies, debtors):
    vehicles, _key = agencies["vehicles"]
    with nothing_written(), pytest.raises(NotFound):
        answer_accept(agency=vehicles, request_id=bank_request.pk, results=bank_answer(debtors)["results"])


def test_the_service_refuses_an_item_not_asked_and_writes_nothing(bank_request, agencies, debtors):
    bank, _key = agencies["bank"]
    results = [{"debtor": debtors[0].pk, "category": "vehicle", "outcome": "none_found"}]
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        answer_accept(agency=bank, request_id=bank_request.pk, results=results)
    assert refused.value.code == "answer.invalid"


# ---- admin ----------------------------------------------------------------------------------------------------


def test_the_admin_lists_the_answers_received_and_shows_one_without_its_account_numbers(
    client, superuser, bank_request, agencies, debtors
):
    bank, _key = agencies["bank"]
    answer = answer_accept(agency=bank, request_id=bank_request.pk, results=bank_answer(debtors)["results"])
    client.force_login(superuser)

    listing = client.get("/admin/assets/agencyanswer/?status__exact=pending")
    page = client.get(f"/admin/assets/agencyanswer/{answer.pk}/change/")

    assert listing.status_code == 200 and str(bank_request) in listing.content.decode()
    assert page.status_code == 200
    assert "6222020200112233445" not in page.content.decode()
    assert client.get("/admin/assets/agencyanswer/add/").status_code == 403
