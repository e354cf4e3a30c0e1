"""Demo data owned by cases: parties and about 360 cases at five demo courts.

Everything is filed through ``cases.services.case_file`` by a filing clerk of the court, so numbers are
allocated in filing order and every write has its audit row, exactly as in production.

The whole plan (parties, cases, their links) is computed first, deterministically, from seeded random
streams; only then is it written, one court per transaction. A court that already has cases filed by its
demo clerk is skipped, so a second run writes nothing and an interrupted run is completed by the next.
Parties already registered are linked by their registered record, never re-registered.

What the data shows:
- 京0105 (the demo officer's court) holds most cases; 京0108, 沪0115 and 粤0703 the rest; 京03 hears a
  few appeals (民终) from 京0105's first-instance cases.
- Some debtors are on 2–5 enforcement cases each, a few of them at two courts (cross-case alerts); a
  蓬江 company with several unsatisfied enforcement cases faces a bankruptcy petition (执转破 screening).
- Chains of related cases share their parties: 民初 → 执, 财保 → 执保, 执 → 执异, 民初 → 民终.

The trial side at 京0105 (``seed_litigation``, one transaction, skipped once its documents exist): every
民初 case gets its hearings; the older ones a judgment or a mediation statement (some payable in
instalments) that has taken effect; appealed ones a judgment that never takes effect; 执 cases resting on an
arbitral award or a notarised debt instrument get that document registered on them; 财保 cases get a
granted pre-suit application with its measures (a few about to expire); some pending 民初 cases an in-suit
application and the clerk's decision on the preservation notice.

For the enforcement demo: ``enforceable_documents("京0105")`` lists every effective, unperformed document of
the court as ``(document, enforcement_case)`` pairs. ``enforcement_case`` is the existing 执 case filed on
it (same court, its creditors the obligees and its debtors the obligors; for an award or a notarised
instrument, the 执 case it is registered on), or ``None`` when no enforcement case was filed on it yet —
those are the documents to file new enforcement cases on.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.demo import DemoContext
from core.identifiers import (
    is_minor,
    make_credit_code,
    make_resident_id,
    normalize_credit_code,
    normalize_resident_id,
)
from core.money import FEN

from .choices import (
    ROLE_SIDES,
    CaseType,
    DocumentKind,
    MeasureKind,
    PartyKind,
    PartyRole,
    PreservationKind,
    PropertyClass,
    TrialEventKind,
)
from .models import Case, EffectiveDocument, Party
from .services import (
    PartyInput,
    case_file,
    document_record,
    preservation_apply,
    preservation_decide,
    preservation_measure_add,
    preservation_notice_decide,
    trial_event_record,
)
from .services.preservation import control_cap

WINDOW_DAYS = 730  # filing dates fall in the last two years
CASE_COUNTS = {"京0105": 272, "京0108": 32, "沪0115": 28, "粤0703": 24}
APPEALS_AT = "京03"  # hears appeals from 京0105
APPEAL_COUNT = 8
CLERKS = {
    "京0105": "demo-clerk",
    "京0108": "demo-clerk-haidian",
    "沪0115": "demo-clerk-pudong",
    "粤0703": "demo-clerk-pengjiang",
    "京03": "demo-clerk-sanzhong",
}
MAX_DEBTOR_CASES = 5
CHILD_OBJECTIONS = {"京0105": 2}  # 执异 by a minor: minors appear as third parties, never as debtors

# ----------------------------------------------------------------------------------------------------------
# Names


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _weights(text: str) -> tuple[tuple[str, int], ...]:
    """Parse ``"王71 李70"`` into ``(("王", 71), ("李", 70))``."""
    return tuple((m[1], int(m[2])) for m in re.finditer(r"(\D+?)(\d+)", text.replace(" ", "")))


SURNAMES = _weights(
    "王71 李70 张67 刘54 陈46 杨31 黄25 赵23 吴20 周19 徐16 孙15 马14 朱13 胡13 郭12 何12 高11 林11 罗10 "
    "郑9 梁9 谢8 宋8 唐8 许7 韩7 冯7 邓7 曹6 彭6 曾6 肖6 田5 董5 袁5 潘5 于5 蒋5 蔡5 余5 杜4 叶4 程4 "
    "苏4 魏4 吕4 丁4 任4 沈4 姚3 卢3 姜3 崔3 钟3 谭3 陆3 汪3 范3 金3 石3 廖3 贾3 夏3 韦2 方2 白2 邹2 "
    "孟2 熊2 秦2 邱2 江2 尹2 薛2 闫2 段2 雷2 侯2 龙2 史2 陶2 贺2 顾2 毛2 郝2 龚2 邵2 万2 钱2 严2 欧阳1 上官1"
)
# Wuyi (五邑) surnames: 司徒, 关, 区, 甄, 伍 are as typical of 江门 as 陈 and 梁.
JIANGMEN_SURNAMES = _weights(
    "陈20 李16 黄14 梁14 林8 张8 吴7 谭7 余6 关6 司徒5 区4 甄4 伍4 冯4 刘4 何4 赵3 邓3 叶3 容2 麦2"
)
# Given names by generation (born before 1970, 1970–1989, from 1990) and sex.
_GIVEN_NAMES = {
    ("old", "M"): "建国 国庆 卫东 建华 志强 国强 振华 德明 立新 春生 建军 玉林 长江 宝山 连生 福生 永刚 树林 "
    "金山 荣华 国平 保国 文忠 德胜",
    ("old", "F"): "秀英 桂英 玉兰 淑珍 秀兰 凤英 桂兰 玉梅 丽华 淑英 春梅 秀珍 凤兰 美华 素芬 翠英 桂芳 玉珍",
    ("mid", "M"): "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 波 宁 亮 峰 海涛 晓东 志刚 建伟 国华 文斌 "
    "永强 海波 立军 红涛 学军 东升",
    ("mid", "F"): "芳 娜 敏 静 丽 艳 娟 霞 燕 玲 红 萍 丽娟 晓燕 海燕 美玲 春燕 晓红 丽萍 雪梅 慧敏 秋菊",
    ("young", "M"): "浩 宇 俊 帅 凯 鑫 浩然 子轩 宇航 俊杰 博文 天宇 思远 梓豪 一鸣 嘉豪 晨阳 皓轩 明轩 泽宇 家乐 志豪",
    ("young", "F"): "婷 雪 慧 颖 琳 洁 倩 晶 佳怡 欣怡 梓涵 诗涵 雨婷 思琪 梦瑶 可欣 子涵 雨欣 佳琪 心怡 嘉欣 晓彤",
}
GIVEN_NAMES = {key: _words(names) for key, names in _GIVEN_NAMES.items()}
BRAND_CHARS = "恒信达华盛鑫源泰宏嘉瑞诚德利隆通辉金宝安康益博创新远鼎中天海佳合兴旺丰凯永昌聚荣润晟弘锦程汇力众科腾"
INDUSTRIES = tuple(
    f"{trade}有限公司"
    for trade in _words(
        "科技 商贸 贸易 建筑工程 房地产开发 餐饮管理 物流 文化传媒 装饰工程 机械设备 电子科技 供应链管理 网络技术 "
        "汽车销售服务 教育咨询 医疗器械 建材 广告 信息技术 实业 酒店管理 生物科技"
    )
)
JIANGMEN_INDUSTRIES = tuple(
    f"{trade}有限公司"
    for trade in _words("五金制品 卫浴 摩托车配件 纺织 家具 电器 不锈钢制品 塑料制品 食品 建筑工程 商贸 实业")
)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 组织机构代码


@dataclass(frozen=True)
class City:
    key: str
    province: str  # address prefix
    short: str  # company-name prefix
    surnames: tuple[tuple[str, int], ...]
    regions: tuple[tuple[str, int], ...]  # 居民身份证 address codes of people born here, weighted
    fallback_regions: tuple[str, ...]  # tried in order when a code did not exist in the birth year
    credit_regions: tuple[str, ...]  # registering authorities of local companies
    districts: dict[str, tuple[str, ...]]  # district → roads
    phone: Callable[[random.Random], str]
    arbitration: tuple[str, str]  # commission, number pattern
    labour_arbitration: tuple[str, str]
    notary: tuple[str, str]
    banks: tuple[str, ...]
    insurer: str
    industries: tuple[str, ...] = INDUSTRIES


CITIES = {
    "beijing": City(
        key="beijing",
        province="北京市",
        short="北京",
        surnames=SURNAMES,
        regions=(
            ("110105", 5),
            ("110108", 4),
            ("110101", 2),
            ("110102", 2),
            ("110106", 2),
            ("110107", 1),
            ("110114", 1),
            ("110112", 1),
        ),
        fallback_regions=("110105", "110108", "110101"),
        credit_regions=("110105", "110105", "110108", "110101", "110102", "110000"),
        districts={
            "朝阳区": _words("建国路 朝阳北路 望京西路 东三环中路 酒仙桥路 光华路 劲松南路 北苑路 农展馆南路 广渠路"),
            "海淀区": _words("中关村大街 学院路 知春路 西三环北路 万泉河路 苏州街 上地信息路 北四环西路"),
            "东城区": _words("东直门内大街 朝阳门北大街 崇文门外大街"),
            "西城区": _words("西直门南大街 阜成门外大街 广安门内大街"),
            "丰台区": _words("丰台北路 南三环西路 科学城富丰路"),
        },
        phone=lambda rng: f"010-5555{rng.randrange(10000):04d}",
        arbitration=("北京仲裁委员会", "（{y}）京仲裁字第{n}号裁决书"),
        labour_arbitration=("北京市朝阳区劳动人事争议仲裁委员会", "京朝劳人仲字〔{y}〕第{n}号仲裁裁决书"),
        notary=("北京市京都公证处", "（{y}）京京都内经证字第{n}号公证债权文书及执行证书"),
        banks=("京华银行股份有限公司北京朝阳支行", "北辰银行股份有限公司北京分行", "瑞通银行股份有限公司北京海淀支行"),
        insurer="京安财产保险股份有限公司北京分公司",
    ),
    "shanghai": City(
        key="shanghai",
        province="上海市",
        short="上海",
        surnames=SURNAMES,
        regions=(
            ("310115", 5),
            ("310104", 2),
            ("310101", 2),
            ("310105", 1),
            ("310106", 1),
            ("310107", 1),
            ("310110", 1),
            ("310112", 2),
        ),
        fallback_regions=("310104", "310101", "310105"),
        credit_regions=("310115", "310115", "310104", "310000"),
        districts={
            "浦东新区": _words("世纪大道 张杨路 浦东南路 杨高中路 金桥路 川沙路 碧波路 锦绣路 东方路"),
            "徐汇区": _words("漕溪北路 肇嘉浜路 虹桥路"),
            "黄浦区": _words("南京东路 西藏中路"),
            "闵行区": _words("七莘路 沪闵路"),
        },
        phone=lambda rng: f"021-5555{rng.randrange(10000):04d}",
        arbitration=("上海仲裁委员会", "（{y}）沪仲案字第{n}号裁决书"),
        labour_arbitration=("上海市浦东新区劳动人事争议仲裁委员会", "浦劳人仲（{y}）办字第{n}号仲裁裁决书"),
        notary=("上海市浦江公证处", "（{y}）沪浦江证经字第{n}号公证债权文书及执行证书"),
        banks=("沪通银行股份有限公司上海浦东分行", "浦江银行股份有限公司张江支行"),
        insurer="沪平财产保险股份有限公司上海分公司",
    ),
    "jiangmen": City(
        key="jiangmen",
        province="广东省江门市",
        short="江门市",
        surnames=JIANGMEN_SURNAMES,
        regions=(
            ("440703", 5),
            ("440704", 2),
            ("440705", 2),
            ("440781", 1),
            ("440783", 1),
            ("440784", 1),
            ("440702", 1),
            ("442702", 1),
        ),
        # 蓬江区 exists since 1994; before it 城区 (1984–1994) and 江门市 under 佛山地区 (to 1983).
        fallback_regions=("440703", "440702", "442702"),
        credit_regions=("440703", "440703", "440704", "440705", "440700"),
        districts={
            "蓬江区": _words("建设路 港口一路 白沙大道西 北街大道 胜利路 丰乐路 迎宾大道"),
            "江海区": _words("江海一路 五邑路 金瓯路"),
            "新会区": _words("今古洲路 中心南路 冈州大道"),
        },
        phone=lambda rng: f"0750-555{rng.randrange(10000):04d}",
        arbitration=("江门仲裁委员会", "（{y}）江仲案字第{n}号裁决书"),
        labour_arbitration=("江门市劳动人事争议仲裁委员会", "江劳人仲案字〔{y}〕{n}号仲裁裁决书"),
        notary=("广东省江门市五邑公证处", "（{y}）粤江五邑第{n}号公证债权文书及执行证书"),
        banks=("五邑银行股份有限公司蓬江支行", "侨乡农村商业银行股份有限公司"),
        insurer="南粤财产保险股份有限公司江门中心支公司",
        industries=JIANGMEN_INDUSTRIES + INDUSTRIES[:6],
    ),
}
# People who moved to the city: their ID numbers carry their birthplace.
ELSEWHERE_REGIONS = (
    "320102",
    "330106",
    "420106",
    "410105",
    "370102",
    "130102",
    "430103",
    "360102",
    "350203",
    "610103",
    "500103",
    "440106",
    "440104",
    "120101",
)
ELSEWHERE_FALLBACK = ("120101", "120102", "120103")
COURT_CITY = {"京0105": "beijing", "京0108": "beijing", "京03": "beijing", "沪0115": "shanghai", "粤0703": "jiangmen"}
COURT_NAMES = {
    "京0105": "北京市朝阳区人民法院",
    "京03": "北京市第三中级人民法院",
    "京01": "北京市第一中级人民法院",
    "沪01": "上海市第一中级人民法院",
    "粤07": "江门市中级人民法院",
}
APPEAL_COURT = {"京0105": "京03", "京0108": "京01", "沪0115": "沪01", "粤0703": "粤07"}


# ----------------------------------------------------------------------------------------------------------
# Parties


@dataclass(frozen=True)
class PartySpec:
    kind: str
    name: str
    id_number: str
    legal_representative: str = ""
    phone: str = ""
    address: str = ""

    @property
    def is_person(self) -> bool:
        return self.kind == PartyKind.PERSON


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _organisation_code(rng: random.Random) -> str:
    """A 9-character 组织机构代码 with its GB 11714 check character, inside the USCC alphabet."""
    if rng.random() < 0.6:  # codes issued since 2015 start with MA
        body = "MA0" + "".join(rng.choice(_USCC_CHARS) for _ in range(5))
    else:
        body = rng.choice("567") + "".join(rng.choice("0123456789") for _ in range(7))
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


class PartyPool:
    """Makes believable parties with unique names and identifiers. Each kind of party (per city) draws
    from a random stream of its own, so that adding one kind of party does not reshuffle the others."""

    def __init__(self, seed: str):
        self._seed = seed
        self._streams: dict[str, random.Random] = {}
        self._names: set[str] = set()
        self._ids: set[str] = set()
        self._institutions: dict[tuple[str, str], PartySpec] = {}
        self._representatives: dict[str, PartySpec] = {}

    def _rng(self, *names: str) -> random.Random:
        key = ":".join(names)
        if key not in self._streams:
            self._streams[key] = random.Random(f"{self._seed}:{key}")
        return self._streams[key]

    def _person_name(self, rng: random.Random, city: City, sex: str, born: dt.date, surname: str = "") -> str:
        generation = "old" if born.year < 1970 else "mid" if born.year < 1990 else "young"
        while True:
            name = (surname or _weighted(rng, city.surnames)) + rng.choice(GIVEN_NAMES[(generation, sex)])
            if name not in self._names:
                self._names.add(name)
                return name

    def _resident_id(self, rng: random.Random, city: City, born: dt.date, sex: str, native: bool) -> str:
        first = _weighted(rng, city.regions) if native else rng.choice(ELSEWHERE_REGIONS)
        regions = [first, *(city.fallback_regions if native else ELSEWHERE_FALLBACK)]
        while True:
            sequence = rng.randrange(500) * 2 + (1 if sex == "M" else 0)  # 17th digit: odd for men
            for region in regions:
                number = make_resident_id(region, born, sequence)
                try:
                    number = normalize_resident_id(number)
                except ValidationError:
                    continue  # this county code did not exist in the birth year
                if number not in self._ids:
                    self._ids.add(number)
                    return number
                break

    def address(self, city_key: str, rng: random.Random, *, company: bool) -> str:
        return self._address(rng, CITIES[city_key], company=company)

    def _address(self, rng: random.Random, city: City, *, company: bool) -> str:
        districts = list(city.districts)  # the first is the main demo court's district: most parties live there
        district = rng.choices(districts, weights=[3] + [1] * (len(districts) - 1))[0]
        road = rng.choice(city.districts[district])
        number = rng.randint(1, 399)
        if company:
            return (
                f"{city.province}{district}{road}{number}号{rng.randint(1, 12)}号楼{rng.randint(2, 28)}层"
                f"{rng.randint(1, 30):02d}室"
            )
        if city.key == "jiangmen":
            return f"{city.province}{district}{road}{number}号{rng.randint(1, 18)}{rng.randint(1, 8):02d}房"
        return (
            f"{city.province}{district}{road}{number}号院{rng.randint(1, 20)}号楼{rng.randint(1, 6)}单元"
            f"{rng.randint(1, 24)}{rng.randint(1, 4):02d}室"
        )

    def person(self, city_key: str, *, minor: bool = False, surname: str = "") -> PartySpec:
        city = CITIES[city_key]
        rng = self._rng("person", city_key, "minor" if minor else "adult")
        years = (2011, 2015) if minor else (1958, 2000)
        born = dt.date(rng.randint(*years), 1, 1) + dt.timedelta(days=rng.randrange(365))
        sex = rng.choice("MF")
        native = rng.random() < 0.7
        return PartySpec(
            kind=PartyKind.PERSON,
            name=self._person_name(rng, city, sex, born, surname),
            id_number=self._resident_id(rng, city, born, sex, native),
            phone=f"1{rng.choice('35789')}{rng.randrange(10)}5550{rng.randrange(10000):04d}",
            address=self._address(rng, city, company=False),
        )

    def _credit_code(self, rng: random.Random, region: str) -> str:
        while True:
            number = normalize_credit_code(make_credit_code("91", region, _organisation_code(rng)))
            if number not in self._ids:
                self._ids.add(number)
                return number

    def _representative(self, rng: random.Random, city: City) -> str:
        born = dt.date(rng.randint(1960, 1990), 6, 1)
        return self._person_name(rng, city, "M" if rng.random() < 0.75 else "F", born)

    def company(self, city_key: str, industry: str = "") -> PartySpec:
        city = CITIES[city_key]
        rng = self._rng("company", city_key)
        while True:
            brand = "".join(rng.sample(BRAND_CHARS, 3 if rng.random() < 0.25 else 2))
            prefix = city.short
            if city.key == "jiangmen" and rng.random() < 0.4:
                prefix += rng.choice(("蓬江区", "江海区", "新会区"))
            name = f"{prefix}{brand}{industry or rng.choice(city.industries)}"
            if name not in self._names:
                self._names.add(name)
                break
        return PartySpec(
            kind=PartyKind.ORGANISATION,
            name=name,
            id_number=self._credit_code(rng, rng.choice(city.credit_regions)),
            legal_representative=self._representative(rng, city),
            phone=city.phone(rng),
            address=self._address(rng, city, company=True),
        )

    def institution(self, city_key: str, name: str) -> PartySpec:
        """A bank or insurer branch: one record per name, reused across cases."""
        key = (city_key, name)
        if key not in self._institutions:
            city = CITIES[city_key]
            rng = self._rng("institution", city_key)
            self._names.add(name)
            self._institutions[key] = PartySpec(
                kind=PartyKind.ORGANISATION,
                name=name,
                id_number=self._credit_code(rng, city.credit_regions[0]),
                legal_representative=self._representative(rng, city),
                phone=city.phone(rng),
                address=self._address(rng, city, company=True),
            )
        return self._institutions[key]

    def bank(self, city_key: str, rng: random.Random) -> PartySpec:
        return self.institution(city_key, rng.choice(CITIES[city_key].banks))

    def insurer(self, city_key: str) -> PartySpec:
        return self.institution(city_key, CITIES[city_key].insurer)

    def representative_of(self, company: PartySpec, city_key: str) -> PartySpec:
        """The company's legal representative as a party (e.g. the guarantor of its loans)."""
        if company.id_number not in self._representatives:
            city = CITIES[city_key]
            rng = self._rng("representative", city_key)
            born = dt.date(rng.randint(1962, 1988), 1, 1) + dt.timedelta(days=rng.randrange(365))
            sex = rng.choice("MF")
            self._representatives[company.id_number] = PartySpec(
                kind=PartyKind.PERSON,
                name=company.legal_representative,
                id_number=self._resident_id(rng, city, born, sex, native=rng.random() < 0.7),
                phone=f"1{rng.choice('35789')}{rng.randrange(10)}5550{rng.randrange(10000):04d}",
                address=self._address(rng, city, company=False),
            )
        return self._representatives[company.id_number]


# ----------------------------------------------------------------------------------------------------------
# Causes of action


@dataclass(frozen=True)
class Cause:
    name: str
    weight: int
    claimant: str  # person | company | mixed_p | mixed_c | bank | property | guarantor
    opponent: str  # person | company | mixed_p | mixed_c
    low: int
    high: int
    story: str  # the claimant's account, after "原告诉称"
    claim: str  # what the claimant asks for, after "请求判令被告"
    guarantor: float = 0.0  # chance that a guarantor is sued / enforced against too


CAUSES = (
    Cause(
        "民间借贷纠纷",
        20,
        "mixed_p",
        "mixed_p",
        10_000,
        3_000_000,
        "被告向其借款后到期未还",
        "偿还借款本金及利息",
        0.15,
    ),
    Cause(
        "金融借款合同纠纷",
        12,
        "bank",
        "mixed_c",
        50_000,
        50_000_000,
        "被告借款到期后未按约还本付息",
        "偿还借款本金、利息及罚息",
        0.5,
    ),
    Cause("信用卡纠纷", 6, "bank", "person", 3_000, 300_000, "被告信用卡透支后逾期未还", "偿还透支本金、利息及违约金"),
    Cause(
        "买卖合同纠纷",
        14,
        "company",
        "mixed_c",
        10_000,
        8_000_000,
        "其依约供货后被告未付清货款",
        "支付货款及逾期付款损失",
    ),
    Cause(
        "劳动争议", 6, "person", "company", 3_000, 300_000, "被告拖欠其工资并违法解除劳动合同", "支付拖欠工资及赔偿金"
    ),
    Cause(
        "房屋租赁合同纠纷",
        7,
        "mixed_p",
        "mixed_p",
        5_000,
        2_000_000,
        "被告承租其房屋后拖欠租金",
        "支付拖欠租金及违约金",
    ),
    Cause(
        "建设工程施工合同纠纷",
        5,
        "company",
        "company",
        100_000,
        30_000_000,
        "其承建的工程已竣工验收，被告未结清工程款",
        "支付工程款及利息",
    ),
    Cause(
        "机动车交通事故责任纠纷",
        6,
        "person",
        "person",
        5_000,
        1_500_000,
        "被告驾驶机动车与其发生交通事故致其受伤",
        "赔偿医疗费、误工费、护理费等各项损失",
    ),
    Cause(
        "服务合同纠纷",
        5,
        "company",
        "mixed_p",
        3_000,
        800_000,
        "其依约提供服务后被告未支付服务费",
        "支付服务费及违约金",
    ),
    Cause("物业服务合同纠纷", 5, "property", "person", 3_000, 60_000, "被告长期拖欠物业服务费", "支付拖欠的物业服务费"),
    Cause(
        "追偿权纠纷",
        3,
        "guarantor",
        "mixed_c",
        50_000,
        10_000_000,
        "其为被告的借款提供担保并已代为清偿",
        "支付代偿款及资金占用费",
        0.3,
    ),
    Cause(
        "装饰装修合同纠纷",
        3,
        "mixed_c",
        "mixed_p",
        10_000,
        1_000_000,
        "其完成装修工程后被告未付清工程款",
        "支付装修工程款",
    ),
    Cause(
        "承揽合同纠纷",
        3,
        "company",
        "company",
        10_000,
        3_000_000,
        "其依约完成加工任务后被告未支付加工费",
        "支付加工费及利息",
    ),
    Cause(
        "股权转让纠纷",
        2,
        "mixed_p",
        "mixed_p",
        200_000,
        50_000_000,
        "双方签订股权转让协议后被告未按约付款",
        "支付股权转让款",
    ),
)


CAUSE_BY_NAME = {cause.name: cause for cause in CAUSES}


def _accepts(side: str, kind: str) -> bool:
    if side in ("mixed_p", "mixed_c"):
        return True
    return (side == "person") == (kind == PartyKind.PERSON)


def _amount(rng: random.Random, cause: Cause) -> Decimal:
    """Log-uniform between the cause's bounds, skewed towards small claims; mostly with fen."""
    yuan = int(cause.low * (cause.high / cause.low) ** (rng.random() ** 1.7))
    fen = rng.randrange(100) if rng.random() < 0.75 else 0
    return (Decimal(yuan) + Decimal(fen) / 100).quantize(FEN)


def _yuan(rng: random.Random, low: int, high: int) -> Decimal:
    return (Decimal(rng.randint(low, high)) + Decimal(rng.randrange(100)) / 100).quantize(FEN)


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _names(parties: list[PartySpec]) -> str:
    return "、".join(p.name for p in parties)


# ----------------------------------------------------------------------------------------------------------
# The plan


@dataclass
class PlannedCase:
    key: int  # order of planning: a source is always planned before the cases that cite it
    court: str
    case_type: str
    filing_date: dt.date
    amount: Decimal
    cause: str
    claimants: list[PartySpec]
    opponents: list[PartySpec]
    others: list[PartySpec] = field(default_factory=list)
    summary: str = ""  # "{source}" stands for the number of ``source`` once it is filed
    source: PlannedCase | None = None
    source_fallback: str = ""
    derived: bool = False  # already used as the source of a derived case

    def party_inputs(self, registered: dict[str, int]) -> list[PartyInput]:
        claimant, opponent, other = (next(iter(s), "") for s in ROLE_SIDES[self.case_type])
        rows = [(claimant, p) for p in self.claimants] + [(opponent, p) for p in self.opponents]
        rows += [(other or PartyRole.THIRD_PARTY, p) for p in self.others]
        inputs = []
        for role, party in rows:
            if party.id_number in registered:
                inputs.append(PartyInput(role=role, party_id=registered[party.id_number]))
            else:
                inputs.append(
                    PartyInput(
                        role=role,
                        kind=party.kind,
                        name=party.name,
                        id_number=party.id_number,
                        legal_representative=party.legal_representative,
                        phone=party.phone,
                        address=party.address,
                    )
                )
        return inputs


DEBTOR_TYPES = {
    CaseType.ENFORCEMENT,
    CaseType.ENFORCEMENT_RESTORED,
    CaseType.ENFORCEMENT_PRESERVATION,
    CaseType.ENFORCEMENT_OBJECTION,
    CaseType.BANKRUPTCY_PETITION,
}


class Planner:
    """Builds every demo case of every demo court, deterministically for a given ``today``."""

    def __init__(self, *, today: dt.date, seed: int = 2026):
        self.today = today
        self.seed = seed
        self.pool = PartyPool(f"{seed}:parties")
        self.cases: list[PlannedCase] = []
        self.debtor_cases: dict[str, int] = {}

    # -- helpers -------------------------------------------------------------------------------------------

    def _rng(self, *names: str) -> random.Random:
        return random.Random(":".join([str(self.seed), *names]))

    def _date(self, rng: random.Random, *, earliest: int = WINDOW_DAYS - 3, latest: int = 0) -> dt.date:
        """A working day between ``earliest`` and ``latest`` days ago."""
        day = self.today - dt.timedelta(days=rng.randint(latest, earliest))
        return day - dt.timedelta(days=max(0, day.weekday() - 4))

    def _after(self, rng: random.Random, day: dt.date, low: int, high: int) -> dt.date | None:
        later = day + dt.timedelta(days=rng.randint(low, high))
        later -= dt.timedelta(days=max(0, later.weekday() - 4))
        later = max(later, day)
        return later if later <= self.today else None

    def _add(self, case: PlannedCase) -> PlannedCase:
        case.key = len(self.cases)
        self.cases.append(case)
        if case.case_type in DEBTOR_TYPES:
            for party in case.opponents:
                self.debtor_cases[party.id_number] = self.debtor_cases.get(party.id_number, 0) + 1
        return case

    def _party(self, side: str, city: str, rng: random.Random) -> PartySpec:
        if side == "bank":
            return self.pool.bank(city, rng)
        if side == "property":  # one big estate manager that sues often, and some small ones
            if rng.random() < 0.3:
                return self.pool.company(city, "物业管理有限公司")
            return self.pool.institution(
                city, CITIES[city].short + ("侨苑" if city == "jiangmen" else "安居") + "物业管理有限公司"
            )
        if side == "guarantor":
            return self.pool.institution(city, f"{CITIES[city].short}中盈融资担保有限公司")
        person_share = {"person": 1.0, "company": 0.0, "mixed_p": 0.75, "mixed_c": 0.3}[side]
        return self.pool.person(city) if rng.random() < person_share else self.pool.company(city)

    def _cause_for(self, rng: random.Random, debtor: PartySpec | None = None) -> Cause:
        causes = [c for c in CAUSES if debtor is None or _accepts(c.opponent, debtor.kind)]
        return rng.choices(causes, weights=[c.weight for c in causes])[0]

    def _fictional_number(self, rng: random.Random, year: int, court: str, type_code: str) -> str:
        # Far above any serial the demo allocates, so it never names a demo case.
        return f"（{year}）{court}{type_code}{rng.randint(1200, 48000)}号"

    def _source_document(self, rng: random.Random, court: str, cause: Cause, day: dt.date) -> str:
        """The 执行依据 of an enforcement case that was not tried in the demo data."""
        city = CITIES[COURT_CITY[court]]
        year = day.year - (1 if day.month <= 6 or rng.random() < 0.3 else 0)
        serial = rng.randint(1200, 48000)
        roll = rng.random()
        if cause.name == "劳动争议" and roll < 0.6:
            commission, pattern = city.labour_arbitration
            return commission + pattern.format(y=year, n=serial)
        if cause.name in ("民间借贷纠纷", "金融借款合同纠纷") and roll < 0.2:
            notary, pattern = city.notary
            return notary + pattern.format(y=year, n=rng.randint(100, 9000))
        if cause.claimant in ("company", "mixed_c") and roll < 0.25:
            commission, pattern = city.arbitration
            return commission + pattern.format(y=year, n=rng.randint(100, 6000))
        if roll < 0.4:
            return f"本院（{year}）{court}民初{serial}号民事调解书"
        if roll < 0.55:
            appeal = APPEAL_COURT[court]
            return f"{COURT_NAMES[appeal]}（{year}）{appeal}民终{rng.randint(1200, 16000)}号民事判决书"
        return f"本院（{year}）{court}民初{serial}号民事判决书"

    def _guarantor(self, rng: random.Random, city: str, debtor: PartySpec) -> PartySpec:
        if not debtor.is_person and rng.random() < 0.6:
            return self.pool.representative_of(debtor, city)
        return self._party("mixed_p", city, rng)

    # -- case kinds ----------------------------------------------------------------------------------------

    def enforcement(self, rng, court, *, debtor=None, day=None, guarantor=True) -> PlannedCase:
        city = COURT_CITY[court]
        cause = self._cause_for(rng, debtor)
        debtors = [debtor or self._party(cause.opponent, city, rng)]
        if guarantor and rng.random() < cause.guarantor:
            debtors.append(self._guarantor(rng, city, debtors[0]))
        creditor = self._party(cause.claimant, city, rng)
        day = day or self._date(rng)
        amount = _amount(rng, cause)
        basis = self._source_document(rng, court, cause, day)
        return self._add(
            PlannedCase(
                key=0,
                court=court,
                case_type=CaseType.ENFORCEMENT,
                filing_date=day,
                amount=amount,
                cause=cause.name,
                claimants=[creditor],
                opponents=debtors,
                summary=f"申请执行人{creditor.name}与被执行人{_names(debtors)}{cause.name}一案，{basis}已经发生法律效力，"
                f"被执行人未按期履行。申请执行人申请强制执行，执行标的{amount}元。",
            )
        )

    def restored(self, rng, court, *, debtor=None, day=None) -> PlannedCase:
        city = COURT_CITY[court]
        cause = self._cause_for(rng, debtor)
        debtor = debtor or self._party(cause.opponent, city, rng)
        creditor = self._party(cause.claimant, city, rng)
        day = day or self._date(rng)
        terminated = day - dt.timedelta(days=rng.randint(90, 900))
        earlier = self._fictional_number(rng, terminated.year - rng.choice((0, 0, 1)), court, "执")
        amount = _amount(rng, cause)
        return self._add(
            PlannedCase(
                key=0,
                court=court,
                case_type=CaseType.ENFORCEMENT_RESTORED,
                filing_date=day,
                amount=amount,
                cause=cause.name,
                claimants=[creditor],
                opponents=[debtor],
                summary=f"申请执行人{creditor.name}与被执行人{debtor.name}{cause.name}一案（原案号{earlier}），因未发现可供"
                f"执行的财产，本院于{_date_text(terminated)}裁定终结本次执行程序。现申请执行人提供了被执行人新的财产"
                f"线索，申请恢复执行，尚未履行金额{amount}元。",
            )
        )

    def preservation_enforcement(self, rng, court, *, debtor=None, day=None, review=None) -> PlannedCase:
        """执保: enforcing a preservation ruling, of the demo's own 财保 case or of a ruling during a lawsuit."""
        city = COURT_CITY[court]
        if review is not None:
            cause_name, creditor, debtor = review.cause, review.claimants[0], review.opponents[0]
            amount, ruling, source = review.amount, "{source}", review
        else:
            cause = self._cause_for(rng, debtor)
            cause_name = cause.name
            debtor = debtor or self._party(cause.opponent, city, rng)
            creditor = self._party(cause.claimant, city, rng)
            amount, source = _amount(rng, cause), None
            day = day or self._date(rng)
            ruling = self._fictional_number(rng, day.year, court, "民初")
        return self._add(
            PlannedCase(
                key=0,
                court=court,
                case_type=CaseType.ENFORCEMENT_PRESERVATION,
                filing_date=day or self._date(rng),
                amount=amount,
                cause=cause_name,
                claimants=[creditor],
                opponents=[debtor],
                source=source,
                summary=f"申请保全人{creditor.name}与被保全人{debtor.name}{cause_name}财产保全一案，本院作出{ruling}民事裁定书，"
                f"裁定冻结被保全人银行存款{amount}元或查封、扣押其相应价值的财产，现移送执行。",
            )
        )

    def preservation_review(self, rng, court) -> PlannedCase:
        city = COURT_CITY[court]
        cause = self._cause_for(rng)
        applicant = self._party(cause.claimant, city, rng)
        respondent = self._party(cause.opponent, city, rng)
        amount = _amount(rng, cause)
        when = "提起诉讼前" if rng.random() < 0.7 else "申请仲裁前"
        return self._add(
            PlannedCase(
                key=0,
                court=court,
                case_type=CaseType.PRESERVATION_REVIEW,
                filing_date=self._date(rng),
                amount=amount,
                cause=cause.name,
                claimants=[applicant],
                opponents=[respondent],
                summary=f"申请人{applicant.name}因与被申请人{respondent.name}{cause.name}，于{when}向本院申请财产保全，"
                f"请求冻结被申请人银行存款{amount}元或查封、扣押其相应价值的财产，并提供了担保。",
            )
        )

    def first_instance(self, rng, court) -> PlannedCase:
        city = COURT_CITY[court]
        cause = self._cause_for(rng)
        plaintiffs = [self._party(cause.claimant, city, rng)]
        defendants = [self._party(cause.opponent, city, rng)]
        if rng.random() < cause.guarantor:
            defendants.append(self._guarantor(rng, city, defendants[0]))
        if cause.name == "机动车交通事故责任纠纷" and rng.random() < 0.6:
            defendants.append(self.pool.insurer(city))
        amount = _amount(rng, cause)
        return self._add(
            PlannedCase(
                key=0,
                court=court,
                case_type=CaseType.CIVIL_FIRST,
                filing_date=self._date(rng),
                amount=amount,
                cause=cause.name,
                claimants=plaintiffs,
                opponents=defendants,
                summary=f"原告{_names(plaintiffs)}诉被告{_names(defendants)}{cause.name}一案。原告诉称{cause.story}，"
                f"请求判令被告{cause.claim}共计{amount}元。",
            )
        )

    def enforcement_of_judgment(self, rng, trial: PlannedCase, day: dt.date) -> PlannedCase:
        """执 on the demo's own 民初 judgment: the same parties, the awarded sum plus interest."""
        trial.derived = True
        debtors = [p for p in trial.opponents if p.name != CITIES[COURT_CITY[trial.court]].insurer]
        amount = (trial.amount * Decimal(rng.randint(55, 108)) / 100).quantize(FEN)
        return self._add(
            PlannedCase(
                key=0,
                court=trial.court,
                case_type=CaseType.ENFORCEMENT,
                filing_date=day,
                amount=amount,
                cause=trial.cause,
                claimants=list(trial.claimants),
                opponents=debtors,
                source=trial,
                summary=f"申请执行人{_names(trial.claimants)}与被执行人{_names(debtors)}{trial.cause}一案，本院{{source}}民事"
                f"判决书已经发生法律效力，被执行人未按期履行。申请执行人申请强制执行，执行标的{amount}元。",
            )
        )

    def objection(self, rng, court, *, enforcement: PlannedCase | None = None, day=None) -> PlannedCase:
        """执异 in an enforcement case: by an outsider claiming the seized home, by the debtor against an
        excessive freeze, or by the creditor against a 终本 ruling."""
        city = COURT_CITY[court]
        day = day or self._date(rng)
        if enforcement is not None:
            enforcement.derived = True
            creditor, debtor, cause_name = enforcement.claimants[0], enforcement.opponents[0], enforcement.cause
            number, source = "{source}", enforcement
        else:
            cause = self._cause_for(rng)
            creditor, cause_name = self._party(cause.claimant, city, rng), cause.name
            debtor = self._party(cause.opponent, city, rng)
            number, source = self._fictional_number(rng, day.year - rng.choice((0, 1)), court, "执"), None
        others: list[PartySpec] = []
        roll = rng.random()
        if roll < 0.55:
            if rng.random() < 0.7:
                outsider = self.pool.person(city, minor=rng.random() < 0.25)
            else:
                outsider = self.pool.company(city)
            others = [outsider]
            who = f"案外人{outsider.name}"
            if outsider.is_person and is_minor(outsider.id_number, day):
                who += "（未成年人，由其法定代理人代为提出）"
            home = self.pool.address(city, rng, company=False)
            amount = Decimal(rng.randint(800, 9000) * 1000)
            text = (
                f"{who}对本院在{number}案件中查封被执行人{debtor.name}名下位于{home}的房产提出书面异议，"
                "主张其为该房产的实际权利人，请求解除查封。"
            )
        elif roll < 0.85:
            amount = _yuan(rng, 20_000, 2_000_000)
            text = (
                f"被执行人{debtor.name}对本院在{number}案件中冻结其银行账户的执行行为提出书面异议，认为冻结金额"
                f"超出应执行标的，请求解除超额冻结部分{amount}元。"
            )
        else:
            amount = _yuan(rng, 50_000, 5_000_000)
            text = (
                f"申请执行人{creditor.name}对本院在{number}案件中作出的终结本次执行程序裁定提出书面异议，认为"
                f"被执行人{debtor.name}尚有可供执行的财产，请求撤销该裁定并恢复执行，涉及金额{amount}元。"
            )
        return self._add(
            PlannedCase(
                key=0,
                court=court,
                case_type=CaseType.ENFORCEMENT_OBJECTION,
                filing_date=day,
                amount=amount,
                cause=cause_name,
                claimants=[creditor],
                opponents=[debtor],
                others=others,
                source=source,
                summary=text,
            )
        )

    def bankruptcy_petition(
        self, rng, court, *, debtor: PartySpec, applicant: PartySpec, amount: Decimal, day: dt.date, pending: int
    ) -> PlannedCase:
        history = f"被申请人在本院另有{pending}件被执行案件未能执行完毕。" if pending else ""
        return self._add(
            PlannedCase(
                key=0,
                court=court,
                case_type=CaseType.BANKRUPTCY_PETITION,
                filing_date=day,
                amount=amount,
                cause="申请破产清算",
                claimants=[applicant],
                opponents=[debtor],
                summary=f"申请人{applicant.name}以被申请人{debtor.name}不能清偿到期债务，并且明显缺乏清偿能力为由，申请对其"
                f"进行破产清算，申报债权{amount}元。{history}",
            )
        )

    def appeal(self, rng, trial: PlannedCase, day: dt.date) -> PlannedCase:
        trial.derived = True
        defendant_appeals = rng.random() < 0.7
        appellants = list(trial.opponents if defendant_appeals else trial.claimants)
        appellees = list(trial.claimants if defendant_appeals else trial.opponents)
        return self._add(
            PlannedCase(
                key=0,
                court=APPEALS_AT,
                case_type=CaseType.CIVIL_APPEAL,
                filing_date=day,
                amount=trial.amount,
                cause=trial.cause,
                claimants=appellants,
                opponents=appellees,
                source=trial,
                source_fallback=self._fictional_number(rng, trial.filing_date.year, trial.court, "民初"),
                summary=f"上诉人{_names(appellants)}因与被上诉人{_names(appellees)}{trial.cause}一案，不服"
                f"{COURT_NAMES[trial.court]}{{source}}民事判决，向本院提起上诉。",
            )
        )

    # -- courts --------------------------------------------------------------------------------------------

    def _repeat_debtors(self, court: str, shared: list[tuple[PartySpec, int]]) -> list[tuple[PartySpec, int]]:
        """Debtors on several enforcement cases here: (party, how many cases at this court)."""
        rng = self._rng("repeat", court)
        city = COURT_CITY[court]
        companies, persons = {"京0105": (10, 8), "京0108": (2, 2), "沪0115": (2, 2), "粤0703": (2, 2)}[court]
        repeat = [(self.pool.company(city), rng.randint(2, 5)) for _ in range(companies)]
        repeat += [(self.pool.person(city), rng.randint(2, 4)) for _ in range(persons)]
        return repeat + shared

    def _fill(self, rng: random.Random, court: str, target: int) -> None:
        planned = [c for c in self.cases if c.court == court]
        kinds = (("执", 50), ("民初", 20), ("财保", 8), ("执恢", 8), ("执异", 4))
        while len(planned) < target:
            kind = _weighted(rng, kinds)
            if kind == "执":
                case = self.enforcement(rng, court)
                planned.append(case)
                later = self._after(rng, case.filing_date, 20, 200)
                if later and len(planned) < target and rng.random() < 0.08:
                    planned.append(self.objection(rng, court, enforcement=case, day=later))
            elif kind == "民初":
                trial = self.first_instance(rng, court)
                planned.append(trial)
                later = self._after(rng, trial.filing_date, 150, 420)
                if later and len(planned) < target and rng.random() < 0.5:
                    planned.append(self.enforcement_of_judgment(rng, trial, later))
            elif kind == "财保":
                review = self.preservation_review(rng, court)
                planned.append(review)
                later = self._after(rng, review.filing_date, 1, 4)
                if later and len(planned) < target and rng.random() < 0.8:
                    planned.append(self.preservation_enforcement(rng, court, day=later, review=review))
            elif kind == "执恢":
                planned.append(self.restored(rng, court))
            else:
                planned.append(self.objection(rng, court))

    def _repeat_cases(self, rng: random.Random, court: str, repeat: list[tuple[PartySpec, int]]) -> None:
        for debtor, count in repeat:
            count = min(count, MAX_DEBTOR_CASES - self.debtor_cases.get(debtor.id_number, 0))
            for _ in range(count):
                roll = rng.random()
                if roll < 0.8:
                    self.enforcement(rng, court, debtor=debtor)
                elif roll < 0.9:
                    self.restored(rng, court, debtor=debtor)
                else:
                    self.preservation_enforcement(rng, court, debtor=debtor)

    def _insolvent_company(self, rng: random.Random, court: str) -> None:
        """A 蓬江 manufacturer with several unsatisfied enforcement cases, and a creditor's bankruptcy
        petition against it: the 执转破 scenario. Plus a bank's petition against another company."""
        city = COURT_CITY[court]
        company = self.pool.company(city, "五金制品有限公司")
        creditors = [self.pool.bank(city, rng), self.pool.company(city), self.pool.person(city)]
        creditors.append(self.pool.company(city))
        cases = []
        for creditor in creditors:
            if creditor.name in CITIES[city].banks:
                cause = CAUSE_BY_NAME["金融借款合同纠纷"]
            else:
                cause = CAUSE_BY_NAME["劳动争议" if creditor.is_person else "买卖合同纠纷"]
            day = self._date(rng, earliest=WINDOW_DAYS - 3, latest=240)
            amount = _amount(rng, cause)
            basis = self._source_document(rng, court, cause, day)
            cases.append(
                self._add(
                    PlannedCase(
                        key=0,
                        court=court,
                        case_type=CaseType.ENFORCEMENT,
                        filing_date=day,
                        amount=amount,
                        cause=cause.name,
                        claimants=[creditor],
                        opponents=[company],
                        summary=f"申请执行人{creditor.name}与被执行人{company.name}{cause.name}一案，{basis}已经发生法律效力，"
                        f"被执行人未按期履行。申请执行人申请强制执行，执行标的{amount}元。",
                    )
                )
            )
        last = max(c.filing_date for c in cases)
        day = self._after(rng, last, 60, 180) or self.today - dt.timedelta(days=max(0, self.today.weekday() - 4))
        applicant = cases[1]
        self.bankruptcy_petition(
            rng,
            court,
            debtor=company,
            applicant=applicant.claimants[0],
            amount=applicant.amount,
            day=day,
            pending=len(cases),
        )
        loan = CAUSE_BY_NAME["金融借款合同纠纷"]
        self.bankruptcy_petition(
            rng,
            court,
            debtor=self.pool.company(city),
            applicant=self.pool.bank(city, rng),
            amount=_amount(rng, loan),
            day=self._date(rng, earliest=400),
            pending=0,
        )

    def _child_objections(self, rng: random.Random, court: str) -> None:
        """执异 by a debtor's child (a minor, through a guardian) claiming a share of the seized home."""
        candidates = [
            c
            for c in self.cases
            if c.court == court
            and c.case_type == CaseType.ENFORCEMENT
            and not c.derived
            and c.opponents[0].is_person
            and self.debtor_cases[c.opponents[0].id_number] == 1
        ]
        made = 0
        for enforcement in candidates:
            day = self._after(rng, enforcement.filing_date, 30, 240)
            if day is None or made == CHILD_OBJECTIONS.get(court, 0):
                continue
            enforcement.derived = True
            creditor, debtor = enforcement.claimants[0], enforcement.opponents[0]
            surname = debtor.name[:2] if debtor.name[:2] in ("欧阳", "上官", "司徒") else debtor.name[0]
            child = self.pool.person(COURT_CITY[court], minor=True, surname=surname)
            share = Decimal(rng.randint(400, 4000) * 1000)
            self._add(
                PlannedCase(
                    key=0,
                    court=court,
                    case_type=CaseType.ENFORCEMENT_OBJECTION,
                    filing_date=day,
                    amount=share,
                    cause=enforcement.cause,
                    claimants=[creditor],
                    opponents=[debtor],
                    others=[child],
                    source=enforcement,
                    summary=f"案外人{child.name}（未成年人，由其法定代理人代为提出）对本院在{{source}}案件中查封被执行人"
                    f"{debtor.name}名下位于{debtor.address}的房产提出书面异议，主张该房产系其与被执行人共有，请求停止"
                    f"对其份额（价值约{share}元）的执行。",
                )
            )
            made += 1

    def build(self) -> list[PlannedCase]:
        # Debtors with enforcement cases at two courts: two each here and there.
        beijing = [(self.pool.company("beijing"), 2), (self.pool.company("beijing"), 2)]
        beijing.append((self.pool.person("beijing"), 2))
        shanghai = [(self.pool.company("shanghai"), 2)]
        shared = {"京0105": beijing + shanghai, "京0108": beijing, "沪0115": shanghai, "粤0703": []}
        for court, target in CASE_COUNTS.items():
            rng = self._rng("cases", court)
            self._repeat_cases(rng, court, self._repeat_debtors(court, shared[court]))
            if court == "粤0703":
                self._insolvent_company(rng, court)
            self._fill(rng, court, target - CHILD_OBJECTIONS.get(court, 0))
            self._child_objections(rng, court)
        rng = self._rng("cases", APPEALS_AT)
        trials = [
            c for c in self.cases if c.court == "京0105" and c.case_type == CaseType.CIVIL_FIRST and not c.derived
        ]
        appeals = 0
        for trial in trials:
            day = self._after(rng, trial.filing_date, 90, 260)
            if day and appeals < APPEAL_COUNT:
                self.appeal(rng, trial, day)
                appeals += 1
        return self.cases


# ----------------------------------------------------------------------------------------------------------
# Writing it


def _source_number(case: PlannedCase, filed: dict[int, Case]) -> str:
    source = case.source
    if source is None:
        return ""
    if source.key in filed:
        return filed[source.key].number
    number = (
        Case.objects.filter(
            court__code=source.court,
            case_type=source.case_type,
            filing_date=source.filing_date,
            amount=source.amount,
            cause=source.cause,
        )
        .order_by("id")
        .values_list("number", flat=True)
        .first()
    )
    return number or case.source_fallback


def _file_court(code: str, plan: list[PlannedCase], context: DemoContext, filed: dict[int, Case]) -> int:
    """File the court's planned cases in filing order, so that serials follow filing dates (案号规定 art. 10)."""
    court, clerk = context.courts[code], context.users[CLERKS[code]]
    identifiers = {p.id_number for case in plan for p in (*case.claimants, *case.opponents, *case.others)}
    registered = dict(Party.objects.filter(id_number__in=identifiers).values_list("id_number", "pk"))
    for case in sorted(plan, key=lambda c: (c.filing_date, c.key)):
        filed[case.key] = case_file(
            actor=clerk,
            court=court,
            case_type=case.case_type,
            filing_date=case.filing_date,
            amount=case.amount,
            cause=case.cause,
            parties=case.party_inputs(registered),
            summary=case.summary.replace("{source}", _source_number(case, filed)),
        )
    return len(plan)


def seed(context: DemoContext) -> None:
    """File the demo cases, one court per transaction; a court whose demo clerk has filed cases is done."""
    plan = Planner(today=context.today, seed=context.seed).build()
    filed: dict[int, Case] = {}
    lines = []
    for code in [*CASE_COUNTS, APPEALS_AT]:
        court_plan = [c for c in plan if c.court == code]
        with transaction.atomic():
            if Case.objects.filter(court=context.courts[code], created_by=context.users[CLERKS[code]]).exists():
                lines.append(f"{code} already seeded")
                continue
            lines.append(f"{code} {_file_court(code, court_plan, context, filed)} new")
    total = Case.objects.filter(court__code__in=CLERKS).count()
    context.data["cases.demo_courts"] = list(CLERKS)
    context.log(f"cases: {total} cases at the demo courts ({', '.join(lines)}).")
    seed_litigation(context, plan, filed)
    seed_relations(context)


# ----------------------------------------------------------------------------------------------------------
# The trial side: hearings, documents, preservation (京0105)

LITIGATION_COURT = "京0105"
JUDGE, OFFICER = "demo-judge", "demo-officer"
DECIDED_AFTER_DAYS = 150  # 民初 cases filed this long ago have their document
INTEREST_LPR = "以未付款项为基数，按一年期贷款市场报价利率（LPR）计算至实际付清之日止"
DISTRICTS = ("望京", "双井", "劲松", "酒仙桥")
# The body is the clause's own words: it starts after the last comma before it (not at the summary's start).
OUTSIDE_BODY = re.compile(r"(?P<body>[^，。\s]+?(?:仲裁委员会|公证处))(?P<number>[（(〔\w].*?号)")


def _find(case: PlannedCase, filed: dict[int, Case]) -> Case | None:
    if case.key in filed:
        return filed[case.key]
    return (
        Case.objects.filter(
            court__code=case.court,
            case_type=case.case_type,
            filing_date=case.filing_date,
            amount=case.amount,
            cause=case.cause,
        )
        .order_by("id")
        .first()
    )


def _at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _ids(case: Case, roles: set) -> list[int]:
    return [link.party_id for link in case.party_links.all() if link.role in roles]


class _Litigation:
    def __init__(self, context: DemoContext, rng: random.Random):
        self.today = context.today
        self.rng = rng
        self.judge, self.clerk = context.users[JUDGE], context.users[CLERKS[LITIGATION_COURT]]
        self.officer = context.users[OFFICER]
        self.documents = 0

    def hearings(self, case: Case, *, until: dt.date | None = None) -> None:
        day = case.filing_date + dt.timedelta(days=self.rng.randint(20, 40))
        trial_event_record(
            actor=self.judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=_at(day), place="第三法庭"
        )
        # a hearing on the day of seeding has not been held yet (it sits at 14:00; the seed may run at 00:05)
        if day >= self.today or (until and day >= until):
            return
        if self.rng.random() < 0.25:
            trial_event_record(actor=self.judge, case=case, kind=TrialEventKind.HEARING_ADJOURNED, at=_at(day))
            day += dt.timedelta(days=self.rng.randint(10, 20))
            if day >= self.today or (until and day >= until):
                return
            trial_event_record(
                actor=self.judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=_at(day, 14), place="第三法庭"
            )
        trial_event_record(actor=self.judge, case=case, kind=TrialEventKind.HEARING_HELD, at=_at(day, 14))

    def decide(self, case: Case, *, due: Decimal, before: dt.date | None, effective: bool) -> None:
        """A judgment (or mediation statement with instalments) that took effect, or an appealed judgment."""
        latest = (before or self.today) - dt.timedelta(days=40)
        issued = min(case.filing_date + dt.timedelta(days=self.rng.randint(55, 100)), latest)
        issued = max(issued, case.filing_date + dt.timedelta(days=45))
        self.hearings(case, until=issued)
        costs = (case.amount * Decimal("0.01")).quantize(FEN)
        principal = max(due - costs, Decimal("1.00"))
        obligees = _ids(case, {PartyRole.PLAINTIFF})
        insurer = CITIES[COURT_CITY[LITIGATION_COURT]].insurer
        obligors = [
            link.party_id
            for link in case.party_links.all()
            if link.role == PartyRole.DEFENDANT and link.party.name != insurer
        ]
        mediated = effective and before is None and self.rng.random() < 0.35
        data = {
            "kind": DocumentKind.MEDIATION if mediated else DocumentKind.JUDGMENT,
            "issued_on": issued,
            "principal": principal,
            "costs": costs,
            "interest_rule": INTEREST_LPR,
            "obligee_ids": obligees,
            "obligor_ids": obligors,
        }
        if mediated:
            data["effective_on"] = issued  # a mediation statement takes effect when the parties sign for it
            total, parts = principal + costs, self.rng.randint(2, 4)
            share = (total / parts).quantize(FEN)
            amounts = [share] * (parts - 1) + [total - share * (parts - 1)]
            data["instalments"] = [
                (issued + dt.timedelta(days=30 * (n + 1)), amount) for n, amount in enumerate(amounts)
            ]
        elif effective:
            data["effective_on"] = issued + dt.timedelta(days=16)  # 15 days to appeal ran out
            data["performance_deadline"] = data["effective_on"] + dt.timedelta(days=10)
        document_record(actor=self.judge, case=case, **data)
        self.documents += 1

    def outside_document(self, case: Case) -> None:
        match = OUTSIDE_BODY.search(case.summary)
        if match is None:
            return
        body, number = match["body"], match["number"]
        issued = case.filing_date - dt.timedelta(days=self.rng.randint(45, 200))
        document_record(
            actor=self.clerk,
            case=case,
            kind=DocumentKind.NOTARISED_DEBT if "公证" in body else DocumentKind.ARBITRAL_AWARD,
            number=number,
            issuing_body=body,
            issued_on=issued,
            effective_on=issued,
            principal=case.amount,
            performance_deadline=issued + dt.timedelta(days=self.rng.choice((10, 15, 30))),
            obligee_ids=_ids(case, {PartyRole.CREDITOR}),
            obligor_ids=_ids(case, {PartyRole.DEBTOR}),
        )
        self.documents += 1

    def preserve(self, case: Case, *, kind: str, amount: Decimal, applied_on: dt.date, security: str) -> None:
        claimants, opponents, _others = ROLE_SIDES[case.case_type]
        application = preservation_apply(
            actor=self.clerk,
            case=case,
            kind=kind,
            applicant_id=_ids(case, claimants)[0],
            respondent_id=_ids(case, opponents)[0],
            amount=amount,
            security_offered=security,
            applied_on=applied_on,
        )
        decided = min(applied_on + dt.timedelta(days=self.rng.choice((0, 1))), self.today)
        preservation_decide(
            actor=self.judge,
            application=application,
            grant=True,
            reason="申请人的申请符合法律规定，且已提供相应担保。",
            decided_on=decided,
        )
        age = (self.today - decided).days
        # A deposit freeze lasts a year at most: only recent ones are still in force (some about to expire).
        if age < 360:
            frozen = (amount * Decimal(self.rng.randint(30, 100)) / 100).quantize(FEN)
            bank = self.rng.choice(("中国工商银行", "中国建设银行", "招商银行", "北京银行"))
            preservation_measure_add(
                actor=self.officer,
                application=application,
                kind=MeasureKind.FREEZE,
                property_class=PropertyClass.DEPOSIT,
                asset_description=f"{bank}账户（尾号{self.rng.randint(1000, 9999)}）内存款",
                amount=frozen,
                starts_on=decided,
                # Older freezes were ordered for less than the year and run out soon: the page highlights them.
                expires_on=min(self.today + dt.timedelta(days=self.rng.randint(3, 28)), control_cap(decided, "deposit"))
                if age >= 150
                else None,
            )
        if age >= 200 or self.rng.random() < 0.5:
            property_class = PropertyClass.REAL_ESTATE if self.rng.random() < 0.6 else PropertyClass.MOVABLE
            description = (
                f"北京市朝阳区{self.rng.choice(DISTRICTS)}某小区{self.rng.randint(1, 30)}号楼房产"
                if property_class == PropertyClass.REAL_ESTATE
                else f"小型轿车（京{self.rng.choice('ABCEFGHJKLNPQ')}{self.rng.randint(10000, 99999)}）"
            )
            preservation_measure_add(
                actor=self.officer,
                application=application,
                kind=MeasureKind.SEAL if property_class == PropertyClass.REAL_ESTATE else MeasureKind.IMPOUND,
                property_class=property_class,
                asset_description=description,
                starts_on=decided,
            )


def seed_litigation(context: DemoContext, plan: list[PlannedCase], filed: dict[int, Case]) -> None:
    """Hearings, effective documents and preservation at 京0105, through the services (see the module
    docstring). One transaction; skipped when the court's demo documents exist."""
    court = context.courts[LITIGATION_COURT]
    with transaction.atomic():
        if EffectiveDocument.objects.filter(case__court=court, created_by=context.users[JUDGE]).exists():
            context.log("cases: trial side of 京0105 already seeded.")
            return
        work = _Litigation(context, context.random_for("litigation"))
        here = [c for c in plan if c.court == LITIGATION_COURT]
        derived = {c.source.key: c for c in plan if c.source is not None and c.case_type == CaseType.ENFORCEMENT}
        appealed = {c.source.key: c for c in plan if c.source is not None and c.case_type == CaseType.CIVIL_APPEAL}
        pending = []
        for planned in sorted(here, key=lambda c: (c.filing_date, c.key)):
            case = _find(planned, filed)
            if case is None:
                continue
            age = (context.today - case.filing_date).days
            if planned.case_type == CaseType.CIVIL_FIRST:
                if planned.key in derived:
                    enforcement = derived[planned.key]
                    work.decide(case, due=enforcement.amount, before=enforcement.filing_date, effective=True)
                elif planned.key in appealed:
                    work.decide(case, due=case.amount, before=appealed[planned.key].filing_date, effective=False)
                elif age >= DECIDED_AFTER_DAYS:
                    due = (case.amount * Decimal(work.rng.randint(60, 100)) / 100).quantize(FEN)
                    work.decide(case, due=due, before=None, effective=True)
                else:
                    work.hearings(case)
                    pending.append(case)
            elif planned.case_type == CaseType.ENFORCEMENT and planned.source is None:
                work.outside_document(case)
            elif planned.case_type == CaseType.PRESERVATION_REVIEW:
                security = work.rng.choice(("保险公司出具的财产保全责任险保单", "现金担保", "担保公司出具的保函"))
                work.preserve(
                    case,
                    kind=PreservationKind.PRE_SUIT,
                    amount=case.amount,
                    applied_on=case.filing_date,
                    security=security,
                )
        for case in pending[::3]:
            work.preserve(
                case,
                kind=PreservationKind.IN_SUIT,
                amount=(case.amount * Decimal("0.8")).quantize(FEN),
                applied_on=min(case.filing_date + dt.timedelta(days=5), context.today),
                security="保险公司出具的财产保全责任险保单",
            )
        for case in pending[1::2]:
            for defendant in _ids(case, {PartyRole.DEFENDANT})[:1]:
                preservation_notice_decide(
                    actor=work.clerk, case=case, party_id=defendant, send=work.rng.random() < 0.6
                )
        context.log(f"cases: trial side of 京0105, {work.documents} documents recorded.")


def enforceable_documents(court_code: str = LITIGATION_COURT) -> list[tuple[EffectiveDocument, Case | None]]:
    """Effective, unperformed documents of the court's cases, each with the existing 执 case filed on it
    (or None): for enforcement/demo.py. A few queries per document; demo use only."""
    documents = (
        EffectiveDocument.objects.filter(
            case__court__code=court_code, effective_on__isnull=False, fully_performed_on__isnull=True
        )
        .select_related("case")
        .prefetch_related("obligees", "obligors")
        .order_by("effective_on", "id")
    )
    pairs = []
    for document in documents:
        if document.case.case_type == CaseType.ENFORCEMENT:
            pairs.append((document, document.case))
            continue
        obligees = {p.pk for p in document.obligees.all()}
        obligors = {p.pk for p in document.obligors.all()}
        match = None
        for candidate in Case.objects.filter(
            court__code=court_code, case_type=CaseType.ENFORCEMENT, summary__contains=document.number
        ).prefetch_related("party_links"):
            creditors = {link.party_id for link in candidate.party_links.all() if link.role == PartyRole.CREDITOR}
            debtors = {link.party_id for link in candidate.party_links.all() if link.role == PartyRole.DEBTOR}
            if creditors == obligees and debtors == obligors:
                match = candidate
                break
        pairs.append((document, match))
    return pairs


# ----------------------------------------------------------------------------------------------------------
# Relations and transfers of property: hidden-asset clues (京0105)

CLUE_DEBTORS = 3  # person debtors of 执 cases at 京0105 who get a family and transfers


def _register_demo_party(officer, spec: PartySpec) -> Party:
    from .services import party_register

    existing = Party.objects.filter(id_number=spec.id_number).first()
    if existing is not None:
        return existing
    data = PartyInput(
        role="",
        kind=spec.kind,
        name=spec.name,
        id_number=spec.id_number,
        legal_representative=spec.legal_representative,
        phone=spec.phone,
        address=spec.address,
    )
    return party_register(actor=officer, data=data)


def seed_relations(context: DemoContext) -> None:
    """For the first few person debtors of 执 cases at 京0105 filed 90+ days ago: a spouse, a company the
    spouse holds shares in, and four transfers: to the spouse 100 days before filing and to the company 20
    days after (clues), to the spouse 500 days before filing (too old) and to a stranger (unrelated).
    One transaction; skipped once the demo officer has recorded relations."""
    from .choices import RelationKind, TransferCategory
    from .models import PartyRelation
    from .services import party_relation_record, property_transfer_record

    officer = context.users[OFFICER]
    with transaction.atomic():
        if PartyRelation.objects.filter(recorded_by=officer).exists():
            context.log("cases: demo relations already seeded.")
            return
        pool = PartyPool(f"{context.seed}:clues")
        cases = (
            Case.objects.filter(
                court=context.courts[LITIGATION_COURT],
                case_type=CaseType.ENFORCEMENT,
                filing_date__lte=context.today - dt.timedelta(days=90),
            )
            .prefetch_related("party_links__party")
            .order_by("filing_date", "id")
        )
        done: set[int] = set()
        for case in cases:
            debtors = [
                link.party
                for link in case.party_links.all()
                if link.role == PartyRole.DEBTOR and link.party.kind == PartyKind.PERSON
            ]
            if not debtors or debtors[0].pk in done:
                continue
            debtor = debtors[0]
            done.add(debtor.pk)
            spouse = _register_demo_party(officer, pool.person("beijing"))
            company = _register_demo_party(officer, pool.company("beijing"))
            stranger = _register_demo_party(officer, pool.person("beijing"))
            party_relation_record(
                actor=officer, party_a_id=debtor.pk, party_b_id=spouse.pk, kind=RelationKind.SPOUSE, source="民政局"
            )
            party_relation_record(
                actor=officer,
                party_a_id=spouse.pk,
                party_b_id=company.pk,
                kind=RelationKind.SHAREHOLDER,
                share=Decimal("80"),
                source="市场监督管理局",
            )
            filed = case.filing_date
            for target, category, what, value, day in (
                (
                    spouse,
                    TransferCategory.REAL_ESTATE,
                    "朝阳区望京某小区住宅一套",
                    "2350000.00",
                    filed - dt.timedelta(days=100),
                ),
                (
                    company,
                    TransferCategory.EQUITY,
                    f"{debtor.name}名下某公司30%股权",
                    "600000.00",
                    filed + dt.timedelta(days=20),
                ),
                (spouse, TransferCategory.VEHICLE, "小型轿车一辆", "180000.00", filed - dt.timedelta(days=500)),
                (stranger, TransferCategory.VEHICLE, "小型普通客车一辆", "90000.00", filed - dt.timedelta(days=30)),
            ):
                property_transfer_record(
                    actor=officer,
                    from_party_id=debtor.pk,
                    to_party_id=target.pk,
                    description=what,
                    category=category,
                    value=value,
                    transferred_on=day,
                    source="不动产登记中心" if category == TransferCategory.REAL_ESTATE else "车管所、市场监督管理局",
                )
            if len(done) >= CLUE_DEBTORS:
                break
        context.log(f"cases: relations and transfers for {len(done)} debtors at 京0105 (hidden-asset clues).")
