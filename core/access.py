"""Scoping: every queryset a user sees passes through here.

A court's staff see their own court's records; a superuser sees everything; anyone else sees nothing.
``get_visible_or_404`` raises the same ``NotFound`` whether the object is missing or belongs to another
court, so that nobody learns what exists elsewhere.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .exceptions import NotFound, PermissionDenied
from .models import User

NOT_FOUND_MESSAGE = _("Not found.")
PERMISSION_MESSAGE = _("Your role does not allow this action.")


def visible_court_ids(user: User) -> list[int] | None:
    """The courts whose records ``user`` may see; ``None`` means all (superusers)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    if user.is_court_staff:
        return [user.court_id]
    return []


def scope_to_user(queryset: models.QuerySet, user: User, *, court_field: str = "court") -> models.QuerySet:
    court_ids = visible_court_ids(user)
    if court_ids is None:
        return queryset
    if not court_ids:
        return queryset.none()
    return queryset.filter(**{f"{court_field}__in": court_ids})


def get_or_404(queryset: models.QuerySet, **lookup):
    """One object of an already scoped ``queryset``; ``NotFound`` when it is not there, whatever the reason."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(str(NOT_FOUND_MESSAGE)) from exc


def get_visible_or_404(queryset: models.QuerySet, user: User, *, court_field: str = "court", **lookup):
    return get_or_404(scope_to_user(queryset, user, court_field=court_field), **lookup)


def require_visible_court(user: User, court_id: int) -> None:
    """``NotFound`` unless ``user`` may see records of court ``court_id`` (the same answer as "missing")."""
    court_ids = visible_court_ids(user)
    if court_ids is not None and court_id not in court_ids:
        raise NotFound(str(NOT_FOUND_MESSAGE))


def require_capability(user: User, capability: str) -> None:
    if not (user.is_authenticated and (user.is_superuser or user.can(capability))):
        raise PermissionDenied(str(PERMISSION_MESSAGE), code=f"capability.{capability}")
