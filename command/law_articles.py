"""Law-article suggestions: a maintained table mapping the facts of an enforcement case to the rules of
docs/legal-rules.md (the project's copy of the team's legal reference, ../shared/legal-rules.md).

Each entry names the rule (``citation``, Chinese style, as (instrument, version, article)), a short text from the
source, the legal-rules.md section it comes from (``rule``) with words that stand in that section (``quote``, so
a test can check the entry against the file), the source's confidence grade there, and two functions over the
case's ``command.decision.Facts``: ``applies`` (the predicate) and ``reason`` (why, in the reader's language).

To add a rule: add it to legal-rules.md first (with its source and grade), then an entry here, then a test case
that triggers it and one that does not (tests/command/test_law_articles.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_yuan
from enforcement.choices import ObjectionKind
from enforcement.deadlines import add_months

if TYPE_CHECKING:  # the facts are gathered by command.decision, which reads this table
    from .decision import Facts

DEADLINE_WARNING_DAYS = 30

ZHONGBEN = "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》"
SHIXIN = "《最高人民法院关于公布失信被执行人名单信息的若干规定》"
XIANXIAO = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》"
MSSF = "《民事诉讼法》（2023）"
JIESHI = "《民事诉讼法解释》（2022）"
ZHIXING = "《最高人民法院关于人民法院执行工作若干问题的规定（试行）》（2020）"


@dataclass(frozen=True)
class LawArticle:
    code: str
    title: str
    citation: str
    text: str
    rule: str  # the section of legal-rules.md, e.g. "2.1"
    quote: str  # words that stand in that section
    confidence: str  # V-full | V-page | M, as legal-rules.md grades the source
    applies: Callable[[Facts], bool]
    reason: Callable[[Facts], str]


def _names(names) -> str:
    return "、".join(names)


# ---- predicates and reasons ----------------------------------------------------------------------------------


def _expiring(f: Facts) -> bool:
    return f.is_open and bool(f.expiring_measures)


def _expiring_reason(f: Facts) -> str:
    first = f.expiring_measures[0]
    return _("%(count)s control measure(s) lapse within 30 days, the first on %(day)s (%(asset)s).") % {
        "count": len(f.expiring_measures),
        "day": first.expires_on,
        "asset": first.asset_label,
    }


def _uncontrolled(f: Facts) -> bool:
    return f.is_open and bool(f.uncontrolled_assets)


def _uncontrolled_reason(f: Facts) -> str:
    return _("%(count)s piece(s) of property found and not controlled: %(assets)s.") % {
        "count": len(f.uncontrolled_assets),
        "assets": _names(
            [a.label for a in f.uncontrolled_assets[:5]] + (["…"] if len(f.uncontrolled_assets) > 5 else [])
        ),
    }


def _report_missing(f: Facts) -> bool:
    return f.is_open and bool(f.report_order_missing)


def _report_missing_reason(f: Facts) -> str:
    return _("No property report order served on %(debtors)s.") % {"debtors": _names(f.report_order_missing)}


def _nothing_in_hand(f: Facts) -> bool:
    """Open, and either a 终本 proposal is pending, or the network query is done and no property is left to
    control or held by a live measure: the 终本 conditions are the question."""
    if not f.is_open or f.suspended:
        return False
    return f.termination_proposed or (f.network_query_done and not f.uncontrolled_assets and not f.live_measures)


def _termination_reason(f: Facts) -> str:
    met = len(f.termination_checks) - len(f.termination_unmet)
    if not f.termination_unmet:
        return _("No property in hand; all %(total)s conditions of art. 1 are met.") % {
            "total": len(f.termination_checks)
        }
    return _("No property in hand; %(met)s of %(total)s conditions met. Missing: %(missing)s") % {
        "met": met,
        "total": len(f.termination_checks),
        "missing": " ".join(c.message for c in f.termination_unmet),
    }


def _requery(f: Facts) -> bool:
    return f.terminated_this_round


def _requery_reason(f: Facts) -> str:
    return _("Closed as 终本: for 5 years, query the debtor's property every 6 months and restore when it appears.")


def _insolvent_organisation(f: Facts) -> bool:
    return f.owed > 0 and bool(f.organisation_debtors) and (f.terminated_this_round or bool(f.bankruptcy_indicated))


def _insolvent_reason(f: Facts) -> str:
    names = _names(name for _pk, name in f.organisation_debtors)
    if f.bankruptcy_indicated:
        return _("The organisation debtor %(names)s shows signs of insolvency (score %(score)s); %(owed)s unpaid.") % {
            "names": names,
            "score": f.bankruptcy_indicated[0].score,
            "owed": format_yuan(f.owed),
        }
    return _("The organisation debtor %(names)s still owes %(owed)s after 终本.") % {
        "names": names,
        "owed": format_yuan(f.owed),
    }


def _not_performing(f: Facts) -> bool:
    return f.is_open and f.enforcement_notice_on is not None and f.owed > 0


def _dishonest(f: Facts) -> bool:
    return _not_performing(f) and not f.listed and f.adult_debtors > 0


def _dishonest_reason(f: Facts) -> str:
    text = _("Served the enforcement notice on %(day)s and still owes %(owed)s; not on the dishonest list.") % {
        "day": f.enforcement_notice_on,
        "owed": format_yuan(f.owed),
    }
    if f.clues:
        return text + " " + _("Property moved to related parties points to ground (三), evasion.")
    if f.property_value > 0:
        return text + " " + _("Property was found: ground (一), able to perform but refuses, may apply.")
    return text + " " + _("Check whether one of the six grounds applies.")


def _minor(f: Facts) -> bool:
    return f.is_open and bool(f.minor_debtors)


def _minor_reason(f: Facts) -> str:
    return _("%(names)s is a minor: never to be put on the dishonest list.") % {"names": _names(f.minor_debtors)}


def _restrict(f: Facts) -> bool:
    return _not_performing(f) and not f.consumption_restricted


def _restrict_reason(f: Facts) -> str:
    if f.listed:
        return _("The debtor is on the dishonest list but not restricted: the restriction is mandatory.")
    return _("The period of the enforcement notice (served %(day)s) passed with %(owed)s unpaid: the court may "
             "restrict consumption.") % {"day": f.enforcement_notice_on, "owed": format_yuan(f.owed)}  # fmt: skip


def _concealment(f: Facts) -> bool:
    return f.is_open and bool(f.clues)


def _concealment_reason(f: Facts) -> str:
    first = f.clues[0]
    return _("%(count)s transfer(s) to related parties, e.g. %(property)s to %(related)s on %(day)s.") % {
        "count": len(f.clues),
        "property": first.description,
        "related": first.related_name,
        "day": first.transferred_on,
    }


def _deadline_near(f: Facts) -> bool:
    days = f.days_to_deadline
    return not f.suspended and days is not None and days <= DEADLINE_WARNING_DAYS


def _deadline_reason(f: Facts) -> str:
    days = f.days_to_deadline
    if days < 0:
        return _("The time limit ended on %(day)s, %(days)s day(s) ago.") % {"day": f.deadline_on, "days": -days}
    return _("The time limit ends on %(day)s, in %(days)s day(s); an extension is asked for in its last 5 days.") % {
        "day": f.deadline_on,
        "days": days,
    }


def _six_months_idle(f: Facts) -> bool:
    return f.is_open and f.performed <= 0 and f.today > add_months(f.filing_date, 6)


def _six_months_idle_reason(f: Facts) -> str:
    return _("Filed on %(day)s, more than six months ago, and nothing performed yet.") % {"day": f.filing_date}


def _objection_of(kind: str) -> Callable[[Facts], bool]:
    def applies(f: Facts) -> bool:
        return any(o.kind == kind for o in f.objections)

    return applies


def _objection_reason_of(kind: str) -> Callable[[Facts], str]:
    def reason(f: Facts) -> str:
        pending = [o for o in f.objections if o.kind == kind]
        return _("%(count)s pending objection(s), by %(names)s; the first is to be decided by %(day)s.") % {
            "count": len(pending),
            "names": _names(o.objector_name for o in pending),
            "day": pending[0].review_due_on,
        }

    return reason


# ---- the table ------------------------------------------------------------------------------------------------

LAW_ARTICLES: tuple[LawArticle, ...] = (
    LawArticle(
        code="control.renew",
        title=gettext_lazy("Renew control measures before they lapse"),
        citation=f"{JIESHI}第四百八十五条",
        text="冻结银行存款不得超过一年，查封、扣押动产不得超过两年，查封不动产、冻结其他财产权不得超过三年；"
        "应当在期限届满前办理续行查封、扣押、冻结手续。",
        rule="2.1",
        quote="第四百八十五条",
        confidence="V-full",
        applies=_expiring,
        reason=_expiring_reason,
    ),
    LawArticle(
        code="control.order",
        title=gettext_lazy("Control the property found"),
        citation=f"{MSSF}第二百五十三条、第二百五十五条",
        text="人民法院有权查询、冻结、划拨被执行人的存款等财产；有权查封、扣押、拍卖、变卖被执行人应当履行义务部分的财产。",
        rule="5.4",
        quote="| 253 | Query, freeze, deduct |",
        confidence="V-full",
        applies=_uncontrolled,
        reason=_uncontrolled_reason,
    ),
    LawArticle(
        code="report.property",
        title=gettext_lazy("Order the debtor to report property"),
        citation=f"{MSSF}第二百五十二条",
        text="被执行人未按执行通知履行法律文书确定的义务，应当报告当前以及收到执行通知之日前一年的财产情况。",
        rule="5.4",
        quote="| 252 | Duty to report assets",
        confidence="V-full",
        applies=_report_missing,
        reason=_report_missing_reason,
    ),
    LawArticle(
        code="termination.conditions",
        title=gettext_lazy("Conditions of 终本 (terminating this round)"),
        citation=f"{ZHONGBEN}第一条",
        text="终结本次执行程序，应当同时符合：发出执行通知、责令报告财产；发出限制消费令并依法纳入失信名单；"
        "已穷尽财产调查措施；自立案之日起已超过三个月；下落不明的已依法查找，妨害执行的已依法采取强制措施。",
        rule="1.1",
        quote="第一条 人民法院终结本次执行程序，应当同时符合下列条件",
        confidence="V-page",
        applies=_nothing_in_hand,
        reason=_termination_reason,
    ),
    LawArticle(
        code="termination.requery",
        title=gettext_lazy("After 终本: re-query every six months, restore when property appears"),
        citation=f"{ZHONGBEN}第九条",
        text="终结本次执行程序后的五年内，执行法院应当每六个月通过网络执行查控系统查询一次被执行人的财产，"
        "并将查询结果告知申请执行人。",
        rule="1.7",
        quote="第九条 终结本次执行程序后",
        confidence="V-page",
        applies=_requery,
        reason=_requery_reason,
    ),
    LawArticle(
        code="bankruptcy.transfer",
        title=gettext_lazy("Transfer to bankruptcy (执转破)"),
        citation=f"{JIESHI}第五百一十一条",
        text="作为被执行人的企业法人符合企业破产法第二条第一款规定情形的，执行法院经申请执行人之一或者被执行人同意，"
        "应当裁定中止对该被执行人的执行，将执行案件相关材料移送被执行人住所地人民法院。",
        rule="7.1",
        quote="第五百一十一条 在执行中，作为被执行人的企业法人",
        confidence="V-full",
        applies=_insolvent_organisation,
        reason=_insolvent_reason,
    ),
    LawArticle(
        code="credit.dishonest",
        title=gettext_lazy("Dishonest-debtor list (失信)"),
        citation=f"{SHIXIN}第一条",
        text="被执行人未履行生效法律文书确定的义务，并具有有履行能力而拒不履行、妨碍抗拒执行、规避执行、"
        "违反财产报告制度、违反限制消费令、拒不履行和解协议情形之一的，应当纳入失信被执行人名单。",
        rule="3.1",
        quote="第一条 被执行人未履行生效法律文书确定的义务",
        confidence="V-page",
        applies=_dishonest,
        reason=_dishonest_reason,
    ),
    LawArticle(
        code="credit.minor",
        title=gettext_lazy("A minor is never listed as dishonest"),
        citation=f"{SHIXIN}第四条",
        text="被执行人为未成年人的，人民法院不得将其纳入失信被执行人名单。",
        rule="3.3",
        quote="a minor (未成年人) may never be listed",
        confidence="V-page",
        applies=_minor,
        reason=_minor_reason,
    ),
    LawArticle(
        code="credit.consumption",
        title=gettext_lazy("Consumption restriction (限制消费)"),
        citation=f"{XIANXIAO}第一条",
        text="被执行人未按执行通知书指定的期间履行生效法律文书确定的给付义务的，人民法院可以采取限制消费措施；"
        "纳入失信被执行人名单的被执行人，人民法院应当对其采取限制消费措施。",
        rule="4.1",
        quote="人民法院可以采取限制消费措施",
        confidence="V-page",
        applies=_restrict,
        reason=_restrict_reason,
    ),
    LawArticle(
        code="coercion.obstruction",
        title=gettext_lazy("Fines and detention for hiding or transferring property"),
        citation=f"{MSSF}第一百一十四条",
        text="隐藏、转移、变卖、毁损已被查封、扣押的财产，或者拒不履行人民法院已经发生法律效力的判决、裁定的，"
        "人民法院可以根据情节轻重予以罚款、拘留；构成犯罪的，依法追究刑事责任。",
        rule="4.6",
        quote="see the current 民诉法 art. 114",
        confidence="M",
        applies=_concealment,
        reason=_concealment_reason,
    ),
    LawArticle(
        code="deadline.six_months",
        title=gettext_lazy("The six-month time limit"),
        citation=f"{ZHIXING}第六十三条",
        text="人民法院执行生效法律文书，一般应当在立案之日起六个月内执行结案，但中止执行的期间应当扣除。"
        "确有特殊情况需要延长的，由本院院长批准。",
        rule="5.1",
        quote="一般应当在立案之日起六个月内执行结案",
        confidence="V-full",
        applies=_deadline_near,
        reason=_deadline_reason,
    ),
    LawArticle(
        code="deadline.higher_court",
        title=gettext_lazy("Six months without enforcement: the applicant may go to the higher court"),
        citation=f"{MSSF}第二百三十七条",
        text="人民法院自收到申请执行书之日起超过六个月未执行的，申请执行人可以向上一级人民法院申请执行。",
        rule="5.2",
        quote="人民法院自收到申请执行书之日起超过六个月未执行的",
        confidence="V-full",
        applies=_six_months_idle,
        reason=_six_months_idle_reason,
    ),
    LawArticle(
        code="objection.act",
        title=gettext_lazy("Objection to an enforcement act: decide within 15 days"),
        citation=f"{MSSF}第二百三十六条",
        text="当事人、利害关系人认为执行行为违反法律规定的，可以提出书面异议；人民法院应当自收到书面异议之日起十五日内审查；"
        "不服裁定的，可以自裁定送达之日起十日内向上一级人民法院申请复议。",
        rule="5.4",
        quote="| 236 | 执行行为异议",
        confidence="V-full",
        applies=_objection_of(ObjectionKind.ACT),
        reason=_objection_reason_of(ObjectionKind.ACT),
    ),
    LawArticle(
        code="objection.third_party",
        title=gettext_lazy("Third-party objection to the property: decide within 15 days"),
        citation=f"{MSSF}第二百三十八条",
        text="执行过程中，案外人对执行标的提出书面异议的，人民法院应当自收到书面异议之日起十五日内审查。",
        rule="5.4",
        quote="| 238 | 案外人异议",
        confidence="V-full",
        applies=_objection_of(ObjectionKind.THIRD_PARTY),
        reason=_objection_reason_of(ObjectionKind.THIRD_PARTY),
    ),
)


def article(code: str) -> LawArticle:
    return next(a for a in LAW_ARTICLES if a.code == code)


def suggest_articles(facts: Facts) -> list[tuple[LawArticle, str]]:
    """The entries whose predicate holds on ``facts``, in the table's order, each with its reason."""
    return [(entry, entry.reason(facts)) for entry in LAW_ARTICLES if entry.applies(facts)]
