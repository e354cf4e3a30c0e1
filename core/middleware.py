import re
import uuid

from .context import client_ip_var, request_id_var

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


class ApplicationErrorMiddleware:
    """On pages (not the API, which has its own handler): NotFound renders the 404 page, PermissionDenied
    the 403 page, so a selector's "not yours" looks exactly like "missing"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.views import defaults

        from .exceptions import NotFound, PermissionDenied

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
