"""The 执转破告知书 (notice of the transfer to bankruptcy review) as a .docx, in Chinese: one document addressed to the
applicants and the debtor, asking for their consent within the period given (解释 2022 art. 511; 法发〔2017〕2号)."""

from __future__ import annotations

import datetime as dt

from enforcement.documents import _body, _centered, _new_document, _right, _save, chinese_date, yuan

CONSENT_DAYS = 15  # the period the notice gives to answer (法发〔2017〕2号 leaves it to the court; 15 days is usual)


def notice_texts(*, transfer, cases, applicants: list[str], issued_on: dt.date, unpaid) -> list[str]:
    """The notice's paragraphs (the .docx and the tests read the same text)."""
    numbers = "、".join(c.case.number for c in cases)
    reply_by = issued_on + dt.timedelta(days=CONSENT_DAYS)
    return [
        f"{'、'.join(applicants)}、{transfer.debtor.name}：",
        f"本院在执行{numbers}案件中，发现被执行人{transfer.debtor.name}不能清偿到期债务，"
        f"并且资产不足以清偿全部债务或者明显缺乏清偿能力（尚欠执行款{yuan(unpaid)}元）。"
        f"理由：{transfer.grounds}",
        "依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百一十一条的规定，经申请执行人之一或者"
        "被执行人同意，本院将裁定中止对该被执行人的执行，并将执行案件相关材料移送被执行人住所地人民法院"
        f"（{transfer.receiving_court.name}）进行破产审查。",
        f"请于{chinese_date(reply_by)}前书面答复本院是否同意将本案移送破产审查。逾期不答复的，视为不同意。",
        "被执行人住所地人民法院应当自收到材料之日起三十日内作出是否受理的裁定；裁定受理的，本院将解除对被执行人"
        "财产的保全措施；不予受理的，本院将恢复执行（解释第五百一十二条、第五百一十三条）。"
        "当事人不同意移送或者不予受理的，执行变价所得在扣除执行费用及清偿优先受偿的债权后，普通债权按照查封、"
        "扣押、冻结财产的先后顺序清偿（解释第五百一十四条）。",
    ]


def transfer_notice_docx(*, transfer, cases, applicants: list[str], issued_on: dt.date, unpaid) -> bytes:
    doc = _new_document()
    _centered(doc, transfer.court.name, size=18, bold=True)
    _centered(doc, "执行案件移送破产审查告知书", size=22, bold=True)
    _right(doc, "、".join(c.case.number for c in cases))
    for text in notice_texts(transfer=transfer, cases=cases, applicants=applicants, issued_on=issued_on, unpaid=unpaid):
        _body(doc, text)
    doc.add_paragraph("")
    _right(doc, transfer.court.name)
    _right(doc, chinese_date(issued_on))
    _right(doc, "（院印）")
    return _save(doc)
