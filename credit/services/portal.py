"""The party portal's query codes (查询码): a party enters the case number and the code to see the case's
progress (``credit.selectors_public.portal_progress``).

A code is 8 characters drawn with ``secrets`` from an alphabet without look-alikes (no 0/O, 1/I/L). Only a
digest is stored: HMAC-SHA-256 keyed with the site's secret and bound to the case, so that a copy of the
table does not let anyone test codes offline, and the same code on two cases has two digests. Issuing again
replaces the code (the old one stops working at once)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from cases.choices import CaseType
from cases.models import Case
from core.access import require_capability, require_visible_court
from core.audit import audit_record
from core.exceptions import RuleViolation
from core.models import User

from ..models import CaseQueryCode

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_DIGEST_SALT = "credit.portal.query-code"
# The cases the public pages and the portal show: enforcement (执) and restored enforcement (执恢).
PUBLIC_CASE_TYPES = (CaseType.ENFORCEMENT, CaseType.ENFORCEMENT_RESTORED)


def code_digest(*, case_id: int, code: str) -> str:
    """The stored form of ``code`` for case ``case_id`` (64 hex characters)."""
    normalised = "".join((code or "").split()).upper()
    return salted_hmac(_DIGEST_SALT, f"{case_id}:{normalised}", algorithm="sha256").hexdigest()


def code_matches(*, case_id: int, code: str, digest: str) -> bool:
    return constant_time_compare(code_digest(case_id=case_id, code=code), digest)


@transaction.atomic
def portal_code_issue(*, actor: User, case: Case) -> str:
    """Issue (or re-issue, replacing the old one) the query code of ``case`` and return it in plain text —
    the only time it exists in plain text; hand it to the party. Needs ``credit.portal`` at the case's court;
    only enforcement cases (执, 执恢) have a portal view."""
    require_capability(actor, "credit.portal")
    require_visible_court(actor, case.court_id)
    if case.case_type not in PUBLIC_CASE_TYPES:
        raise RuleViolation(
            _("Query codes are issued for enforcement cases (执, 执恢) only."), code="portal.not_enforcement_case"
        )
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    existing = CaseQueryCode.objects.select_for_update().filter(case=case).first()
    record = existing or CaseQueryCode(case=case)
    record.code_hash = code_digest(case_id=case.pk, code=code)
    record.issued_at = timezone.now()
    record.issued_by = actor
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action="case.query_code_reissue" if existing else "case.query_code_issue",
        obj=case,
        reason=_("Query code for the party portal issued."),
    )
    return code
