"""The admin site, scoped to the administrator's court.

A court administrator (staff, not superuser) sees and edits in the admin only the rows of their own court, as
everywhere else (``core.access``): every registered ``ModelAdmin`` is wrapped in ``CourtScopedAdmin`` when it
is registered, so that an app's admin needs nothing of its own. The court of a row is found by following
foreign keys to ``Court`` (``court``, ``case__court``, ``enforcement_case__court`` …) or named in
``COURT_LOOKUPS``; models with no court (reference data: the calendar, agencies, schedules) stay shared.
Superusers see everything. A court administrator cannot grant superuser status or single permissions.

Installed by replacing ``django.contrib.admin`` with ``core.admin_site.AdminConfig`` in ``INSTALLED_APPS``.
"""

from __future__ import annotations

from functools import cache

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db.models import Q

# Where the court of a row is when following foreign keys would not find it (or would find the wrong one).
# Several lookups: the row is the court's when any of them leads there. ``None``: shared by every court.
COURT_LOOKUPS: dict[str, str | tuple[str, ...] | None] = {
    "core.Court": "pk",
    "core.User": "court",
    "core.Job": "user__court",
    "core.AuditLog": "court",
    "otp_totp.TOTPDevice": "user__court",
    "otp_static.StaticDevice": "user__court",
    "cases.Party": "case_links__case__court",  # a party belongs to the courts of the cases it is on
    "cases.Notification": ("case__court", "recipient_user__court"),
    "cases.PartyRelation": "recorded_by__court",
    "cases.PropertyTransfer": "recorded_by__court",
    "command.RiskNote": "recorded_by__court",
    "assets.AgencyRequest": ("batch__enforcement_case__court", "measure__enforcement_case__court"),
    "assets.AgencyAnswer": ("request__batch__enforcement_case__court", "request__measure__enforcement_case__court"),
    "assets.QueryResult": ("request__batch__enforcement_case__court", "request__measure__enforcement_case__court"),
    "bankruptcy.Suggestion": "debtor__case_links__case__court",
    "credit.FeedEvent": ("listing__enforcement_case__court", "restriction__enforcement_case__court"),
    # national reference data and the agencies' own accounts
    "assets.Agency": None,
    "credit.FeedSubscription": None,
    "core.ApiCredential": None,
}
MAX_DEPTH = 4
# Fields of a user that only a superuser may set (a court administrator would otherwise grant themselves all).
SUPERUSER_ONLY_USER_FIELDS = ("is_superuser", "user_permissions")


def _edges(model) -> list:
    """The foreign keys a row's court is followed along: required ones, not to a user or a party (whose court
    is the court of whoever wrote them, not of the row)."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation
        and f.related_model is not None
        and not f.null
        and f.related_model._meta.label not in ("core.User", "cases.Party")
    ]


@cache
def court_lookup(model) -> str | tuple[str, ...] | None:
    """The ORM path from ``model`` to its court, or ``None`` for shared reference data."""
    from core.models import Court

    label = model._meta.label
    if label in COURT_LOOKUPS:
        return COURT_LOOKUPS[label]
    level = [(model, "")]
    for _depth in range(MAX_DEPTH):
        following = []
        for current, prefix in level:
            for field in _edges(current):
                if field.related_model is Court:
                    return f"{prefix}{field.name}"
            following += [(f.related_model, f"{prefix}{f.name}__") for f in _edges(current)]
        level = following
    return None


def _scope(queryset, user):
    """``core.access.scope_to_user`` along the model's path (or paths) to its court."""
    from core.access import visible_court_ids  # not at the top: this module is loaded before the models

    lookup = court_lookup(queryset.model)
    court_ids = visible_court_ids(user)
    if court_ids is None or lookup is None:
        return queryset
    if not court_ids:
        return queryset.none()
    lookups = (lookup,) if isinstance(lookup, str) else lookup
    condition = Q()
    for path in lookups:
        condition |= Q(**{f"{path}__in": court_ids})
    scoped = queryset.filter(condition)
    # through a reverse relation (a party's cases) or an OR, a row may match more than once
    return scoped.distinct() if len(lookups) > 1 or any("case_links" in p for p in lookups) else scoped


class CourtScopedAdmin:
    """Mixed into every registered ``ModelAdmin``: lists, object pages, deletions and the choices of a
    foreign key are limited to the administrator's court."""

    def get_queryset(self, request):
        return _scope(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = _scope(field.queryset, request.user)
        return field

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.model._meta.label == "core.User" and not request.user.is_superuser:
            fields += [f for f in SUPERUSER_ONLY_USER_FIELDS if f not in fields]
        return fields


class CourtAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CourtScopedAdmin):
            admin_class = type(
                admin_class.__name__, (CourtScopedAdmin, admin_class), {"__module__": admin_class.__module__}
            )
        return super().register(model_or_iterable, admin_class, **options)


class AdminConfig(DjangoAdminConfig):
    default_site = "core.admin_site.CourtAdminSite"
