"""The demo's tracking: every 终本 case gets its plan; the runs due by today are replayed through the services
(empty, except one new deposit that alerts the officer; two empty runs flag the plan); a second run writes
nothing."""

import datetime as dt
from io import StringIO

import pytest

from assets.choices import AgencyKind, AssetCategory, TrackingOutcome
from assets.demo import seed_tracking
from assets.models import TrackingPlan, TrackingRun
from cases.models import Notification
from core.demo import DemoContext
from enforcement.deadlines import add_months
from tests.assets.builders import make_agency
from tests.assets.tracking_builders import terminated_case

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)


def test_the_demo_tracks_every_terminated_case_and_replays_the_past_runs(court, officer):
    make_agency("icbc", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    old = terminated_case(court, officer=officer, closed_on=add_months(TODAY, -13))  # 2 runs due
    recent = terminated_case(court, officer=officer, closed_on=add_months(TODAY, -7))  # 1 run due
    fresh = terminated_case(court, closed_on=add_months(TODAY, -1))  # none due yet
    context = DemoContext(today=TODAY, stdout=StringIO())

    seed_tracking(context)

    plans = {p.enforcement_case_id: p for p in TrackingPlan.objects.all()}
    assert set(plans) == {old.pk, recent.pk, fresh.pk}
    outcomes = {
        ec.pk: list(TrackingRun.objects.filter(plan=plans[ec.pk]).order_by("number").values_list("outcome", flat=True))
        for ec in (old, recent, fresh)
    }
    assert outcomes == {
        old.pk: [TrackingOutcome.EMPTY, TrackingOutcome.EMPTY],
        recent.pk: [TrackingOutcome.FOUND],
        fresh.pk: [],
    }
    assert plans[old.pk].delisting_flagged_at is not None
    assert Notification.objects.get(kind="tracking.property_found").recipient_user == officer
    assert Notification.objects.filter(kind="tracking.result").count() == 3

    counts = (TrackingPlan.objects.count(), TrackingRun.objects.count(), Notification.objects.count())
    seed_tracking(context)
    assert (TrackingPlan.objects.count(), TrackingRun.objects.count(), Notification.objects.count()) == counts
