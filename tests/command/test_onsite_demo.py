"""The on-site demo data (command.demo): risk notes on demo debtors and on-site tasks for demo-officer at 京0105 and
demo-officer2 at 京0108, through the services, once (a second seed_demo adds nothing)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from command import demo
from command.models import OnSiteTask, RiskNote
from core.models import AuditLog


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, PASSWORD_HASHERS=hashers, MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestTheOnSiteDemo:
    def test_demo_debtors_carry_risk_notes_for_violence_dogs_and_a_crowd(self):
        notes = RiskNote.objects.filter(withdrawn_at__isnull=True, recorded_by__username="demo-officer")
        assert sorted(notes.values_list("kind", flat=True)) == ["crowd", "dog", "violence"]
        assert all(note.note for note in notes)
        assert AuditLog.objects.filter(action="command.risk_record").count() == 3

    def test_demo_officer_has_tasks_planned_today_and_this_week_and_done_with_outcomes(self):
        now = timezone.now()
        tasks = OnSiteTask.objects.filter(case__case__court__code="京0105")
        planned = tasks.filter(status="planned").order_by("scheduled_at")
        assert planned.count() == 3
        assert all(now < t.scheduled_at <= now + dt.timedelta(days=7) for t in planned)
        assert planned[0].scheduled_at <= now + dt.timedelta(hours=3)  # the next one is within hours
        done = tasks.filter(status="done")
        assert done.count() == 3
        assert sorted(done.values_list("outcome", flat=True)) == ["absent", "completed", "obstructed"]
        assert all(t.outcome_notes and t.completed_at < now for t in done)
        assert tasks.filter(status="cancelled").count() == 1
        assert all(t.officers.filter(username="demo-officer").exists() for t in tasks)
        # the planned tasks go to the debtors whose risks the officers must know
        risky = {n.party_id for n in RiskNote.objects.filter(kind__in=["violence", "dog"])}
        debtors = {link.party_id for t in planned for link in t.case.case.party_links.filter(role="debtor")}
        assert risky <= debtors

    def test_demo_officer2_has_a_task_planned_and_one_done_at_their_court(self):
        tasks = OnSiteTask.objects.filter(officers__username="demo-officer2")
        assert sorted(tasks.values_list("status", flat=True)) == ["done", "planned"]
        assert set(tasks.values_list("case__case__court__code", flat=True)) == {"京0108"}

    def test_the_marker_records_the_counts_and_a_second_run_adds_nothing(self, seeded):
        marker = AuditLog.objects.get(action=demo.SEEDED)
        assert marker.changes["京0105"] == {"risk_notes": 3, "planned": 3, "done": 3, "cancelled": 1}
        assert marker.changes["京0108"] == {"planned": 1, "done": 1}
        assert "3 risk notes and 3 planned, 3 done, 1 cancelled" in seeded
        counts = (OnSiteTask.objects.count(), RiskNote.objects.count(), AuditLog.objects.count())
        out = StringIO()
        demo.seed(demo.DemoContext(today=timezone.localdate(), stdout=out))
        assert "already seeded" in out.getvalue()
        assert (OnSiteTask.objects.count(), RiskNote.objects.count(), AuditLog.objects.count()) == counts
