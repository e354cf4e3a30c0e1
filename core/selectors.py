"""Reads owned by core."""

from __future__ import annotations

from django.db import models

from .access import require_capability
from .models import AuditLog, Court, User


def court_list(*, user: User) -> models.QuerySet[Court]:
    """Courts are public reference data; every member of staff may list them."""
    require_capability(user, "court.view")
    return Court.objects.select_related("parent").filter(is_active=True)


def audit_list(*, user: User) -> models.QuerySet[AuditLog]:
    """An auditor or court administrator sees the audit rows of their own court; a superuser all."""
    require_capability(user, "audit.view")
    rows = AuditLog.objects.select_related("actor", "court")
    if user.is_superuser:
        return rows
    return rows.filter(court_id=user.court_id)
