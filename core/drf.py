"""DRF plumbing shared by every app: the error format, pagination and the capability permission."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError, InvalidInput
from .middleware import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, database_unavailable_body


def django_validation_to_fields(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        # message_dict maps each field to a list of plain messages (not to ValidationErrors)
        return {("non_field_errors" if k == "__all__" else k): [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _flatten_drf(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{"parties.0.id_number": [...]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if prefix and key == "non_field_errors":  # a nested serializer's own error belongs to its field
                out.update(_flatten_drf(value, prefix))
            else:
                out.update(_flatten_drf(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list) and detail and all(isinstance(d, str) for d in detail):
        out[prefix or "non_field_errors"] = [str(d) for d in detail]
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if value:
                out.update(_flatten_drf(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def error_body(message: str, code: str, extra: dict | None = None) -> dict:
    return {"message": message, "code": code, "extra": extra or {}}


def exception_handler(exc, context):
    """Every API error has the shape ``{"message", "code", "extra"}``; field errors go in ``extra.fields``.
    The database being unreachable is a 503 ``service.unavailable`` (with ``detail`` too), never a 500."""
    if isinstance(exc, DATABASE_UNAVAILABLE):
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
        return Response(database_unavailable_body(), status=503, headers=headers)
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.message, exc.code, exc.extra), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = InvalidInput(django_validation_to_fields(exc))
        return Response(error_body(exc.message, exc.code, exc.extra), status=400)
    if isinstance(exc, Http404):
        return Response(error_body(_("Not found."), "not_found"), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        fields = _flatten_drf(exc.detail)
        first = next(iter(fields.values()))[0] if fields else _("Invalid input.")
        response.data = error_body(first, "invalid_input", {"fields": fields})
    else:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        response.data = error_body(str(getattr(exc, "detail", exc)), codes if isinstance(codes, str) else "error")
    return response


class CountedValues:
    """A queryset to paginate as plain ``.values(*fields)`` rows, counted without them: a count over the values
    would keep their joins (inner joins may drop rows, so PostgreSQL cannot skip them) and read every joined row
    of every page, where the queryset's own count reads one index."""

    def __init__(self, queryset, fields: tuple[str, ...]):
        self.queryset = queryset
        self.fields = fields
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return list(self.queryset.values(*self.fields)[index])


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class DefaultRateScopedThrottle(ScopedRateThrottle):
    """Per client (the user, or the IP address of an anonymous caller) and per ``throttle_scope``, at the class's
    ``rate`` unless the settings name a rate for the scope (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``)."""

    rate = "60/min"

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope) or type(self).rate


class HasCapability(permissions.BasePermission):
    """``permission_classes = [HasCapability.of("case.file")]``: the user's role must hold the capability."""

    capability: str = ""
    message = "Your role does not allow this action."

    @classmethod
    def of(cls, capability: str) -> type[HasCapability]:
        return type(f"Has_{capability.replace('.', '_')}", (cls,), {"capability": capability})

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return bool(user.is_superuser or user.can(self.capability))


def capability_for_method(*, read: str, write: str) -> type[permissions.BasePermission]:
    """One permission class: ``read`` for safe methods, ``write`` for the rest."""

    class _ByMethod(permissions.BasePermission):
        message = HasCapability.message

        def has_permission(self, request, view) -> bool:
            user = request.user
            if not (user and user.is_authenticated):
                return False
            needed = read if request.method in permissions.SAFE_METHODS else write
            return bool(user.is_superuser or user.can(needed))

    _ByMethod.__name__ = f"Read_{read.replace('.', '_')}_Write_{write.replace('.', '_')}"
    return _ByMethod
