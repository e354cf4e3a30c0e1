"""Agency API keys: ``Authorization: Api-Key <prefix>.<secret>``, only the hash stored, revocable."""

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.exceptions import RuleViolation
from core.models import ApiCredential, AuditLog
from core.services import credential_issue, credential_revoke

pytestmark = pytest.mark.django_db

INVALID = "Invalid API key."
REVOKED = "This API key has been revoked or has expired."


@pytest.fixture
def issued(agency_user, superuser):
    """An agency client's key: (credential, full key)."""
    return credential_issue(actor=superuser, user=agency_user, name="ICBC query gateway", scopes=["queries"])


def with_key(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


def test_issuing_a_key_stores_only_the_hash_of_its_secret(issued):
    credential, key = issued
    prefix, secret = key.split(".", 1)
    assert prefix == credential.prefix
    assert len(secret) >= 40
    assert credential.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in credential.secret_hash
    assert credential.check_secret(secret) is True
    assert credential.check_secret(secret + "x") is False


def test_issuing_a_key_is_audited(issued, superuser):
    credential, _key = issued
    entry = AuditLog.objects.get(action="credential.issue")
    assert entry.actor == superuser
    assert (entry.object_type, entry.object_id) == ("core.apicredential", str(credential.pk))
    assert entry.changes == {"scopes": ["queries"]}


def test_keys_are_issued_to_agency_clients_only(officer, superuser):
    with pytest.raises(RuleViolation) as caught:
        credential_issue(actor=superuser, user=officer, name="not for staff")
    assert caught.value.message == "API keys are issued to agency clients only."
    assert caught.value.code == "credential.agency_only"
    assert ApiCredential.objects.count() == 0
    assert AuditLog.objects.count() == 0


def test_an_api_key_in_the_authorization_header_authenticates_the_agency_client(api_client, issued, agency_user):
    credential, key = issued
    response = api_client.get("/api/v1/me/", **with_key(key))
    assert response.status_code == 200
    assert response.json()["username"] == agency_user.username
    assert response.json()["role"] == "agency"
    assert response.json()["court"] is None
    credential.refresh_from_db()
    assert credential.last_used_at is not None


def test_a_wrong_secret_is_refused(api_client, issued):
    credential, _key = issued
    response = api_client.get("/api/v1/me/", **with_key(f"{credential.prefix}.wrong-secret"))
    assert response.status_code in (401, 403)
    assert response.json() == {"message": INVALID, "code": "authentication_failed", "extra": {}}


def test_an_unknown_prefix_is_refused_like_a_wrong_secret(api_client, issued):
    _credential, key = issued
    response = api_client.get("/api/v1/me/", **with_key("nosuch." + key.split(".", 1)[1]))
    assert response.status_code in (401, 403)
    assert response.json()["message"] == INVALID


def test_a_key_without_its_secret_part_is_refused_as_malformed(api_client, issued):
    credential, _key = issued
    response = api_client.get("/api/v1/me/", **with_key(credential.prefix))
    assert response.status_code in (401, 403)
    assert response.json()["message"] == "Malformed API key."


def test_a_revoked_key_is_refused(api_client, issued, superuser):
    credential, key = issued
    credential_revoke(actor=superuser, credential=credential, reason="bank rotated its gateway")
    response = api_client.get("/api/v1/me/", **with_key(key))
    assert response.status_code in (401, 403)
    assert response.json()["message"] == REVOKED
    assert AuditLog.objects.get(action="credential.revoke").reason == "bank rotated its gateway"


def test_revoking_a_key_twice_is_refused(issued, superuser):
    credential, _key = issued
    credential_revoke(actor=superuser, credential=credential, reason="first")
    with pytest.raises(RuleViolation) as caught:
        credential_revoke(actor=superuser, credential=credential, reason="second")
    assert caught.value.message == "This API key is already revoked."
    assert AuditLog.objects.filter(action="credential.revoke").count() == 1


def test_an_expired_key_is_refused(api_client, issued):
    credential, key = issued
    ApiCredential.objects.filter(pk=credential.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = api_client.get("/api/v1/me/", **with_key(key))
    assert response.status_code in (401, 403)
    assert response.json()["message"] == REVOKED


def test_the_key_of_a_deactivated_client_is_refused(api_client, issued, agency_user):
    _credential, key = issued
    agency_user.is_active = False
    agency_user.save()
    response = api_client.get("/api/v1/me/", **with_key(key))
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("param", ["api_key", "key", "Api-Key", "apikey", "token"])
def test_a_key_in_the_query_string_is_never_accepted(api_client, issued, param):
    _credential, key = issued
    response = api_client.get(f"/api/v1/me/?{param}={key}")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_an_agency_client_may_not_read_court_cases(api_client, issued):
    _credential, key = issued
    response = api_client.get("/api/v1/cases/", **with_key(key))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_issue_api_key_command_prints_the_key_once(agency_user):
    out = StringIO()
    call_command("issue_api_key", agency_user.username, "--name", "gateway", "--scope", "queries", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("Authorization: Api-Key ")
    prefix, secret = line.removeprefix("Authorization: Api-Key ").split(".", 1)
    credential = ApiCredential.objects.get(prefix=prefix)
    assert credential.check_secret(secret)
    assert credential.scopes == ["queries"]


def test_the_issue_api_key_command_refuses_staff_and_unknown_users(officer):
    with pytest.raises(CommandError, match="API keys are issued to agency clients only."):
        call_command("issue_api_key", officer.username, stdout=StringIO())
    with pytest.raises(CommandError, match="No user 'ghost'."):
        call_command("issue_api_key", "ghost", stdout=StringIO())
