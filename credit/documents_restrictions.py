"""The restriction orders, generated as .docx (python-docx): 限制消费令 and 限制出境决定书.

The text is formal Chinese, as courts issue them; it is the document itself, not interface text, so it is
not translated. Personal ID numbers are masked on the order (it is served and may be published, 限制消费规定
art. 6); the full identifiers go to the agencies through the credit feed only.

Sources: 限制消费规定 (法释〔2015〕17号) art. 1 (when), art. 3 (the nine items; para. 2 the persons an
organisation's order binds and private consumption with one's own money), art. 5 (the order states the
items and the legal consequences, signed by the president), art. 11 (breach: fine or detention, 民诉法 2023
art. 114) — legal-rules §4, V-page; 民诉法 2023 art. 266 (限制出境, V-full as to its subject); the persons
of an organisation restricted from leaving and the lifting of an exit restriction follow the 执行程序解释
(法释〔2008〕13号, rev. 2020) arts. 23–25 — graded M (from memory, not in legal-rules).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cases.choices import PartyKind, PartyRole
from core.identifiers import mask_identifier
from enforcement.documents import _body, _centered, _new_document, _right, _save, chinese_date

from .choices import BoundPersonRole, ProhibitedConsumption, RestrictionKind

TITLES = {RestrictionKind.CONSUMPTION: "限制消费令", RestrictionKind.EXIT: "限制出境决定书"}

# 限制消费规定 (2015) art. 3 para. 1, items (一)–(九), in the order of the rule (legal-rules §4.2, V-page).
ITEM_TEXT = {
    ProhibitedConsumption.FLIGHTS_FIRST_CLASS: "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
    ProhibitedConsumption.STAR_HOTELS: "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
    ProhibitedConsumption.BUY_REAL_ESTATE: "购买不动产或者新建、扩建、高档装修房屋",
    ProhibitedConsumption.RENT_OFFICES: "租赁高档写字楼、宾馆、公寓等场所办公",
    ProhibitedConsumption.BUY_VEHICLES: "购买非经营必需车辆",
    ProhibitedConsumption.TRAVEL: "旅游、度假",
    ProhibitedConsumption.PRIVATE_SCHOOLS: "子女就读高收费私立学校",
    ProhibitedConsumption.HIGH_PREMIUM_INSURANCE: "支付高额保费购买保险理财产品",
    ProhibitedConsumption.HIGH_SPEED_RAIL: (
        "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为"
    ),
}
ROLE_TEXT = {
    BoundPersonRole.LEGAL_REPRESENTATIVE: "法定代表人",
    BoundPersonRole.MAIN_RESPONSIBLE: "主要负责人",
    BoundPersonRole.DIRECTLY_RESPONSIBLE: "影响债务履行的直接责任人员",
    BoundPersonRole.ACTUAL_CONTROLLER: "实际控制人",
}
_NUMERALS = "一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for 之一, 之二 … and item numbers up to 99)."""
    if n < 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + (_NUMERALS[ones - 1] if ones else "")


def order_number(case_number: str, sequence: int) -> str:
    """The order's number: the case number and 之N (the N-th restriction order of the case)."""
    return f"{case_number}之{chinese_ordinal(sequence)}"


@dataclass(frozen=True)
class OrderContext:
    kind: str
    court_name: str
    case_number: str
    order_number: str
    debtor_name: str
    debtor_is_organisation: bool
    debtor_masked_id: str
    legal_representative: str
    applicant_names: list[str]
    cause: str
    filing_date: dt.date
    issued_on: dt.date
    listed: bool
    prohibited: list[str] = field(default_factory=list)
    bound_persons: list[dict] = field(default_factory=list)  # {"role", "name", "id_number"} (full; masked here)


def order_context(*, restriction, bound_persons: list[dict]) -> OrderContext:
    ec = restriction.enforcement_case
    record = ec.case
    debtor = restriction.debtor
    applicants = [
        link.party.name for link in record.party_links.select_related("party").filter(role=PartyRole.CREDITOR)
    ]
    return OrderContext(
        kind=restriction.kind,
        court_name=record.court.name,
        case_number=record.number,
        order_number=restriction.order_number,
        debtor_name=debtor.name,
        debtor_is_organisation=debtor.kind == PartyKind.ORGANISATION,
        debtor_masked_id=debtor.masked_id_number,
        legal_representative=debtor.legal_representative,
        applicant_names=applicants,
        cause=record.cause,
        filing_date=record.filing_date,
        issued_on=restriction.issued_on,
        listed=restriction.listing_id is not None,
        prohibited=list(restriction.prohibited or []),
        bound_persons=bound_persons,
    )


def _heading(doc, ctx: OrderContext) -> None:
    _centered(doc, ctx.court_name, size=18, bold=True)
    _centered(doc, TITLES[ctx.kind], size=22, bold=True)
    _right(doc, ctx.order_number)
    label = "统一社会信用代码" if ctx.debtor_is_organisation else "身份证号码"
    doc.add_paragraph(f"被执行人：{ctx.debtor_name}，{label}：{ctx.debtor_masked_id}。")
    if ctx.debtor_is_organisation and ctx.legal_representative:
        doc.add_paragraph(f"法定代表人：{ctx.legal_representative}。")


def _persons(doc, ctx: OrderContext) -> None:
    for index, person in enumerate(ctx.bound_persons, start=1):
        role = ROLE_TEXT.get(person["role"], person["role"])
        _body(doc, f"{index}. {role}：{person['name']}，身份证号码：{mask_identifier(person['id_number'])}；")


def _closing(doc, ctx: OrderContext) -> None:
    doc.add_paragraph("")
    _right(doc, "院长（签发）")
    _right(doc, ctx.court_name)
    _right(doc, chinese_date(ctx.issued_on))
    _right(doc, "（院印）")


def _case(ctx: OrderContext) -> str:
    applicants = "、".join(ctx.applicant_names) or "申请执行人"
    return (
        f"本院于{chinese_date(ctx.filing_date)}立案执行申请执行人{applicants}与被执行人{ctx.debtor_name}"
        f"{ctx.cause}一案（{ctx.case_number}）。"
    )


def consumption_order_docx(ctx: OrderContext) -> bytes:
    """限制消费令 (限制消费规定 arts. 1, 3, 5, 11): why, the items prohibited (numbered as the rule numbers
    them), for an organisation the persons it binds, private consumption with one's own money, breach."""
    doc = _new_document()
    you = "你单位" if ctx.debtor_is_organisation else "你"
    _heading(doc, ctx)
    why = (
        "因被执行人已被纳入失信被执行人名单"
        if ctx.listed
        else "因被执行人未按执行通知书指定的期间履行生效法律文书确定的给付义务"
    )
    article = "第一条第二款" if ctx.listed else "第一条第一款"
    _body(
        doc,
        _case(ctx) + f"{why}，依照《中华人民共和国民事诉讼法》第二百六十六条，《最高人民法院关于限制被执行人"
        f"高消费及有关消费的若干规定》{article}、第三条的规定，本院对{you}采取限制消费措施。"
        f"{you}不得实施以下高消费及非生活和工作必需的消费行为：",
    )
    items = [value for value in ProhibitedConsumption.values if value in ctx.prohibited]
    for value in items:
        number = ProhibitedConsumption.values.index(value) + 1
        _body(doc, f"（{chinese_ordinal(number)}）{ITEM_TEXT[value]}；")
    if ctx.debtor_is_organisation:
        _body(
            doc,
            "被执行人为单位的，被采取限制消费措施后，被执行人及其法定代表人、主要负责人、影响债务履行的直接责任人员、"
            "实际控制人不得实施前款规定的行为。本令约束下列人员：",
        )
        _persons(doc, ctx)
        _body(doc, "因私消费以个人财产实施前款规定行为的，可以向本院提出申请。本院审查属实的，应予准许。")
    else:
        _body(doc, "确因生活或者经营必需而进行本令禁止的消费活动的，应当向本院提出申请，获批准后方可进行。")
    _body(
        doc,
        "如违反本限制消费令，经查证属实的，本院将依照《中华人民共和国民事诉讼法》第一百一十四条的规定，"
        "予以罚款、拘留；情节严重，构成犯罪的，依法追究刑事责任。",
    )
    _body(doc, f"{you}全部履行生效法律文书确定的义务后，本院将及时解除本限制消费令。")
    _closing(doc, ctx)
    return _save(doc)


def exit_decision_docx(ctx: OrderContext) -> bytes:
    """限制出境决定书 (民诉法 2023 art. 266; 执行程序解释 arts. 23–25, M): the debtor, or for an organisation the
    named persons, may not leave the country; lifted when the debt is performed, may be with security or the
    applicant's consent."""
    doc = _new_document()
    _heading(doc, ctx)
    _body(
        doc,
        _case(ctx) + "因被执行人未履行生效法律文书确定的义务，依照《中华人民共和国民事诉讼法》第二百六十六条的规定，"
        "决定如下：",
    )
    if ctx.debtor_is_organisation:
        _body(doc, f"对被执行人{ctx.debtor_name}的下列人员限制出境：")
        _persons(doc, ctx)
    else:
        _body(doc, f"对被执行人{ctx.debtor_name}（身份证号码：{ctx.debtor_masked_id}）限制出境。")
    _body(
        doc,
        "在限制出境期间，被执行人履行法律文书确定的全部债务的，本院将及时解除限制出境措施；"
        "被执行人提供充分、有效的担保或者申请执行人同意的，可以解除限制出境措施。",
    )
    _body(doc, "本决定书送达后立即生效。")
    _closing(doc, ctx)
    return _save(doc)


def render_order(*, restriction, bound_persons: list[dict]) -> bytes:
    ctx = order_context(restriction=restriction, bound_persons=bound_persons)
    if restriction.kind == RestrictionKind.EXIT:
        return exit_decision_docx(ctx)
    return consumption_order_docx(ctx)
