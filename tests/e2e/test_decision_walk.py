# ruff: noqa: F811 - the fixture imported from test_decision is a parameter of the test
"""In headless Chromium: an officer opens an enforcement case with property found, a measure about to lapse, a
transfer to the debtor's spouse and comparable closed cases, and sees the decision-support panel load into the case
page with its suggestions, the similar-case figures and the applicable rules."""

import pytest

from enforcement.choices import ClosingKind
from tests.command.test_decision import world  # noqa: F401 - fixture
from tests.command.test_similar import closed
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_sees_the_decision_panel_on_the_case_page(live_server, browser_page, shot, world):
    court, officer, ec = world["court"], world["officer"], world["ec"]
    for amount, performed, kind, days in (
        ("500000.00", "500000.00", ClosingKind.COMPLETED, 45),
        ("400000.00", "100000.00", ClosingKind.TERMINATED_THIS_ROUND, 120),
        ("600000.00", "0.00", ClosingKind.TERMINATED_THIS_ROUND, 150),
        ("300000.00", "300000.00", ClosingKind.SETTLED, 30),
        ("900000.00", "450000.00", ClosingKind.COMPLETED, 80),
    ):
        closed(court, amount=amount, performed=performed, kind=kind, days=days)
    officer.set_password(PASSWORD)
    officer.save()
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/enforcement/{ec.pk}/")
    panel = page.locator("#case-decision")
    panel.wait_for()
    assert panel.locator("#decision-preservation [data-code='control.renew']").count() == 1
    assert panel.locator("#decision-preservation [data-code='clue.transfer']").count() == 1
    assert panel.locator("#decision-articles [data-article='control.renew']").count() == 1
    text = panel.inner_text()
    assert "《民事诉讼法解释》（2022）第四百八十五条" in text
    assert "北京恒通商贸有限公司" in text and "李梅" in text
    similar = panel.locator("#decision-similar").inner_text()
    assert "法院：北京市朝阳区人民法院" in similar  # five alike at the same court: no widening
    assert "50.0%" in similar  # realisation: 1,350,000 of 2,700,000
    assert page.console_errors == []
    panel.scroll_into_view_if_needed()
    shot(page, "decision-panel")
