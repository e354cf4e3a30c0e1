"""Issuing the 执行通知书 and the 报告财产令 (enforcement.services.notice_issue): the generated .docx read back
with python-docx, the refusals, and the automatic move to "notified" once every debtor has both."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from core.exceptions import PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import NoticeKind, ServiceMethod, Status
from enforcement.documents import amount_in_words
from enforcement.models import Notice, StatusChange
from enforcement.services import notice_issue
from tests.enforcement.builders import TODAY, case_in, document, nothing_written
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db
EN, PR = NoticeKind.ENFORCEMENT_NOTICE, NoticeKind.PROPERTY_REPORT_ORDER


def issue(actor, ec, kind, recipient, **kwargs):
    kwargs.setdefault("service_method", ServiceMethod.IN_PERSON)
    kwargs.setdefault("served_on", TODAY)
    return notice_issue(actor=actor, enforcement_case=ec, kind=kind, recipient_id=recipient.pk, **kwargs)


def text_of(notice: Notice) -> str:
    with notice.file.open("rb") as handle:
        return "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)


@pytest.fixture
def ec(court, officer):
    doc = document(court, principal="123456.78", costs="0.00")
    creditor, debtor = doc.obligees.get(), doc.obligors.get()
    from tests.factories import CaseFactory

    record = CaseFactory(
        court=court,
        amount=Decimal("123456.78"),
        cause="买卖合同纠纷",
        filing_date=TODAY - dt.timedelta(days=5),
        parties=[("creditor", creditor), ("debtor", debtor)],
    )
    from enforcement.models import EnforcementCase

    return EnforcementCase.objects.create(case=record, status=Status.ASSIGNED, officer=officer, source_document=doc)


def debtor_of(ec):
    return ec.case.party_links.get(role="debtor").party


# ---- the documents ----------------------------------------------------------------------------------------------


def test_the_enforcement_notice_is_filled_from_the_case(ec, officer, media_root):
    notice = issue(officer, ec, EN, debtor_of(ec), service_method=ServiceMethod.POST)
    text = text_of(notice)
    assert notice.file.name.startswith("notices/")
    assert notice.file.name.endswith(".docx")
    assert "北京市朝阳区人民法院" in text
    assert "执行通知书" in text
    assert ec.case.number in text
    assert "被执行人：北京恒通商贸有限公司" in text
    assert "申请执行人李华与你单位买卖合同纠纷一案" in text
    assert f"北京市朝阳区人民法院作出的{ec.source_document.number}民事判决书已经发生法律效力" in text
    assert "¥123,456.78（大写：人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分）" in text
    assert "第二百五十一条" in text
    assert "加倍支付迟延履行期间的债务利息" in text
    assert "（院印）" in text
    assert f"{TODAY.year}年{TODAY.month}月{TODAY.day}日" in text


def test_the_property_report_order_states_the_duty_the_period_and_the_sanctions(ec, officer, media_root):
    text = text_of(issue(officer, ec, PR, debtor_of(ec)))
    assert "报告财产令" in text
    assert "第二百五十二条" in text
    assert "如实向本院报告当前以及收到执行通知之日前一年的财产情况" in text
    assert "在收到本令后5日内" in text
    assert "予以罚款、拘留" in text
    assert "纳入失信被执行人名单" in text
    assert "¥123,456.78" in text
    assert ec.case.number in text


def test_a_person_is_addressed_as_you_and_warned_with_their_legal_representative(court, officer, media_root):
    person = PartyFactory(name="张三")
    ec = case_in(Status.ASSIGNED, court, debtors=[person], officer=officer)
    text = text_of(issue(officer, ec, PR, person))
    assert "被执行人：张三" in text
    assert "对你或者你的法定代理人予以罚款、拘留" in text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("123456.78", "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
        ("100", "壹佰元整"),
        ("100000.00", "壹拾万元整"),
        ("10005.05", "壹万零伍元零伍分"),
        ("1001000.10", "壹佰万壹仟元壹角"),
        ("0.30", "叁角"),
        ("120000000.00", "壹亿贰仟万元整"),
        ("100010000", "壹亿零壹万元整"),
    ],
)
def test_amounts_are_written_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


# ---- issuing ----------------------------------------------------------------------------------------------------


def test_issuing_records_the_service_and_is_audited(ec, officer, media_root):
    served = TODAY - dt.timedelta(days=1)
    notice = issue(officer, ec, EN, debtor_of(ec), issued_on=served, served_on=served)
    assert (notice.issued_on, notice.served_on, notice.service_method, notice.issued_by) == (
        served,
        served,
        "in_person",
        officer,
    )
    entry = AuditLog.objects.get(action="enforcement.notice_issue")
    assert entry.changes["kind"] == EN
    assert entry.changes["recipient"] == debtor_of(ec).pk


def test_the_second_document_to_the_last_debtor_moves_the_case_to_notified(ec, officer, media_root):
    debtor = debtor_of(ec)
    issue(officer, ec, EN, debtor)
    ec.refresh_from_db()
    assert ec.status == Status.ASSIGNED
    issue(officer, ec, PR, debtor)
    ec.refresh_from_db()
    assert ec.status == Status.NOTIFIED
    change = StatusChange.objects.get(enforcement_case=ec)
    assert (change.transition, change.from_status, change.to_status, change.actor) == (
        "notify",
        "assigned",
        "notified",
        officer,
    )


def test_with_two_debtors_the_case_waits_for_both(court, officer, media_root):
    first, second = PartyFactory(), PartyFactory()
    ec = case_in(Status.ASSIGNED, court, debtors=[first, second], officer=officer)
    for party in (first, second):
        issue(officer, ec, EN, party)
    issue(officer, ec, PR, first)
    ec.refresh_from_db()
    assert ec.status == Status.ASSIGNED
    issue(officer, ec, PR, second)
    ec.refresh_from_db()
    assert ec.status == Status.NOTIFIED


def test_a_later_notice_on_a_working_case_leaves_its_state(court, officer, media_root):
    ec = case_in(Status.INVESTIGATING, court, officer=officer)
    issue(officer, ec, EN, debtor_of(ec))
    ec.refresh_from_db()
    assert ec.status == Status.INVESTIGATING


def refused(code, *args, **kwargs):
    with nothing_written(), pytest.raises(RuleViolation) as caught:
        issue(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_a_notice_goes_only_to_a_debtor_of_the_case(ec, officer, media_root):
    creditor = ec.case.party_links.get(role="creditor").party
    error = refused("notice.recipient_not_debtor", officer, ec, EN, creditor)
    assert error.message == "The document is served on a debtor of the case (被执行人)."
    refused("notice.recipient_not_debtor", officer, ec, EN, PartyFactory())


def test_each_document_is_issued_once_per_debtor(ec, officer, media_root):
    issue(officer, ec, EN, debtor_of(ec))
    error = refused("notice.duplicate", officer, ec, EN, debtor_of(ec))
    assert error.message == "The Enforcement notice (执行通知书) has already been issued to 北京恒通商贸有限公司."


def test_no_notice_before_an_officer_holds_the_file_or_after_closing(court, officer, media_root):
    filed = case_in(Status.FILED, court)
    error = refused("notice.case_state", officer, filed, EN, debtor_of(filed))
    assert error.message == (
        "Documents are issued once an officer holds the file and while the case is open; it is “Filed”."
    )
    closed = case_in(Status.CLOSED, court)
    refused("notice.case_state", officer, closed, EN, debtor_of(closed))


def test_the_dates_of_issue_and_service_must_be_possible(ec, officer, media_root):
    refused("notice.served_on", officer, ec, EN, debtor_of(ec), served_on=TODAY + dt.timedelta(days=1))
    refused("notice.served_on", officer, ec, EN, debtor_of(ec), issued_on=TODAY, served_on=TODAY - dt.timedelta(days=1))
    error = refused("notice.issued_on", officer, ec, EN, debtor_of(ec), issued_on=TODAY - dt.timedelta(days=30))
    assert error.message == "A document is issued between the filing date and today."


def test_unknown_kinds_and_service_methods_are_refused(ec, officer, media_root):
    refused("notice.kind", officer, ec, "summons", debtor_of(ec))
    refused("notice.service_method", officer, ec, EN, debtor_of(ec), service_method="pigeon")


def test_a_clerk_does_not_issue_notices(ec, clerk, media_root):
    with nothing_written(), pytest.raises(PermissionDenied):
        issue(clerk, ec, EN, debtor_of(ec))
