"""Notifications: ``notify_party`` (SMS when a phone is on file, email when an email is, post when neither;
sent on commit, never on rollback; a failing SMS provider recorded), ``notify_user``, and the staff member's
inbox (the partial, the full page, mark read by htmx, the API) and the admin (address masked in the list,
the full one audited when opened)."""

import pytest
from django.core import mail
from django.db import transaction

from cases.choices import NotificationChannel, NotificationStatus
from cases.models import Notification
from cases.services import notification_mark_read, notify_party, notify_user
from core import sms
from core.exceptions import NotFound
from core.models import AuditLog
from tests.factories import CaseFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


class FailingSmsBackend:
    def send(self, *, phone: str, text: str) -> str:
        raise sms.SmsError("gateway refused: quota exceeded")


@pytest.fixture(autouse=True)
def _outboxes(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ZHIXING_SMS_BACKEND = "core.sms.LoggingSmsBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def tell(party, case=None, **kwargs):
    return notify_party(party=party, case=case, kind="tracking.result", subject="查询结果", body="未发现财产", **kwargs)


# ---- notify_party -------------------------------------------------------------------------------------------------


def test_a_party_with_a_phone_gets_an_sms_sent_on_commit(court, django_capture_on_commit_callbacks):
    party = PartyFactory(phone="13912345678", email="")
    case = CaseFactory(court=court)
    with django_capture_on_commit_callbacks(execute=True):
        [record] = tell(party, case)
    record.refresh_from_db()
    assert (record.channel, record.address, record.status, record.case) == (
        NotificationChannel.SMS,
        "13912345678",
        NotificationStatus.SENT,
        case,
    )
    assert record.reference.startswith("log-") and record.sent_at is not None
    assert [(m.phone, m.text) for m in sms.outbox] == [("13912345678", "查询结果：未发现财产")]
    audit = AuditLog.objects.get(action="notification.party")
    assert audit.changes == {"kind": "tracking.result", "case": case.pk, "channels": ["sms"]}


def test_a_party_with_an_email_gets_an_email(django_capture_on_commit_callbacks):
    party = PartyFactory(phone="", email="lihua@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        [record] = tell(party)
    record.refresh_from_db()
    assert (record.channel, record.status) == (NotificationChannel.EMAIL, NotificationStatus.SENT)
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("查询结果", "未发现财产", ["lihua@example.com"])]
    assert sms.outbox == []


def test_a_party_with_both_gets_both(django_capture_on_commit_callbacks):
    party = PartyFactory(phone="13912345678", email="lihua@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        records = tell(party)
    assert sorted(r.channel for r in records) == ["email", "sms"]
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1


def test_a_party_with_neither_gets_a_letter_left_pending_for_the_clerk(django_capture_on_commit_callbacks):
    party = PartyFactory(phone="", email="", address="北京市朝阳区某街1号")
    with django_capture_on_commit_callbacks(execute=True):
        [record] = tell(party)
    record.refresh_from_db()
    assert (record.channel, record.address, record.status) == (
        NotificationChannel.POST,
        "北京市朝阳区某街1号",
        NotificationStatus.PENDING,
    )
    assert sms.outbox == [] and mail.outbox == []


def test_nothing_is_sent_before_the_commit(django_capture_on_commit_callbacks):
    party = PartyFactory(phone="13912345678")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [record] = tell(party)
        assert sms.outbox == []
    assert len(callbacks) == 1
    record.refresh_from_db()
    assert record.status == NotificationStatus.PENDING


def test_nothing_is_sent_or_kept_when_the_transaction_rolls_back(transactional_db):
    party = PartyFactory(phone="13912345678")

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        tell(party)
        raise Rollback
    assert sms.outbox == []
    assert not Notification.objects.exists()


def test_a_failing_sms_provider_is_recorded_as_failed(settings, django_capture_on_commit_callbacks):
    settings.ZHIXING_SMS_BACKEND = "tests.cases.test_notifications.FailingSmsBackend"
    party = PartyFactory(phone="13912345678", email="lihua@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        tell(party)
    by_channel = {n.channel: n for n in Notification.objects.all()}
    assert (by_channel["sms"].status, by_channel["sms"].error) == (
        NotificationStatus.FAILED,
        "gateway refused: quota exceeded",
    )
    assert by_channel["sms"].sent_at is None
    assert by_channel["email"].status == NotificationStatus.SENT  # the other channel still goes


# ---- notify_user and the inbox ------------------------------------------------------------------------------------


def message(user, case=None, **kwargs):
    kwargs.setdefault("link", "")
    return notify_user(
        user=user, case=case, kind="restoration.requested", subject="恢复执行申请", body="有新线索", **kwargs
    )


def test_notify_user_writes_a_sent_in_app_message(officer):
    note = message(officer, link="/enforcement/1/")
    assert (note.channel, note.status, note.recipient_user, note.read_at) == (
        NotificationChannel.IN_APP,
        NotificationStatus.SENT,
        officer,
        None,
    )


def test_a_user_marks_only_their_own_message_read(officer, other_officer):
    note = message(officer)
    with pytest.raises(NotFound):
        notification_mark_read(actor=other_officer, notification_id=note.pk)
    assert notification_mark_read(actor=officer, notification_id=note.pk).read_at is not None


def test_the_partial_lists_my_messages_unread_first(client_as, court, officer, other_officer):
    case = CaseFactory(court=court)
    read = message(officer, case)
    notification_mark_read(actor=officer, notification_id=read.pk)
    unread = message(officer, case, link="/enforcement/7/")
    message(other_officer)
    response = client_as(officer).get("/cases/notifications/mine/")
    assert response.status_code == 200
    assert [n.pk for n in response.context["notifications"]] == [unread.pk, read.pk]
    assert response.context["unread_count"] == 1
    html = response.content.decode()
    assert 'href="/enforcement/7/"' in html
    assert f'href="/cases/{case.pk}/"' in html  # no link of its own: the case record
    assert f"/cases/notifications/{unread.pk}/read/" in html


def test_the_partial_is_empty_without_messages(client_as, officer):
    response = client_as(officer).get("/cases/notifications/mine/")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_marking_read_with_htmx_returns_the_partial(client_as, officer):
    note = message(officer)
    response = client_as(officer).post(f"/cases/notifications/{note.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["unread_count"] == 0
    note.refresh_from_db()
    assert note.read_at is not None


def test_marking_read_without_htmx_goes_back_to_the_list(client_as, officer, other_officer):
    note = message(officer)
    response = client_as(officer).post(f"/cases/notifications/{note.pk}/read/")
    assert (response.status_code, response["Location"]) == (302, "/cases/notifications/")
    other = message(other_officer)
    assert client_as(officer).post(f"/cases/notifications/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_the_full_page_lists_all_my_messages(client_as, officer):
    for _ in range(3):
        message(officer)
    response = client_as(officer).get("/cases/notifications/")
    assert response.status_code == 200
    assert response.context["paginator"].count == 3


def test_the_inbox_needs_a_login(client, db):
    assert client.get("/cases/notifications/").status_code == 302
    assert client.get("/cases/notifications/mine/").status_code == 302


def test_the_enforcement_list_loads_the_partial(client_as, officer):
    assert "/cases/notifications/mine/" in client_as(officer).get("/enforcement/").content.decode()


def test_a_user_with_a_link_elsewhere_is_not_sent_off_site(client_as, officer):
    message(officer, link="https://example.com/phish")
    html = client_as(officer).get("/cases/notifications/mine/").content.decode()
    assert "example.com" not in html


# ---- API ---------------------------------------------------------------------------------------------------------


def test_the_api_lists_my_messages_and_marks_one_read(api_as, officer, other_officer):
    mine = message(officer)
    message(other_officer)
    api = api_as(officer)
    body = api.get("/api/v1/notifications/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["read_at"] is None
    response = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert api.get("/api/v1/notifications/", {"unread": "1"}).json()["count"] == 0


def test_the_api_hides_other_users_messages(api_as, officer, other_officer):
    theirs = message(other_officer)
    response = api_as(officer).post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_api_needs_credentials(api_client, db):
    assert api_client.get("/api/v1/notifications/").status_code in (401, 403)


# ---- admin -------------------------------------------------------------------------------------------------------


def test_the_admin_masks_the_address_in_the_list_and_audits_opening_one(client, court, superuser):
    party = PartyFactory(phone="13912345678", email="")
    [note] = tell(party, CaseFactory(court=court))
    client.force_login(superuser)
    listing = client.get("/admin/cases/notification/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "139****5678" in html and "13912345678" not in html
    assert not AuditLog.objects.filter(action="party.read_personal").exists()
    page = client.get(f"/admin/cases/notification/{note.pk}/change/")
    assert page.status_code == 200
    assert "13912345678" in page.content.decode()
    audit = AuditLog.objects.get(action="party.read_personal")
    assert (audit.actor, audit.object_id, audit.reason) == (superuser, str(party.pk), f"admin: notification {note.pk}")


def test_the_admin_is_read_only(client, superuser):
    user = UserFactory(officer=True, username="someone")
    note = message(user)
    client.force_login(superuser)
    assert client.get("/admin/cases/notification/add/").status_code == 403
    assert client.post(f"/admin/cases/notification/{note.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Notification.objects.filter(pk=note.pk).exists()
