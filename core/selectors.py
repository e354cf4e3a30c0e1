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


AUDIT_SEARCH_ACTION = "audit.search"


def audit_search_record(*, user: User, params, export: str = "") -> None:
    """A search of the audit log is itself an audited read (action ``audit.search``): who looked, with which
    filters (the ``AuditLogFilter`` parameters given in ``params``), and whether the rows were exported. Written
    by the page and the API before they answer."""
    from .audit import audit_record
    from .filters import AuditLogFilter

    filters = {name: str(params.get(name)) for name in AuditLogFilter.base_filters if params.get(name)}
    changes: dict[str, object] = {"filters": filters}
    if export:
        changes["export"] = export
    audit_record(actor=user, action=AUDIT_SEARCH_ACTION, changes=changes)


def audit_search_base(*, user: User, params) -> models.QuerySet[AuditLog]:
    """The rows a search starts from: ``audit_list``, less the searches of the log itself (every page view
    writes one) unless the ``action`` filter asks for them (``action=audit``)."""
    rows = audit_list(user=user)
    if not str(params.get("action") or "").startswith("audit"):
        rows = rows.exclude(action=AUDIT_SEARCH_ACTION)
    return rows


def audit_search(*, user: User, params, request=None, export: str = ""):
    """The audit rows of the user's court narrowed by ``params`` (``AuditLogFilter``), the search audited.
    Returns the filter set: its ``qs`` holds the rows, its ``form`` the errors of a filter that is not valid
    (an invalid filter is left out, never widening the rows past the user's court)."""
    from .filters import AuditLogFilter

    filterset = AuditLogFilter(params or None, queryset=audit_search_base(user=user, params=params), request=request)
    audit_search_record(user=user, params=params, export=export)
    return filterset
