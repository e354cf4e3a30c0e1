"""In headless Chromium: the public opens a reward notice (悬赏公告), sends a tip-off (线索举报) through the
form, and the officer of the case logs in and sees it in the workspace and on the case page, the tipster's
contact in full (the officer may see it). No full ID number appears on the public pages."""

import datetime as dt
import re

import pytest

from cases.choices import PartyRole
from enforcement.choices import Status, TipStatus
from enforcement.models import TipOff
from enforcement.services.rewards import reward_publish
from tests.enforcement.builders import case_in
from tests.factories import PASSWORD, CourtFactory, PartyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FULL_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)


def login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_public_sends_a_tip_off_on_a_reward_notice_and_the_officer_sees_it(live_server, browser_page, shot):
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="officer-e2e", display_name="李执行")
    debtor = PartyFactory(name="周某某")
    ec = case_in(Status.INVESTIGATING, court, officer=officer, debtors=[debtor])
    notice = reward_publish(
        actor=officer,
        enforcement_case=ec,
        applicant=ec.case.party_links.get(role=PartyRole.CREDITOR).party,
        reward_rate="0.10",
        reward_cap="5000.00",
        expires_on=dt.date.today() + dt.timedelta(days=60),
        text="悬赏查找被执行人财产线索。",
    )
    page = browser_page

    # The public: the list, the notice, the form.
    page.goto(f"{live_server.url}/public/reward-notices/")
    assert "周某某" in page.content() and not FULL_ID.search(page.content())
    shot(page, "tipoff-public-list")
    page.locator(f"a[href='/public/reward-notices/{notice.pk}/']").click()
    page.wait_for_load_state()
    assert debtor.masked_id_number in page.content() and not FULL_ID.search(page.content())
    assert not page.locator("[name=website]").is_visible()  # the honeypot is hidden from people
    page.fill("[name=what]", "被执行人周某某名下有一辆白色轿车，常停在朝阳区某小区地下车库。")
    page.fill("[name=where]", "北京市朝阳区某小区")
    page.fill("[name=tipster_name]", "张小明")
    page.fill("[name=tipster_contact]", "13812345678")
    shot(page, "tipoff-public-form")
    page.locator("#tip-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#tip-thanks").is_visible()
    assert not FULL_ID.search(page.content())
    shot(page, "tipoff-public-thanks")
    tip = TipOff.objects.get()
    assert (tip.reward_notice_id, tip.status) == (notice.pk, TipStatus.NEW)

    # The officer: the workspace card, then the case page's panel.
    login(page, live_server.url, "officer-e2e")
    page.goto(f"{live_server.url}/enforcement/")
    card = page.locator("#new-tip-offs")
    assert card.is_visible() and ec.case.number in card.inner_text()
    shot(page, "tipoff-officer-workspace")
    card.locator(f"a[href^='/enforcement/{ec.pk}/']").click()
    page.wait_for_load_state()
    panel = page.locator(f"#tip-{tip.pk}")
    panel.wait_for()
    assert "13812345678" in panel.inner_text() and "张小明" in panel.inner_text()
    shot(page, "tipoff-officer-case-page")
    assert not page.console_errors
