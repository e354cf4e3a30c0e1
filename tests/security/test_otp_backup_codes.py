"""Backup codes for two-step login (core.otp, django-otp's StaticDevice): ten single-use codes, shown once, that
stand in for the app's code at login, so that a lost phone does not lock its owner out."""

# ruff: noqa: F811 - the fixtures of tests/security/auth_fixtures.py are parameters of the tests

import re

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from core.exceptions import InvalidInput, RuleViolation
from core.models import AuditLog
from core.otp import otp_backup_codes_issue, otp_backup_codes_left, otp_device_remove, otp_verify
from tests.security.auth_fixtures import _english, _fast_password_hashing, court, officer  # noqa: F401 - fixtures
from tests.security.test_otp import STAFF_PAGE, VERIFY, code, enrolled, password_login

pytestmark = pytest.mark.django_db

SETUP = "/account/otp/"
ISSUE = "/account/otp/backup-codes/"
USED_OR_WRONG = "That backup code is wrong or has been used already."


def verified_client(client, officer, device):
    password_login(client, officer)
    assert client.post(VERIFY, {"token": code(device.key, steps=1)}).status_code == 302
    return client


def test_ten_codes_are_issued_with_an_app_and_audited_without_them(officer):
    enrolled(officer)
    codes = otp_backup_codes_issue(user=officer)
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    assert otp_backup_codes_left(officer) == 10
    entry = AuditLog.objects.get(action="otp.backup_codes")
    assert entry.changes == {"codes": 10}
    assert not any(c in str(entry.changes) + entry.object_repr for c in codes)


def test_no_codes_without_an_app(officer):
    with pytest.raises(RuleViolation) as refused:
        otp_backup_codes_issue(user=officer)
    assert refused.value.code == "otp.not_enrolled"
    assert not StaticDevice.objects.exists()


def test_issuing_again_replaces_the_old_codes(officer):
    enrolled(officer)
    old = otp_backup_codes_issue(user=officer)
    new = otp_backup_codes_issue(user=officer)
    assert StaticDevice.objects.filter(user=officer).count() == 1
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    with pytest.raises(InvalidInput):
        otp_verify(user=officer, token=next(c for c in old if c not in new))


def test_a_backup_code_logs_in_once_typed_any_way(client, officer):
    enrolled(officer)
    first, second, *_ = otp_backup_codes_issue(user=officer)
    password_login(client, officer)
    typed = f"{first[:4].upper()}-{first[4:]}"
    response = client.post(VERIFY, {"token": typed, "next": STAFF_PAGE})
    assert (response.status_code, response["Location"]) == (302, STAFF_PAGE)
    assert client.get(STAFF_PAGE).status_code == 200
    assert otp_backup_codes_left(officer) == 9
    assert AuditLog.objects.get(action="otp.backup_code_used").changes == {"left": 9}
    assert otp_verify(user=officer, token=second).persistent_id.startswith("otp_static")
    with pytest.raises(InvalidInput) as used:
        otp_verify(user=officer, token=first)
    assert used.value.message == USED_OR_WRONG


def test_a_wrong_backup_code_is_refused_and_the_next_try_must_wait(client, officer):
    enrolled(officer)
    codes = otp_backup_codes_issue(user=officer)
    password_login(client, officer)
    wrong = next(c for c in ("aaaaaaaa", "bbbbbbbb") if c not in codes)
    assert USED_OR_WRONG in client.post(VERIFY, {"token": wrong}).content.decode()
    again = client.post(VERIFY, {"token": codes[0]})
    assert "Too many wrong codes: try again in" in again.content.decode()
    assert client.get(STAFF_PAGE).status_code == 302
    assert otp_backup_codes_left(officer) == 10


def test_the_enrol_form_takes_only_the_apps_code(client, officer):
    client.force_login(officer)
    response = client.post(SETUP, {"token": "abcdefgh"})
    assert "Enter the 6 digits your app shows." in response.content.decode()


def test_the_page_shows_new_codes_once_to_a_verified_session(client, officer):
    device = enrolled(officer)
    verified_client(client, officer, device)
    assert "You have 0 unused backup codes" in client.get(SETUP).content.decode()
    response = client.post(ISSUE)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    shown = re.findall(r"<li class=\"col\">([a-z2-7]{4} [a-z2-7]{4})</li>", response.content.decode())
    assert sorted(s.replace(" ", "") for s in shown) == sorted(StaticToken.objects.values_list("token", flat=True))
    page = client.get(SETUP).content.decode()
    assert "You have 10 unused backup codes" in page
    assert not any(s in page or s.replace(" ", "") in page for s in shown)


def test_a_session_not_yet_verified_cannot_issue_codes(client, officer):
    enrolled(officer)
    password_login(client, officer)
    response = client.post(ISSUE)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert not StaticDevice.objects.exists()


def test_removing_the_app_removes_its_backup_codes(officer, court):
    from tests.factories import UserFactory

    enrolled(officer)
    otp_backup_codes_issue(user=officer)
    admin = UserFactory(court=court, is_staff=True, is_superuser=True)
    otp_device_remove(actor=admin, user=officer, reason="lost phone")
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
