"""The decisions of coercive measures, generated as .docx (python-docx, as ``enforcement/documents.py``):
罚款决定书 and 拘留决定书 (民诉法 2023 arts. 118–119: decided in writing, with the president's approval; the
person may apply once to the court of the next level for reconsideration, execution not suspended) and the
搜查令 (art. 255: a search warrant signed by the president).

The text is formal Chinese, as courts issue them; it is the document itself, not interface text, so it is
not translated.
"""

from __future__ import annotations

import datetime as dt

from cases.choices import PartyKind

from .choices import CoerciveKind
from .documents import _body, _centered, _new_document, _right, _save, amount_in_words, chinese_date, yuan

TITLES = {CoerciveKind.FINE: "罚款决定书", CoerciveKind.DETENTION: "拘留决定书", CoerciveKind.SEARCH: "搜查令"}
DETENTION_PLACE = "本市拘留所"


def _subject_line(measure) -> str:
    subject = measure.subject
    if subject.kind == PartyKind.ORGANISATION:
        line = f"被处罚单位：{subject.name}"
        if measure.responsible_person:
            line += f"；主要负责人或直接责任人员：{measure.responsible_person}"
        return line
    return f"被处罚人：{subject.name}"


def coercion_decision_docx(*, measure, decided_on: dt.date) -> bytes:
    """The decision (fine, detention) or the warrant (search) of ``measure``, numbered ``order_number``."""
    record = measure.enforcement_case.case
    court = record.court.name
    doc = _new_document()
    _centered(doc, court, size=18, bold=True)
    _centered(doc, TITLES[measure.kind], size=22, bold=True)
    _right(doc, measure.order_number)
    facts = (measure.facts or "").strip()
    ground = measure.get_ground_display()
    if measure.kind == CoerciveKind.SEARCH:
        doc.add_paragraph(f"被搜查人：{measure.subject.name}")
        _body(
            doc,
            f"本院在执行{record.number}案件中，被执行人{measure.subject.name}不履行法律文书确定的义务，"
            f"并隐匿财产。{facts}依照《中华人民共和国民事诉讼法》第二百五十五条的规定，特发此令。",
        )
        _body(doc, f"搜查地点：{measure.search_place}。")
        _body(doc, "执行人员应出示本搜查令，搜查时应有被搜查人或其成年家属以及基层组织派员在场，并制作搜查笔录。")
        doc.add_paragraph("")
        _right(doc, "院长（签名）：")
    else:
        doc.add_paragraph(_subject_line(measure))
        _body(doc, f"本院在执行{record.number}案件中，查明：{facts}（{ground}）")
        if measure.kind == CoerciveKind.FINE:
            sanction = f"罚款人民币{amount_in_words(measure.amount)}（{yuan(measure.amount)}）"
            after = "罚款应于收到本决定书之日起十日内缴纳。"
        else:
            target = measure.responsible_person or measure.subject.name
            sanction = f"对{target}拘留{measure.days}日"
            after = (
                f"拘留由执行人员交{DETENTION_PLACE}看管。被拘留人在拘留期间承认并改正错误的，本院可以决定提前解除拘留。"
            )
        _body(
            doc,
            "上述行为妨害了民事诉讼的正常进行。经本院院长批准，依照《中华人民共和国民事诉讼法》第一百一十四条、"
            f"第一百一十八条、第一百一十九条的规定，决定如下：{sanction}。",
        )
        _body(doc, after)
        _body(
            doc,
            "如不服本决定，可以在收到决定书之日起三日内，口头或者书面向上一级人民法院申请复议一次。"
            "复议期间，不停止本决定的执行。",
        )
    doc.add_paragraph("")
    _right(doc, court)
    _right(doc, chinese_date(decided_on))
    _right(doc, "（院印）")
    return _save(doc)
