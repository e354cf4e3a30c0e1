"""Builders for the listing and removal tests: a case with its debtors served the enforcement notice, a
proposed or listed entry, the working-day calendar of 国庆 2026, a snapshot of the tables the listing services
write (to prove a refusal wrote nothing) and a stand-in for the consumption restriction while
``credit.services.restrictions.restriction_issue`` is not there."""

from __future__ import annotations

import datetime as dt
import sys
import types
from contextlib import contextmanager

import pytest

from core.models import AuditLog, CalendarDay
from credit.models import DishonestListing, FeedEvent, Restriction
from credit.services.listing import listing_decide, listing_propose
from enforcement.choices import NoticeKind, ServiceMethod, Status
from enforcement.models import Notice
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory, UserFactory

FILED = dt.date(2024, 1, 2)
SERVED_ON = dt.date(2024, 1, 5)


def serve_enforcement_notice(ec, debtor, *, on=SERVED_ON):
    return Notice.objects.create(
        enforcement_case=ec,
        kind=NoticeKind.ENFORCEMENT_NOTICE,
        recipient=debtor,
        file=f"notices/en-{ec.pk}-{debtor.pk}.docx",
        issued_on=on,
        issued_by=ec.officer,
        service_method=ServiceMethod.IN_PERSON,
        served_on=on,
    )


def listing_case(court, officer, *, debtors=None, status=Status.INVESTIGATING, notices=True, **kwargs):
    """An open case of ``court`` held by ``officer`` whose debtors (one person by default) were served."""
    debtors = debtors if debtors is not None else [PartyFactory(name="王小明")]
    kwargs.setdefault("filing_date", FILED)
    ec = case_in(status, court, debtors=debtors, officer=officer, **kwargs)
    if notices:
        for debtor in debtors:
            serve_enforcement_notice(ec, debtor)
    return ec


def debtor_of(ec):
    return ec.case.parties.get(case_links__role="debtor")


def propose(officer, ec, *, debtor=None, ground="obstructs", **kwargs):
    kwargs.setdefault("facts", "以暴力方法阻挠执行人员查封财产。")
    return listing_propose(actor=officer, enforcement_case=ec, debtor=debtor or debtor_of(ec), ground=ground, **kwargs)


def listed(officer, head, ec, *, on=None, **kwargs) -> DishonestListing:
    listing = propose(officer, ec, **kwargs)
    return listing_decide(actor=head, listing=listing, approve=True, on=on)


def another_head(court):
    return UserFactory(division_head=True, court=court)


def national_day_2026():
    """国庆 2026: 10-01..10-07 holidays, Saturday 10-10 a make-up working day."""
    for day in range(1, 8):
        CalendarDay.objects.create(date=dt.date(2026, 10, day), working=False, note="国庆节")
    CalendarDay.objects.create(date=dt.date(2026, 10, 10), working=True, note="调休上班")


WATCHED = (DishonestListing, FeedEvent, Restriction, AuditLog)


def row_counts() -> dict:
    counts = {model.__name__: model.objects.count() for model in WATCHED}
    counts["listings"] = sorted(
        DishonestListing.objects.values_list("pk", "status", "expires_on", "removal_event", "extension_years")
    )
    return counts


@contextmanager
def nothing_written():
    before = row_counts()
    yield
    assert row_counts() == before


def _stand_in_restriction_issue(*, actor, enforcement_case, debtor, kind, reason, listing=None, on=None, **kwargs):
    restriction = Restriction.objects.create(
        kind=kind,
        enforcement_case=enforcement_case,
        debtor=debtor,
        listing=listing,
        reason=reason,
        issued_on=on or TODAY,
        issued_by=actor,
    )
    return restriction


@pytest.fixture(autouse=True)
def _restriction_issue_available(monkeypatch):
    """Helper C2 writes ``restriction_issue``; until it exists the approval calls this stand-in."""
    try:
        from credit.services.restrictions import restriction_issue  # noqa: F401
    except ImportError:
        module = types.ModuleType("credit.services.restrictions")
        module.restriction_issue = _stand_in_restriction_issue
        monkeypatch.setitem(sys.modules, "credit.services.restrictions", module)
    yield
