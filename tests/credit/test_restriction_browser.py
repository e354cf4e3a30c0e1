"""In headless Chromium: an officer issues a consumption restriction order on an organisation from the case
page (the credit partial loaded by htmx), sees it with the legal representative's ID masked, and grants a
temporary permission."""

import datetime as dt
import re

import pytest

from credit.models import Restriction
from tests.credit.restriction_builders import LEGAL_REP_ID, restriction_case
from tests.e2e.conftest import browser_page, shot  # noqa: F401 - fixtures
from tests.factories import PASSWORD, CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_an_officer_issues_a_consumption_restriction_from_the_case_page(
    live_server,
    browser_page,  # noqa: F811 - the e2e fixture imported above
    shot,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="officer-c2", display_name="李执行")
    ec = restriction_case(court, officer)
    page = browser_page

    login(page, live_server.url, "officer-c2")
    page.goto(f"{live_server.url}/enforcement/{ec.pk}/")
    partial = page.locator("#credit-restrictions")
    partial.wait_for()
    partial.locator("details.zx-action summary").last.click()
    form = partial.locator("form[action$='/restrictions/issue/']")
    form.locator("[name=reason]").fill("被执行人未按执行通知书指定的期间履行给付义务。")
    form.locator("[name=legal_representative_id]").fill(LEGAL_REP_ID)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    restriction = Restriction.objects.get()
    assert restriction.prohibited and len(restriction.prohibited) == 9
    partial = page.locator("#credit-restrictions")
    partial.wait_for()
    assert restriction.order_number in partial.inner_text()
    assert "王建国" in partial.inner_text()
    assert not FULL_ID.search(page.content())

    partial.locator("details.zx-action summary", has_text="Temporary permission").first.click()
    permit = partial.locator("form[action$='/restrictions/permission/']")
    permit.locator("[name=allowed][value=flights]").check()
    permit.locator("[name=valid_until]").fill((dt.date.today() + dt.timedelta(days=5)).isoformat())
    permit.locator("[name=purpose]").fill("赴上海就医。")
    permit.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert restriction.permissions.count() == 1
    page.locator("#credit-restrictions").wait_for()
    shot(page, "restriction-issued")
    assert not page.console_errors
