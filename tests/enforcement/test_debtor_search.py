"""The search for a missing debtor (查人): started for a debtor of the case, attempts recorded (addresses
visited, agencies asked, relatives asked) with their results, closed as found or not; one open search per
debtor and case; exit restriction offered from a search with at least one attempt. Refusals write nothing."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest

from core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import Status
from enforcement.models import DebtorSearch
from enforcement.services.coercion import (
    can_ask_exit_restriction,
    debtor_search_attempt,
    debtor_search_close,
    debtor_search_start,
)
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db
STARTED = TODAY - dt.timedelta(days=10)


@pytest.fixture
def debtor():
    return PartyFactory(name="张三")


@pytest.fixture
def ec(court, officer, debtor):
    return case_in(Status.INVESTIGATING, court, officer=officer, debtors=[debtor])


@contextmanager
def nothing_written():
    before = (sorted(DebtorSearch.objects.values_list("pk", "status", "attempts")), AuditLog.objects.count())
    yield
    assert (sorted(DebtorSearch.objects.values_list("pk", "status", "attempts")), AuditLog.objects.count()) == before


def refused(error_class, code, fn, **kwargs):
    with nothing_written(), pytest.raises(error_class) as caught:
        fn(**kwargs)
    assert caught.value.code == code


def test_a_search_records_its_attempts_and_closes_found(officer, ec, debtor):
    search = debtor_search_start(actor=officer, enforcement_case=ec, debtor=debtor, on=STARTED)
    assert search.status == "searching" and search.attempts == []
    assert not can_ask_exit_restriction(search)
    search = debtor_search_attempt(
        actor=officer, search=search, on=STARTED, kind="address", where="户籍地：北京市朝阳区某路1号", result="人去楼空"
    )
    search = debtor_search_attempt(
        actor=officer,
        search=search,
        on=STARTED + dt.timedelta(days=2),
        kind="agency",
        where="派出所",
        result="无暂住登记",
    )
    assert [a["kind"] for a in search.attempts] == ["address", "agency"]
    assert search.attempts[0] == {
        "on": STARTED.isoformat(),
        "kind": "address",
        "where": "户籍地：北京市朝阳区某路1号",
        "result": "人去楼空",
        "by": officer.pk,
    }
    assert can_ask_exit_restriction(search)
    search = debtor_search_close(actor=officer, search=search, found=True, on=TODAY, result="在其亲属家中找到")
    assert search.status == "found" and search.found_on == TODAY
    assert AuditLog.objects.filter(action__startswith="enforcement.debtor_search").count() == 4


def test_a_search_closed_without_finding_has_no_found_date(officer, ec, debtor):
    search = debtor_search_start(actor=officer, enforcement_case=ec, debtor=debtor, on=STARTED)
    search = debtor_search_close(actor=officer, search=search, found=False, on=TODAY, result="多方查找未果")
    assert search.status == "closed" and search.found_on is None
    refused(
        RuleViolation,
        "debtor_search.closed",
        debtor_search_attempt,
        actor=officer,
        search=search,
        on=TODAY,
        kind="other",
        where="x",
        result="y",
    )


def test_one_open_search_per_debtor_and_case(officer, ec, debtor):
    debtor_search_start(actor=officer, enforcement_case=ec, debtor=debtor, on=STARTED)
    refused(
        Conflict, "debtor_search.open", debtor_search_start, actor=officer, enforcement_case=ec, debtor=debtor, on=TODAY
    )


def test_only_a_debtor_of_the_case_is_searched_for(officer, ec):
    creditor = ec.case.party_links.get(role="creditor").party
    for party in (creditor, PartyFactory()):
        refused(
            InvalidInput,
            "debtor_search.invalid",
            debtor_search_start,
            actor=officer,
            enforcement_case=ec,
            debtor=party,
            on=TODAY,
        )


def test_an_attempt_needs_its_kind_place_and_result_and_no_future_date(officer, ec, debtor):
    search = debtor_search_start(actor=officer, enforcement_case=ec, debtor=debtor, on=STARTED)
    bad = [
        {"kind": "guess", "where": "x", "result": "y", "on": TODAY},
        {"kind": "address", "where": "", "result": "y", "on": TODAY},
        {"kind": "address", "where": "x", "result": "", "on": TODAY},
        {"kind": "address", "where": "x", "result": "y", "on": TODAY + dt.timedelta(days=1)},
        {"kind": "address", "where": "x", "result": "y", "on": STARTED - dt.timedelta(days=1)},
    ]
    for fields in bad:
        refused(InvalidInput, "debtor_search.invalid", debtor_search_attempt, actor=officer, search=search, **fields)


def test_a_clerk_cannot_search_and_another_court_sees_nothing(court, clerk, other_officer, ec, debtor):
    refused(
        PermissionDenied,
        "capability.enforcement.act",
        debtor_search_start,
        actor=clerk,
        enforcement_case=ec,
        debtor=debtor,
        on=TODAY,
    )
    refused(
        NotFound, "not_found", debtor_search_start, actor=other_officer, enforcement_case=ec, debtor=debtor, on=TODAY
    )
