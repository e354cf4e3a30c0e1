"""The demo of remedies and coercion (issue 9): after ``seed_demo``, demo-officer's cases at 京0105 show a pending
act objection due within days, a pending third-party objection blocking an asset, a fine and a detention approved
by demo-president (the detention ending the day after tomorrow), a debtor search with two attempts, and a reward
notice with a new and a verified lead; a second run writes nothing."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog, User
from credit.demo_remedies import SEEDED
from enforcement.choices import (
    CoerciveKind,
    CoerciveStatus,
    ObjectionKind,
    ObjectionStatus,
    SearchStatus,
)
from enforcement.models import CoerciveMeasure, DebtorSearch, EnforcementCase, Objection, RewardNotice, TipOff
from enforcement.services.objections import pending_third_party_objection
from enforcement.services.rewards import public_notices, reward_rule_limit, tips_waiting_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_settings(settings, tmp_path):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Objection, CoerciveMeasure, DebtorSearch, RewardNotice, TipOff, AuditLog)
    )


def case(number: str) -> EnforcementCase:
    return EnforcementCase.objects.select_related("case__court", "officer").get(case__number=number)


def test_the_demo_shows_each_remedy_on_demo_officers_cases_and_a_second_run_writes_nothing(client):
    output = seed()
    today = timezone.localdate()
    marker = AuditLog.objects.get(action=SEEDED).changes
    assert "enforcement: remedies" in output
    used = [
        marker[key] for key in ("act_objection", "third_party_objection", "coercion", "debtor_search", "reward_notice")
    ]
    assert len(set(used)) == 5
    for number in used:
        ec = case(number)
        assert (ec.case.court.code, ec.officer.username) == ("京0105", "demo-officer")
        assert ec.status in ("investigating", "controlling", "disposing")

    # 1. an act objection by the debtor, pending, its 15-day review due within days; a third-party objection
    # by an outsider on an asset under seizure, pending, so its disposal is blocked
    act = Objection.objects.get(kind=ObjectionKind.ACT, enforcement_case=case(marker["act_objection"]))
    assert act.status == ObjectionStatus.PENDING and act.case.case_type == "执异"
    assert act.review_due_on == act.filed_on + dt.timedelta(days=15)
    assert today <= act.review_due_on <= today + dt.timedelta(days=15)
    assert act.enforcement_case.case.party_links.filter(party=act.objector, role="debtor").exists()
    third = Objection.objects.get(
        kind=ObjectionKind.THIRD_PARTY, enforcement_case=case(marker["third_party_objection"])
    )
    assert third.status == ObjectionStatus.PENDING and third.asset_id and third.asset_label
    assert not third.enforcement_case.case.party_links.filter(party=third.objector).exclude(role="third_party").exists()
    assert pending_third_party_objection(third.asset_id) == third
    assert sorted(marker["cases"]) == sorted([act.case.number, third.case.number])

    # 2. a fine (paid) and a detention of the natural-person debtor, approved by demo-president with documents;
    # the detention ends the day after tomorrow
    fine, detention = CoerciveMeasure.objects.filter(enforcement_case=case(marker["coercion"])).order_by("pk")
    assert (fine.kind, detention.kind) == (CoerciveKind.FINE, CoerciveKind.DETENTION)
    for measure in (fine, detention):
        assert measure.status == CoerciveStatus.EXECUTED
        assert (measure.proposed_by.username, measure.approved_by.username) == ("demo-officer", "demo-president")
        assert measure.document.name.endswith(".docx") and measure.order_number
        assert measure.subject.kind == "person"
    assert fine.amount == Decimal("20000.00")
    assert detention.ends_on == today + dt.timedelta(days=2) and detention.released_on is None
    search = DebtorSearch.objects.get(enforcement_case=case(marker["debtor_search"]))
    assert search.status == SearchStatus.SEARCHING and len(search.attempts) == 2

    # 3. a reward notice the public sees, one lead verified with the reward within the rule, one new lead that
    # demo-officer sees waiting
    notice = RewardNotice.objects.get(enforcement_case=case(marker["reward_notice"]))
    assert public_notices().filter(pk=notice.pk).exists()
    assert notice.applicant in [link.party for link in notice.enforcement_case.case.party_links.filter(role="creditor")]
    verified, new = notice.tip_offs.order_by("received_at")
    assert verified.status == "verified" and verified.recovered > 0
    assert 0 < verified.reward_paid <= reward_rule_limit(notice, verified.recovered)
    assert new.status == "new" and new in tips_waiting_for(user=notice.enforcement_case.officer)
    assert client.get(reverse("public:reward-list")).status_code == 200
    assert client.get(reverse("public:reward-detail", args=[notice.pk])).status_code == 200

    # each case page's panel opens for demo-officer
    client.force_login(User.objects.get(username="demo-officer"))
    for name, number in (
        ("enforcement:case-objections", marker["act_objection"]),
        ("enforcement:case-objections", marker["third_party_objection"]),
        ("enforcement:case-coercion", marker["coercion"]),
        ("enforcement:case-coercion", marker["debtor_search"]),
        ("enforcement:case-rewards", marker["reward_notice"]),
    ):
        assert client.get(reverse(name, args=[case(number).pk])).status_code == 200, (name, number)
    client.logout()

    before = counts()
    again = seed()
    assert "remedies demo already seeded" in again
    assert counts() == before
