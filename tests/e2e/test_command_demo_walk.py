"""In headless Chromium, on the demo data (``seed_demo``): the officer lands on his workspace, opens the statistics
of his court and the relation graph of the demo debtor; the division head opens the command view. Each page is
in Chinese, draws its charts and shows figures from the demo."""

import pytest
from django.conf import settings
from django.core.management import call_command

from cases.models import Party

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's chatter is not the test's
    settings.DEBUG = False


def sign_in(page, url: str, username: str) -> None:
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_demo_officer_and_head_walk_the_command_pages(live_server, browser_page, shot, demo):
    page = browser_page
    sign_in(page, live_server.url, "demo-officer")
    assert page.url.endswith("/command/workspace/")
    assert "工作台" in page.title()
    counts = page.locator("#workspace-counts")
    counts.wait_for()
    assert "已超期" in counts.inner_text() and "待审批" in counts.inner_text()
    shot(page, "demo-workspace")

    page.goto(live_server.url + "/command/statistics/")
    for chart in ("months", "kinds", "agencies"):
        page.wait_for_selector(f"[data-chart='{chart}'][data-chart-drawn='true']")
    assert "执行完毕率" in page.locator("#statistics-figures").inner_text()
    shot(page, "demo-statistics")

    debtor = Party.objects.get(name="叶树林")
    page.goto(f"{live_server.url}/command/graph/{debtor.pk}/")
    page.wait_for_selector("[data-graph-drawn='true']")
    assert "叶树林 的关系图谱" in page.locator("h1").inner_text()
    assert "隐匿财产线索" in page.content()
    shot(page, "demo-graph")

    sign_in(page, live_server.url, "demo-head")
    page.goto(live_server.url + "/command/division/")
    assert "执行指挥中心" in page.locator("h1").inner_text()
    assert "承办人工作量" in page.content() and "现场执行" in page.content()
    shot(page, "demo-division")
    assert page.console_errors == []
