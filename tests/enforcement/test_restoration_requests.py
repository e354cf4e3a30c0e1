"""The applicant's restoration request (终本规定 2016 art. 9): recording it (its rules, the officer told, the
property-lead signal on commit), deciding it (accept restores the case, refuse needs a note, the applicant
told), the panel on the case page and the API."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.choices import CaseType, NotificationChannel, PartyRole
from cases.models import Notification
from core.exceptions import PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement import signals
from enforcement.choices import ClosingKind, RestorationRequestStatus, Status
from enforcement.models import EnforcementCase, RestorationRequest
from enforcement.services import case_restore
from enforcement.services.restoration_requests import restoration_request_decide, restoration_request_record
from tests.enforcement.builders import TODAY, case_in, nothing_written
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

LEAD = "被执行人名下新登记车辆京A12345"


def terminated(court, officer=None, **fields):
    fields.setdefault("closed_on", TODAY - dt.timedelta(days=30))
    return case_in(
        Status.CLOSED,
        court,
        filing_date=TODAY - dt.timedelta(days=200),
        closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
        officer=officer,
        **fields,
    )


def creditor_of(ec):
    return ec.case.party_links.get(role=PartyRole.CREDITOR).party


def record(actor, ec, **overrides):
    kwargs = {"applicant_id": creditor_of(ec).pk, "lead": LEAD, "received_on": TODAY}
    kwargs.update(overrides)
    return restoration_request_record(actor=actor, enforcement_case=ec, **kwargs)


@pytest.fixture
def lead_signals():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    signals.property_lead_received.connect(receiver)
    yield received
    signals.property_lead_received.disconnect(receiver)


def refused(code, fn, *args, exc_type=RuleViolation, **kwargs):
    requests_before = RestorationRequest.objects.count()
    notifications_before = Notification.objects.count()
    with nothing_written(), pytest.raises(exc_type) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code
    assert RestorationRequest.objects.count() == requests_before
    assert Notification.objects.count() == notifications_before
    return caught.value


# ---- recording -----------------------------------------------------------------------------------------------------


def test_a_clerk_records_the_request_and_the_officer_is_told(
    court, clerk, officer, lead_signals, django_capture_on_commit_callbacks
):
    ec = terminated(court, officer)
    with django_capture_on_commit_callbacks(execute=True):
        request = record(clerk, ec)
    assert (request.enforcement_case, request.applicant, request.lead, request.received_on) == (
        ec,
        creditor_of(ec),
        LEAD,
        TODAY,
    )
    assert (request.status, request.recorded_by) == (RestorationRequestStatus.PENDING, clerk)
    note = Notification.objects.get(kind="restoration.requested")
    assert (note.recipient_user, note.channel, note.case) == (officer, NotificationChannel.IN_APP, ec.case)
    assert note.link == f"/enforcement/{ec.pk}/"
    assert LEAD in note.body
    assert lead_signals == [{"signal": signals.property_lead_received, "enforcement_case": ec, "on": TODAY}]
    assert AuditLog.objects.get(action="restoration.request").object_id == str(request.pk)


def test_an_officer_may_record_a_request_too(court, officer):
    assert record(officer, terminated(court, officer)).recorded_by == officer


def test_the_lead_signal_is_not_sent_when_the_transaction_rolls_back(
    court, clerk, lead_signals, django_capture_on_commit_callbacks
):
    ec = terminated(court)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record(clerk, ec)
    assert lead_signals == []
    assert len(callbacks) == 1


def test_a_request_on_a_case_that_is_not_terminated_is_refused(court, clerk):
    completed = case_in(Status.CLOSED, court, closing_kind=ClosingKind.COMPLETED, closed_on=TODAY)
    error = refused("restore.not_terminated_this_round", record, clerk, completed)
    assert error.message == (
        "Only a case whose enforcement was terminated for this round (终本) can be restored (终本规定 art. 9)."
    )
    refused("restore.not_terminated_this_round", record, clerk, case_in(Status.INVESTIGATING, court))


def test_a_request_on_a_case_already_restored_is_refused(court, clerk):
    ec = terminated(court)
    new = case_restore(actor=clerk, enforcement_case=ec, on=TODAY, reason="发现财产")
    error = refused("restore.already_restored", record, clerk, ec)
    assert error.message == f"This case has already been restored as {new.case.number}."


def test_only_a_creditor_of_the_case_may_ask(court, clerk):
    ec = terminated(court)
    debtor = ec.case.party_links.get(role=PartyRole.DEBTOR).party
    for party in (debtor, PartyFactory()):
        error = refused("restoration.not_a_creditor", record, clerk, ec, applicant_id=party.pk)
    assert error.message == "Only an applicant for enforcement (申请执行人) of the case may ask to restore it."


def test_the_lead_is_required(court, clerk):
    error = refused("restoration.lead_required", record, clerk, terminated(court), lead="   ")
    assert error.message == "Give the property lead the applicant supplied (终本规定 art. 9)."


def test_the_day_received_is_neither_in_the_future_nor_before_the_closing(court, clerk):
    ec = terminated(court)
    error = refused("restoration.date_in_future", record, clerk, ec, received_on=TODAY + dt.timedelta(days=1))
    assert error.message == "The date cannot be in the future."
    error = refused(
        "restoration.date_before_closing", record, clerk, ec, received_on=ec.closed_on - dt.timedelta(days=1)
    )
    assert error.message == f"The request cannot be received before the case was closed ({ec.closed_on})."


def test_the_request_may_come_years_after_the_closing(court, clerk):
    ec = terminated(court, closed_on=TODAY - dt.timedelta(days=4 * 365))
    assert record(clerk, ec).received_on == TODAY


def test_who_may_record_and_where(court, other_court, other_clerk):
    ec = terminated(court)
    refused(
        "capability.enforcement.file",
        record,
        UserFactory(court_admin=True, court=court, username="admin"),
        ec,
        exc_type=PermissionDenied,
    )
    with pytest.raises(Exception) as caught:
        record(other_clerk, ec)
    assert getattr(caught.value, "code", "") == "not_found"


# ---- deciding ------------------------------------------------------------------------------------------------------


def test_accepting_restores_the_case_and_tells_the_applicant(court, clerk, officer, django_capture_on_commit_callbacks):
    ec = terminated(court, officer, performed_amount=Decimal("40000.00"))
    request = record(officer, ec)
    with django_capture_on_commit_callbacks(execute=True):
        decided = restoration_request_decide(actor=clerk, request=request, accept=True, note="线索核查属实")
    decided.refresh_from_db()
    new = decided.restored_as
    assert (decided.status, decided.decided_by, decided.decision_note) == (
        RestorationRequestStatus.ACCEPTED,
        clerk,
        "线索核查属实",
    )
    assert (new.restored_from, new.case.case_type, new.case.amount) == (
        ec,
        CaseType.ENFORCEMENT_RESTORED,
        Decimal("60000.00"),
    )
    assert LEAD in new.status_changes.get(transition="file").reason
    told = Notification.objects.get(kind="restoration.decided")
    assert (told.recipient_party, told.channel, told.status) == (creditor_of(ec), NotificationChannel.SMS, "sent")
    assert new.case.number in told.body
    assert AuditLog.objects.get(action="restoration.decide").changes["restored_as"] == new.case.number


def test_refusing_needs_a_note_and_tells_the_applicant(court, clerk):
    ec = terminated(court)
    request = record(clerk, ec)
    error = refused("restoration.note_required", restoration_request_decide, actor=clerk, request=request, accept=False)
    assert error.message == "Give the reason for refusing the request (the lead was checked and found not true)."
    decided = restoration_request_decide(actor=clerk, request=request, accept=False, note="车辆登记在案外人名下")
    assert (decided.status, decided.restored_as) == (RestorationRequestStatus.REFUSED, None)
    assert not EnforcementCase.objects.filter(restored_from=ec).exists()
    assert "车辆登记在案外人名下" in Notification.objects.get(kind="restoration.decided").body


def test_a_decided_request_is_not_decided_again(court, clerk):
    request = record(clerk, terminated(court))
    restoration_request_decide(actor=clerk, request=request, accept=False, note="不属实")
    error = refused(
        "restoration.already_decided", restoration_request_decide, actor=clerk, request=request, accept=True
    )
    assert error.message == "This request was already decided (Refused)."


def test_only_who_may_restore_decides(court, officer):
    request = record(officer, terminated(court))
    auditor = UserFactory(auditor=True, court=court, username="auditor-0105")
    refused(
        "capability.enforcement.restore",
        restoration_request_decide,
        actor=auditor,
        request=request,
        accept=True,
        exc_type=PermissionDenied,
    )


def test_accepting_runs_the_rules_of_restoration(court, clerk):
    ec = terminated(court)
    first, second = record(clerk, ec), record(clerk, ec)
    restoration_request_decide(actor=clerk, request=first, accept=True)
    error = refused("restore.already_restored", restoration_request_decide, actor=clerk, request=second, accept=True)
    assert error.message.startswith("This case has already been restored as")
    second.refresh_from_db()
    assert second.status == RestorationRequestStatus.PENDING


# ---- the case page -------------------------------------------------------------------------------------------------


def detail(ec):
    return f"/enforcement/{ec.pk}/"


def test_the_panel_offers_the_record_form_on_a_terminated_case(client_as, court, clerk):
    ec = terminated(court)
    html = client_as(clerk).get(detail(ec)).content.decode()
    assert "Restoration requests" in html
    assert f"/enforcement/{ec.pk}/restoration-requests/" in html
    open_case = case_in(Status.INVESTIGATING, court)
    assert "Restoration requests" not in client_as(clerk).get(detail(open_case)).content.decode()


def test_recording_from_the_page(client_as, court, clerk):
    ec = terminated(court)
    response = client_as(clerk).post(
        f"/enforcement/{ec.pk}/restoration-requests/",
        {"applicant": creditor_of(ec).pk, "lead": LEAD, "received_on": TODAY.isoformat()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RestorationRequest.objects.get().lead == LEAD
    html = client_as(clerk).get(detail(ec)).content.decode()
    assert LEAD in html and "Accept and restore" in html


def test_a_refused_recording_shows_the_rule_and_keeps_the_form_open(client_as, court, clerk):
    ec = terminated(court)
    response = client_as(clerk).post(
        f"/enforcement/{ec.pk}/restoration-requests/",
        {"applicant": creditor_of(ec).pk, "lead": "  ", "received_on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert response.context["open_form"] == "restoration_record"
    assert not RestorationRequest.objects.exists()
    debtor = ec.case.party_links.get(role=PartyRole.DEBTOR).party
    response = client_as(clerk).post(
        f"/enforcement/{ec.pk}/restoration-requests/",
        {"applicant": debtor.pk, "lead": LEAD, "received_on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert (
        "Only an applicant for enforcement (申请执行人) of the case may ask to restore it." in response.content.decode()
    )


def test_accepting_from_the_page_opens_the_restored_case(client_as, court, clerk):
    ec = terminated(court)
    request = record(clerk, ec)
    response = client_as(clerk).post(
        f"/enforcement/{ec.pk}/restoration-requests/decide/",
        {"request": request.pk, "decision": "accept", "note": "", "on": TODAY.isoformat()},
    )
    request.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/enforcement/{request.restored_as.pk}/"
    html = client_as(clerk).get(detail(ec)).content.decode()
    assert request.restored_as.case.number in html
    assert "Accept and restore" not in html and "Record the applicant" not in html


def test_refusing_from_the_page_without_a_note_is_refused_with_the_rule(client_as, court, clerk):
    ec = terminated(court)
    request = record(clerk, ec)
    response = client_as(clerk).post(
        f"/enforcement/{ec.pk}/restoration-requests/decide/", {"request": request.pk, "decision": "refuse"}
    )
    assert response.status_code == 400
    assert "Give the reason for refusing the request" in response.content.decode()
    assert response.context["restoration_failed_request"] == request.pk
    request.refresh_from_db()
    assert request.status == RestorationRequestStatus.PENDING


def test_the_pages_answer_404_for_a_case_of_another_court(client_as, court, other_clerk):
    ec = terminated(court)
    response = client_as(other_clerk).post(
        f"/enforcement/{ec.pk}/restoration-requests/",
        {"applicant": creditor_of(ec).pk, "lead": LEAD, "received_on": TODAY.isoformat()},
    )
    assert response.status_code == 404
    assert not RestorationRequest.objects.exists()


# ---- API -----------------------------------------------------------------------------------------------------------


def test_the_api_records_lists_and_decides(api_as, court, clerk):
    ec = terminated(court)
    url = f"/api/v1/enforcement-cases/{ec.pk}/restoration-requests/"
    api = api_as(clerk)
    response = api.post(
        url, {"applicant": creditor_of(ec).pk, "lead": LEAD, "received_on": TODAY.isoformat()}, format="json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["lead"], created["applicant_name"]) == ("pending", LEAD, creditor_of(ec).name)
    assert [row["id"] for row in api.get(url).json()] == [created["id"]]
    response = api.post(f"/api/v1/restoration-requests/{created['id']}/decide/", {"accept": True}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "accepted"
    assert body["restored_as_number"] == EnforcementCase.objects.get(restored_from=ec).case.number


def test_the_api_refuses_with_the_rule_and_writes_nothing(api_as, court, clerk):
    ec = terminated(court)
    url = f"/api/v1/enforcement-cases/{ec.pk}/restoration-requests/"
    with nothing_written():
        response = api_as(clerk).post(
            url, {"applicant": creditor_of(ec).pk, "lead": "", "received_on": TODAY.isoformat()}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["code"] == "restoration.lead_required"
    assert not RestorationRequest.objects.exists()
    request = record(clerk, ec)
    response = api_as(clerk).post(
        f"/api/v1/restoration-requests/{request.pk}/decide/", {"accept": False, "note": ""}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "restoration.note_required")


def test_the_api_hides_another_courts_requests(api_as, court, clerk, other_clerk):
    ec = terminated(court)
    request = record(clerk, ec)
    api = api_as(other_clerk)
    assert api.get(f"/api/v1/enforcement-cases/{ec.pk}/restoration-requests/").status_code == 404
    response = api.post(f"/api/v1/restoration-requests/{request.pk}/decide/", {"accept": True}, format="json")
    assert response.status_code == 404
