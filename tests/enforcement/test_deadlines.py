"""Time limits: the 6-month (3-month) clock, suspension excluded from it, and the internal step deadlines of
法发〔2006〕35号."""

import datetime as dt

import pytest
from django.utils import timezone

from enforcement.choices import NoticeKind, ServiceMethod, Status, SuspensionGround
from enforcement.deadlines import (
    add_months,
    case_deadlines,
    compute_deadline,
    days_remaining,
    limit_months_for,
    projected_deadline,
)
from enforcement.models import Notice
from enforcement.services import case_resume, case_suspend, transition_apply
from tests.enforcement.builders import TODAY, case_in

# ---- pure arithmetic ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 15), 6, dt.date(2025, 7, 15)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2025, 10, 31), 3, dt.date(2026, 1, 31)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2025, 12, 31), 12, dt.date(2026, 12, 31)),
    ],
)
def test_months_end_on_the_corresponding_day_or_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_the_limit_is_three_months_for_non_litigation_enforcement_and_six_otherwise():
    assert (limit_months_for(non_litigation=True), limit_months_for(non_litigation=False)) == (3, 6)


def test_the_deadline_adds_the_limit_the_extension_and_the_days_of_ended_suspensions():
    filed = dt.date(2025, 1, 15)
    assert compute_deadline(filing_date=filed, limit_months=6) == dt.date(2025, 7, 15)
    assert compute_deadline(filing_date=filed, limit_months=6, extended_months=3) == dt.date(2025, 10, 15)
    assert compute_deadline(filing_date=filed, limit_months=6, suspended_days=20) == dt.date(2025, 8, 4)


def test_while_suspended_the_days_remaining_stand_still():
    deadline = dt.date(2025, 7, 15)
    assert days_remaining(deadline_on=deadline, today=dt.date(2025, 7, 1)) == 14
    frozen = {"deadline_on": deadline, "suspended_since": dt.date(2025, 6, 25)}
    assert days_remaining(today=dt.date(2025, 7, 1), **frozen) == 20
    assert days_remaining(today=dt.date(2025, 9, 1), **frozen) == 20
    assert projected_deadline(today=dt.date(2025, 7, 1), **frozen) == dt.date(2025, 7, 21)


# ---- through the services ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_twenty_day_suspension_moves_the_six_month_deadline_by_twenty_days(court, officer):
    ec = case_in(Status.INVESTIGATING, court, filing_date=TODAY - dt.timedelta(days=90))
    six_months = add_months(TODAY - dt.timedelta(days=90), 6)
    assert ec.deadline_on == six_months
    ec = case_suspend(
        actor=officer,
        enforcement_case=ec,
        ground=SuspensionGround.RETRIAL,
        reason="原判决进入再审",
        on=TODAY - dt.timedelta(days=20),
    )
    ec = case_resume(actor=officer, enforcement_case=ec, on=TODAY)
    assert ec.deadline_on == six_months + dt.timedelta(days=20)


@pytest.mark.django_db
def test_an_open_suspension_freezes_the_case_deadline_and_it_is_never_overdue(court, officer):
    filed = TODAY - dt.timedelta(days=200)
    ec = case_in(Status.INVESTIGATING, court, filing_date=filed)
    started = TODAY - dt.timedelta(days=30)
    ec = case_suspend(actor=officer, enforcement_case=ec, ground=SuspensionGround.OTHER, reason="x", on=started)
    conclude = case_deadlines(enforcement_case=ec)[-1]
    assert conclude.code == "conclude"
    assert conclude.due_on == add_months(filed, 6) + dt.timedelta(days=30)
    assert conclude.overdue is False
    later = case_deadlines(enforcement_case=ec, today=TODAY + dt.timedelta(days=10))[-1]
    assert later.due_on == conclude.due_on + dt.timedelta(days=10)


@pytest.mark.django_db
def test_the_step_deadlines_of_a_fresh_case(court):
    filed = TODAY - dt.timedelta(days=3)
    ec = case_in(Status.FILED, court, filing_date=filed)
    steps = {s.code: s for s in case_deadlines(enforcement_case=ec)}
    assert list(steps) == ["assign", "enforcement_notice", "investigation", "conclude"]
    assert (steps["assign"].name, steps["assign"].due_on, steps["assign"].done_on, steps["assign"].overdue) == (
        "Officer assigned",
        filed + dt.timedelta(days=7),
        None,
        False,
    )
    assert (steps["enforcement_notice"].due_on, steps["investigation"].due_on) == (None, None)
    assert steps["conclude"].due_on == add_months(filed, 6)


@pytest.mark.django_db
def test_an_officer_assigned_after_seven_days_is_shown_late(court, officer, division_head):
    filed = TODAY - dt.timedelta(days=10)
    ec = case_in(Status.FILED, court, filing_date=filed)
    ec = transition_apply(actor=division_head, enforcement_case=ec, transition="assign", officer=officer)
    assign = case_deadlines(enforcement_case=ec)[0]
    assert (assign.due_on, assign.done_on, assign.overdue) == (filed + dt.timedelta(days=7), TODAY, True)


@pytest.mark.django_db
def test_the_notice_is_due_three_days_after_assignment_and_done_when_every_debtor_has_it(court, officer, media_root):
    from django.core.files.base import ContentFile

    assigned_at = timezone.now() - dt.timedelta(days=5)
    ec = case_in(Status.ASSIGNED, court, officer=officer, assigned_at=assigned_at)
    notice_step = case_deadlines(enforcement_case=ec)[1]
    assigned_on = timezone.localdate(assigned_at)
    assert (notice_step.due_on, notice_step.done_on, notice_step.overdue) == (
        assigned_on + dt.timedelta(days=3),
        None,
        True,
    )
    debtor = ec.case.party_links.get(role="debtor").party
    notice = Notice(
        enforcement_case=ec,
        kind=NoticeKind.ENFORCEMENT_NOTICE,
        recipient=debtor,
        issued_on=assigned_on + dt.timedelta(days=2),
        issued_by=officer,
        service_method=ServiceMethod.POST,
        served_on=TODAY,
    )
    notice.file.save("n.docx", ContentFile(b"x"), save=False)
    notice.save()
    notice_step = case_deadlines(enforcement_case=ec)[1]
    assert (notice_step.done_on, notice_step.overdue) == (assigned_on + dt.timedelta(days=2), False)


@pytest.mark.django_db
def test_the_investigation_is_due_a_month_after_notification_and_done_when_control_starts(court, officer):
    ec = case_in(Status.NOTIFIED, court, officer=officer)
    # The timeline's "notified" row is what starts the investigation month.
    from enforcement.services.lifecycle import record_status_change

    record_status_change(
        actor=officer, enforcement_case=ec, transition="notify", from_status="assigned", to_status="notified"
    )
    ec = transition_apply(actor=officer, enforcement_case=ec, transition="start_investigation")
    investigation = case_deadlines(enforcement_case=ec)[2]
    assert (investigation.due_on, investigation.done_on, investigation.overdue) == (add_months(TODAY, 1), None, False)
    ec = transition_apply(actor=officer, enforcement_case=ec, transition="start_control")
    assert case_deadlines(enforcement_case=ec)[2].done_on == TODAY
