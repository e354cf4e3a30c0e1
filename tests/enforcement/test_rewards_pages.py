"""Pages of reward notices and tip-offs: the public list, notice and form (honeypot, 429), the case panel and
the officer's workspace card."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from enforcement.choices import Status
from enforcement.models import TipOff
from enforcement.services.rewards import CLIENT_LIMIT
from tests.enforcement.builders import TODAY, case_in
from tests.enforcement.test_rewards import publish, tip
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db
FULL_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
FORM = {
    "what": "被执行人在某小区有一辆车，车牌京A12345",
    "where": "朝阳区",
    "tipster_name": "张小明",
    "tipster_contact": "13812345678",
}


@pytest.fixture
def notice(court, officer):
    ec = case_in(Status.INVESTIGATING, court, officer=officer, debtors=[PartyFactory(name="王大力")])
    return publish(officer, ec, expires_on=TODAY + dt.timedelta(days=30))


def test_the_public_list_and_notice_show_the_debtor_with_the_id_masked(client, notice):
    for url in (reverse("public:reward-list"), reverse("public:reward-detail", args=[notice.pk])):
        page = client.get(url)
        text = page.content.decode()
        assert page.status_code == 200 and "王大力" in text and notice.debtor.masked_id_number in text
        assert not FULL_ID.search(text)


def test_a_tip_sent_through_the_form_lands_on_the_thank_you_page(client, notice):
    sent = client.post(reverse("public:reward-detail", args=[notice.pk]), FORM)
    assert sent.status_code == 302 and sent.url == reverse("public:tip-thanks")
    assert TipOff.objects.get().reward_notice == notice


def test_a_filled_honeypot_thanks_the_robot_and_writes_nothing(client, notice):
    sent = client.post(reverse("public:reward-detail", args=[notice.pk]), {**FORM, "website": "x"})
    assert sent.status_code == 302 and not TipOff.objects.exists()


def test_a_flood_from_one_client_gets_the_429_page_naming_the_limit(client, notice):
    url = reverse("public:reward-detail", args=[notice.pk])
    for _ in range(CLIENT_LIMIT):
        assert client.post(url, FORM).status_code == 302
    refused = client.post(url, FORM)
    assert refused.status_code == 429 and f"at most {CLIENT_LIMIT} an hour" in refused.content.decode()
    assert TipOff.objects.count() == CLIENT_LIMIT


def test_a_withdrawn_notice_is_not_found(client, officer, notice):
    from enforcement.services.rewards import reward_withdraw

    reward_withdraw(actor=officer, notice=notice, reason="已履行")
    assert client.get(reverse("public:reward-detail", args=[notice.pk])).status_code == 404


def test_the_case_panel_shows_the_tipster_to_the_officer_and_masks_it_for_a_clerk(client_as, officer, clerk, notice):
    tip(notice)
    url = reverse("enforcement:case-rewards", args=[notice.enforcement_case_id])
    assert "13812345678" in client_as(officer).get(url).content.decode()
    masked = client_as(clerk).get(url).content.decode()
    assert "13812345678" not in masked and "138****5678" in masked and "张**" in masked


def test_the_officer_publishes_on_the_panel_and_a_refusal_answers_400(client_as, officer, court):
    ec = case_in(Status.INVESTIGATING, court, officer=officer)
    creditor = ec.case.party_links.get(role="creditor").party
    debtor = ec.case.party_links.get(role="debtor").party
    url = reverse("enforcement:case-rewards", args=[ec.pk])
    data = {
        "action": "publish",
        "applicant": creditor.pk,
        "debtor": debtor.pk,
        "reward_rate": "0.1",
        "reward_cap": "1000",
        "expires_on": TODAY.isoformat(),
    }
    refused = client_as(officer).post(url, data)
    assert refused.status_code == 400 and "expires after" in refused.content.decode()
    data["expires_on"] = (TODAY + dt.timedelta(days=10)).isoformat()
    assert client_as(officer).post(url, data).status_code == 200
    assert ec.reward_notices.get().reward_cap == Decimal("1000.00")


def test_the_officer_workspace_lists_new_tips_with_a_link_to_the_case(client_as, officer, notice):
    tip(notice)
    page = client_as(officer).get(reverse("enforcement:list")).content.decode()
    assert "new-tip-offs" in page and reverse("enforcement:detail", args=[notice.enforcement_case_id]) in page
