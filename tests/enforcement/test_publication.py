"""The public 终本 case database (终本规定 2016 arts. 12–14, 18): ``entry_publish`` (the snapshot, masked IDs,
idempotent, late publication recorded), ``entries_mask_if_ended`` (the chain of restored cases), the hand
correction ``entry_mask`` and ``entries_publish_missing`` with its management command."""

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from cases.choices import PartyRole
from core.exceptions import PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import ClosingKind, Status
from enforcement.models import TerminatedCaseEntry
from enforcement.services.publication import (
    entries_mask_if_ended,
    entries_publish_missing,
    entry_is_late,
    entry_mask,
    entry_publish,
)
from tests.enforcement.builders import TODAY, case_in, document
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

FULL_PERSON_ID = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")


def terminated(court, *, debtors=None, closed_on=None, **fields):
    return case_in(
        Status.CLOSED,
        court,
        debtors=debtors,
        filing_date=TODAY - dt.timedelta(days=200),
        closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
        closed_on=closed_on or TODAY - dt.timedelta(days=2),
        **fields,
    )


def restored_from(old, court, status=Status.INVESTIGATING, **fields):
    """A 执恢 case restored from ``old`` (placed directly in ``status``)."""
    return case_in(status, court, restored_from=old, **fields)


# ---- publishing ---------------------------------------------------------------------------------------------------


def test_publishing_snapshots_the_fields_of_art_13_with_masked_person_ids(court):
    person = PartyFactory(name="张伟")
    company = PartyFactory(organisation=True, name="北京恒通商贸有限公司", legal_representative="王强")
    doc = document(court, principal="100000.00", costs="2300.00")
    ec = terminated(court, debtors=[person, company], source_document=doc, performed_amount=Decimal("30000.00"))

    entry = entry_publish(enforcement_case=ec)

    assert (entry.court_name, entry.case_number, entry.filed_on) == (
        "北京市朝阳区人民法院",
        ec.case.number,
        ec.case.filing_date,
    )
    assert entry.debtors == [
        {"name": "张伟", "masked_id": person.masked_id_number, "kind": "person"},
        {
            "name": "北京恒通商贸有限公司",
            "masked_id": company.id_number,
            "kind": "organisation",
            "legal_representative": "王强",
        },
    ]
    assert person.masked_id_number != person.id_number and "*" in person.masked_id_number
    assert person.id_number not in str(entry.debtors)
    assert entry.debtor_names == "张伟、北京恒通商贸有限公司"
    assert entry.document_number == f"北京市朝阳区人民法院 {doc.number}"
    assert entry.obligation == "Pay ¥100,000.00 (principal) and ¥2,300.00 (costs)"
    assert (entry.amount, entry.unperformed_amount) == (Decimal("100000.00"), Decimal("70000.00"))
    assert (entry.ruled_on, entry.published_on, entry.masked_on) == (ec.closed_on, TODAY, None)
    assert entry.is_public and not entry_is_late(entry)
    audit = AuditLog.objects.get(action="publication.publish")
    assert audit.object_id == str(entry.pk)
    assert audit.changes["late"] is False


def test_without_an_enforcement_basis_the_obligation_is_the_amount_to_enforce(court):
    entry = entry_publish(enforcement_case=terminated(court, amount="5000.00"))
    assert (entry.obligation, entry.document_number) == ("Pay ¥5,000.00", "")


def test_publishing_twice_gives_the_one_entry(court):
    ec = terminated(court)
    first = entry_publish(enforcement_case=ec)
    again = entry_publish(enforcement_case=ec, on=TODAY)
    assert again.pk == first.pk
    assert TerminatedCaseEntry.objects.count() == 1
    assert AuditLog.objects.filter(action="publication.publish").count() == 1


def test_publishing_later_than_seven_days_is_still_done_and_shown_as_late(court):
    ec = terminated(court, closed_on=TODAY - dt.timedelta(days=20))
    entry = entry_publish(enforcement_case=ec)
    assert entry.is_public
    assert entry_is_late(entry)
    assert AuditLog.objects.get(action="publication.publish").changes["late"] is True
    on_time = entry_publish(enforcement_case=terminated(court, closed_on=TODAY - dt.timedelta(days=7)))
    assert not entry_is_late(on_time)


def test_only_a_terminated_case_is_published(court):
    completed = case_in(Status.CLOSED, court, closing_kind=ClosingKind.COMPLETED, closed_on=TODAY)
    with pytest.raises(RuleViolation) as caught:
        entry_publish(enforcement_case=completed)
    assert caught.value.code == "publication.not_terminated_this_round"
    assert caught.value.message == (
        "Only a case terminated for this round (终本) is published in the 终本 database (终本规定 art. 12)."
    )
    assert not TerminatedCaseEntry.objects.exists()


def test_the_approver_of_the_proposal_is_recorded_as_who_published(court, division_head):
    class Proposal:
        pk = 7
        decided_by = division_head

    entry_publish(enforcement_case=terminated(court), proposal=Proposal())
    audit = AuditLog.objects.get(action="publication.publish")
    assert (audit.actor, audit.changes["proposal"]) == (division_head, 7)


def test_no_full_person_id_number_is_stored_in_the_snapshot(court):
    people = [PartyFactory() for _ in range(3)]
    entry = entry_publish(enforcement_case=terminated(court, debtors=people))
    snapshot = str(
        TerminatedCaseEntry.objects.filter(pk=entry.pk).values("debtors", "debtor_names", "obligation").get()
    )
    assert not FULL_PERSON_ID.search(snapshot)


# ---- masking (art. 18) ---------------------------------------------------------------------------------------------


def test_the_entry_is_masked_when_the_restored_case_is_completed(court):
    old = terminated(court)
    entry = entry_publish(enforcement_case=old)
    new = restored_from(old, court, Status.CLOSED, closing_kind=ClosingKind.COMPLETED, closed_on=TODAY)

    assert entries_mask_if_ended(enforcement_case=new) == 1

    entry.refresh_from_db()
    assert (entry.masked_on, entry.is_public) == (TODAY, False)
    assert entry.mask_reason == (
        f"终本规定 art. 18: enforcement ended — case {new.case.number} closed as “Fully performed (执行完毕)”."
    )
    assert AuditLog.objects.filter(action="publication.mask", object_id=str(entry.pk)).count() == 1


@pytest.mark.parametrize(
    "kind",
    [
        ClosingKind.SETTLED,
        ClosingKind.TERMINATED,
        ClosingKind.NOT_ENFORCED,
        ClosingKind.TRANSFERRED_TO_BANKRUPTCY,
    ],
)
def test_every_way_enforcement_ends_masks_the_chain(court, kind):
    first = terminated(court)
    second = restored_from(first, court, Status.CLOSED, closing_kind=ClosingKind.TERMINATED_THIS_ROUND, closed_on=TODAY)
    entries = [entry_publish(enforcement_case=first), entry_publish(enforcement_case=second)]
    third = restored_from(second, court, Status.CLOSED, closing_kind=kind, closed_on=TODAY)
    assert entries_mask_if_ended(enforcement_case=third) == 2
    assert not TerminatedCaseEntry.objects.filter(pk__in=[e.pk for e in entries], masked_on__isnull=True).exists()


def test_the_entry_is_masked_once_the_obligation_is_performed(court):
    old = terminated(court)
    entry = entry_publish(enforcement_case=old)
    new = restored_from(old, court, Status.DISTRIBUTING, amount="100000.00", performed_amount=Decimal("100000.00"))
    assert entries_mask_if_ended(enforcement_case=new) == 1
    entry.refresh_from_db()
    assert entry.mask_reason == f"终本规定 art. 18: the obligation was performed (case {new.case.number})."


def test_nothing_is_masked_while_enforcement_goes_on(court):
    old = terminated(court)
    entry = entry_publish(enforcement_case=old)
    open_case = restored_from(old, court, Status.INVESTIGATING, performed_amount=Decimal("10.00"))
    terminated_again = restored_from(
        old, court, Status.CLOSED, closing_kind=ClosingKind.TERMINATED_THIS_ROUND, closed_on=TODAY
    )
    assert entries_mask_if_ended(enforcement_case=open_case) == 0
    assert entries_mask_if_ended(enforcement_case=terminated_again) == 0
    assert entries_mask_if_ended(enforcement_case=old) == 0
    entry.refresh_from_db()
    assert entry.is_public
    assert not AuditLog.objects.filter(action="publication.mask").exists()


def test_masking_twice_masks_once_and_keeps_the_first_reason(court):
    old = terminated(court)
    entry = entry_publish(enforcement_case=old)
    new = restored_from(old, court, Status.CLOSED, closing_kind=ClosingKind.COMPLETED, closed_on=TODAY)
    assert entries_mask_if_ended(enforcement_case=new) == 1
    assert entries_mask_if_ended(enforcement_case=new) == 0
    entry.refresh_from_db()
    assert entry.masked_on == TODAY


# ---- the administrator's correction (arts. 14, 18) ----------------------------------------------------------------


def test_a_court_administrator_masks_an_entry_with_a_reason(court):
    admin = UserFactory(court_admin=True, court=court, username="admin-0105")
    entry = entry_publish(enforcement_case=terminated(court))
    masked = entry_mask(actor=admin, entry=entry, reason="当事人申请更正：已履行完毕")
    assert (masked.masked_on, masked.mask_reason) == (TODAY, "当事人申请更正：已履行完毕")
    audit = AuditLog.objects.get(action="publication.mask")
    assert (audit.actor, audit.reason) == (admin, "当事人申请更正：已履行完毕")


def test_the_correction_needs_a_reason_the_right_role_and_an_unmasked_entry(court, other_court, officer):
    admin = UserFactory(court_admin=True, court=court, username="admin-0105")
    elsewhere = UserFactory(court_admin=True, court=other_court, username="admin-0108")
    entry = entry_publish(enforcement_case=terminated(court))
    with pytest.raises(RuleViolation) as caught:
        entry_mask(actor=admin, entry=entry, reason="  ")
    assert caught.value.code == "publication.reason_required"
    for actor in (officer, elsewhere):
        with pytest.raises(PermissionDenied) as denied:
            entry_mask(actor=actor, entry=entry, reason="更正")
        assert denied.value.code == "publication.mask"
    entry.refresh_from_db()
    assert entry.masked_on is None
    entry_mask(actor=admin, entry=entry, reason="更正")
    with pytest.raises(RuleViolation) as again:
        entry_mask(actor=admin, entry=entry, reason="再次")
    assert again.value.code == "publication.already_masked"
    assert again.value.message == f"This entry was already masked on {TODAY.isoformat()}."


# ---- publishing what is missing -----------------------------------------------------------------------------------


def test_cases_closed_without_an_entry_are_published_by_the_command(court):
    missing = [terminated(court), terminated(court)]
    already = terminated(court)
    entry_publish(enforcement_case=already)
    case_in(Status.CLOSED, court, closing_kind=ClosingKind.COMPLETED, closed_on=TODAY)
    out = StringIO()
    call_command("publish_terminated_cases", stdout=out)
    assert "2 case(s) published." in out.getvalue()
    assert set(TerminatedCaseEntry.objects.values_list("enforcement_case_id", flat=True)) == {
        missing[0].pk,
        missing[1].pk,
        already.pk,
    }
    assert entries_publish_missing() == 0


def test_a_migrated_case_whose_restoration_has_ended_is_published_masked(court):
    old = terminated(court)
    restored_from(old, court, Status.CLOSED, closing_kind=ClosingKind.COMPLETED, closed_on=TODAY)
    assert entries_publish_missing(today=TODAY) == 1
    entry = TerminatedCaseEntry.objects.get(enforcement_case=old)
    assert (entry.published_on, entry.masked_on) == (TODAY, TODAY)


def test_the_debtors_of_the_snapshot_are_the_debtors_of_the_case_only(court):
    ec = terminated(court)
    creditor = ec.case.party_links.get(role=PartyRole.CREDITOR).party
    entry = entry_publish(enforcement_case=ec)
    assert creditor.name not in entry.debtor_names


# ---- admin ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_the_admin_lists_entries_and_filters_the_late_ones(admin_client, court):
    late = entry_publish(enforcement_case=terminated(court, closed_on=TODAY - dt.timedelta(days=10)))
    on_time = entry_publish(enforcement_case=terminated(court, closed_on=TODAY - dt.timedelta(days=7)))
    url = "/admin/enforcement/terminatedcaseentry/"
    assert admin_client.get(url).status_code == 200
    assert [e.pk for e in admin_client.get(url, {"late": "yes"}).context["cl"].result_list] == [late.pk]
    assert [e.pk for e in admin_client.get(url, {"late": "no"}).context["cl"].result_list] == [on_time.pk]
    assert admin_client.get(f"{url}{late.pk}/change/").status_code == 200


def test_the_admin_action_masks_with_a_reason_through_the_service(admin_client, superuser, court):
    entry = entry_publish(enforcement_case=terminated(court))
    url = "/admin/enforcement/terminatedcaseentry/"
    asked = admin_client.post(url, {"action": "mask", "_selected_action": [entry.pk]})
    assert asked.status_code == 200
    assert "Mask entries of the 终本 database" in asked.content.decode()
    entry.refresh_from_db()
    assert entry.masked_on is None
    done = admin_client.post(
        url, {"action": "mask", "_selected_action": [entry.pk], "apply": "1", "reason": "当事人申请更正"}
    )
    assert done.status_code == 302
    entry.refresh_from_db()
    assert (entry.masked_on, entry.mask_reason) == (TODAY, "当事人申请更正")
    assert AuditLog.objects.get(action="publication.mask").actor == superuser


def test_the_admin_lists_restoration_requests_read_only(admin_client, court, clerk):
    from enforcement.services.restoration_requests import restoration_request_record

    ec = terminated(court)
    creditor = ec.case.party_links.get(role=PartyRole.CREDITOR).party
    request = restoration_request_record(
        actor=clerk, enforcement_case=ec, applicant_id=creditor.pk, lead="线索", received_on=TODAY
    )
    url = "/admin/enforcement/restorationrequest/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(f"{url}{request.pk}/change/").status_code == 200
    assert admin_client.get(f"{url}add/").status_code == 403
