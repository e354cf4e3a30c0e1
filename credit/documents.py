"""The listing decision (纳入失信被执行人名单决定书, 失信规定 2017 art. 6), generated as .docx (python-docx).

The text is formal Chinese, as courts issue it; it is the document itself, not interface text, so it is not
translated."""

from __future__ import annotations

from enforcement.documents import _body, _centered, _new_document, _right, _save, chinese_date

GROUND_TEXT = {
    "able_but_refuses": "有履行能力而拒不履行生效法律文书确定义务",
    "obstructs": "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    "evades": "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    "breaches_reporting": "违反财产报告制度",
    "breaches_restriction": "违反限制消费令",
    "refuses_settlement": "无正当理由拒不履行执行和解协议",
}
GROUND_ITEM = {
    "able_but_refuses": "一",
    "obstructs": "二",
    "evades": "三",
    "breaches_reporting": "四",
    "breaches_restriction": "五",
    "refuses_settlement": "六",
}


def listing_decision_docx(*, listing) -> bytes:
    """The decision for an approved ``listing`` (listed_on, decision_number and expires_on set)."""
    ec = listing.enforcement_case
    court = ec.case.court.name
    doc = _new_document()
    _centered(doc, court, size=18, bold=True)
    _centered(doc, "决定书", size=22, bold=True)
    _right(doc, listing.decision_number)
    doc.add_paragraph(f"被执行人：{listing.debtor_name}，证件号码：{listing.debtor.id_number}")
    _body(
        doc,
        f"本院在执行{ec.case.number}案件中，查明被执行人{listing.debtor_name}未履行生效法律文书确定的义务，"
        f"并{GROUND_TEXT[listing.ground]}。{listing.facts}",
    )
    _body(
        doc,
        "依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第"
        f"（{GROUND_ITEM[listing.ground]}）项之规定，决定如下：",
    )
    period = f"，纳入期限至{chinese_date(listing.expires_on)}" if listing.expires_on else "，至其履行义务之日止"
    _body(doc, f"将{listing.debtor_name}纳入失信被执行人名单{period}。")
    _body(doc, "被执行人认为将其纳入失信被执行人名单错误的，可以向本院申请纠正。")
    _body(doc, "本决定一经作出即生效。")
    doc.add_paragraph("")
    _right(doc, court)
    _right(doc, chinese_date(listing.listed_on))
    _right(doc, "（院印）")
    return _save(doc)
