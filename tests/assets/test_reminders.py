"""Expiry reminders: once per measure and threshold (30 and 7 days), for the case's officer; the daily job
reads only what is due, so its query count does not grow with the table."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets.choices import ControlStatus
from assets.models import ControlMeasure, ExpiryReminder
from assets.services import reminders_record_due
from assets.tasks import control_expiry_reminders
from tests.assets.test_controls import make_asset

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 1)


@pytest.fixture
def measure_until(enforcement_case, bank, officer):
    """``measure_until(day)``: a measure in force on its own asset, expiring on ``day``."""
    count = iter(range(10_000))

    def make(expires_on: dt.date, status=ControlStatus.ACTIVE):
        asset = make_asset(enforcement_case, bank[0], identifier=f"62220202{next(count):08d}")
        return ControlMeasure.objects.create(
            enforcement_case=enforcement_case,
            asset=asset,
            kind="freeze",
            status=status,
            amount=Decimal("1.00"),
            starts_on=expires_on - dt.timedelta(days=300),
            expires_on=expires_on,
        )

    return make


def test_reminders_are_recorded_once_per_threshold_for_the_officer(measure_until, officer):
    in_20_days = measure_until(TODAY + dt.timedelta(days=20))
    in_7_days = measure_until(TODAY + dt.timedelta(days=7))
    measure_until(TODAY + dt.timedelta(days=31))  # not yet due
    measure_until(TODAY + dt.timedelta(days=5), status=ControlStatus.RELEASED)  # no longer in force

    assert reminders_record_due(today=TODAY) == {30: 2, 7: 1}
    assert reminders_record_due(today=TODAY) == {30: 0, 7: 0}

    rows = sorted(ExpiryReminder.objects.values_list("measure_id", "threshold", "officer_id"))
    assert rows == sorted(
        [(in_20_days.pk, 30, officer.pk), (in_7_days.pk, 30, officer.pk), (in_7_days.pk, 7, officer.pk)]
    )

    # Thirteen days later the first enters the 7-day window and the third the 30-day one.
    assert reminders_record_due(today=TODAY + dt.timedelta(days=13)) == {30: 1, 7: 1}


def test_the_daily_job_costs_the_same_whatever_the_size_of_the_table(measure_until):
    measure_until(timezone.localdate() + dt.timedelta(days=10))

    def queries() -> int:
        ExpiryReminder.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            control_expiry_reminders.apply().get()
        return len(captured.captured_queries)

    small = queries()
    for i in range(40):
        measure_until(timezone.localdate() + dt.timedelta(days=100 + i))  # not due
        measure_until(timezone.localdate() - dt.timedelta(days=1 + i), status=ControlStatus.LAPSED)
    assert queries() == small
    assert ExpiryReminder.objects.count() == 1


def test_the_officer_sees_their_reminders_on_their_desk_and_another_officer_does_not(
    measure_until, officer, other_officer, client_as
):
    soon = measure_until(TODAY + dt.timedelta(days=6))
    reminders_record_due(today=TODAY)

    page = client_as(officer).get("/assets/reminders/mine/")
    assert page.status_code == 200
    assert soon.enforcement_case.case.number in page.content.decode()
    assert "Control measures expiring soon" in page.content.decode()

    elsewhere = client_as(other_officer).get("/assets/reminders/mine/")
    assert elsewhere.status_code == 200
    assert soon.enforcement_case.case.number not in elsewhere.content.decode()


def test_the_my_cases_page_loads_the_reminders_panel(officer, client_as):
    page = client_as(officer).get("/enforcement/")
    assert 'hx-get="/assets/reminders/mine/"' in page.content.decode()
