"""The case-list serializer builds its rows by hand for speed: its JSON is exactly what DRF makes of the declared
fields, for every shape a case can take (no officer, closed, restored, suspended, people and companies)."""

import datetime as dt

from django.test import RequestFactory
from django.utils import timezone

from enforcement.choices import Status, Track
from enforcement.models import EnforcementCase
from enforcement.selectors import enforcement_case_detail, enforcement_case_list
from enforcement.serializers import EnforcementCaseDetailSerializer, EnforcementCaseSerializer
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory


def test_the_hand_built_row_is_the_declared_fields_json_for_every_shape_of_case(officer, court):
    filed = case_in(Status.FILED, court, amount="0.50")
    working = case_in(
        Status.CONTROLLING,
        court,
        officer=officer,
        debtors=[PartyFactory(), PartyFactory(organisation=True)],
        amount="123456789.99",
        track=Track.COMPLEX,
        difficulty_score=71,
        performed_amount="1000.05",
        assigned_at=timezone.now() - dt.timedelta(days=3, microseconds=17),
    )
    suspended = case_in(Status.SUSPENDED, court, officer=officer, extended_months=3, suspended_days=12)
    closed = case_in(Status.CLOSED, court, officer=officer, closed_on=TODAY - dt.timedelta(days=1))
    restored = case_in(Status.ASSIGNED, court, officer=officer, restored_from=closed)
    EnforcementCase.objects.filter(pk=restored.pk).update(deadline_on=None)
    serializer = EnforcementCaseSerializer(context={"request": RequestFactory().get("/")})
    rows = list(enforcement_case_list(user=officer))
    assert {row.pk for row in rows} == {filed.pk, working.pk, suspended.pk, closed.pk, restored.pk}
    for row in rows:
        assert serializer.to_representation(row) == serializer.declared_representation(row)
    # the list API's path: the same rows from plain values, without model instances
    pages = enforcement_case_list(user=officer).prefetch_related(None).values(*EnforcementCaseSerializer.VALUES)
    assert {r["id"]: r for r in EnforcementCaseSerializer.rows(list(pages))} == {
        row.pk: serializer.declared_representation(row) for row in rows
    }
    by_id = {row.pk: serializer.to_representation(row) for row in rows}
    assert by_id[working.pk]["amount"] == "123456789.99" and by_id[working.pk]["performed_amount"] == "1000.05"
    assert by_id[restored.pk]["restored_from"] == closed.pk and by_id[restored.pk]["deadline_on"] is None
    assert by_id[filed.pk]["officer"] is None
    assert [p["party"]["kind"] for p in by_id[working.pk]["parties"]] == ["person", "person", "organisation"]


def test_the_detail_serializer_keeps_drfs_own_path_with_its_extra_fields(officer, court):
    case = enforcement_case_detail(user=officer, pk=case_in(Status.INVESTIGATING, court, officer=officer).pk)
    data = EnforcementCaseDetailSerializer(case).data
    assert data["number"] == case.case.number
    assert {"late_application_reason", "deadlines", "timeline", "notices", "days_remaining"} <= set(data)


def test_a_page_of_the_case_list_api_costs_the_same_queries_whatever_its_size(api_as, officer, court):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client = api_as(officer)
        client.get("/api/v1/enforcement-cases/")  # the session and the user, loaded once
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/enforcement-cases/?ordering=deadline_on").status_code == 200
        return len(captured)

    case_in(Status.INVESTIGATING, court, officer=officer)
    one = queries()
    for _ in range(12):
        case_in(Status.INVESTIGATING, court, officer=officer, debtors=[PartyFactory(), PartyFactory()])
    assert queries() == one
