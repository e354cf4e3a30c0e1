"""Tracking pages and API: the case partial (plan, runs, the art. 10(4) flag, the call to restore when property
was found), the court's list with filters and export, the read-only API; all scoped to the user's court."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.choices import AssetCategory, TrackingStatus
from assets.models import TrackingPlan
from assets.services import tracking_start
from tests.assets.tracking_builders import answer, deposit, dispatch, terminated_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def api_as(api_client):
    """``api_as(user)``: the API client with ``user``'s session."""

    def login(user):
        api_client.force_login(user)
        return api_client

    return login


@pytest.fixture
def plan(court, officer, debtors, bank):
    return tracking_start(enforcement_case=terminated_case(court, officer=officer, debtors=debtors))


@pytest.fixture
def found_plan(plan, debtors, capture):
    dispatch(capture, on=dt.date(2026, 7, 15))
    answer(
        capture, plan.runs.get().batch, found={(debtors[0].pk, AssetCategory.DEPOSIT): [deposit("6222000099998888777")]}
    )
    plan.refresh_from_db()
    return plan


def _partial(client, plan):
    return client.get(reverse("assets:case-tracking", args=[plan.enforcement_case_id]))


def test_the_case_partial_shows_the_plan_and_its_next_due_date(client_as, officer, plan):
    response = _partial(client_as(officer), plan)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Post-termination tracking (终本后跟踪)" in html
    assert "2026-07-15" in html and "2026-01-15 – 2031-01-15" in html
    assert "No tracking query has been sent yet." in html


def test_the_case_partial_shows_the_runs_and_a_one_step_restore_when_property_was_found(client_as, court, found_plan):
    head = UserFactory(division_head=True, court=court, username="head-tracking")
    html = _partial(client_as(head), found_plan).content.decode()
    assert "Tracking query 1 found new property of the debtor." in html
    assert "Bank deposit" in html and "6222000099998888777" in html
    restore = reverse("enforcement:case-restore", args=[found_plan.enforcement_case_id])
    assert f'action="{restore}"' in html
    assert "Post-termination tracking query 1 found new property of the debtor." in html


def test_the_case_officer_is_offered_the_one_step_restore(client_as, officer, found_plan):
    html = _partial(client_as(officer), found_plan).content.decode()
    assert reverse("enforcement:case-restore", args=[found_plan.enforcement_case_id]) in html


def test_staff_without_the_restore_capability_are_told_who_restores(client_as, court, found_plan):
    admin = UserFactory(court_admin=True, court=court, username="admin-no-restore")
    html = _partial(client_as(admin), found_plan).content.decode()
    assert "The case officer, a clerk or the division head restores enforcement (恢复执行)" in html
    assert reverse("enforcement:case-restore", args=[found_plan.enforcement_case_id]) not in html


def test_the_one_step_restore_from_the_partial_files_the_new_case_with_the_found_deposit(
    client_as, court, found_plan, capture
):
    head = UserFactory(division_head=True, court=court, username="head-one-step")
    client = client_as(head)
    html = _partial(client, found_plan).content.decode()
    reason = "Post-termination tracking query 1 found new property of the debtor."
    assert f'name="reason" value="{reason}"' in html
    with capture(execute=True):
        response = client.post(
            reverse("enforcement:case-restore", args=[found_plan.enforcement_case_id]),
            {"reason": reason, "on": timezone.localdate().isoformat()},
        )
    assert response.status_code == 302
    found_plan.refresh_from_db()
    assert found_plan.status == TrackingStatus.RESTORED
    new_case = found_plan.enforcement_case.restorations.get()
    assert response.url == reverse("enforcement:detail", args=[new_case.pk])
    assert new_case.case.assets.filter(identifier="6222000099998888777").exists()


def test_the_tracking_admin_pages_open(client_as, found_plan):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = client_as(admin)
    for url in (
        reverse("admin:assets_trackingplan_changelist"),
        reverse("admin:assets_trackingplan_change", args=[found_plan.pk]),
        reverse("admin:assets_trackingrun_changelist"),
        reverse("admin:assets_agency_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_case_partial_shows_the_deletion_flag(client_as, officer, plan):
    TrackingPlan.objects.filter(pk=plan.pk).update(empty_runs=2, delisting_flagged_at="2027-01-16T04:00:00Z")
    html = _partial(client_as(officer), plan).content.decode()
    assert "Flagged" in html and "Two or more empty queries and no lead (失信规定 art. 10(4))." in html


def test_the_case_partial_of_another_court_is_not_found(client_as, other_officer, plan):
    assert _partial(client_as(other_officer), plan).status_code == 404


def test_the_tracking_list_shows_the_court_plans_only(client_as, officer, other_court, plan):
    tracking_start(enforcement_case=terminated_case(other_court))
    response = client_as(officer).get(reverse("assets:tracking-list"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["plans"]] == [plan.pk]


def test_the_tracking_list_filters_by_flag_found_property_status_and_due_date(client_as, officer, court, found_plan):
    other = tracking_start(enforcement_case=terminated_case(court))
    today = timezone.localdate()
    TrackingPlan.objects.filter(pk=other.pk).update(delisting_flagged_at="2027-01-16T04:00:00Z", next_due_on=today)
    TrackingPlan.objects.filter(pk=found_plan.pk).update(next_due_on=today + dt.timedelta(days=100))
    client = client_as(officer)

    def listed(**query):
        return [p.pk for p in client.get(reverse("assets:tracking-list"), query).context["plans"]]

    assert listed(flagged="true") == [other.pk]
    assert listed(flagged="false") == [found_plan.pk]
    assert listed(found="true") == [found_plan.pk]
    assert listed(status=TrackingStatus.ENDED) == []
    assert listed(due_within="0") == [other.pk]
    assert listed(due_within="100") == [other.pk, found_plan.pk]
    assert sorted(listed(ordering="-runs_done")) == sorted([found_plan.pk, other.pk])
    assert listed(ordering="-runs_done")[0] == found_plan.pk


def test_the_tracking_list_exports_csv(client_as, officer, found_plan):
    response = client_as(officer).get(reverse("assets:tracking-list"), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Case number" in body.splitlines()[0]
    assert found_plan.enforcement_case.case.number in body


def test_the_tracking_list_needs_the_assets_view_capability(client_as, court):
    agency_client = UserFactory(agency=True, username="client-x")
    assert client_as(agency_client).get(reverse("assets:tracking-list")).status_code in (403, 404)


def test_the_api_lists_the_court_plans_with_filters(api_as, officer, other_court, found_plan):
    tracking_start(enforcement_case=terminated_case(other_court))
    response = api_as(officer).get("/api/v1/tracking-plans/")
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["results"]] == [found_plan.pk]
    row = body["results"][0]
    assert (row["status"], row["runs_done"], row["found_property"], row["next_due_on"]) == (
        "active",
        1,
        True,
        "2027-01-15",
    )
    assert api_as(officer).get("/api/v1/tracking-plans/", {"flagged": "true"}).json()["results"] == []
    assert api_as(officer).get("/api/v1/tracking-plans/", {"due_before": "2026-12-31"}).json()["results"] == []
    assert len(api_as(officer).get("/api/v1/tracking-plans/", {"status": "active"}).json()["results"]) == 1


def test_the_api_shows_one_plan_with_its_runs_and_hides_other_courts(api_as, officer, other_officer, found_plan):
    response = api_as(officer).get(f"/api/v1/tracking-plans/{found_plan.pk}/")
    assert response.status_code == 200
    run = response.json()["runs"][0]
    assert (run["number"], run["due_on"], run["outcome"]) == (1, "2026-07-15", "found")
    assert run["new_assets"] == [
        {"category": "deposit", "identifier": "6222000099998888777", "description": "活期", "value": "52000.00"}
    ]
    assert api_as(other_officer).get(f"/api/v1/tracking-plans/{found_plan.pk}/").status_code == 404
    assert api_as(officer).get("/api/v1/tracking-plans/999999/").status_code == 404


def _list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("assets:tracking-list")).status_code == 200
        assert client.get("/api/v1/tracking-plans/").status_code == 200
    return len(queries)


def test_the_tracking_list_query_count_does_not_grow_with_the_rows(client_as, officer, court, plan):
    client = client_as(officer)
    few = _list_queries(client)
    for _ in range(8):
        tracking_start(enforcement_case=terminated_case(court, officer=officer))
    assert _list_queries(client) == few
