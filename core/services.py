"""Writes owned by core: API credentials for agency clients."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .exceptions import RuleViolation
from .models import ApiCredential, User
from .roles import Role


@transaction.atomic
def credential_issue(
    *,
    actor: User | None,
    user: User,
    name: str,
    scopes: list[str] | None = None,
    prefix: str | None = None,
    secret: str | None = None,
) -> tuple[ApiCredential, str]:
    """Issue an API key to an agency client. Returns the credential and the full key, shown only once."""
    if user.role != Role.AGENCY:
        raise RuleViolation(_("API keys are issued to agency clients only."), code="credential.agency_only")
    credential = ApiCredential(user=user, name=name, prefix=prefix or secrets.token_hex(4), scopes=scopes or [])
    secret = secret or ApiCredential.generate_secret()
    credential.set_secret(secret)
    credential.full_clean()
    credential.save()
    audit_record(actor=actor, action="credential.issue", obj=credential, changes={"scopes": credential.scopes})
    return credential, f"{credential.prefix}.{secret}"


@transaction.atomic
def credential_revoke(*, actor: User | None, credential: ApiCredential, reason: str) -> ApiCredential:
    if credential.revoked_at is not None:
        raise RuleViolation(_("This API key is already revoked."), code="credential.revoked")
    credential.revoked_at = timezone.now()
    credential.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="credential.revoke", obj=credential, reason=reason)
    return credential
