"""The one error root of the platform.

Services raise an ``ApplicationError`` (or a subclass) naming the rule that was broken. The DRF exception
handler (``core.drf.exception_handler``) turns it into ``{"message", "code", "extra"}`` with its status;
views show ``message`` to the user as a form or page error.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.extra = extra or {}

    def __str__(self) -> str:
        return self.message


class RuleViolation(ApplicationError):
    """A legal or business rule refused the action; ``code`` names the rule (e.g. ``case_number.court``)."""

    default_code = "rule_violation"


class InvalidInput(ApplicationError):
    """Field-level errors: ``extra["fields"]`` maps a field name to its messages."""

    default_code = "invalid_input"

    def __init__(self, fields: dict[str, list[str] | str], *, message: str | None = None, code: str | None = None):
        normalised = {k: [str(m) for m in (v if isinstance(v, (list, tuple)) else [v])] for k, v in fields.items()}
        first = next(iter(normalised.values()))[0] if normalised else ""
        super().__init__(message or first, code=code, extra={"fields": normalised})
        self.fields = normalised


class NotFound(ApplicationError):
    """Missing, or not visible to the user: the two are told apart nowhere (no existence leak)."""

    status_code = 404
    default_code = "not_found"


class PermissionDenied(ApplicationError):
    status_code = 403
    default_code = "permission_denied"


class Conflict(ApplicationError):
    status_code = 409
    default_code = "conflict"
