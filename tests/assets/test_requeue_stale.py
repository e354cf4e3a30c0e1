"""A batch whose fan-out task the broker lost is fanned out again by the minute job, once it is five minutes old."""

import datetime as dt

import pytest
from django.utils import timezone

from assets.choices import BatchStatus
from assets.models import AgencyRequest, QueryBatch
from assets.services import batches_stale
from assets.tasks import query_requeue_stale

pytestmark = pytest.mark.django_db


def lost(batch, minutes: int) -> None:
    """As if the fan-out never ran: no requests, still ordered, ordered ``minutes`` ago."""
    AgencyRequest.objects.filter(batch=batch).delete()
    QueryBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.ORDERED, sent_at=None, created_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


def test_a_batch_still_ordered_after_five_minutes_is_fanned_out_again(
    order, officer, enforcement_case, agencies, django_capture_on_commit_callbacks
):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    asked = AgencyRequest.objects.filter(batch=batch).count()
    lost(batch, minutes=6)

    with django_capture_on_commit_callbacks(execute=True):
        assert query_requeue_stale() == 1

    batch.refresh_from_db()
    assert batch.status == BatchStatus.SENT
    assert AgencyRequest.objects.filter(batch=batch).count() == asked > 0


def test_a_batch_ordered_a_moment_ago_is_left_to_its_own_task(order, officer, enforcement_case, agencies):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    lost(batch, minutes=1)

    assert batches_stale() == [] and query_requeue_stale() == 0
    assert QueryBatch.objects.get(pk=batch.pk).status == BatchStatus.ORDERED


def test_a_batch_already_sent_is_never_fanned_out_twice(order, officer, enforcement_case, agencies):
    batch = order(actor=officer, enforcement_case=enforcement_case)
    QueryBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    before = AgencyRequest.objects.filter(batch=batch).count()

    assert query_requeue_stale() == 0
    assert AgencyRequest.objects.filter(batch=batch).count() == before
