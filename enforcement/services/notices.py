"""Issuing the 执行通知书 and the 报告财产令 to a debtor, and recording their service (送达)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyRole
from cases.models import Party
from core.access import require_capability
from core.audit import audit_record
from core.exceptions import RuleViolation
from core.models import User
from core.signing import document_sign

from ..choices import NoticeKind, ServiceMethod, Status
from ..documents import TITLES, render_notice
from ..models import EnforcementCase, Notice, notices_served_on_every_debtor
from .lifecycle import lock_case, status_label, transition_apply

# A notice is issued once an officer holds the file, and while the case is being worked on.
ISSUING_STATUSES = (Status.ASSIGNED, Status.NOTIFIED, Status.INVESTIGATING, Status.CONTROLLING, Status.DISPOSING)


@transaction.atomic
def notice_issue(
    *,
    actor: User,
    enforcement_case: EnforcementCase,
    kind: str,
    recipient_id: int,
    service_method: str,
    served_on: dt.date,
    issued_on: dt.date | None = None,
) -> Notice:
    """Generate the document ``kind`` for the debtor ``recipient_id``, store it and record its service.

    The recipient must be a debtor of the case, the case assigned and open, each document issued once per
    debtor, and ``issued_on`` (today by default) ≤ ``served_on`` ≤ today. When this completes both documents
    for every debtor, the case moves from "assigned" to "notified" in the same transaction.
    """
    require_capability(actor, "enforcement.act")
    case = lock_case(actor=actor, enforcement_case=enforcement_case)
    today = timezone.localdate()
    issued_on = issued_on or today
    if kind not in NoticeKind.values:
        raise RuleViolation(_("Choose the document to issue."), code="notice.kind")
    if service_method not in ServiceMethod.values:
        raise RuleViolation(_("Choose how the document was served."), code="notice.service_method")
    if case.status not in ISSUING_STATUSES:
        raise RuleViolation(
            _("Documents are issued once an officer holds the file and while the case is open; it is “%(state)s”.")
            % {"state": status_label(case.status)},
            code="notice.case_state",
        )
    recipient = Party.objects.filter(
        pk=recipient_id, case_links__case=case.case, case_links__role=PartyRole.DEBTOR
    ).first()
    if recipient is None:
        raise RuleViolation(
            _("The document is served on a debtor of the case (被执行人)."), code="notice.recipient_not_debtor"
        )
    if case.notices.filter(kind=kind, recipient=recipient).exists():
        raise RuleViolation(
            _("The %(document)s has already been issued to %(name)s.")
            % {"document": NoticeKind(kind).label, "name": recipient.name},
            code="notice.duplicate",
        )
    if not (case.case.filing_date <= issued_on <= today):
        raise RuleViolation(_("A document is issued between the filing date and today."), code="notice.issued_on")
    if not (issued_on <= served_on <= today):
        raise RuleViolation(_("The date of service lies between the day of issue and today."), code="notice.served_on")

    content = render_notice(kind=kind, enforcement_case=case, recipient=recipient, issued_on=issued_on)
    notice = Notice(
        enforcement_case=case,
        kind=kind,
        recipient=recipient,
        issued_on=issued_on,
        issued_by=actor,
        service_method=service_method,
        served_on=served_on,
    )
    filename = f"{TITLES[kind]}-{case.case.number}-{recipient.pk}.docx"
    # Every check has run: only a database failure below could now leave the stored file without its row.
    content = document_sign(court=case.case.court, content=content, title=TITLES[kind], reference=case.case.number)
    notice.file.save(filename, ContentFile(content), save=False)
    notice.full_clean()
    notice.save()
    audit_record(
        actor=actor,
        action="enforcement.notice_issue",
        obj=case,
        changes={
            "notice": notice.pk,
            "kind": kind,
            "recipient": recipient.pk,
            "service_method": service_method,
            "served_on": served_on.isoformat(),
        },
    )
    if case.status == Status.ASSIGNED and notices_served_on_every_debtor(case):
        transition_apply(
            actor=actor,
            enforcement_case=case,
            transition="notify",
            reason=_("Enforcement notice and property report order served on every debtor."),
        )
    return notice
