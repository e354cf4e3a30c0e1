import logging
import re
import sys
import uuid

from django.db import InterfaceError, OperationalError

from .context import client_ip_var, request_id_var

logger = logging.getLogger(__name__)

# The database cannot be reached (refused, reset, restarting, connection closed under us): the request cannot be
# served, but nothing is wrong with it; 503 tells clients and load balancers to come back.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (from ``X-Request-ID`` when it is well-formed) for the audit log and logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        id_token = request_id_var.set(request.id)
        ip_token = client_ip_var.set(request.META.get("REMOTE_ADDR") or None)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(id_token)
            client_ip_var.reset(ip_token)
        response["X-Request-ID"] = request.id
        return response


def database_unavailable_message() -> str:
    from django.utils.translation import gettext as _

    return _("The database is unavailable at the moment. Please try again in a minute.")


def database_unavailable_body() -> dict:
    """The API's 503 body: the error format of ``core.drf.error_body`` plus ``detail``."""
    from .drf import error_body

    message = database_unavailable_message()
    return {"detail": message, **error_body(message, "service.unavailable")}


def database_unavailable(request, exception: BaseException | None = None):
    """The 503 answer while the database cannot be reached: JSON ``{"detail", "code": "service.unavailable"}``
    (with the API's ``message``/``extra`` too) under /api/, else the ``503.html`` page, rendered without a
    request context (context processors would query the database again). A ``Retry-After`` header is set.
    The connection is left to Django, which discards an unusable one when the request ends, so the next
    request connects afresh and succeeds once the database is back."""
    from django.http import HttpResponse, JsonResponse
    from django.template import loader

    logger.error("database unavailable on %s: %s", request.path, exception)
    if request.path.startswith("/api/"):
        response = JsonResponse(database_unavailable_body(), status=503, json_dumps_params={"ensure_ascii": False})
    else:
        page = loader.render_to_string("503.html", {"message": database_unavailable_message()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs):
    """``handler500``: the 503 answer when the uncaught error is the database being unreachable (raised in a
    middleware, e.g. while loading the session, where ``process_exception`` cannot see it); else Django's own
    500 page."""
    from django.views import defaults

    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return database_unavailable(request, exception)
    return defaults.server_error(request, *args, **kwargs)


class ApplicationErrorMiddleware:
    """On pages (not the API, which has its own handler): NotFound renders the 404 page, PermissionDenied
    the 403 page, so a selector's "not yours" looks exactly like "missing". Everywhere: the database being
    unreachable is a 503 with a clear message (``database_unavailable``), not a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.views import defaults

        from .exceptions import NotFound, PermissionDenied

        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        if isinstance(exception, NotFound):
            from django.http import Http404

            return defaults.page_not_found(request, Http404(exception.message))
        if isinstance(exception, PermissionDenied):
            from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

            return defaults.permission_denied(request, DjangoPermissionDenied(exception.message))
        return None


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose otherwise with the language switcher (the cookie that
    Django's ``set_language`` view writes). Unlike Django's LocaleMiddleware, the browser's
    Accept-Language is not consulted: a court system speaks the court's language by default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
