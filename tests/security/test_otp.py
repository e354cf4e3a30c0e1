"""Two-step login (core.otp): staff enrol an authenticator app from a server-drawn QR code, and from then on
every login asks for its 6-digit code before any staff page; the admin site asks whenever the user has an
app; ZHIXING_REQUIRE_OTP makes every member of staff enrol."""

# ruff: noqa: F811 - the fixtures of tests/security/auth_fixtures.py are parameters of the tests

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.exceptions import InvalidInput, RuleViolation
from core.models import AuditLog
from core.otp import NEED, PENDING_KEY, otp_device_enrol, otp_device_remove, otp_new_key, otp_verify
from tests.factories import PASSWORD, CourtFactory, UserFactory
from tests.security.auth_fixtures import _english, _fast_password_hashing, court, officer, superuser  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

SETUP = "/account/otp/"
VERIFY = "/account/otp/verify/"
REMOVE = "/account/otp/remove/"
STAFF_PAGE = "/jobs/"
WRONG_CODE = "That code is wrong or has expired: enter the 6-digit code your app shows now."


def code(key_hex: str, *, steps: int = 0) -> str:
    """The app's code for ``key_hex`` now (or ``steps`` time steps of 30 s later)."""
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps
    return f"{totp.token():06d}"


def enrolled(user) -> TOTPDevice:
    key = otp_new_key()
    return otp_device_enrol(user=user, key=key, token=code(key))


def password_login(client, user) -> None:
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


# ---- enrolment ---------------------------------------------------------------------------------------------


def test_the_enrol_page_shows_the_secret_and_its_qr_code_drawn_inline_as_svg(client, officer):
    client.force_login(officer)
    response = client.get(SETUP)
    assert response.status_code == 200
    html = response.content.decode()
    key = client.session[PENDING_KEY]
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', html).group(1)
    assert b32decode(secret.replace(" ", "")).hex() == key
    qr = re.search(r'data-testid="otp-qr">(.*?)</div>', html, re.S).group(1)
    assert qr.strip().startswith('<svg class="zx-otp-qr" role="img"')
    assert "<path" in qr
    assert "<script" not in qr and "http" not in qr.replace("http://www.w3.org/2000/svg", "")
    assert response["Cache-Control"].startswith("max-age=0")


def test_reloading_the_enrol_page_keeps_the_same_secret(client, officer):
    client.force_login(officer)
    client.get(SETUP)
    first = client.session[PENDING_KEY]
    client.get(SETUP)
    assert client.session[PENDING_KEY] == first
    assert not TOTPDevice.objects.exists()  # nothing is stored before the app's code confirms it


def test_the_apps_code_confirms_the_enrolment_which_is_audited(client, officer):
    client.force_login(officer)
    client.get(SETUP)
    key = client.session[PENDING_KEY]
    response = client.post(SETUP, {"token": code(key)})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=officer)
    assert (device.key, device.confirmed) == (key, True)
    assert PENDING_KEY not in client.session
    entry = AuditLog.objects.get(action="otp.enrol")
    assert (entry.actor, entry.object_id) == (officer, str(device.pk))
    assert 'data-testid="otp-on"' in client.get(SETUP).content.decode()  # this session counts as verified


def test_a_wrong_code_enrols_nothing(client, officer):
    client.force_login(officer)
    client.get(SETUP)
    key = client.session[PENDING_KEY]
    wrong = f"{(int(code(key)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert not AuditLog.objects.filter(action="otp.enrol").exists()


def test_a_code_that_is_not_six_digits_is_refused_on_the_form(client, officer):
    client.force_login(officer)
    response = client.post(SETUP, {"token": "12ab"})
    assert "Enter the 6 digits your app shows." in response.content.decode()


def test_a_second_app_cannot_be_enrolled_over_the_first(officer):
    enrolled(officer)
    key = otp_new_key()
    with pytest.raises(RuleViolation) as caught:
        otp_device_enrol(user=officer, key=key, token=code(key))
    assert caught.value.code == "otp.enrolled"


def test_agency_clients_cannot_enrol(client):
    agency = UserFactory(agency=True, username="bank-otp")
    client.force_login(agency)
    assert client.get(SETUP).status_code == 403
    key = otp_new_key()
    with pytest.raises(RuleViolation) as caught:
        otp_device_enrol(user=agency, key=key, token=code(key))
    assert caught.value.message == "Two-step login is for court staff."


# ---- the second step of the login --------------------------------------------------------------------------


def test_without_an_app_the_password_is_enough(client, officer):
    password_login(client, officer)
    assert client.get(STAFF_PAGE).status_code == 200


def test_after_enrolment_a_login_asks_for_the_code_before_any_staff_page(client, officer):
    enrolled(officer)
    password_login(client, officer)
    response = client.get(STAFF_PAGE + "?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/account/otp/verify/?next=/jobs/%3Fpage%3D2"
    assert client.get("/cases/").status_code == 302
    assert client.get(VERIFY).status_code == 200


def test_the_right_code_opens_the_staff_pages_and_returns_to_the_page_asked_for(client, officer):
    device = enrolled(officer)
    password_login(client, officer)
    session_before = client.session.session_key
    response = client.post(VERIFY, {"token": code(device.key, steps=1), "next": "/jobs/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/jobs/?page=2"
    assert client.session.session_key != session_before  # a new session key once verified
    assert client.get(STAFF_PAGE).status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(client, officer):
    device = enrolled(officer)
    password_login(client, officer)
    wrong = f"{(int(code(device.key, steps=1)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    again = client.post(VERIFY, {"token": code(device.key, steps=1)})
    assert again.status_code == 200  # even the right code waits out the throttle
    assert "Too many wrong codes: try again in" in again.content.decode()
    assert client.get(STAFF_PAGE).status_code == 302


def test_a_code_is_accepted_only_once(officer):
    device = enrolled(officer)
    token = code(device.key, steps=1)
    assert otp_verify(user=officer, token=token) == device
    with pytest.raises(InvalidInput) as caught:
        otp_verify(user=officer, token=token)
    assert caught.value.message == WRONG_CODE


def test_a_redirect_after_the_code_stays_on_this_site(client, officer):
    device = enrolled(officer)
    password_login(client, officer)
    response = client.post(VERIFY, {"token": code(device.key, steps=1), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_logout_and_the_public_pages_stay_open_before_the_code(client, officer):
    enrolled(officer)
    password_login(client, officer)
    assert client.get(reverse("public:terminated-list")).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


def test_an_htmx_request_before_the_code_is_told_to_load_the_code_page(client, officer):
    enrolled(officer)
    password_login(client, officer)
    response = client.get(STAFF_PAGE, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == VERIFY


def test_the_api_refuses_a_session_that_owes_a_code(client, officer):
    enrolled(officer)
    password_login(client, officer)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "otp.required"


def test_the_demo_officer_logs_in_with_the_password_alone_by_default(client, settings):
    settings.ZHIXING_REQUIRE_OTP = False
    demo = UserFactory(officer=True, court=CourtFactory(chaoyang=True), username="demo-officer-otp")
    password_login(client, demo)
    assert client.session[NEED] == ""
    assert client.get(STAFF_PAGE).status_code == 200


# ---- the admin site ----------------------------------------------------------------------------------------


def test_the_admin_asks_for_the_code_of_a_user_with_an_app_even_in_a_session_from_before(client):
    root = UserFactory(superuser=True, username="root-otp")
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    enrolled(root)  # from another session: this one still says no code is owed
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/account/otp/verify/?next=/admin/"


def test_the_admin_opens_after_the_code(client):
    root = UserFactory(superuser=True, username="root-otp")
    device = enrolled(root)
    password_login(client, root)
    assert client.get("/admin/").status_code == 302
    client.post(VERIFY, {"token": code(device.key, steps=1)})
    assert client.get("/admin/").status_code == 200


def device_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum("otp_totp_totpdevice" in query["sql"] for query in queries)


def test_a_staff_page_costs_no_query_for_an_app_when_the_session_owes_no_code(client, officer):
    password_login(client, officer)
    client.get(STAFF_PAGE)
    assert device_queries(client, STAFF_PAGE) == 0


def test_a_verified_session_looks_up_only_its_own_app_on_the_admin(client, superuser):
    device = enrolled(superuser)
    password_login(client, superuser)
    client.post(VERIFY, {"token": code(device.key, steps=1)})
    assert device_queries(client, "/admin/") == 1  # the session's app, which OTPMiddleware loads with the user


# ---- the court's rule: every member of staff ---------------------------------------------------------------


def test_when_the_court_requires_it_staff_without_an_app_must_enrol_first(client, officer, settings):
    settings.ZHIXING_REQUIRE_OTP = True
    password_login(client, officer)
    response = client.get(STAFF_PAGE)
    assert response["Location"] == "/account/otp/?next=/jobs/"
    setup = client.get(response["Location"])
    assert "This court requires two-step login." in setup.content.decode()
    key = client.session[PENDING_KEY]
    done = client.post(SETUP, {"token": code(key), "next": "/jobs/"})
    assert done["Location"] == "/jobs/"
    assert client.get(STAFF_PAGE).status_code == 200


def test_when_the_court_requires_it_agency_sessions_are_not_asked(client, settings):
    settings.ZHIXING_REQUIRE_OTP = True
    agency = UserFactory(agency=True, username="bank-otp-required")
    client.force_login(agency)
    assert client.session[NEED] == ""


# ---- switching off -----------------------------------------------------------------------------------------


def test_a_verified_user_may_switch_two_step_login_off_which_is_audited(client, officer):
    device = enrolled(officer)
    password_login(client, officer)
    client.post(VERIFY, {"token": code(device.key, steps=1)})
    response = client.post(REMOVE)
    assert response["Location"] == SETUP
    assert not TOTPDevice.objects.exists()
    assert AuditLog.objects.filter(action="otp.remove", actor=officer).count() == 1
    assert client.get(STAFF_PAGE).status_code == 200


def test_switching_off_needs_the_code_first(client, officer):
    enrolled(officer)
    client.force_login(officer)
    session = client.session
    session[NEED] = ""  # whatever the session says, the view asks for the code
    session.save()
    response = client.post(REMOVE)
    assert response["Location"].startswith(VERIFY)
    assert response.status_code == 302
    assert TOTPDevice.objects.count() == 1


def test_the_user_cannot_switch_it_off_when_the_court_requires_it_but_the_administrator_can(officer, settings):
    settings.ZHIXING_REQUIRE_OTP = True
    enrolled(officer)
    with pytest.raises(RuleViolation) as caught:
        otp_device_remove(actor=officer, user=officer)
    assert caught.value.code == "otp.required"
    admin = UserFactory(court_admin=True, court=officer.court, username="admin-otp")
    assert otp_device_remove(actor=admin, user=officer, reason="lost phone") == 1
    assert AuditLog.objects.get(action="otp.remove").reason == "lost phone"


def test_after_the_administrator_removes_the_app_the_code_page_lets_the_user_through(officer):
    device = enrolled(officer)
    client = Client()
    password_login(client, officer)
    device.delete()
    response = client.get(VERIFY + "?next=/jobs/")
    assert response["Location"] == "/jobs/"
    assert client.get(STAFF_PAGE).status_code == 200


# ---- in a browser ------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_an_officer_enrols_logs_in_again_and_enters_the_code(live_server, monkeypatch):
    """Headless Chromium, under the site's Content-Security-Policy: the QR code shows, nothing is refused."""
    import os

    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = UserFactory(officer=True, court=CourtFactory(chaoyang=True), username="officer-browser-otp")
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(locale="zh-CN")
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))

        def log_in():
            page.goto(live_server.url + "/accounts/login/")
            page.fill("input[name=username]", officer.username)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.locator("form button[type=submit]").first.click()

        log_in()
        page.goto(live_server.url + SETUP)
        qr = page.locator("[data-testid=otp-qr] svg")
        assert qr.is_visible()
        assert qr.bounding_box()["width"] >= 120  # big enough to scan from the screen
        secret = page.locator("[data-testid=otp-secret]").inner_text().replace(" ", "")
        key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
        page.fill("input[name=token]", code(key))
        with page.expect_navigation():
            page.locator("form[action='/account/otp/'] button[type=submit]").click()
        assert page.locator("[data-testid=otp-on]").is_visible()

        with page.expect_navigation():
            page.locator("#zx-logout-form").evaluate("form => form.submit()")
        assert page.url.startswith(live_server.url + "/accounts/login/"), page.url
        log_in()
        assert page.url.startswith(live_server.url + VERIFY), page.url
        page.fill("input[name=token]", code(key, steps=1))
        with page.expect_navigation():
            page.locator("form[action='/account/otp/verify/'] button[type=submit]").click()
        assert VERIFY not in page.url
        page.goto(live_server.url + STAFF_PAGE)
        assert page.url == live_server.url + STAFF_PAGE
        browser.close()
    connections.close_all()
    assert errors == []
