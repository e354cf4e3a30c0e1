"""Post-termination tracking end to end with a real Celery worker (queues "tracking" and "queries"), Redis and
PostgreSQL: a 终本 case whose debtor has since gained a bank deposit is found by the next tracking run
(dispatch → fan-out on the worker → the agency simulator answers through the API → evaluation on the worker),
the officer is alerted, and the case is restored with the deposit on the new 执恢 case."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory, TrackingOutcome, TrackingStatus
from assets.models import AgencyRequest, Asset, TrackingPlan, TrackingRun
from assets.services import tracking_dispatch_due, tracking_start
from assets.simulator import AgencySimulator, DjangoClientTransport
from cases.models import Notification
from enforcement.deadlines import add_months
from enforcement.services import case_restore
from tests.assets.builders import make_agency
from tests.assets.tracking_builders import terminated_case
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 60


@pytest.fixture
def worker(start_worker, settings):
    """`celery worker -Q tracking,queries`, pointed at the test database; yields the process."""
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    return start_worker("tracking,queries").process


def _wait_for(condition, what: str, worker) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline or worker.poll() is not None:
            output = worker.stdout.read() if worker.poll() is not None else ""
            raise AssertionError(f"{what} did not happen within {WAIT} s. {output[-2000:]}")
        time.sleep(0.2)


def test_a_debtor_who_gains_a_deposit_is_found_by_the_next_tracking_run_and_the_case_is_restored(worker):
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="officer-track")
    head = UserFactory(division_head=True, court=court, username="head-track")
    _agency, key = make_agency("icbc", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    debtor = PartyFactory(name="王强")
    today = timezone.localdate()
    closed_on = add_months(today, -6) - dt.timedelta(days=1)  # run 1 is due by now
    case = terminated_case(court, officer=officer, debtors=[debtor], closed_on=closed_on)
    plan = tracking_start(enforcement_case=case)

    assert tracking_dispatch_due()["dispatched"] == 1  # committed: the fan-out goes to the "tracking" queue
    run = TrackingRun.objects.select_related("batch").get(plan=plan)
    _wait_for(lambda: AgencyRequest.objects.filter(batch=run.batch).exists(), "the fan-out on the worker", worker)

    simulator = AgencySimulator(
        DjangoClientTransport(key), agency="icbc", seed=11, gains={(debtor.pk, AssetCategory.DEPOSIT)}
    )
    stats = simulator.poll_once()
    assert stats.requests_answered == 1 and not stats.errors

    def evaluated() -> bool:
        return TrackingRun.objects.get(pk=run.pk).outcome != TrackingOutcome.PENDING

    _wait_for(evaluated, "the evaluation on the worker", worker)
    run.refresh_from_db()
    assert run.outcome == TrackingOutcome.FOUND
    # The simulator decides from the request id how many accounts the debtor now has (one or more).
    deposits = list(Asset.objects.filter(case=case.case, category=AssetCategory.DEPOSIT).order_by("identifier"))
    assert deposits
    assert sorted(a["identifier"] for a in run.new_assets) == [d.identifier for d in deposits]
    assert run.applicant_notified_at is not None
    alert = Notification.objects.get(kind="tracking.property_found")
    assert (alert.recipient_user, alert.link) == (officer, f"/enforcement/{case.pk}/")
    assert Notification.objects.filter(kind="tracking.result", case=case.case).exists()

    new = case_restore(actor=head, enforcement_case=case, on=today, reason="终本后跟踪查询发现被执行人新存款")

    copies = Asset.objects.filter(case=new.case, category=AssetCategory.DEPOSIT).order_by("identifier")
    assert [(c.identifier, c.value, c.agency_id) for c in copies] == [
        (d.identifier, d.value, d.agency_id) for d in deposits
    ]
    plan.refresh_from_db()
    assert plan.status == TrackingStatus.RESTORED
    assert TrackingPlan.objects.get(pk=plan.pk).next_due_on is None
