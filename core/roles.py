"""Roles and what each may do.

A user holds one role at one court. Capabilities are named ``<area>.<action>``; views and API views name
the capability they need (``core.permissions``), so that no view is reachable without an explicit check.
Later apps add their capabilities to ``CAPABILITIES`` in their ``AppConfig.ready()`` through ``grant``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Filing clerk")
    OFFICER = "officer", _("Enforcement officer")
    JUDGE = "judge", _("Judge")
    DIVISION_HEAD = "division_head", _("Division head")
    COURT_ADMIN = "court_admin", _("Court administrator")
    AUDITOR = "auditor", _("Auditor")
    PRESIDENT = "president", _("Court president (院长)")
    AGENCY = "agency", _("Agency client")


STAFF_ROLES = frozenset(
    {Role.CLERK, Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD, Role.COURT_ADMIN, Role.AUDITOR, Role.PRESIDENT}
)
CASE_WORKERS = frozenset({Role.CLERK, Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD})

CAPABILITIES: dict[str, set[str]] = {
    # Case records and the parties on them.
    "case.view": set(CASE_WORKERS | {Role.COURT_ADMIN, Role.PRESIDENT}),
    "case.file": {Role.CLERK, Role.DIVISION_HEAD},
    "case.export": set(CASE_WORKERS),
    "party.view": set(CASE_WORKERS | {Role.COURT_ADMIN, Role.PRESIDENT}),
    "party.view_personal": set(CASE_WORKERS),
    "party.register": {Role.CLERK, Role.OFFICER, Role.DIVISION_HEAD},
    # Reference data and oversight.
    "court.view": set(STAFF_ROLES),
    "audit.view": {Role.AUDITOR, Role.COURT_ADMIN},
}


def grant(capability: str, *roles: Role) -> None:
    """Let ``roles`` hold ``capability`` (used by later apps to declare their own capabilities)."""
    CAPABILITIES.setdefault(capability, set()).update(roles)


def role_can(role: str | None, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")
    return role in CAPABILITIES[capability]
