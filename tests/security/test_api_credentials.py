"""Agency API keys: rotated with an overlap (core.services.credential_rotate, the admin's "rotate" action), and
only ever read from the Authorization header — never from the URL, where logs and histories would keep it."""

# ruff: noqa: F811 - the fixtures of tests/security/auth_fixtures.py are parameters of the tests

import datetime as dt

import pytest
from django.test import Client

from assets.choices import AgencyKind, AssetCategory
from assets.models import Agency
from core.exceptions import InvalidInput, RuleViolation
from core.models import ApiCredential, AuditLog
from core.services import credential_issue, credential_revoke, credential_rotate, rotate_api_credential
from tests.factories import UserFactory
from tests.security.auth_fixtures import _english, _fast_password_hashing, clock, superuser  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
AGENCY_REQUESTS = "/api/v1/agency/requests/"


@pytest.fixture
def agency_client(db):
    client = UserFactory(agency=True, username="bank-keys", organisation="ICBC")
    Agency.objects.create(
        code="bank-keys", name="ICBC", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT], client=client
    )
    return client


@pytest.fixture
def issued(agency_client, superuser):
    return credential_issue(actor=superuser, user=agency_client, name="ICBC gateway", scopes=["agency"])


def status_with(key: str, path: str = ME) -> int:
    return Client().get(path, HTTP_AUTHORIZATION=f"Api-Key {key}").status_code


# ---- rotation ----------------------------------------------------------------------------------------------


def test_rotate_api_credential_is_the_rotation_service():
    assert rotate_api_credential is credential_rotate


def test_rotation_issues_a_new_key_with_the_same_client_name_and_scopes(issued, superuser, agency_client):
    old, old_key = issued
    new, new_key = credential_rotate(actor=superuser, credential=old)
    assert new.pk != old.pk and new.prefix != old.prefix
    assert (new.user, new.name, new.scopes) == (agency_client, "ICBC gateway", ["agency"])
    assert new_key.startswith(new.prefix + ".") and new_key != old_key
    assert new.expires_at is None and new.revoked_at is None
    assert status_with(new_key) == 200
    assert status_with(new_key, AGENCY_REQUESTS) == 200


def test_the_old_key_keeps_working_for_the_overlap_then_stops(issued, superuser, clock):
    old, old_key = issued
    _new, new_key = credential_rotate(actor=superuser, credential=old, overlap_hours=24)
    old.refresh_from_db()
    assert old.expires_at == clock.now + dt.timedelta(hours=24)
    clock.advance(hours=23, minutes=59)
    assert status_with(old_key) == 200
    clock.advance(minutes=2)
    assert status_with(old_key) in (401, 403)
    assert status_with(new_key) == 200


def test_an_overlap_of_zero_hours_ends_the_old_key_at_once(issued, superuser):
    old, old_key = issued
    credential_rotate(actor=superuser, credential=old, overlap_hours=0)
    assert status_with(old_key) in (401, 403)


def test_rotation_never_lengthens_the_old_keys_life(issued, superuser, clock):
    old, _key = issued
    soon = clock.now + dt.timedelta(hours=2)
    ApiCredential.objects.filter(pk=old.pk).update(expires_at=soon)
    credential_rotate(actor=superuser, credential=old, overlap_hours=24)
    old.refresh_from_db()
    assert old.expires_at == soon


def test_rotation_is_audited_on_the_old_key_with_the_new_keys_prefix(issued, superuser):
    old, _key = issued
    new, _new_key = credential_rotate(actor=superuser, credential=old, overlap_hours=12)
    entry = AuditLog.objects.get(action="credential.rotate")
    assert entry.actor == superuser
    assert (entry.object_type, entry.object_id) == ("core.apicredential", str(old.pk))
    assert entry.changes["successor"] == new.prefix
    assert entry.changes["overlap_hours"] == 12
    assert entry.changes["expires_at"][0] is None
    assert AuditLog.objects.filter(action="credential.issue", object_id=str(new.pk)).exists()


def test_a_revoked_key_cannot_be_rotated_and_nothing_is_written(issued, superuser):
    old, _key = issued
    credential_revoke(actor=superuser, credential=old, reason="leaked")
    before = (ApiCredential.objects.count(), AuditLog.objects.count())
    with pytest.raises(RuleViolation) as caught:
        credential_rotate(actor=superuser, credential=old)
    assert caught.value.message == "A revoked or expired API key cannot be rotated: issue a new key instead."
    assert caught.value.code == "credential.unusable"
    assert (ApiCredential.objects.count(), AuditLog.objects.count()) == before


@pytest.mark.parametrize("overlap", [-1, 721, 1.5, True])
def test_the_overlap_is_a_whole_number_of_hours_up_to_thirty_days(issued, superuser, overlap):
    old, _key = issued
    with pytest.raises(InvalidInput) as caught:
        credential_rotate(actor=superuser, credential=old, overlap_hours=overlap)
    assert caught.value.fields == {"overlap_hours": ["The overlap is a whole number of hours from 0 to 720."]}
    assert ApiCredential.objects.count() == 1


def test_the_admin_rotates_keys_and_shows_each_new_key_once(issued, superuser):
    old, _key = issued
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        "/admin/core/apicredential/", {"action": "rotate", "_selected_action": [old.pk]}, follow=False
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new = ApiCredential.objects.exclude(pk=old.pk).get()
    html = response.content.decode()
    shown = html.split('data-testid="new-key">Api-Key ', 1)[1].split("<", 1)[0]
    assert shown.startswith(new.prefix + ".")
    assert new.check_secret(shown.split(".", 1)[1])
    assert status_with(shown) == 200
    assert shown not in admin.get("/admin/core/apicredential/").content.decode()
    assert shown not in str(admin.cookies)


def test_the_admin_skips_revoked_keys_when_rotating(issued, superuser):
    old, _key = issued
    credential_revoke(actor=superuser, credential=old, reason="leaked")
    admin = Client()
    admin.force_login(superuser)
    response = admin.post("/admin/core/apicredential/", {"action": "rotate", "_selected_action": [old.pk]})
    assert response.status_code == 200
    assert "Not rotated" in response.content.decode()
    assert ApiCredential.objects.count() == 1


# ---- never in the URL --------------------------------------------------------------------------------------


@pytest.mark.parametrize("parameter", ["api_key", "key", "apikey", "api-key", "Api-Key", "token", "access_token"])
@pytest.mark.parametrize("path", [ME, AGENCY_REQUESTS])
def test_a_key_in_the_query_string_is_never_accepted(issued, parameter, path):
    _credential, key = issued
    response = Client().get(path, {parameter: key})
    assert response.status_code in (401, 403)
    assert "username" not in response.content.decode()
    header_only = Client().get(path, HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert header_only.status_code == 200


def test_a_key_in_the_query_string_does_not_count_even_beside_a_wrong_header(issued):
    credential, key = issued
    response = Client().get(ME, {"api_key": key}, HTTP_AUTHORIZATION=f"Api-Key {credential.prefix}.wrong")
    assert response.status_code in (401, 403)
    assert response.json()["message"] == "Invalid API key."


def test_a_key_in_a_posted_form_is_not_accepted_either(issued):
    _credential, key = issued
    response = Client().post(AGENCY_REQUESTS, {"api_key": key, "key": key})
    assert response.status_code in (401, 403)
