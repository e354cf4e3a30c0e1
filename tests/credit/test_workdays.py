"""The working-day calendar (core.workdays): weekends, public holidays and make-up working days (调休)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.workdays import add_working_days, is_working_day
from tests.credit.listing_builders import national_day_2026

pytestmark = pytest.mark.django_db


def test_an_ordinary_week_skips_the_weekend():
    assert add_working_days(dt.date(2026, 11, 26), 3) == dt.date(2026, 12, 1)  # Thu → Tue


def test_zero_days_is_the_start_itself():
    assert add_working_days(dt.date(2026, 11, 28), 0) == dt.date(2026, 11, 28)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="days must not be negative"):
        add_working_days(dt.date(2026, 11, 26), -1)


def test_public_holidays_are_skipped_and_a_make_up_saturday_counts():
    national_day_2026()
    assert add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    assert add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)
    assert add_working_days(dt.date(2026, 9, 30), 4) == dt.date(2026, 10, 12)


def test_is_working_day_reads_the_calendar():
    national_day_2026()
    assert not is_working_day(dt.date(2026, 10, 1))  # Thursday, 国庆节
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday, 调休上班
    assert not is_working_day(dt.date(2026, 10, 11))  # Sunday
    assert is_working_day(dt.date(2026, 10, 12))


def test_add_working_days_is_one_query(django_assert_num_queries):
    national_day_2026()
    with django_assert_num_queries(1):
        add_working_days(dt.date(2026, 9, 30), 3)
