# ruff: noqa: F811 - the fixture imported from test_workspace is a parameter of the test
"""In headless Chromium: an officer logs in, lands on his workspace and sees its sections with their counts; the
counts block is fetched again by htmx without reloading the page."""

import pytest

from tests.command.test_workspace import desk  # noqa: F401 - fixture
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_lands_on_his_workspace_and_sees_what_to_do(live_server, browser_page, shot, desk):
    court, li, head, zhou, cases = desk
    li.set_password(PASSWORD)
    li.save()
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", li.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/command/workspace/"), page.url

    # the counts block is re-fetched on load (htmx), then every 60 s
    with page.expect_response(lambda r: r.url.endswith("/command/workspace/counts/") and r.status == 200):
        page.reload()
    page.wait_for_load_state("networkidle")
    tiles = page.locator("#workspace-counts-tiles")
    assert tiles.locator("[data-count='overdue'] .fs-3").inner_text() == "2"
    assert tiles.locator("[data-count='onsite_today'] .fs-3").inner_text() == "1"

    for section in ("ws-onsite", "ws-deadlines", "ws-measures", "ws-new", "ws-alerts", "ws-approvals", "ws-funds"):
        assert page.locator(f"#{section}").is_visible()
    assert page.locator("#ws-deadlines .list-group-item").count() == 6
    assert page.locator("#ws-onsite [data-risk='dog']").count() == 1
    assert cases["overdue"].case.number in page.locator("#ws-deadlines").inner_text()
    assert "京0108" not in page.content()
    assert page.console_errors == []
    shot(page, "workspace-officer")

    # a row leads to the case, where the action is taken
    page.locator("#ws-deadlines .list-group-item").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/enforcement/{cases['overdue'].pk}/"), page.url
