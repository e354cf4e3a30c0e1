"""API of reward notices and tip-offs: the public list (ID masked), a lead posted anonymously on a notice or on a
listed debtor's case (404 when the case takes no leads, 429 on a flood, nothing written), publishing, withdrawing
and handling by staff; and the reward rate shown exactly (never rounded) on the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from enforcement.api_public import PublicDisclosureThrottle
from enforcement.choices import ClosingKind, RewardStatus, Status
from enforcement.models import TipOff
from enforcement.services.publication import entry_publish
from enforcement.services.rewards import CLIENT_LIMIT, TARGET_LIMIT, client_key_of
from tests.enforcement.builders import TODAY, case_in
from tests.enforcement.test_rewards import nothing_written, publish, tip
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db
LEAD = {"what": "被执行人在某小区有一辆车，车牌京A12345", "tipster_contact": "13812345678"}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def notice(court, officer):
    ec = case_in(Status.INVESTIGATING, court, officer=officer, debtors=[PartyFactory(name="王大力")])
    return publish(officer, ec)


def test_the_public_list_masks_the_id_number(api_client, notice):
    body = api_client.get(reverse("api-public-reward-list")).json()
    row = body["results"][0] if "results" in body else body[0]
    assert row["debtor_masked_id"] == notice.debtor.masked_id_number != notice.debtor.id_number


def test_an_anonymous_flood_is_answered_429_with_nothing_written(api_client, notice):
    url = reverse("api-public-tip-create", args=[notice.pk])
    for _ in range(CLIENT_LIMIT):
        assert api_client.post(url, LEAD, format="json").status_code == 201
    refused = api_client.post(url, LEAD, format="json")
    assert refused.status_code == 429 and refused.json()["code"] == "tip.rate_limited"
    assert TipOff.objects.count() == CLIENT_LIMIT


def test_staff_publish_and_the_officer_handles_over_the_rule_is_refused(api_as, officer, court, notice):
    ec = case_in(Status.INVESTIGATING, court, officer=officer)
    creditor = ec.case.party_links.get(role="creditor").party
    created = api_as(officer).post(
        reverse("api-case-reward-notices", args=[ec.pk]),
        {
            "applicant": creditor.pk,
            "reward_rate": "0.2",
            "reward_cap": "800",
            "expires_on": (TODAY + dt.timedelta(days=9)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201
    t = tip(notice)
    over = api_as(officer).post(
        reverse("api-tip-handle", args=[t.pk]),
        {"status": "verified", "recovered": "100", "reward_paid": "11"},
        format="json",
    )
    assert over.status_code == 400 and over.json()["code"] == "reward.over_rule"
    ok = api_as(officer).post(
        reverse("api-tip-handle", args=[t.pk]),
        {"status": "verified", "recovered": "100", "reward_paid": "10"},
        format="json",
    )
    assert ok.status_code == 200 and "tipster_contact" not in ok.json()


# ---- withdrawing a notice ------------------------------------------------------------------------------------


def withdraw_url(notice):
    return reverse("api-reward-withdraw", args=[notice.pk])


def test_the_officer_withdraws_a_notice_with_a_reason_and_it_leaves_the_public_list(api_as, officer, notice):
    response = api_as(officer).post(withdraw_url(notice), {"reason": "申请执行人撤回悬赏申请"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == RewardStatus.WITHDRAWN and body["withdrawal_reason"] == "申请执行人撤回悬赏申请"
    assert body["withdrawn_on"] == TODAY.isoformat()
    notice.refresh_from_db()
    assert notice.status == RewardStatus.WITHDRAWN
    public = api_as(officer).get(reverse("api-public-reward-list")).json()
    assert public["results"] == []


def test_a_withdrawal_without_a_reason_or_of_a_withdrawn_notice_is_refused_with_nothing_written(
    api_as, officer, notice
):
    client = api_as(officer)
    with nothing_written():
        blank = client.post(withdraw_url(notice), {"reason": "  "}, format="json")
    assert blank.status_code == 400 and blank.json()["code"] == "reward.invalid"
    assert client.post(withdraw_url(notice), {"reason": "债务已清偿"}, format="json").status_code == 200
    with nothing_written():
        again = client.post(withdraw_url(notice), {"reason": "再次撤回"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "reward.not_published"


def test_a_notice_of_another_court_is_not_found_and_a_clerk_may_not_withdraw(
    api_as, api_client, other_officer, clerk, notice
):
    with nothing_written():
        assert api_client.post(withdraw_url(notice), {"reason": "x"}, format="json").status_code in (401, 403)
        assert api_as(other_officer).post(withdraw_url(notice), {"reason": "x"}, format="json").status_code == 404
        assert api_as(clerk).post(withdraw_url(notice), {"reason": "x"}, format="json").status_code == 403
    notice.refresh_from_db()
    assert notice.status == RewardStatus.PUBLISHED


# ---- a lead on a listed debtor's case ------------------------------------------------------------------------

CASE_TIP = reverse("api-public-case-tip-create")


def terminated_and_public(court, officer):
    ec = case_in(
        Status.CLOSED,
        court,
        officer=officer,
        filing_date=TODAY - dt.timedelta(days=200),
        closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
        closed_on=TODAY - dt.timedelta(days=1),
    )
    entry_publish(enforcement_case=ec)
    return ec


def test_a_lead_on_a_public_terminated_case_is_received_by_its_case_number(api_client, court, officer):
    ec = terminated_and_public(court, officer)
    response = api_client.post(
        CASE_TIP,
        {**LEAD, "case_number": ec.case.number, "where": "北京市朝阳区", "tipster_name": "张小明"},
        format="json",
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "received_at"}  # nothing of the tipster echoed
    received = TipOff.objects.get(pk=body["id"])
    assert received.enforcement_case == ec and received.reward_notice is None
    assert received.tipster_contact == "13812345678" and received.where == "北京市朝阳区"
    assert received.client_key == client_key_of("198.51.100.7") != "198.51.100.7"


def test_a_lead_on_a_case_with_a_published_notice_is_filed_under_the_notice(api_client, notice):
    response = api_client.post(CASE_TIP, {**LEAD, "case_number": notice.enforcement_case.case.number}, format="json")
    assert response.status_code == 201
    assert TipOff.objects.get(pk=response.json()["id"]).reward_notice == notice


def test_a_case_that_takes_no_leads_is_not_found_with_nothing_written(api_client, court, officer):
    unlisted = case_in(Status.INVESTIGATING, court, officer=officer)  # no public entry
    masked = terminated_and_public(court, officer)
    entry = masked.public_entry
    entry.masked_on, entry.mask_reason = TODAY, "履行完毕"
    entry.save()
    paid = case_in(Status.CLOSED, court, officer=officer, closing_kind=ClosingKind.COMPLETED)
    for number in (unlisted.case.number, masked.case.number, paid.case.number, "（2099）京0105执99999号"):
        with nothing_written():
            response = api_client.post(CASE_TIP, {**LEAD, "case_number": number}, format="json")
        assert response.status_code == 404, number
        assert response.json()["code"] == "not_found"


def test_a_too_short_lead_or_a_filled_honeypot_is_refused_with_nothing_written(api_client, court, officer):
    ec = terminated_and_public(court, officer)
    with nothing_written():
        short = api_client.post(CASE_TIP, {**LEAD, "case_number": ec.case.number, "what": "有车"}, format="json")
        spam = api_client.post(
            CASE_TIP, {**LEAD, "case_number": ec.case.number, "website": "http://spam.example"}, format="json"
        )
    assert short.status_code == 400 and short.json()["code"] == "tip.too_short"
    assert spam.status_code == 400 and spam.json()["code"] == "tip.spam"


def test_a_flood_on_a_case_from_one_client_is_answered_429_with_nothing_written(api_client, court, officer):
    ec = terminated_and_public(court, officer)
    lead = {**LEAD, "case_number": ec.case.number}
    for _ in range(CLIENT_LIMIT):
        assert api_client.post(CASE_TIP, lead, format="json").status_code == 201
    with nothing_written():
        refused = api_client.post(CASE_TIP, lead, format="json")
    assert refused.status_code == 429 and refused.json()["code"] == "tip.rate_limited"


def test_a_flood_on_a_case_from_many_clients_is_answered_429(api_client, court, officer, monkeypatch):
    monkeypatch.setattr(PublicDisclosureThrottle, "rate", "1000/min")
    ec = terminated_and_public(court, officer)
    lead = {**LEAD, "case_number": ec.case.number}
    for n in range(TARGET_LIMIT):
        assert api_client.post(CASE_TIP, lead, format="json", REMOTE_ADDR=f"203.0.113.{n + 1}").status_code == 201
    with nothing_written():
        refused = api_client.post(CASE_TIP, lead, format="json", REMOTE_ADDR="203.0.113.200")
    assert refused.status_code == 429 and refused.json()["code"] == "tip.flood"


def test_the_case_lead_endpoint_is_throttled_like_the_other_public_endpoints(api_client, court, officer, monkeypatch):
    monkeypatch.setattr(PublicDisclosureThrottle, "rate", "2/min")
    ec = terminated_and_public(court, officer)
    lead = {**LEAD, "case_number": ec.case.number}
    codes = [api_client.post(CASE_TIP, lead, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert TipOff.objects.count() == 2


def test_the_new_endpoints_are_in_the_schema_and_the_public_one_needs_no_credentials(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    public = schema["paths"]["/api/v1/public/tip-offs/"]["post"]
    assert public.get("security", []) in ([], [{}])
    assert "201" in public["responses"]
    assert "post" in schema["paths"]["/api/v1/reward-notices/{id}/withdraw/"]


# ---- the rate shown exactly ----------------------------------------------------------------------------------


def test_the_reward_rate_is_shown_exactly_on_the_public_pages_and_the_case_panel(client, officer, court):
    ec = case_in(Status.INVESTIGATING, court, officer=officer, debtors=[PartyFactory(name="赵六")])
    odd = publish(officer, ec, reward_rate=Decimal("0.125"))
    round_ = publish(officer, case_in(Status.INVESTIGATING, court, officer=officer), reward_rate=Decimal("0.1"))
    listing = client.get(reverse("public:reward-list")).content.decode()
    detail = client.get(reverse("public:reward-detail", args=[odd.pk])).content.decode()
    assert "12.5%" in listing and "12.5%" in detail
    for rounded in ("12%", "13%"):
        assert rounded not in listing and rounded not in detail
    assert "10%" in listing and "10.0" not in listing and "E+" not in listing
    client.force_login(officer)
    panel = client.get(reverse("enforcement:case-rewards", args=[ec.pk])).content.decode()
    assert "12.5%" in panel and "12%" not in panel and "13%" not in panel
    assert round_.reward_rate == Decimal("0.1000")
