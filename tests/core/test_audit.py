"""The audit log: one row per write and per staff read of personal data, and never changed afterwards."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from core.audit import audit_record
from core.context import client_ip_var, request_id_var
from core.exceptions import PermissionDenied
from core.models import AuditLog
from core.selectors import audit_list
from tests.factories import CaseFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

APPEND_ONLY = "The audit log is append-only."


def test_audit_record_names_the_actor_the_court_and_the_object(officer):
    case = CaseFactory(court=officer.court)
    entry = audit_record(actor=officer, action="case.touch", obj=case, reason="checking", changes={"a": 1})
    entry.refresh_from_db()
    assert entry.actor == officer
    assert entry.actor_name == officer.username
    assert entry.court == case.court
    assert entry.action == "case.touch"
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("cases.case", str(case.pk), case.number)
    assert entry.reason == "checking"
    assert entry.changes == {"a": 1}


def test_an_object_without_a_court_is_filed_under_the_actors_court(officer):
    party = PartyFactory()
    entry = audit_record(actor=officer, action="party.register", obj=party)
    assert entry.court_id == officer.court_id
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("cases.party", str(party.pk), party.name)


def test_a_row_without_an_object_leaves_the_object_columns_blank(officer):
    entry = audit_record(actor=officer, action="session.look")
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("", "", "")
    assert entry.court_id == officer.court_id


def test_a_write_without_an_actor_is_recorded_as_the_system(court):
    entry = audit_record(actor=None, action="task.run", obj=court)
    assert entry.actor is None
    assert entry.actor_name == "system"


def test_the_request_id_and_client_ip_of_the_context_land_in_the_row(officer):
    id_token, ip_token = request_id_var.set("req-42"), client_ip_var.set("10.0.0.7")
    try:
        entry = audit_record(actor=officer, action="case.touch")
    finally:
        request_id_var.reset(id_token)
        client_ip_var.reset(ip_token)
    entry.refresh_from_db()
    assert entry.request_id == "req-42"
    assert entry.ip_address == "10.0.0.7"


def test_saving_an_existing_audit_row_again_is_refused(officer):
    entry = audit_record(actor=officer, action="case.touch", reason="original")
    entry.reason = "rewritten"
    with pytest.raises(ValidationError) as caught:
        entry.save()
    assert caught.value.messages == [APPEND_ONLY]
    assert AuditLog.objects.get(pk=entry.pk).reason == "original"


def test_deleting_an_audit_row_is_refused(officer):
    entry = audit_record(actor=officer, action="case.touch")
    with pytest.raises(ValidationError) as caught:
        entry.delete()
    assert caught.value.messages == [APPEND_ONLY]
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_updating_audit_rows_through_a_queryset_is_refused(officer):
    entry = audit_record(actor=officer, action="case.touch", reason="original")
    with pytest.raises(ValidationError):
        AuditLog.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(ValidationError):
        AuditLog.objects.update(reason="rewritten")
    assert AuditLog.objects.get(pk=entry.pk).reason == "original"


def test_deleting_audit_rows_through_a_queryset_is_refused(officer):
    audit_record(actor=officer, action="case.touch")
    with pytest.raises(ValidationError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.count() == 1


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_update_of_an_audit_row(officer):
    entry = audit_record(actor=officer, action="case.touch", reason="original")
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET reason = %s WHERE id = %s", ["rewritten", entry.pk])
    assert "append-only" in str(caught.value)
    assert AuditLog.objects.get(pk=entry.pk).reason == "original"


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_delete_of_an_audit_row(officer):
    entry = audit_record(actor=officer, action="case.touch")
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [entry.pk])
    assert "append-only" in str(caught.value)
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_an_auditor_lists_the_rows_of_their_own_court_only(officer, other_officer):
    mine = audit_record(actor=officer, action="case.touch")
    audit_record(actor=other_officer, action="case.touch")
    auditor = UserFactory(auditor=True, court=officer.court)
    assert list(audit_list(user=auditor)) == [mine]


def test_a_superuser_lists_every_courts_rows(officer, other_officer, superuser):
    audit_record(actor=officer, action="case.touch")
    audit_record(actor=other_officer, action="case.touch")
    assert audit_list(user=superuser).count() == 2


def test_an_officer_may_not_read_the_audit_log(officer):
    with pytest.raises(PermissionDenied) as caught:
        audit_list(user=officer)
    assert caught.value.message == "Your role does not allow this action."
    assert caught.value.code == "capability.audit.view"
