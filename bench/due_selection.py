"""The periodic jobs' selections on the data set in the database: the tracking dispatcher's select of the due
plans (``assets.services.tracking.due_plans``, limit 200, locked and rolled back) and the expiry-reminder job's
select of the measures expiring within 30 days not yet reminded (the query of
``assets.services.reminders.reminders_record_due``, without its insert, as of a week from now), each against
fetching the same rows by primary key with ``.values()``. Their cost must follow what is due, not the size of
the tables: the self-built mode's ``tracking`` benchmark compares 1M plans against 10k; this one shows the ratio
on the data set as is.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from assets.models import ControlMeasure, TrackingPlan
from assets.services.tracking import due_plans

LIMIT = 200


def _reminder_query(today: dt.date):
    return (
        ControlMeasure.objects.filter(
            status="active", expires_on__gt=today, expires_on__lte=today + dt.timedelta(days=30)
        )
        .exclude(reminders__threshold=30)
        .order_by("expires_on", "id")
        .values_list("pk", "expires_on", "enforcement_case__officer_id")[:5000]
    )


def run(*, rounds: int, timed, report) -> None:
    if connection.vendor != "postgresql":
        print("due selection on the data set: skipped (PostgreSQL only)")
        return
    today = timezone.localdate()
    plans, measures = TrackingPlan.objects.count(), ControlMeasure.objects.count()
    with transaction.atomic():
        due_ids = [plan.pk for plan in due_plans(today=today, limit=LIMIT)]
        transaction.set_rollback(True)

    def select_due():
        with transaction.atomic():
            rows = list(due_plans(today=today, limit=LIMIT))
            transaction.set_rollback(True)
        assert len(rows) == len(due_ids)

    def bare_due():
        list(TrackingPlan.objects.filter(pk__in=due_ids).values("id", "next_due_on", "enforcement_case__case__number"))

    report(
        f"tracking due-selection, {len(due_ids)} due of {plans:,} plans (vs .values() by id)",
        timed(select_due, rounds),
        timed(bare_due, rounds),
    )
    # The generator recorded every reminder the job would have by today, so today's select finds nothing: the
    # select is measured as the job will run it a week from now, when the measures entering the window are due.
    later = today + dt.timedelta(days=7)
    window = [pk for pk, _on, _officer in _reminder_query(later)]

    def select_reminders():
        assert len(list(_reminder_query(later))) == len(window)

    def bare_reminders():
        list(ControlMeasure.objects.filter(pk__in=window).values("pk", "expires_on", "enforcement_case__officer_id"))

    report(
        f"expiry-reminder selection, {len(window)} due of {measures:,} measures (vs .values() by id)",
        timed(select_reminders, rounds),
        timed(bare_reminders, rounds),
        f"| as the job runs a week from now; {len(list(_reminder_query(today)))} due today",
    )
