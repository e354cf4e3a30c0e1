"""The documents served on the debtor, generated as .docx (python-docx): 执行通知书 and 报告财产令.

The text is formal Chinese, as courts issue them; it is the document itself, not interface text, so it is
not translated. Each document is built from the case: court, case number, debtor, applicant, the
enforcement basis (kind, number, issuing body), the obligation and amount, the duties and the warnings.

Sources: 民诉法 2023 art. 251 (执行通知), art. 252 (报告财产: current property and that of the year before the
enforcement notice was received; fines or detention for refusing or reporting falsely), art. 264 (double
interest for late performance); 失信规定 2017 art. 1(4) (listing for violating the property-report order).
The 5-day period to report is court practice (the order must state a period; 5 days is what courts
commonly set), kept in ``REPORT_WITHIN_DAYS``; the categories of property and the 10-day supplementary report
after a change follow the 财产调查规定 (2017, rev. 2020), graded M (not checked against the text).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from cases.choices import DocumentKind, PartyKind, PartyRole
from core.money import format_yuan, round_fen

from .choices import NoticeKind

REPORT_WITHIN_DAYS = 5
FONT = "仿宋"

DOCUMENT_NAMES = {
    DocumentKind.JUDGMENT: "民事判决书",
    DocumentKind.MEDIATION: "民事调解书",
    DocumentKind.RULING: "民事裁定书",
    DocumentKind.ARBITRAL_AWARD: "仲裁裁决书",
    DocumentKind.NOTARISED_DEBT: "具有强制执行效力的公证债权文书",
}
TITLES = {NoticeKind.ENFORCEMENT_NOTICE: "执行通知书", NoticeKind.PROPERTY_REPORT_ORDER: "报告财产令"}

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_GROUPS = ["", "万", "亿", "万亿"]


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Decimal) -> str:
    """¥1,234.50 with the fen."""
    return format_yuan(round_fen(amount))


def _four_digits(number: int) -> str:
    text, zero = "", False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[digit] + _UNITS[position]
    return text


def amount_in_words(amount: Decimal) -> str:
    """人民币大写: 123456.78 → 壹拾贰万叁仟肆佰伍拾陆元柒角捌分; 100 → 壹佰元整."""
    amount = round_fen(amount)
    fen_total = int(amount * 100)
    integer, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    groups, words = [], ""
    while integer:
        groups.append(integer % 10000)
        integer //= 10000
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or group < 1000):
            words += "零"
        words += _four_digits(group) + _GROUPS[index]
        pending_zero = False
    if words:
        words += "元"
    if jiao == 0 and fen == 0:
        return (words or "零元") + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    return words


@dataclass(frozen=True)
class NoticeContext:
    court_name: str
    case_number: str
    debtor_name: str
    debtor_is_organisation: bool
    applicant_names: list[str]
    cause: str
    basis_name: str
    basis_number: str
    basis_issuer: str
    basis_text: str
    amount: Decimal
    filing_date: dt.date
    issued_on: dt.date


def notice_context(*, enforcement_case, recipient, issued_on: dt.date) -> NoticeContext:
    record = enforcement_case.case
    applicants = [
        link.party.name for link in record.party_links.select_related("party").filter(role=PartyRole.CREDITOR)
    ]
    document = enforcement_case.source_document
    return NoticeContext(
        court_name=record.court.name,
        case_number=record.number,
        debtor_name=recipient.name,
        debtor_is_organisation=recipient.kind == PartyKind.ORGANISATION,
        applicant_names=applicants,
        cause=record.cause,
        basis_name=DOCUMENT_NAMES.get(document.kind, document.get_kind_display()) if document else "生效法律文书",
        basis_number=document.number if document else "",
        basis_issuer=document.issuing_body if document else "",
        basis_text=(document.text or "").strip() if document else "",
        amount=record.amount,
        filing_date=record.filing_date,
        issued_on=issued_on,
    )


def _new_document():
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return doc


def _centered(doc, text: str, *, size: int = 16, bold: bool = False) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _right(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(text)


def _body(doc, text: str) -> None:
    paragraph = doc.add_paragraph(text)
    paragraph.paragraph_format.first_line_indent = Pt(28)


def _heading(doc, ctx: NoticeContext, title: str) -> None:
    _centered(doc, ctx.court_name, size=18, bold=True)
    _centered(doc, title, size=22, bold=True)
    _right(doc, ctx.case_number)
    doc.add_paragraph(f"被执行人：{ctx.debtor_name}")


def _you(ctx: NoticeContext) -> str:
    return "你单位" if ctx.debtor_is_organisation else "你"


def _basis(ctx: NoticeContext) -> str:
    issuer = f"{ctx.basis_issuer}作出的" if ctx.basis_issuer else ""
    number = ctx.basis_number
    return f"{issuer}{number}{ctx.basis_name}"


def _closing(doc, ctx: NoticeContext) -> None:
    doc.add_paragraph("")
    _right(doc, ctx.court_name)
    _right(doc, chinese_date(ctx.issued_on))
    _right(doc, "（院印）")


def _application(ctx: NoticeContext) -> str:
    applicants = "、".join(ctx.applicant_names) or "申请执行人"
    return (
        f"申请执行人{applicants}与{_you(ctx)}{ctx.cause}一案，{_basis(ctx)}已经发生法律效力。"
        f"申请执行人于{chinese_date(ctx.filing_date)}向本院申请强制执行，本院依法立案执行。"
    )


def enforcement_notice_docx(ctx: NoticeContext) -> bytes:
    """执行通知书 (民诉法 2023 art. 251): the obligation, double interest for late performance (art. 264), the
    warning of compulsory measures and of the dishonest list and consumption restriction."""
    doc = _new_document()
    you = _you(ctx)
    _heading(doc, ctx, TITLES[NoticeKind.ENFORCEMENT_NOTICE])
    _body(
        doc,
        _application(ctx) + "依照《中华人民共和国民事诉讼法》第二百五十一条、第二百六十四条的规定，"
        f"责令{you}自收到本通知之日起立即履行下列义务：",
    )
    _body(
        doc,
        f"一、履行{_basis(ctx)}确定的义务，向申请执行人支付人民币{yuan(ctx.amount)}"
        f"（大写：人民币{amount_in_words(ctx.amount)}）；",
    )
    if ctx.basis_text:
        _body(doc, f"生效法律文书确定的义务为：{ctx.basis_text}")
    _body(doc, "二、未按生效法律文书指定的期间履行给付金钱义务的，加倍支付迟延履行期间的债务利息；")
    _body(doc, "三、负担本案执行费用。")
    _body(
        doc,
        f"{you}逾期不履行的，本院将依法强制执行，查询、冻结、划拨、查封、扣押、拍卖、变卖{you}的财产，"
        f"并可依法对{you}采取限制消费措施，将{you}纳入失信被执行人名单。",
    )
    _body(doc, "特此通知。")
    _closing(doc, ctx)
    return _save(doc)


def property_report_order_docx(ctx: NoticeContext) -> bytes:
    """报告财产令 (民诉法 2023 art. 252): report current property and property in the year before the
    enforcement notice was received; refusal or a false report → fine or detention, and the dishonest list
    (失信规定 art. 1(4))."""
    doc = _new_document()
    you = _you(ctx)
    _heading(doc, ctx, TITLES[NoticeKind.PROPERTY_REPORT_ORDER])
    _body(
        doc,
        _application(ctx)
        + f"{you}未按执行通知履行法律文书确定的义务。依照《中华人民共和国民事诉讼法》第二百五十二条的规定，"
        f"责令{you}在收到本令后{REPORT_WITHIN_DAYS}日内，如实向本院报告当前以及收到执行通知之日前一年的财产情况，"
        f"包括：",
    )
    for item in (
        "一、收入、银行存款、现金、理财产品、有价证券；",
        "二、土地使用权、房屋等不动产；",
        "三、交通运输工具、机器设备、产品、原材料等动产；",
        "四、债权、股权、投资权益、基金份额、信托受益权、知识产权等财产性权利；",
        "五、其他应当报告的财产。",
    ):
        _body(doc, item)
    _body(doc, f"报告期间内{you}的财产发生变动的，应当自财产变动之日起十日内向本院补充报告。")
    _body(
        doc,
        f"{you}拒绝报告或者虚假报告的，本院将根据情节轻重对{you}"
        + ("的主要负责人或者直接责任人员" if ctx.debtor_is_organisation else "或者你的法定代理人")
        + "予以罚款、拘留；构成犯罪的，依法追究刑事责任。违反财产报告制度的，本院将依法将"
        + f"{you}纳入失信被执行人名单。",
    )
    _body(doc, f"本案执行标的：人民币{yuan(ctx.amount)}（大写：人民币{amount_in_words(ctx.amount)}）。")
    _closing(doc, ctx)
    return _save(doc)


BUILDERS = {
    NoticeKind.ENFORCEMENT_NOTICE: enforcement_notice_docx,
    NoticeKind.PROPERTY_REPORT_ORDER: property_report_order_docx,
}


def render_notice(*, kind: str, enforcement_case, recipient, issued_on: dt.date) -> bytes:
    ctx = notice_context(enforcement_case=enforcement_case, recipient=recipient, issued_on=issued_on)
    return BUILDERS[kind](ctx)


def _save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---- 终本 ruling (执行裁定书, 终结本次执行程序) --------------------------------------------------------------------

CATEGORY_NAMES = {  # assets.choices.AssetCategory (enforcement does not import assets)
    "deposit": "银行存款",
    "wealth_product": "金融理财产品",
    "online_funds": "网络资金",
    "securities": "证券",
    "vehicle": "车辆",
    "real_estate": "不动产",
    "ship": "船舶",
    "fishing_vessel": "渔船",
    "equity": "股权",
    "provident_fund": "住房公积金",
    "insurance": "保险",
}
REASON_TEXT = {
    "no_property": "经穷尽财产调查措施，未发现被执行人有可供执行的财产",
    "not_disposable": "发现的财产不能处置",
    "debtor_missing": "被执行人下落不明，经查找未果",
    "partly_performed": "被执行人已部分履行，经穷尽财产调查措施，未发现其他可供执行的财产",
}


def termination_ruling_docx(*, proposal, ruled_on: dt.date, ruling_number: str, facts: dict) -> bytes:
    """执行裁定书 terminating this round of enforcement (终本规定 2016 arts. 1, 8, 9, 15; 民诉法 2023 art. 157(1)(11)
    as applied to enforcement): the parties (ID numbers masked), the claim and its basis, the steps and coercive
    measures taken, the property found, the amount recovered, and the operative part. ``facts`` are the
    ``termination_facts`` of the case (``network_query`` details give the query batch and the property)."""
    ec = proposal.enforcement_case
    record = ec.case
    document = ec.source_document
    doc = _new_document()
    _centered(doc, record.court.name, size=18, bold=True)
    _centered(doc, "执行裁定书", size=22, bold=True)
    _right(doc, ruling_number)
    links = list(record.party_links.select_related("party").order_by("position", "id"))
    for link in links:
        if link.role not in (PartyRole.CREDITOR, PartyRole.DEBTOR):
            continue
        party = link.party
        role = "申请执行人" if link.role == PartyRole.CREDITOR else "被执行人"
        label = "统一社会信用代码" if party.kind == PartyKind.ORGANISATION else "身份证号码"
        number = f"，{label}：{party.masked_id_number}" if party.id_number else ""
        doc.add_paragraph(f"{role}：{party.name}{number}。")
    creditors = "、".join(link.party.name for link in links if link.role == PartyRole.CREDITOR) or "申请执行人"
    debtors = "、".join(link.party.name for link in links if link.role == PartyRole.DEBTOR) or "被执行人"
    basis_name = DOCUMENT_NAMES.get(document.kind, document.get_kind_display()) if document else "生效法律文书"
    basis = f"{document.issuing_body}作出的{document.number}{basis_name}" if document else basis_name
    _body(
        doc,
        f"本院在执行申请执行人{creditors}与被执行人{debtors}{record.cause}一案中，{basis}已经发生法律效力。"
        f"申请执行人于{chinese_date(record.filing_date)}向本院申请强制执行，执行标的为人民币{yuan(record.amount)}"
        f"（大写：人民币{amount_in_words(record.amount)}），本院于同日立案执行，案号{record.number}。",
    )
    # the steps and coercive measures taken
    steps = []
    notices = list(ec.notices.select_related("recipient").order_by("issued_on", "id"))
    if notices:
        served = "；".join(
            f"{chinese_date(n.served_on)}向{n.recipient.name}送达{TITLES.get(n.kind, n.get_kind_display())}"
            for n in notices
        )
        steps.append(f"本院依法向被执行人发出执行通知书、报告财产令：{served}")
    network = facts.get("network_query")
    details = network.details if network is not None and network.met else {}
    if details:
        completed = (details.get("completed_at") or "")[:10]
        steps.append(
            f"通过网络执行查控系统对被执行人的存款、车辆、不动产、证券、股权等财产进行了查询（查询批次{details.get('batch')}"
            + (f"，于{completed}完成" if completed else "")
            + "）"
        )
    if proposal.onsite_investigation_on:
        steps.append(
            f"{chinese_date(proposal.onsite_investigation_on)}进行实地调查：{proposal.onsite_investigation_note}"
        )
    if proposal.consumption_restriction_on:
        steps.append(f"{chinese_date(proposal.consumption_restriction_on)}对被执行人采取限制消费措施")
    if proposal.listing_decision == "listed":
        steps.append("将被执行人纳入失信被执行人名单")
    elif proposal.listing_decision == "not_eligible":
        steps.append(f"被执行人不符合纳入失信被执行人名单的条件（{proposal.listing_note}）")
    if proposal.debtor_missing:
        steps.append(f"被执行人下落不明，本院进行了查找：{proposal.search_note}")
    if proposal.obstruction:
        steps.append(f"对妨害执行行为依法采取了强制措施：{proposal.sanction_note}")
    _body(doc, "本案执行过程中，本院采取了以下执行措施：")
    for index, step in enumerate(steps, start=1):
        _body(doc, f"{index}. {step.rstrip('。.；;')}。")  # notes typed with a full stop keep only one
    # the property found
    found = list(details.get("property") or [])
    if found:
        _body(doc, "经调查，发现被执行人名下财产如下：")
        for item in found:
            category = CATEGORY_NAMES.get(item.get("category"), item.get("category") or "")
            value = f"，价值人民币{yuan(Decimal(item['value']))}" if item.get("value") not in (None, "") else ""
            _body(doc, f"{category}：{item.get('description') or ''}（{item.get('identifier') or ''}）{value}。")
    else:
        _body(doc, "经调查，未发现被执行人有可供执行的财产。")
    performed = ec.performed_amount
    outstanding = max(record.amount - performed, Decimal(0))
    _body(
        doc,
        f"本案已执行到位人民币{yuan(performed)}，尚有人民币{yuan(outstanding)}"
        f"（大写：人民币{amount_in_words(outstanding)}）未履行。",
    )
    opinion = {"agrees": "同意终结本次执行程序", "objects": "不同意终结本次执行程序", "no_reply": "未提出意见"}
    if proposal.applicant_informed_on:
        _body(
            doc,
            f"本院已于{chinese_date(proposal.applicant_informed_on)}将案件执行情况告知申请执行人，申请执行人"
            f"{opinion.get(proposal.applicant_opinion, '')}"
            + (f"（{proposal.applicant_opinion_text}）" if proposal.applicant_opinion_text else "")
            + "。",
        )
    _body(
        doc,
        f"本院认为，{REASON_TEXT.get(proposal.reason, '')}，"
        f"{proposal.reason_detail.rstrip('。')}。本案符合终结本次执行程序的条件。"
        "依照《最高人民法院关于严格规范终结本次执行程序的规定（试行）》第一条、第五条、第八条、第九条，"
        "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百一十七条之规定，裁定如下：",
    )
    _body(doc, f"终结{record.number}案件的本次执行程序。")
    _body(
        doc,
        "终结本次执行程序后，被执行人负有继续向申请执行人履行债务的义务（第八条）；申请执行人发现被执行人有可供执行财产的，"
        "可以随时向本院申请恢复执行，不受申请执行时效期间的限制（第九条）；本院已采取的执行措施继续有效（第十五条）。",
    )
    _body(doc, "本裁定送达后立即生效。")
    doc.add_paragraph("")
    _right(doc, record.court.name)
    _right(doc, chinese_date(ruled_on))
    _right(doc, "（院印）")
    return _save(doc)
