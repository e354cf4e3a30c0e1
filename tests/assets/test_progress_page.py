"""Progress of a batch per agency, and the partial page an enforcement case page loads with hx-get."""

import pytest
from django.urls import reverse

from assets.choices import RequestStatus
from assets.models import AgencyRequest, QueryBatch
from assets.selectors import batch_progress
from assets.services import request_answer
from enforcement.choices import Status
from tests.assets.builders import nothing_written
from tests.enforcement.builders import case_in

pytestmark = pytest.mark.django_db


def url(enforcement_case) -> str:
    return reverse("assets:query-progress", args=[enforcement_case.pk])


def test_progress_counts_answered_pending_and_failed_items_per_agency(
    order, officer, enforcement_case, agencies, debtors
):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    bank, _key = agencies["bank"]
    request_answer(
        agency=bank,
        request_id=batch.requests.get(agency=bank).pk,
        results=[{"debtor": debtors[0].pk, "category": "deposit", "outcome": "none_found"}],
    )
    AgencyRequest.objects.filter(agency__code="mps-traffic").update(status=RequestStatus.FAILED)

    [progress] = batch_progress(batches=[batch])

    rows = {row.agency: (row.items, row.answered, row.pending, row.failed) for row in progress.agencies}
    assert rows == {"ICBC": (4, 1, 3, 0), "MPS-TRAFFIC": (2, 0, 0, 2), "BJ-REAL-ESTATE": (2, 0, 2, 0)}
    assert (progress.items, progress.answered, progress.pending, progress.failed) == (8, 1, 5, 2)
    assert progress.waiting


def test_the_partial_shows_the_progress_and_polls_while_pending(order, client_as, officer, enforcement_case, agencies):
    order(actor=officer, enforcement_case=enforcement_case)

    response = client_as(officer).get(url(enforcement_case))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "ICBC" in html
    assert "answered 0, pending 4, failed 0" in html


def test_the_partial_stops_polling_when_nothing_is_pending(client_as, officer, enforcement_case):
    response = client_as(officer).get(url(enforcement_case))
    assert response.status_code == 200
    assert "every 2s" not in response.content.decode()
    assert "No asset query has been ordered yet." in response.content.decode()


def test_the_partial_is_not_found_for_an_officer_of_another_court(client_as, other_officer, enforcement_case):
    response = client_as(other_officer).get(url(enforcement_case))
    assert response.status_code == 404


def test_an_officer_orders_a_query_from_the_partial(client_as, officer, enforcement_case, agencies):
    response = client_as(officer).post(url(enforcement_case), {"categories": ["vehicle"]})

    assert response.status_code == 200
    batch = QueryBatch.objects.get()
    assert batch.categories == ["vehicle"]
    assert batch.ordered_by == officer


def test_ordering_on_a_closed_case_shows_the_refusal_and_writes_nothing(client_as, officer, court, agencies):
    case = case_in(Status.CLOSED, court, officer=officer)
    with nothing_written():
        response = client_as(officer).post(url(case), {})
    assert response.status_code == 400
    assert "Assets are queried only on an open case that is not suspended." in response.content.decode()


def test_another_court_cannot_order_a_query(client_as, other_officer, enforcement_case, agencies):
    with nothing_written():
        response = client_as(other_officer).post(url(enforcement_case), {})
    assert response.status_code == 404
