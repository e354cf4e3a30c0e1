"""The 财产保全告知书 as a .docx (python-docx), in Chinese, filled from the case and the decision."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from core.money import round_fen

from .choices import PartyRole
from .models import PreservationNoticeDecision

APPLY_WITHIN_DAYS = 15  # the notice's own time to answer; preservation may still be sought until judgment
SECURITY_SHARE = Decimal("0.30")  # 财产保全规定 2020 art. 5: security up to 30 % of the amount preserved


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _paragraph(document, text: str, *, bold=False, size=12, align=None, indent=True):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    run.font.name = "宋体"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    return paragraph


def notice_texts(decision: PreservationNoticeDecision) -> list[str]:
    """The notice's paragraphs, in order (the .docx and the tests read the same text)."""
    case = decision.case
    links = list(case.party_links.select_related("party"))
    plaintiffs = "、".join(link.party.name for link in links if link.role == PartyRole.PLAINTIFF)
    defendants = "、".join(link.party.name for link in links if link.role == PartyRole.DEFENDANT)
    issued = timezone.localtime(decision.decided_at).date()
    deadline = issued + dt.timedelta(days=APPLY_WITHIN_DAYS)
    security = round_fen(case.amount * SECURITY_SHARE)
    return [
        f"{plaintiffs}：",
        f"本院已立案受理原告{plaintiffs}诉被告{defendants}{case.cause}一案，案号为{case.number}。"
        "为保障将来发生法律效力的裁判文书能够得到执行，现将财产保全的有关事项告知如下：",
        "一、什么是财产保全。对于可能因当事人一方的行为或者其他原因，使判决难以执行或者造成当事人其他损害的"
        "案件，人民法院根据对方当事人的申请，可以裁定对其财产进行保全，采取查封、扣押、冻结或者法律规定的其他"
        "方法（《中华人民共和国民事诉讼法》第一百零三条）。保全限于请求的范围，或者与本案有关的财物。",
        f"二、你方的申请权利。你方有权在本案判决发生法律效力前，向本院书面申请对被告{decision.party.name}的财产"
        "采取保全措施。申请书应当写明申请保全人与被保全人的身份信息、请求保全的数额或者争议标的、明确的被保全"
        "财产信息或者具体的被保全财产线索，以及申请保全的事实和理由。",
        f"三、担保。申请诉讼财产保全的，人民法院可以责令申请人提供担保，担保数额不超过请求保全数额的百分之三十。"
        f"本案诉讼请求金额为人民币{case.amount}元，如申请保全相应数额，担保数额一般不超过人民币{security}元。"
        "担保可以采用保证金、保险公司出具的财产保全责任险保单、担保公司或者金融机构出具的保函等方式。",
        "四、申请错误的责任。申请有错误的，申请人应当赔偿被申请人因财产保全所遭受的损失。",
        f"五、申请期限。请你方于收到本告知书之日起十五日内，即{_date_text(deadline)}前，向本院立案庭提交书面申请"
        "及担保材料；逾期未申请的，本院将依法继续审理本案，你方在判决发生法律效力前仍可另行提出申请。",
        "特此告知。",
    ]


def render_preservation_notice(decision: PreservationNoticeDecision) -> bytes:
    case = decision.case
    document = Document()
    _paragraph(document, case.court.name, bold=True, size=18, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, "财产保全告知书", bold=True, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, case.number, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    texts = notice_texts(decision)
    _paragraph(document, texts[0], indent=False)
    for text in texts[1:]:
        _paragraph(document, text)
    _paragraph(document, case.court.name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    issued = timezone.localtime(decision.decided_at).date()
    _paragraph(document, _date_text(issued), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(document, "（院印）", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_filename(decision: PreservationNoticeDecision) -> str:
    return f"preservation-notice-{decision.case_id}-{decision.party_id}.docx"
