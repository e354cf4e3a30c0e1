"""Session timeouts (core.sessions): logged out after 30 minutes without a request and 8 hours after the login
however busy, told why, and sent to the login page; htmx is told with HX-Redirect, the API answers as to a
stranger. The clock is moved, never waited for."""

# ruff: noqa: F811 - the fixtures of tests/security/auth_fixtures.py are parameters of the tests

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.sessions import AUTH_AT, SEEN_AT
from tests.security.auth_fixtures import _english, _fast_password_hashing, clock, court, officer  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PAGE = "/jobs/"
TIMED_OUT = "Your session has timed out. Please log in again."


@pytest.fixture
def signed_in(client, officer, clock):
    """The page client, logged in at the clock's time."""
    client.force_login(officer)
    return client


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


def test_the_timeouts_default_to_thirty_minutes_idle_and_the_session_cookies_eight_hours():
    assert settings.ZHIXING_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.ZHIXING_SESSION_ABSOLUTE_SECONDS == settings.SESSION_COOKIE_AGE == 8 * 3600


def test_a_session_idle_for_less_than_thirty_minutes_carries_on(signed_in, clock):
    clock.advance(minutes=29, seconds=59)
    assert signed_in.get(PAGE).status_code == 200
    assert logged_in(signed_in)


def test_a_session_idle_for_more_than_thirty_minutes_is_logged_out_and_sent_to_the_login_page(signed_in, clock):
    assert signed_in.get(PAGE).status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = signed_in.get(PAGE + "?status=done")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/jobs/%3Fstatus%3Ddone"
    assert not logged_in(signed_in)
    login_page = signed_in.get(response["Location"])
    assert TIMED_OUT in login_page.content.decode()


def test_every_request_restarts_the_idle_clock(signed_in, clock):
    for _ in range(6):  # two hours of a request every 20 minutes
        clock.advance(minutes=20)
        assert signed_in.get(PAGE).status_code == 200
    assert logged_in(signed_in)


def test_a_busy_session_ends_eight_hours_after_the_login(signed_in, clock):
    for _ in range(24):  # a request every 20 minutes: never idle, 8 hours after the login
        clock.advance(minutes=20)
        assert signed_in.get(PAGE).status_code == 200, clock.now
    clock.advance(seconds=1)
    response = signed_in.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not logged_in(signed_in)


def test_the_limits_follow_the_settings(signed_in, clock, settings):
    settings.ZHIXING_SESSION_IDLE_SECONDS = 5 * 60
    clock.advance(minutes=6)
    assert signed_in.get(PAGE).status_code == 302
    assert not logged_in(signed_in)


def test_logging_in_again_starts_both_clocks_afresh(client, officer, clock):
    client.force_login(officer)
    clock.advance(hours=9)
    assert client.get(PAGE).status_code == 302
    client.force_login(officer)
    assert client.get(PAGE).status_code == 200
    assert client.session[AUTH_AT] == client.session[SEEN_AT] == int(clock.now.timestamp())


def test_an_htmx_request_after_the_timeout_is_told_to_load_the_login_page(signed_in, clock):
    clock.advance(minutes=31)
    response = signed_in.get(
        "/jobs/1/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/cases/?q=%E5%BC%A0"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/cases/%3Fq%3D%25E5%25BC%25A0"
    assert not logged_in(signed_in)


def test_an_htmx_request_from_a_page_of_another_site_is_sent_to_the_plain_login_page(signed_in, clock):
    clock.advance(minutes=31)
    response = signed_in.get(PAGE, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/x")
    assert response["HX-Redirect"] == "/accounts/login/"


def test_an_api_request_after_the_timeout_is_answered_as_to_a_stranger(signed_in, clock):
    assert signed_in.get("/api/v1/me/").status_code == 200
    clock.advance(minutes=31)
    response = signed_in.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert "username" not in response.json()
    assert not logged_in(signed_in)


def test_a_form_posted_after_the_timeout_writes_nothing_and_goes_to_the_login_page(signed_in, clock):
    clock.advance(minutes=31)
    response = signed_in.post("/account/otp/remove/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_an_ordinary_request_does_not_rewrite_the_session(signed_in, clock):
    signed_in.get(PAGE)
    clock.advance(seconds=30)
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(PAGE).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_the_time_of_the_last_request_is_written_back_at_most_once_a_minute(signed_in, clock):
    login_time = signed_in.session[SEEN_AT]
    clock.advance(seconds=59)
    signed_in.get(PAGE)
    assert signed_in.session[SEEN_AT] == login_time
    clock.advance(seconds=2)
    signed_in.get(PAGE)
    assert signed_in.session[SEEN_AT] == login_time + 61


def test_a_session_from_before_the_timeouts_starts_its_clocks_at_its_next_request(signed_in, clock):
    session = signed_in.session
    del session[AUTH_AT], session[SEEN_AT]
    session.save()
    clock.advance(minutes=10)
    assert signed_in.get(PAGE).status_code == 200
    assert signed_in.session[AUTH_AT] == int(clock.now.timestamp())
    clock.advance(minutes=31)
    assert signed_in.get(PAGE).status_code == 302


def test_a_pages_own_polling_does_not_keep_an_idle_session_alive(signed_in, clock):
    """The workspace left open polls its counts every minute: that is not the user at work."""
    for _ in range(30):
        clock.advance(minutes=1)
        assert signed_in.get(PAGE, HTTP_HX_REQUEST="true", HTTP_X_ZHIXING_POLL="1").status_code == 200
    clock.advance(minutes=1)
    response = signed_in.get(PAGE, HTTP_HX_REQUEST="true", HTTP_X_ZHIXING_POLL="1")
    assert response.status_code == 204 and "HX-Redirect" in response
    assert not logged_in(signed_in)


def test_the_polling_elements_say_they_poll():
    import re
    from pathlib import Path

    polls = re.compile(r'hx-trigger="[^"]*\bevery \d+m?s\b')
    polling = [p for p in (Path(settings.BASE_DIR) / "templates").rglob("*.html") if polls.search(p.read_text())]
    assert len(polling) >= 3
    for path in polling:
        assert """hx-headers='{"X-Zhixing-Poll": "1"}'""" in path.read_text(), path
