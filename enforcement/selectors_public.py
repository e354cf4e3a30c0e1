"""Reads of the public 终本 case database (终本规定 2016 arts. 12–13): anyone may read, no login, and only the
entries that are published and not masked (art. 18). This module is the one place that decides what is
public and how it is searched (``icontains`` today; a trigram or full-text index is a later change here)."""

from __future__ import annotations

import datetime as dt

from django.db import models

from core.access import get_or_404

from .models import TerminatedCaseEntry


def public_entries_base() -> models.QuerySet[TerminatedCaseEntry]:
    """Every entry the public may see: published and not masked (the partial index ``terminated_public_idx``)."""
    return TerminatedCaseEntry.objects.filter(published_on__isnull=False, masked_on__isnull=True)


def public_entry_list(
    *,
    q: str = "",
    court: str = "",
    ruled_from: dt.date | None = None,
    ruled_to: dt.date | None = None,
) -> models.QuerySet[TerminatedCaseEntry]:
    """The public entries, newest ruling first: ``q`` matches a debtor's name or the case number (part of
    either), ``court`` the court's name or code exactly, and the ruling date lies between ``ruled_from`` and
    ``ruled_to`` (both included)."""
    queryset = public_entries_base()
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(models.Q(debtor_names__icontains=q) | models.Q(case_number__icontains=q))
    court = (court or "").strip()
    if court:
        queryset = queryset.filter(models.Q(court_name=court) | models.Q(enforcement_case__case__court__code=court))
    if ruled_from:
        queryset = queryset.filter(ruled_on__gte=ruled_from)
    if ruled_to:
        queryset = queryset.filter(ruled_on__lte=ruled_to)
    return queryset.order_by("-ruled_on", "-id")


def public_entry_get(*, pk) -> TerminatedCaseEntry:
    """One public entry; ``NotFound`` alike whether it is missing, not yet published or masked."""
    return get_or_404(public_entries_base(), pk=pk)


def public_courts() -> list[str]:
    """The courts that have public entries, for the court filter."""
    return list(public_entries_base().order_by("court_name").values_list("court_name", flat=True).distinct())
