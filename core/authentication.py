"""How people and programs prove who they are.

Staff log in with a password (Django's login view) behind a lockout (django-axes, ``LoginLockoutBackend``):
five failures for one username from one address lock that pair for 30 minutes (settings ``AXES_*``).

External agencies send ``Authorization: Api-Key <prefix>.<secret>``, only ever in that header: a key in a URL
(``?api_key=…``) would end up in proxy and server logs and in browser history, so no query parameter is read.
Only a SHA-256 of the secret is stored; the secret is 32 random bytes, so a slow password hash would add
cost without adding safety. Keys can be revoked, given an expiry date or rotated (``core.services``) in the admin.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiCredential

KEYWORD = "Api-Key"


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in ``AUTHENTICATION_BACKENDS``; the password is checked by the
    ``ModelBackend`` after it.

    Every login form of the site (Django's login view, the admin's) passes the request, so every attempt made
    over HTTP is counted and checked. ``authenticate()`` called without a request comes from code running on
    the server (the test client's ``login()``, a shell), which has no client address to count failures
    against: it is passed on to the next backend instead of raising.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The address a login attempt is counted against. Behind ``ZHIXING_PROXY_COUNT`` reverse proxies that
    each append to ``X-Forwarded-For``, it is the entry the outermost proxy wrote (whatever the client put
    to the left of it is ignored, so it cannot choose its own address); otherwise ``REMOTE_ADDR``."""
    count = getattr(settings, "ZHIXING_PROXY_COUNT", 0)
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None


def lockout_message() -> str:
    cool_off = get_cool_off()
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    return gettext(
        "Too many failed logins: this account is locked on this computer for %(minutes)d minutes. "
        "Try again later, or ask the court administrator to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The login page again, with the lockout explained (``AXES_LOCKOUT_CALLABLE``), status 429."""
    from .forms import LoginForm

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    context = {"form": form, "next": request.POST.get("next", ""), "lockout_message": lockout_message()}
    response = TemplateResponse(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    return response.render()


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(KEYWORD + " "):
            return None
        token = header[len(KEYWORD) + 1 :].strip()
        prefix, _sep, secret = token.partition(".")
        if not prefix or not secret:
            raise exceptions.AuthenticationFailed(_("Malformed API key."))
        credential = ApiCredential.objects.select_related("user").filter(prefix=prefix).first()
        if credential is None or not credential.check_secret(secret):
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        if not credential.is_usable or not credential.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked or has expired."))
        ApiCredential.objects.filter(pk=credential.pk).update(last_used_at=timezone.now())
        return credential.user, credential

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "core.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Api-Key <prefix>.<secret>, issued to an agency by the court administrator.",
        }
