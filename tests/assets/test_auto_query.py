"""Serving the notices starts the network asset query by itself (issue 4, item 3)."""

import pytest

from assets.models import AgencyRequest, QueryBatch
from enforcement.choices import NoticeKind, ServiceMethod, Status
from tests.enforcement.builders import TODAY, case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned_case(court, officer, debtors, agencies):
    return case_in(Status.ASSIGNED, court, debtors=debtors, officer=officer)


def serve_both_notices(officer, enforcement_case, debtors):
    from enforcement.services import notice_issue

    for debtor in debtors:
        for kind in (NoticeKind.ENFORCEMENT_NOTICE, NoticeKind.PROPERTY_REPORT_ORDER):
            notice_issue(
                actor=officer, enforcement_case=enforcement_case, kind=kind, recipient_id=debtor.pk,
                service_method=ServiceMethod.IN_PERSON, served_on=TODAY,
            )  # fmt: skip


def test_serving_the_notices_orders_a_query_over_every_category_for_every_debtor(
    assigned_case, officer, debtors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        serve_both_notices(officer, assigned_case, debtors)

    assigned_case.refresh_from_db()
    batch = QueryBatch.objects.get(enforcement_case=assigned_case)
    assert assigned_case.status == Status.NOTIFIED
    assert batch.ordered_by == officer
    assert sorted(batch.debtors.values_list("pk", flat=True)) == sorted(d.pk for d in debtors)
    assert AgencyRequest.objects.filter(batch=batch).count() >= 1


def test_the_automatic_query_can_be_switched_off(
    assigned_case, officer, debtors, settings, django_capture_on_commit_callbacks
):
    settings.ZHIXING_AUTO_QUERY_AFTER_NOTICES = False
    with django_capture_on_commit_callbacks(execute=True):
        serve_both_notices(officer, assigned_case, debtors)
    assert not QueryBatch.objects.filter(enforcement_case=assigned_case).exists()


def test_a_refused_automatic_query_is_logged_and_leaves_the_served_notices_in_place(
    assigned_case, officer, debtors, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from core.exceptions import RuleViolation

    def refuse(**kwargs):
        raise RuleViolation("refused for the test", code="query.test")

    monkeypatch.setattr("assets.services.query_order", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        serve_both_notices(officer, assigned_case, debtors)

    assigned_case.refresh_from_db()
    assert assigned_case.status == Status.NOTIFIED
    assert assigned_case.notices.count() == 2 * len(debtors)
    assert not QueryBatch.objects.filter(enforcement_case=assigned_case).exists()
    assert "automatic asset query" in caplog.text and "refused for the test" in caplog.text
