"""Coercive measures against obstruction (民诉法 2023 arts. 114–120, 255): the statutory caps of art. 118, the
president's approval (art. 119; never the proposer), the decision (.docx) and its number, no search without
an approved warrant, the detention's end date, the release, and the daily job telling the officer once.
Every refusal names its rule and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager
from decimal import Decimal

import pytest
from docx import Document

from cases.models import Notification
from core.exceptions import Conflict, InvalidInput, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import Status
from enforcement.models import CoerciveMeasure
from enforcement.services.coercion import (
    chinese_serial,
    coercion_decide,
    coercion_execute,
    coercion_propose,
    coercion_release,
    detention_ends_notify,
)
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


@pytest.fixture
def president(court):
    return UserFactory(president=True, court=court, username="president-0105")


@pytest.fixture
def person():
    return PartyFactory(name="张三")


@pytest.fixture
def company():
    return PartyFactory(organisation=True, name="北京恒通商贸有限公司")


@pytest.fixture
def ec(court, officer, person, company):
    return case_in(Status.CONTROLLING, court, officer=officer, debtors=[person, company])


def rows() -> dict:
    return {
        "measures": sorted(CoerciveMeasure.objects.values_list("pk", "status", "executed_on", "released_on")),
        "audit": AuditLog.objects.count(),
        "notifications": Notification.objects.count(),
    }


@contextmanager
def nothing_written():
    before = rows()
    yield
    assert rows() == before


def refused(error_class, code, fn, **kwargs):
    with nothing_written(), pytest.raises(error_class) as caught:
        fn(**kwargs)
    assert caught.value.code == code
    return caught.value


def propose(officer, ec, subject, kind="fine", **kwargs):
    kwargs.setdefault("ground", "refusing_report")
    kwargs.setdefault("facts", "被执行人拒不报告财产。")
    return coercion_propose(actor=officer, enforcement_case=ec, kind=kind, subject=subject, **kwargs)


def approved(officer, president, ec, subject, kind="fine", **kwargs):
    measure = propose(officer, ec, subject, kind=kind, **kwargs)
    return coercion_decide(actor=president, measure=measure, approve=True, on=TODAY)


# ---- caps (art. 118) ----------------------------------------------------------------------------------------------


def test_a_person_is_fined_up_to_100000_yuan(officer, ec, person):
    measure = propose(officer, ec, person, amount=Decimal("100000.00"))
    assert measure.status == "proposed"
    assert measure.amount == Decimal("100000.00")


def test_a_fine_of_a_person_over_100000_yuan_is_refused_naming_article_118(officer, ec, person):
    error = refused(
        RuleViolation, "coercion.fine_cap", propose, officer=officer, ec=ec, subject=person, amount=Decimal("100000.01")
    )
    assert "art. 118" in error.message


def test_an_organisation_is_fined_at_least_50000_yuan(officer, ec, company):
    refused(
        RuleViolation,
        "coercion.fine_cap",
        propose,
        officer=officer,
        ec=ec,
        subject=company,
        amount=Decimal("49999.99"),
    )
    assert propose(officer, ec, company, amount=Decimal("50000")).amount == Decimal("50000.00")


def test_an_organisation_is_fined_at_most_1000000_yuan(officer, ec, company):
    assert propose(officer, ec, company, amount=Decimal("1000000.00")).status == "proposed"
    error = refused(
        RuleViolation,
        "coercion.fine_cap",
        propose,
        officer=officer,
        ec=ec,
        subject=company,
        amount=Decimal("1000000.01"),
    )
    assert "art. 118" in error.message


def test_detention_of_15_days_is_proposed_and_16_refused(officer, ec, person):
    assert propose(officer, ec, person, kind="detention", days=15).days == 15
    error = refused(
        RuleViolation,
        "coercion.detention_cap",
        propose,
        officer=officer,
        ec=ec,
        subject=person,
        kind="detention",
        days=16,
    )
    assert "15 days" in error.message


def test_detention_of_an_organisation_without_its_responsible_person_is_refused(officer, ec, company):
    refused(
        RuleViolation,
        "coercion.responsible_person",
        propose,
        officer=officer,
        ec=ec,
        subject=company,
        kind="detention",
        days=5,
    )
    measure = propose(officer, ec, company, kind="detention", days=5, responsible_person="王经理")
    assert measure.responsible_person == "王经理"


def test_a_search_names_its_place(officer, ec, person):
    refused(InvalidInput, "coercion.search_place", propose, officer=officer, ec=ec, subject=person, kind="search")
    assert propose(officer, ec, person, kind="search", search_place="北京市朝阳区某路1号").search_place


def test_a_measure_against_someone_outside_the_case_is_refused(officer, ec):
    refused(InvalidInput, "coercion.invalid", propose, officer=officer, ec=ec, subject=PartyFactory(), amount=1000)


# ---- the president's decision (art. 119) --------------------------------------------------------------------------


def test_the_proposer_cannot_approve_their_own_measure(ec, person, president):
    # the president holds no capability to propose; a superuser holds both, and is still refused
    assert not president.can("enforcement.coercion")
    boss = UserFactory(superuser=True)
    measure = propose(boss, ec, person, amount=Decimal("1000"))
    error = refused(
        RuleViolation, "coercion.self_approval", coercion_decide, actor=boss, measure=measure, approve=True, on=TODAY
    )
    assert "art. 119" in error.message


def test_only_the_president_approves(officer, ec, person, division_head, judge):
    measure = propose(officer, ec, person, amount=Decimal("1000"))
    for user in (officer, division_head, judge):
        refused(
            PermissionDenied,
            "capability.enforcement.approve_coercion",
            coercion_decide,
            actor=user,
            measure=measure,
            approve=True,
            on=TODAY,
        )


def test_approval_numbers_the_decision_and_generates_the_docx(officer, president, ec, person):
    measure = approved(officer, president, ec, person, amount=Decimal("20000"))
    assert measure.status == "approved"
    assert measure.approved_by == president
    assert measure.order_number == f"{ec.case.number}之一"
    text = "\n".join(p.text for p in Document(io.BytesIO(measure.document.read())).paragraphs)
    assert "罚款决定书" in text
    assert "贰万元整" in text
    assert measure.order_number in text
    second = approved(officer, president, ec, person, kind="detention", days=10)
    assert second.order_number == f"{ec.case.number}之二"
    text = "\n".join(p.text for p in Document(io.BytesIO(second.document.read())).paragraphs)
    assert "拘留决定书" in text and "拘留10日" in text


def test_a_search_warrant_is_generated_on_approval(officer, president, ec, person):
    measure = approved(officer, president, ec, person, kind="search", search_place="北京市朝阳区某路1号")
    text = "\n".join(p.text for p in Document(io.BytesIO(measure.document.read())).paragraphs)
    assert "搜查令" in text and "北京市朝阳区某路1号" in text


def test_a_refusal_needs_a_note_and_writes_no_document(officer, president, ec, person):
    measure = propose(officer, ec, person, amount=Decimal("1000"))
    refused(
        InvalidInput, "coercion.invalid", coercion_decide, actor=president, measure=measure, approve=False, on=TODAY
    )
    measure = coercion_decide(actor=president, measure=measure, approve=False, on=TODAY, note="事实不清")
    assert measure.status == "refused" and not measure.document and measure.order_number == ""


def test_a_decision_number_already_used_is_refused(officer, president, ec, person):
    first = approved(officer, president, ec, person, amount=Decimal("1000"))
    second = propose(officer, ec, person, amount=Decimal("2000"))
    refused(
        Conflict,
        "coercion.order_number_taken",
        coercion_decide,
        actor=president,
        measure=second,
        approve=True,
        on=TODAY,
        order_number=first.order_number,
    )


def test_serials_read_in_chinese():
    assert [chinese_serial(n) for n in (1, 10, 12, 20, 35)] == ["一", "十", "十二", "二十", "三十五"]


# ---- execution and release ----------------------------------------------------------------------------------------


def test_a_search_without_an_approved_warrant_is_refused(officer, president, ec, person):
    measure = propose(officer, ec, person, kind="search", search_place="某处")
    error = refused(
        RuleViolation,
        "coercion.search_without_order",
        coercion_execute,
        actor=officer,
        measure=measure,
        executed_on=TODAY,
    )
    assert "art. 255" in error.message
    coercion_decide(actor=president, measure=measure, approve=False, on=TODAY, note="理由不足")
    refused(
        RuleViolation,
        "coercion.search_without_order",
        coercion_execute,
        actor=officer,
        measure=measure,
        executed_on=TODAY,
    )


def test_an_unapproved_fine_is_not_executed(officer, ec, person):
    measure = propose(officer, ec, person, amount=Decimal("1000"))
    refused(RuleViolation, "coercion.not_approved", coercion_execute, actor=officer, measure=measure, executed_on=TODAY)


def test_detention_ends_on_the_last_day_of_its_term(officer, president, ec, person):
    measure = approved(officer, president, ec, person, kind="detention", days=15)
    measure = coercion_execute(actor=officer, measure=measure, executed_on=TODAY, outcome="已送拘留所")
    assert measure.status == "executed"
    assert measure.ends_on == TODAY + dt.timedelta(days=14)
    one_day = approved(officer, president, ec, person, kind="detention", days=1)
    assert coercion_execute(actor=officer, measure=one_day, executed_on=TODAY).ends_on == TODAY


def test_an_early_release_needs_a_reason_and_a_release_after_the_end_is_refused(officer, president, ec, person):
    measure = approved(officer, president, ec, person, kind="detention", days=5)
    start = TODAY - dt.timedelta(days=10)
    measure.approved_at = measure.approved_at - dt.timedelta(days=10)
    measure.save(update_fields=["approved_at"])
    measure = coercion_execute(actor=officer, measure=measure, executed_on=start)
    assert measure.ends_on == start + dt.timedelta(days=4)
    refused(
        InvalidInput,
        "coercion.early_release_reason",
        coercion_release,
        actor=officer,
        measure=measure,
        released_on=start + dt.timedelta(days=2),
    )
    refused(
        RuleViolation,
        "coercion.release_after_end",
        coercion_release,
        actor=officer,
        measure=measure,
        released_on=start + dt.timedelta(days=5),
    )
    measure = coercion_release(
        actor=officer, measure=measure, released_on=start + dt.timedelta(days=2), reason="具结悔过，经院长批准"
    )
    assert measure.released_on == start + dt.timedelta(days=2)
    refused(RuleViolation, "coercion.not_detained", coercion_release, actor=officer, measure=measure, released_on=TODAY)


def test_the_job_tells_the_officer_once_a_day_of_a_detention_whose_term_has_ended(officer, president, ec, person):
    measure = approved(officer, president, ec, person, kind="detention", days=3)
    measure = coercion_execute(actor=officer, measure=measure, executed_on=TODAY)
    assert detention_ends_notify(today=TODAY) == 0  # ends in two days
    ends = TODAY + dt.timedelta(days=2)
    assert detention_ends_notify(today=ends) == 1
    assert detention_ends_notify(today=ends) == 0
    notification = Notification.objects.get(kind="coercion.detention_ends")
    assert notification.recipient_user == officer
    assert measure.order_number in notification.body
    assert detention_ends_notify(today=ends + dt.timedelta(days=1)) == 1  # still not released: the next day again
    coercion_release(actor=officer, measure=measure, released_on=TODAY + dt.timedelta(days=0), reason="提前解除")
    assert detention_ends_notify(today=ends + dt.timedelta(days=2)) == 0


def test_the_task_runs_the_job_and_is_scheduled(officer, president, ec, person):
    from config.celery import app
    from enforcement.tasks_coercion import coercion_detention_ends

    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "enforcement.tasks.coercion_detention_ends" in entries
    measure = approved(officer, president, ec, person, kind="detention", days=1)
    coercion_execute(actor=officer, measure=measure, executed_on=TODAY)
    assert coercion_detention_ends() == 1
    assert coercion_detention_ends() == 0


def test_a_closed_case_takes_no_new_measure(court, officer, person):
    closed = case_in(Status.CLOSED, court, officer=officer, debtors=[person])
    refused(RuleViolation, "coercion.case_closed", propose, officer=officer, ec=closed, subject=person, amount=1000)
