"""Reward notices (悬赏公告) and public tip-offs (线索举报): the services, each refusal writing nothing."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest

from cases.choices import PartyRole
from core.exceptions import ApplicationError, Conflict, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import RewardStatus, Status, TipStatus
from enforcement.models import RewardNotice, TipOff
from enforcement.services.rewards import (
    CLIENT_LIMIT,
    TARGET_LIMIT,
    mask_contact,
    reward_publish,
    reward_withdraw,
    rewards_expire_due,
    tip_handle,
    tip_reveal,
    tip_submit,
)
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@contextmanager
def nothing_written():
    def counts():
        return (
            RewardNotice.objects.count(),
            TipOff.objects.count(),
            AuditLog.objects.count(),
            sorted(RewardNotice.objects.values_list("pk", "status")),
            sorted(TipOff.objects.values_list("pk", "status")),
        )

    before = counts()
    yield
    assert counts() == before


def creditor_of(ec):
    return ec.case.party_links.get(role=PartyRole.CREDITOR).party


def publish(officer, ec, **overrides):
    values = {
        "actor": officer,
        "enforcement_case": ec,
        "applicant": creditor_of(ec),
        "reward_rate": Decimal("0.10"),
        "reward_cap": Decimal("5000.00"),
        "expires_on": TODAY + dt.timedelta(days=90),
    }
    values.update(overrides)
    return reward_publish(**values)


def tip(notice, ip="203.0.113.5", **overrides):
    values = {
        "reward_notice": notice,
        "what": "被执行人在朝阳区某小区有一辆宝马车",
        "where": "北京市朝阳区",
        "tipster_name": "张小明",
        "tipster_contact": "13812345678",
        "client_ip": ip,
    }
    values.update(overrides)
    return tip_submit(**values)


@pytest.fixture
def ec(court, officer):
    return case_in(Status.INVESTIGATING, court, officer=officer, debtors=[PartyFactory(name="王大力")])


@pytest.fixture
def notice(officer, ec):
    return publish(officer, ec)


def test_a_notice_is_published_with_the_amount_still_owed(officer, ec):
    ec.performed_amount = Decimal("30000.00")
    ec.save()
    notice = publish(officer, ec)
    assert notice.status == RewardStatus.PUBLISHED
    assert notice.amount_owed == Decimal("70000.00")
    assert notice.published_on == TODAY
    assert AuditLog.objects.filter(action="enforcement.reward_publish").count() == 1


def test_a_notice_after_termination_this_round_is_allowed(court, officer):
    ec = case_in(Status.CLOSED, court, officer=officer)  # closed as 终本 by the builder
    assert publish(officer, ec).status == RewardStatus.PUBLISHED


@pytest.mark.parametrize(
    "status, extra",
    [(Status.CLOSED, {"closing_kind": "completed"}), (Status.SUSPENDED, {}), (Status.FILED, {})],
)
def test_a_notice_for_a_case_not_in_enforcement_is_refused(court, officer, status, extra):
    ec = case_in(status, court, officer=officer if status != Status.FILED else None, **extra)
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        publish(officer, ec)
    assert refused.value.code == "reward.case_not_in_enforcement"


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"reward_rate": Decimal("0")}, "reward.rate"),
        ({"reward_rate": Decimal("1.5")}, "reward.rate"),
        ({"reward_cap": Decimal("0")}, "reward.cap"),
        ({"expires_on": TODAY}, "reward.expiry"),
    ],
)
def test_a_bad_reward_rule_or_expiry_is_refused(officer, ec, overrides, code):
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        publish(officer, ec, **overrides)
    assert refused.value.code == code


def test_a_notice_requested_by_someone_not_a_creditor_is_refused(officer, ec):
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        publish(officer, ec, applicant=PartyFactory())
    assert refused.value.code == "reward.not_a_creditor"


def test_a_second_notice_on_the_same_debtor_is_refused(officer, ec, notice):
    with nothing_written(), pytest.raises(Conflict):
        publish(officer, ec)


def test_a_withdrawn_notice_takes_no_more_leads(officer, notice):
    reward_withdraw(actor=officer, notice=notice, reason="申请执行人撤回悬赏申请")
    notice.refresh_from_db()
    assert notice.status == RewardStatus.WITHDRAWN
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        tip(notice)
    assert refused.value.code == "tip.not_public"


def test_the_expiry_job_expires_notices_past_their_last_day_only(officer, court, notice):
    other = publish(officer, case_in(Status.INVESTIGATING, court, officer=officer))
    RewardNotice.objects.filter(pk=notice.pk).update(
        published_on=TODAY - dt.timedelta(days=60), expires_on=TODAY - dt.timedelta(days=1)
    )
    assert rewards_expire_due(today=TODAY) == 1
    assert rewards_expire_due(today=TODAY) == 0
    notice.refresh_from_db()
    other.refresh_from_db()
    assert (notice.status, other.status) == (RewardStatus.EXPIRED, RewardStatus.PUBLISHED)


def test_a_tip_is_received_with_a_hash_of_the_address_never_the_address(notice):
    t = tip(notice)
    assert t.status == TipStatus.NEW and t.enforcement_case_id == notice.enforcement_case_id
    assert "203.0.113.5" not in t.client_key and len(t.client_key) == 64
    assert not AuditLog.objects.filter(ip_address="203.0.113.5").exists()


def test_the_sixth_tip_from_one_client_within_an_hour_is_refused_with_429(notice):
    for _ in range(CLIENT_LIMIT):
        tip(notice)
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        tip(notice)
    assert refused.value.status_code == 429 and refused.value.code == "tip.rate_limited"
    assert str(CLIENT_LIMIT) in refused.value.message
    tip(notice, ip="198.51.100.7")  # another client is not held back


def test_a_flood_on_one_notice_from_many_clients_is_refused_with_429(notice):
    for n in range(TARGET_LIMIT):
        tip(notice, ip=f"10.0.{n // 200}.{n % 200}")
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        tip(notice, ip="192.0.2.1")
    assert refused.value.status_code == 429 and refused.value.code == "tip.flood"


def test_a_filled_honeypot_or_a_too_short_lead_is_refused(notice):
    with nothing_written(), pytest.raises(RuleViolation) as spam:
        tip(notice, trap="http://spam.example")
    assert spam.value.code == "tip.spam"
    with nothing_written(), pytest.raises(ApplicationError) as short:
        tip(notice, what="有车")
    assert short.value.code == "tip.too_short"


def test_a_tip_on_a_case_without_a_public_entry_is_refused(court, officer):
    ec = case_in(Status.INVESTIGATING, court, officer=officer)
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        tip(None, enforcement_case=ec)
    assert refused.value.code == "tip.not_public"


def test_the_officer_records_a_reward_within_the_rule(officer, notice):
    t = tip(notice)
    handled = tip_handle(
        actor=officer, tip=t, status=TipStatus.VERIFIED, recovered=Decimal("20000"), reward_paid=Decimal("2000")
    )
    assert (handled.status, handled.reward_paid, handled.handled_by) == (
        TipStatus.VERIFIED,
        Decimal("2000.00"),
        officer,
    )


@pytest.mark.parametrize("recovered, paid", [("20000", "2000.01"), ("100000", "5000.01")])
def test_a_reward_over_the_rate_or_the_cap_is_refused(officer, notice, recovered, paid):
    t = tip(notice)
    with nothing_written(), pytest.raises(RuleViolation) as refused:
        tip_handle(
            actor=officer, tip=t, status=TipStatus.VERIFIED, recovered=Decimal(recovered), reward_paid=Decimal(paid)
        )
    assert refused.value.code == "reward.over_rule"


def test_only_the_officer_of_the_case_records_the_outcome(court, notice):
    t = tip(notice)
    someone = UserFactory(officer=True, court=court, username="officer-b")
    with nothing_written(), pytest.raises(PermissionDenied):
        tip_handle(actor=someone, tip=t, status=TipStatus.UNFOUNDED)


def test_the_tipster_is_seen_by_the_officer_and_the_auditor_and_each_read_is_audited(court, officer, clerk, notice):
    t = tip(notice)
    auditor = UserFactory(auditor=True, court=court, username="auditor-0105")
    for user in (officer, auditor):
        before = AuditLog.objects.filter(action="enforcement.tip_read_identity", actor=user).count()
        shown = tip_reveal(user=user, tip=t)
        assert (shown["name"], shown["contact"]) == ("张小明", "13812345678")
        assert AuditLog.objects.filter(action="enforcement.tip_read_identity", actor=user).count() == before + 1


def test_the_tipster_is_masked_for_a_clerk_another_officer_and_the_head(court, clerk, division_head, notice):
    t = tip(notice)
    other = UserFactory(officer=True, court=court, username="officer-b")
    for user in (clerk, other, division_head):
        with nothing_written():
            shown = tip_reveal(user=user, tip=t)
        assert (shown["name"], shown["contact"], shown["revealed"]) == ("张**", "138****5678", False)


def test_contacts_are_masked_by_their_shape():
    assert mask_contact("13812345678") == "138****5678"
    assert mask_contact("zhang@example.com") == "z***@example.com"
