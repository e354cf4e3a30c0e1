# ruff: noqa: F811 - the fixture imported from test_workspace is a parameter of the tests
"""The workspace page and its counts block: the sections with their counts and rows, the block htmx refreshes
every 60 s, a pinned number of queries, nothing of another court, and only for case workers."""

import re

import pytest

from tests.command.test_workspace import _more_cases, desk  # noqa: F401 - fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/command/workspace/"
COUNTS_URL = "/command/workspace/counts/"
PAGE_QUERIES = 20  # session and user, the workspace's 17, the user's court (the page head)
COUNTS_BLOCK_QUERIES = 10  # session and user, then the 8 counts


def count_of(html: str, name: str) -> str:
    match = re.search(rf'data-count="{name}">\s*<div class="card-body py-2">\s*<div[^>]*>(.*?)</div>', html, re.S)
    return match.group(1).strip()


def test_the_page_shows_each_section_with_its_count_and_rows(client_as, desk):
    court, li, head, zhou, cases = desk
    response = client_as(li).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("ws-onsite", "ws-deadlines", "ws-measures", "ws-new", "ws-alerts", "ws-approvals", "ws-funds"):
        assert f'id="{section}"' in html
    assert (count_of(html, "overdue"), count_of(html, "due_today"), count_of(html, "due_soon")) == ("2", "2", "2")
    assert f'href="/enforcement/{cases["overdue"].pk}/"' in html
    assert cases["soon"].case.number in html
    assert "¥3,000.00" in html and "¥1,200.00" in html  # held, and the approved payout not yet made
    assert 'data-risk="dog"' in html and 'data-risk="violence"' not in html
    assert "Your requests waiting for approval" in html
    assert "New: answered or found in the last 7 days" in html  # the page says what "new" means


def test_the_deadline_section_links_to_the_filtered_case_list(client_as, desk):
    court, li, head, zhou, cases = desk
    html = client_as(li).get(URL).content.decode()
    assert f"/enforcement/?officer={li.pk}&amp;overdue=true" in html
    assert f"/enforcement/?officer={li.pk}&amp;deadline_before=" in html


def test_the_counts_block_is_refreshed_by_htmx_every_minute(client_as, desk):
    court, li, head, zhou, cases = desk
    html = client_as(li).get(URL).content.decode()
    block = re.search(r'<div id="workspace-counts"[^>]*>', html).group(0)
    assert 'hx-get="/command/workspace/counts/"' in block and "every 60s" in block and "load" in block
    partial = client_as(li).get(COUNTS_URL)
    assert partial.status_code == 200
    fragment = partial.content.decode()
    assert "<html" not in fragment and 'id="workspace-counts-tiles"' in fragment
    assert count_of(fragment, "overdue") == "2" and count_of(fragment, "onsite_today") == "1"


def test_a_division_head_sees_the_approvals_waiting_for_him(client_as, desk):
    court, li, head, zhou, cases = desk
    html = client_as(head).get(URL).content.decode()
    assert "Approvals waiting for you" in html and cases["overdue"].case.number in html
    assert count_of(html, "approvals") == "2"


def test_the_page_of_another_courts_officer_shows_nothing_of_this_court(client_as, desk):
    court, li, head, zhou, cases = desk
    html = client_as(zhou).get(URL).content.decode()
    assert "京0108" in html
    assert all(ec.case.number not in html for ec in cases.values())


def test_clerks_may_not_open_the_workspace_and_visitors_are_sent_to_log_in(client, client_as, desk):
    court, li, head, zhou, cases = desk
    clerk = UserFactory(clerk=True, court=court, username="ws-clerk")
    assert client_as(clerk).get(URL).status_code == 403
    assert client_as(clerk).get(COUNTS_URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("extra", [3, 30])
def test_the_page_and_its_counts_take_the_same_queries_for_3_or_30_more_cases(
    client_as, desk, extra, django_assert_num_queries
):
    court, li, head, zhou, cases = desk
    _more_cases(court, li, extra)
    client = client_as(li)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(COUNTS_BLOCK_QUERIES):
        assert client.get(COUNTS_URL).status_code == 200
