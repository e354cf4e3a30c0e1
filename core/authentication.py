"""API keys for external agencies: ``Authorization: Api-Key <prefix>.<secret>`` (never in a URL).

Only a SHA-256 of the secret is stored; the secret is 32 random bytes, so a slow password hash would add
cost without adding safety. Keys can be revoked or given an expiry date in the admin.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiCredential

KEYWORD = "Api-Key"


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
