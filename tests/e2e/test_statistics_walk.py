# ruff: noqa: F811 - the fixture imported from test_statistics is a parameter of the test
"""In headless Chromium: an officer opens the statistics of his court for a period and sees the figures and the
three charts drawn (ECharts, served by the app) with Chinese labels."""

import pytest

from tests.command.test_statistics import FROM, TO, world  # noqa: F401 - fixture
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_sees_the_statistics_with_their_charts(live_server, browser_page, shot, world):
    court, li, wang, cases = world
    li.set_password(PASSWORD)
    li.save()
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", li.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/command/statistics/?date_from={FROM.isoformat()}&date_to={TO.isoformat()}")
    page.wait_for_selector("[data-chart='months'][data-chart-drawn='true']")
    page.wait_for_selector("[data-chart='kinds'][data-chart-drawn='true']")
    page.wait_for_selector("[data-chart='agencies'][data-chart-drawn='true']")
    assert page.locator("[data-chart] canvas").count() == 3
    figures = page.locator("#statistics-figures").inner_text()
    assert "33.3%" in figures and "26.7%" in figures
    assert "统计" in page.title()
    assert page.console_errors == []
    shot(page, "statistics-court")
