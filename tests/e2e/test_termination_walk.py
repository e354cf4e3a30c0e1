"""In headless Chromium: an officer proposes 终本 on a case that meets the art. 1 conditions, the division head
approves it on the case page, and the public finds the case in the 终本 list with the debtor's ID masked."""

import datetime as dt
import re

import pytest

from cases.choices import PartyRole
from enforcement.choices import ClosingKind, ProposalStatus, Status
from enforcement.models import TerminatedCaseEntry
from tests.enforcement.termination_builders import install_facts, ready_case
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


def test_an_officer_proposes_the_head_approves_and_the_public_sees_the_case(
    live_server, browser_page, shot, monkeypatch
):
    install_facts(monkeypatch)  # a completed network query over every category, nothing found
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="officer-e2e", display_name="李执行")
    UserFactory(division_head=True, court=court, username="head-e2e", display_name="赵局长")
    debtor = PartyFactory(name="孙某某")
    ec = ready_case(court, officer, debtors=[debtor])
    page = browser_page
    today = dt.date.today()

    login(page, live_server.url, "officer-e2e")
    page.goto(f"{live_server.url}/enforcement/{ec.pk}/")
    page.locator("#action-termination_propose summary").click()
    form = page.locator("#action-termination_propose form")
    form.locator("[name=reason]").select_option("no_property")
    form.locator("[name=reason_detail]").fill("经网络查控及实地调查，未发现被执行人有可供执行的财产。")
    form.locator("[name=consumption_restriction_on]").fill((today - dt.timedelta(days=60)).isoformat())
    form.locator("[name=listing_decision]").select_option("listed")
    form.locator("[name=applicant_informed_on]").fill((today - dt.timedelta(days=3)).isoformat())
    form.locator("[name=applicant_opinion]").select_option("agrees")
    form.locator("[name=applicant_signed]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert ec.terminations.get().status == ProposalStatus.PENDING
    assert page.locator("form[action$='/termination/decide/']").count() == 0  # not for the proposer
    shot(page, "termination-proposed")

    page.goto("about:blank")  # no request of the last page may answer after the cookies go

    page.context.clear_cookies()  # sign out: a new session for the division head
    login(page, live_server.url, "head-e2e")
    page.goto(f"{live_server.url}/enforcement/terminations/")
    page.get_by_role("link", name=ec.case.number).first.click()
    page.wait_for_load_state()
    page.locator("form[action$='/termination/decide/'] button[value=approve]").click()
    page.wait_for_load_state()
    ec.refresh_from_db()
    assert (ec.status, ec.closing_kind) == (Status.CLOSED, ClosingKind.TERMINATED_THIS_ROUND)
    assert page.locator("a[href$='/ruling/']").count() >= 1
    shot(page, "termination-approved")

    page.goto("about:blank")  # no request of the last page may answer after the cookies go

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/terminated-cases/?q=孙某某")
    assert page.locator("table").get_by_text(ec.case.number).count() == 1
    html = page.content()
    assert debtor.masked_id_number in html and not FULL_ID.search(html)
    assert TerminatedCaseEntry.objects.get(enforcement_case=ec).is_public
    creditor = ec.case.party_links.get(role=PartyRole.CREDITOR).party
    assert creditor.id_number not in html
    assert page.console_errors == []
    shot(page, "termination-public-list")
