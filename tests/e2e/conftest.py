import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are safe
# here (one thread, no concurrent coroutine touches the connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.console_errors = errors
        yield page
        browser.close()
        # Inside Playwright's greenlet the test body's ORM calls open a connection of their own (Django keys
        # connections by context); close it here, or PostgreSQL refuses to drop the test database.
        connections.close_all()


@pytest.fixture
def shot():
    SHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def demo(settings):
    """The demo data (``seed_demo``, which runs on a development instance only)."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's chatter is not the test's
    settings.DEBUG = False


def graph_debtor():
    """The debtor the demo's relation graph is built around, as its marker names it: which debtor that is
    depends on the day the demo is seeded (the open case at 京0105 with the most assets found)."""
    from cases.models import Party
    from command.demo_graph import SEEDED
    from core.models import AuditLog

    return Party.objects.get(pk=AuditLog.objects.get(action=SEEDED).changes["party"])


def sign_in(page, url: str, username: str) -> None:
    """Sign ``username`` of the demo in through the login page, after signing out whoever was signed in."""
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
