"""Expiry reminders: a daily job records, once per measure and threshold (30 and 7 days), a reminder for the
case's officer that a measure in force expires soon (a party renewing applies ≥ 7 days before expiry,
财产保全规定 2020 art. 18).

Its cost follows what is due: per threshold one query over the index ``status, expires_on`` (bounded to the
measures expiring within the threshold and not yet reminded) and one bulk insert."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..choices import REMINDER_THRESHOLDS, ControlStatus
from ..models import ControlMeasure, ExpiryReminder


@transaction.atomic
def reminders_record_due(*, today: dt.date | None = None, limit: int = 5000) -> dict[int, int]:
    """Record the reminders due today; returns how many were new per threshold. Safe to run twice (unique
    measure × threshold)."""
    today = today or timezone.localdate()
    now = timezone.now()
    created: dict[int, int] = {}
    for threshold in REMINDER_THRESHOLDS:
        due = (
            ControlMeasure.objects.filter(
                status=ControlStatus.ACTIVE, expires_on__gt=today, expires_on__lte=today + dt.timedelta(days=threshold)
            )
            .exclude(reminders__threshold=threshold)
            .order_by("expires_on", "id")
            .values_list("pk", "expires_on", "enforcement_case__officer_id")[:limit]
        )
        rows = [
            ExpiryReminder(
                measure_id=pk, threshold=threshold, expires_on=expires_on, officer_id=officer, created_at=now
            )
            for pk, expires_on, officer in due
        ]
        ExpiryReminder.objects.bulk_create(rows, ignore_conflicts=True)
        created[threshold] = len(rows)
    return created
