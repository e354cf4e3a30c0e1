"""Notifications: telling a party (by SMS or email) or a staff member (in the application) what happened.

The record is written in the caller's transaction, status *pending*; it is sent when the transaction commits
(nothing is sent for a change that was rolled back) and its outcome recorded (*sent* with the provider's
reference, or *failed* with the error). A party with neither phone nor email gets a *post* record, which
stays pending for the clerk to mail.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import User
from core.sms import SmsError, get_backend

from ..choices import NotificationChannel, NotificationStatus
from ..models import Case, Notification, Party

logger = logging.getLogger(__name__)


def _deliver(notification_ids: list[int]) -> None:
    """Send the pending SMS and email notifications among ``notification_ids`` and record each outcome."""
    for notification in Notification.objects.filter(pk__in=notification_ids, status=NotificationStatus.PENDING):
        try:
            if notification.channel == NotificationChannel.SMS:
                notification.reference = get_backend().send(
                    phone=notification.address, text=f"{notification.subject}：{notification.body}"
                )[:80]
            elif notification.channel == NotificationChannel.EMAIL:
                send_mail(
                    notification.subject,
                    notification.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [notification.address],
                    fail_silently=False,
                )
            else:
                continue  # by post: the clerk mails it
        except (SmsError, OSError) as error:
            notification.status, notification.error = NotificationStatus.FAILED, str(error)[:300]
            logger.warning("notification %s not sent: %s", notification.pk, error)
        else:
            notification.status, notification.sent_at = NotificationStatus.SENT, timezone.now()
        notification.save(update_fields=["status", "error", "reference", "sent_at"])


@transaction.atomic
def notify_party(
    *, party: Party, case: Case | None, kind: str, subject: str, body: str, actor: User | None = None
) -> list[Notification]:
    """Tell ``party`` by SMS (if a phone is on file) and by email (if an email is on file), or record a letter
    to post. Returns the records written; they are sent when the transaction commits."""
    channels = []
    if party.phone:
        channels.append((NotificationChannel.SMS, party.phone))
    if party.email:
        channels.append((NotificationChannel.EMAIL, party.email))
    if not channels:
        channels.append((NotificationChannel.POST, party.address))
    records = []
    for channel, address in channels:
        notification = Notification(
            case=case,
            kind=kind,
            channel=channel,
            recipient_party=party,
            address=address or "",
            subject=subject[:200],
            body=body,
        )
        notification.full_clean()
        notification.save()
        records.append(notification)
    audit_record(
        actor=actor,
        action="notification.party",
        obj=party,
        changes={"kind": kind, "case": case.pk if case else None, "channels": [c for c, _ in channels]},
    )
    ids = [n.pk for n in records]
    transaction.on_commit(lambda: _deliver(ids))
    return records


@transaction.atomic
def notify_user(*, user: User, case: Case | None, kind: str, subject: str, body: str, link: str = "") -> Notification:
    """An in-application message to a staff member (shown on their pages until read)."""
    notification = Notification(
        case=case,
        kind=kind,
        channel=NotificationChannel.IN_APP,
        recipient_user=user,
        subject=subject[:200],
        body=body,
        link=link,
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
    )
    notification.full_clean()
    notification.save()
    return notification


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: int) -> Notification:
    """Mark the actor's own in-application message read (another user's is "not found")."""
    from core.access import get_or_404

    notification = get_or_404(Notification.objects.select_for_update().filter(recipient_user=actor), pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(actor=actor, action="notification.read", obj=notification)
    return notification
