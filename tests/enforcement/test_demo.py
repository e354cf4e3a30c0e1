"""The enforcement demo: every state of the lifecycle, real status changes and audit rows, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from core.models import AuditLog
from enforcement.choices import ClosingKind, ExtensionStatus, Status, Track
from enforcement.models import EnforcementCase, ExtensionRequest, Notice, StatusChange, Suspension

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


def test_the_demo_has_enforcement_cases_in_every_state_and_a_second_run_writes_nothing():
    output = seed()
    cases = EnforcementCase.objects.filter(case__court__code="京0105")
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    assert set(cases.filter(status=Status.CLOSED).values_list("closing_kind", flat=True)) == set(ClosingKind.values)
    # triaged, on both tracks; most cases with the demo officer, some with others
    assert not cases.filter(difficulty_score__isnull=True).exists()
    assert set(cases.values_list("track", flat=True)) == {Track.SIMPLE, Track.COMPLEX}
    per_officer = dict(cases.values_list("officer__username").annotate(n=Count("id")))
    assert per_officer["demo-officer"] > sum(n for name, n in per_officer.items() if name != "demo-officer") / 2
    assert {"demo-officer-b", "demo-judge"} <= set(per_officer)
    assert cases.filter(status=Status.FILED, officer__isnull=True).count() >= 5
    # lifecycle written through the services: a status change per step, audit rows, notices, suspensions
    for ec in cases.exclude(status=Status.FILED):
        assert ec.status_changes.filter(transition="assign").exists(), ec
    beyond = cases.exclude(status__in=[Status.FILED, Status.ASSIGNED])
    assert Notice.objects.filter(enforcement_case__in=beyond).exists()
    assert AuditLog.objects.filter(action="enforcement.assign").count() == cases.exclude(status=Status.FILED).count()
    open_suspensions = Suspension.objects.filter(ended_on__isnull=True, enforcement_case__in=cases)
    assert open_suspensions.count() == cases.filter(status=Status.SUSPENDED).count()
    assert Suspension.objects.filter(ended_on__isnull=False).exists()
    assert ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count() == 1
    # some open cases are past their deadline
    open_cases = cases.exclude(status__in=[Status.CLOSED, Status.SUSPENDED])
    assert any(ec.deadline_on < ec.case.filing_date.today() for ec in open_cases)
    assert "enforcement: 80 enforcement cases at 京0105" in output

    counts = (EnforcementCase.objects.count(), StatusChange.objects.count(), AuditLog.objects.count())
    assert "京0105 already seeded" in seed()
    assert (EnforcementCase.objects.count(), StatusChange.objects.count(), AuditLog.objects.count()) == counts
