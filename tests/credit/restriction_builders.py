"""Builders for the restriction tests (no tests here): a case whose debtor was served the enforcement notice
some days ago, a listing placed directly in the "listed" state, valid bound persons, a snapshot of the tables
the restriction services write (to prove a refusal wrote nothing), and the text of a generated .docx."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

from docx import Document

from cases.models import Party
from core.identifiers import make_resident_id
from core.models import AuditLog
from credit.models import BoundPerson, DishonestListing, FeedEvent, Restriction, TemporaryPermission
from enforcement.choices import NoticeKind, ServiceMethod, Status
from enforcement.models import Notice
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory

FILED = TODAY - dt.timedelta(days=60)
SERVED = FILED + dt.timedelta(days=3)
LEGAL_REP_ID = make_resident_id("110105", dt.date(1975, 3, 8), 123)
CONTROLLER_ID = make_resident_id("110108", dt.date(1968, 11, 20), 456)


def restriction_case(court, officer, *, debtor: Party | None = None, served_on: dt.date | None = SERVED, **kwargs):
    """An open case (investigating) filed 60 days ago whose debtor (an organisation by default) was served the
    enforcement notice on ``served_on`` (none when ``None``)."""
    debtor = debtor or PartyFactory(organisation=True, name="北京恒通商贸有限公司", legal_representative="王建国")
    kwargs.setdefault("filing_date", FILED)
    ec = case_in(kwargs.pop("status", Status.INVESTIGATING), court, officer=officer, debtors=[debtor], **kwargs)
    if served_on is not None:
        Notice.objects.create(
            enforcement_case=ec,
            kind=NoticeKind.ENFORCEMENT_NOTICE,
            recipient=debtor,
            file=f"notices/n-{ec.pk}.docx",
            issued_on=served_on,
            issued_by=officer,
            service_method=ServiceMethod.IN_PERSON,
            served_on=served_on,
        )
    return ec


def debtor_of(ec) -> Party:
    return ec.case.party_links.get(role="debtor").party


def listed(ec, *, proposer, approver, debtor: Party | None = None) -> DishonestListing:
    debtor = debtor or debtor_of(ec)
    return DishonestListing.objects.create(
        enforcement_case=ec,
        debtor=debtor,
        debtor_name=debtor.name,
        ground="able_but_refuses",
        facts="有履行能力而拒不履行。",
        status="listed",
        proposed_by=proposer,
        decided_by=approver,
        decided_at=dt.datetime.now(dt.UTC),
        listed_on=TODAY - dt.timedelta(days=1),
    )


def legal_rep(**overrides) -> dict:
    row = {"role": "legal_representative", "name": "王建国", "id_number": LEGAL_REP_ID}
    row.update(overrides)
    return row


def controller(**overrides) -> dict:
    row = {"role": "actual_controller", "name": "赵德明", "id_number": CONTROLLER_ID}
    row.update(overrides)
    return row


def restriction_rows() -> dict:
    return {
        "Restriction": sorted(Restriction.objects.values_list("pk", "status", "lift_ground")),
        "BoundPerson": BoundPerson.objects.count(),
        "TemporaryPermission": TemporaryPermission.objects.count(),
        "FeedEvent": FeedEvent.objects.count(),
        "AuditLog": AuditLog.objects.count(),
    }


@contextmanager
def nothing_written():
    before = restriction_rows()
    yield
    assert restriction_rows() == before


def docx_text(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)
