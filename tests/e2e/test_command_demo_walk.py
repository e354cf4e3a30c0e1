"""In headless Chromium, on the demo data (``seed_demo``): the officer lands on his workspace, opens the statistics
of his court and the relation graph of the demo debtor; the division head opens the command view. Each page is
in Chinese, draws its charts and shows figures from the demo."""

import pytest

from tests.e2e.conftest import graph_debtor, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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

    debtor = graph_debtor()
    page.goto(f"{live_server.url}/command/graph/{debtor.pk}/")
    page.wait_for_selector("[data-graph-drawn='true']")
    assert f"{debtor.name} 的关系图谱" in page.locator("h1").inner_text()
    assert "隐匿财产线索" in page.content()
    shot(page, "demo-graph")

    sign_in(page, live_server.url, "demo-head")
    page.goto(live_server.url + "/command/division/")
    assert "执行指挥中心" in page.locator("h1").inner_text()
    assert "承办人工作量" in page.content() and "现场执行" in page.content()
    shot(page, "demo-division")
    assert page.console_errors == []
