"""Login lockout (django-axes through core.authentication): five failed logins for one username from one
address lock that pair for 30 minutes; the login page says so; the court administrator unlocks in the admin;
the test client's login() and agency API keys are unaffected."""

# ruff: noqa: F811 - the fixtures of tests/security/auth_fixtures.py are parameters of the tests

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory, override_settings

from core.authentication import LoginLockoutBackend, client_ip
from core.services import credential_issue
from tests.factories import PASSWORD, UserFactory
from tests.security.auth_fixtures import _english, _fast_password_hashing, clock, court, officer  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LOCKED = (
    "Too many failed logins: this account is locked on this computer for 30 minutes. "
    "Try again later, or ask the court administrator to unlock it."
)
WRONG = "Please enter a correct username and password."


WRONG_PASSWORD = "wrong-password"


def attempt(client, username, password=WRONG_PASSWORD, address="10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="10.0.0.7"):
    for _ in range(times):
        response = attempt(client, username, address=address)
    return response


def test_the_lockout_backend_comes_first_and_its_middleware_last():
    assert settings.AUTHENTICATION_BACKENDS[0] == "core.authentication.LoginLockoutBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()) == (5, 30 * 60)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_four_failed_logins_only_say_the_password_is_wrong(client, officer):
    response = fail(client, officer.username, 4)
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert attempt(client, officer.username, PASSWORD).status_code == 302
    assert SESSION_KEY in client.session


def test_the_fifth_failed_login_locks_the_account_from_that_address(client, officer):
    response = fail(client, officer.username, 5)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert 'name="username"' in html  # the login page itself, with the reason
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start == 5


def test_a_locked_account_is_refused_even_with_the_right_password(client, officer):
    fail(client, officer.username, 5)
    response = attempt(client, officer.username, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_same_username_from_another_address_can_still_log_in(client, officer):
    fail(client, officer.username, 5, address="10.0.0.7")
    response = attempt(client, officer.username, PASSWORD, address="10.0.0.8")
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_another_username_from_the_locked_address_can_still_log_in(client, officer):
    colleague = UserFactory(officer=True, court=officer.court, username="officer-colleague")
    fail(client, officer.username, 5)
    assert attempt(client, colleague.username, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures_before_the_limit(client, officer):
    fail(client, officer.username, 4)
    assert attempt(client, officer.username, PASSWORD).status_code == 302
    other = Client()
    assert fail(other, officer.username, 4).status_code == 200  # four more, not a lockout at the first


def test_the_lock_ends_after_thirty_minutes(client, officer, clock):
    fail(client, officer.username, 5)
    clock.advance(minutes=29)
    assert attempt(client, officer.username, PASSWORD).status_code == 429
    clock.advance(minutes=2)
    assert attempt(client, officer.username, PASSWORD).status_code == 302


def test_the_court_administrator_unlocks_an_account_in_the_admin(client, officer):
    fail(client, officer.username, 5)
    admin = Client()
    admin.force_login(UserFactory(superuser=True, username="root-lockout"))
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert officer.username in listing.content.decode()
    row = AccessAttempt.objects.get(username=officer.username)
    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert attempt(client, officer.username, PASSWORD).status_code == 302


def test_the_admin_login_page_counts_towards_the_same_lockout(client, officer):
    for _ in range(5):
        client.post("/admin/login/", {"username": officer.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    assert attempt(client, officer.username, PASSWORD).status_code == 429


def test_the_test_clients_login_without_a_request_still_works(client, officer):
    assert client.login(username=officer.username, password=PASSWORD)
    assert not client.login(username=officer.username, password="wrong")


def test_the_lockout_backend_lets_a_call_without_a_request_through_to_the_password_check(officer):
    assert LoginLockoutBackend().authenticate(None, username=officer.username, password=PASSWORD) is None


def test_switching_axes_off_lets_every_login_through(client, officer):
    with override_settings(AXES_ENABLED=False):
        fail(client, officer.username, 6)
        assert attempt(client, officer.username, PASSWORD).status_code == 302


def test_an_agency_api_key_keeps_working_when_its_username_is_locked(client):
    agency = UserFactory(agency=True, username="bank-lockout")
    _credential, key = credential_issue(actor=None, user=agency, name="gateway", scopes=["agency"])
    fail(client, agency.username, 5)
    assert AccessAttempt.objects.filter(username=agency.username).exists()
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Api-Key {key}", REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert response.json()["username"] == agency.username


def test_the_address_counted_is_the_connecting_one_without_a_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.7"


@override_settings(ZHIXING_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_counted_is_the_one_the_proxy_appended():
    spoofed = RequestFactory().get("/", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(spoofed) == "203.0.113.9"
    direct = RequestFactory().get("/", REMOTE_ADDR="172.18.0.2")
    assert client_ip(direct) == "172.18.0.2"
