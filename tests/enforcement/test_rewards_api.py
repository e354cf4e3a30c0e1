"""API of reward notices and tip-offs: the public list (ID masked), a lead posted anonymously (429 on a
flood, nothing written), publishing and handling by staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from enforcement.choices import Status
from enforcement.models import TipOff
from enforcement.services.rewards import CLIENT_LIMIT
from tests.enforcement.builders import TODAY, case_in
from tests.enforcement.test_rewards import publish, tip
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
