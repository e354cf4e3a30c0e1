"""The audit trail: services call ``audit_record`` inside their transaction for every write, and selectors
call it for every staff read of a party's personal details."""

from __future__ import annotations

from typing import Any

from django.db import models

from .context import client_ip_var, request_id_var
from .models import AuditLog, User


def _court_of(obj: Any, actor: User | None):
    court_id = getattr(obj, "court_id", None)
    if court_id is None and actor is not None:
        court_id = actor.court_id
    return court_id


def audit_entry(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    request_id: str | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """One audit row, not yet saved: for ``audit_record_many``. ``request_id`` and ``ip_address`` default to
    the current HTTP request's; a worker acting on what a request brought passes that request's."""
    return AuditLog(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_username() if actor is not None and actor.pk else "system"),
        court_id=_court_of(obj, actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        reason=reason,
        changes=changes or {},
        request_id=request_id_var.get() if request_id is None else request_id,
        ip_address=client_ip_var.get() if ip_address is None else ip_address,
    )


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit row. Call inside the service's transaction so that it commits with the change."""
    entry = audit_entry(actor=actor, action=action, obj=obj, reason=reason, changes=changes)
    entry.save()
    return entry


def audit_record_many(entries: list[AuditLog]) -> None:
    """Append the rows built by ``audit_entry`` in one statement (a service writing many things at once)."""
    AuditLog.objects.bulk_create(entries, batch_size=500)
