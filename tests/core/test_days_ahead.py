"""The "due within N days" filters (tracking plans, dishonest-list removals, control measures' expiry) share one
bound, ``core.filters.MAX_DAYS_AHEAD``: further ahead the date would overflow, a server error instead of a 400."""

import datetime as dt

import pytest
from django.utils import timezone

from assets.models import TrackingPlan
from assets.selectors import TrackingPlanFilter
from core.filters import MAX_DAYS_AHEAD, days_ahead
from credit.models import DishonestListing
from credit.selectors import ListingFilter


def test_days_ahead_counts_from_today_and_stops_at_ten_years():
    today = timezone.localdate()
    assert MAX_DAYS_AHEAD == 3650
    assert days_ahead(0) == today
    assert days_ahead("30") == today + dt.timedelta(days=30)
    assert days_ahead(10**12) == today + dt.timedelta(days=3650)


FILTERS = [(TrackingPlanFilter, TrackingPlan), (ListingFilter, DishonestListing)]


@pytest.mark.parametrize(("filterset", "model"), FILTERS)
def test_a_due_within_filter_takes_zero_to_ten_years_and_refuses_more_or_less(filterset, model):
    def errors(value):
        bound = filterset({"due_within": value}, queryset=model.objects.none())
        return bound.is_valid() or dict(bound.errors)

    assert errors("0") is True
    assert errors("3650") is True
    assert "due_within" in errors("3651")
    assert "due_within" in errors("10000000000")
    assert "due_within" in errors("-1")
