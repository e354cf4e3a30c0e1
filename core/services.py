"""Writes owned by core: API credentials for agency clients (issue, revoke, rotate)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .exceptions import InvalidInput, RuleViolation
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


MAX_OVERLAP_HOURS = 24 * 30


@transaction.atomic
def credential_rotate(
    *, actor: User | None, credential: ApiCredential, overlap_hours: int = 24
) -> tuple[ApiCredential, str]:
    """Replace an agency's key without a gap: issue a new key (same client, name and scopes; returned once,
    like ``credential_issue``) and let the old one work for ``overlap_hours`` more, while the agency deploys
    the new one. The old key's expiry only ever moves closer. Audited as ``credential.rotate`` on the old key,
    with the new key's prefix. Takes a row lock on the old key, so two rotations cannot both succeed."""
    if (
        isinstance(overlap_hours, bool)
        or not isinstance(overlap_hours, int)
        or not 0 <= overlap_hours <= MAX_OVERLAP_HOURS
    ):
        raise InvalidInput(
            {
                "overlap_hours": _("The overlap is a whole number of hours from 0 to %(max)d.")
                % {"max": MAX_OVERLAP_HOURS}
            },
            code="credential.overlap",
        )
    old = ApiCredential.objects.select_for_update().get(pk=credential.pk)
    if not old.is_usable:
        raise RuleViolation(
            _("A revoked or expired API key cannot be rotated: issue a new key instead."), code="credential.unusable"
        )
    new, key = credential_issue(actor=actor, user=old.user, name=old.name, scopes=list(old.scopes))
    now = timezone.now()
    overlap_end = now + timedelta(hours=overlap_hours)
    previous_expiry = old.expires_at
    old.expires_at = min(previous_expiry, overlap_end) if previous_expiry else overlap_end
    old.save(update_fields=["expires_at"])
    audit_record(
        actor=actor,
        action="credential.rotate",
        obj=old,
        changes={
            "successor": new.prefix,
            "overlap_hours": overlap_hours,
            "expires_at": [previous_expiry.isoformat() if previous_expiry else None, old.expires_at.isoformat()],
        },
    )
    credential.expires_at = old.expires_at
    return new, key


# The name issue 12 gives the rotation service.
rotate_api_credential = credential_rotate
