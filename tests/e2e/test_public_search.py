"""In headless Chromium (locale zh-CN): a member of the public searches the dishonest list by name, opens an
entry and sees it in Chinese, with the person's ID number masked and no phone number or address."""

import re

import pytest
from django.core.cache import cache

from credit.selectors_public import listing_token
from tests.credit.public_builders import listed
from tests.factories import CourtFactory, PartyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FULL_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)


def test_the_public_searches_the_dishonest_list_and_opens_an_entry(live_server, browser_page, shot):
    cache.clear()
    court = CourtFactory(chaoyang=True)
    debtor = PartyFactory(name="欧阳失信", phone="13912345678", address="幸福路8号院3单元")
    listing = listed(court, debtor=debtor, facts="有履行能力而拒不履行生效法律文书确定的给付义务。")
    listed(court, debtor=PartyFactory(name="欧阳守信"))
    page = browser_page

    page.goto(f"{live_server.url}/public/dishonest/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "失信被执行人" in page.locator("h1").first.inner_text()
    page.fill("input[name=q]", "欧阳失信")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    results = page.locator("#public-results tbody tr")
    assert results.count() == 1
    assert "欧阳失信" in results.first.inner_text()
    shot(page, "public-dishonest-search")

    page.get_by_role("link", name=listing.enforcement_case.case.number).click()
    page.wait_for_load_state()
    facts = page.locator("#listing-facts").inner_text()
    for text in ("欧阳失信", debtor.masked_id_number, "北京市朝阳区人民法院", listing.enforcement_case.case.number):
        assert text in facts
    assert "有履行能力而拒不履行" in facts
    html = page.content()
    assert not FULL_ID.search(html)
    assert "13912345678" not in html and "幸福路8号院" not in html
    assert page.url.endswith(f"/public/dishonest/{listing_token(listing.pk)}/")  # an opaque token, not the id
    assert page.console_errors == []
    shot(page, "public-dishonest-entry")
