"""A national-size data set, written straight into PostgreSQL with COPY.

    python -m bench.generate --scale 10k            # or 100k, 1m, or a number of enforcement cases
    python -m bench.generate --scale 1m --reset     # drop and recreate the database first
    make bench-data SCALE=100k

Scale *n* is the number of enforcement cases; the set then holds exactly 2n parties, 5n assets and n dishonest
listings, with around them what the application would have written for such cases:

- courts as a tree (最高法 → high courts → intermediate courts → basic courts, codes such as 京0105), the cases
  spread over the basic and intermediate courts with a skew (a few big courts, many small ones);
- staff per court (officers in proportion to the court's cases, a division head, a filing clerk, a
  president), one password hash computed once (``bench-password-1``), and the national query agencies with
  their API-client accounts;
- parties with valid, unique identifiers (居民身份证号 for persons, 统一社会信用代码 for organisations);
- enforcement cases in every status with consistent fields: the officer once assigned, the deadline from the
  filing date and the time limit, the notices once notified, an open suspension when suspended, closing kind,
  ground and date when closed; the status-change timeline; case numbers unique per court, type and year with
  ``CaseNumberSequence`` past them; most cases rest on a judgment or mediation statement of a litigation case
  of the same court (民初, with its parties), the others on an arbitral award or notarised debt instrument
  registered against the enforcement case itself;
- assets across the categories, reported by the agency answering the category, and for a share of the
  investigated cases (``--query-share``) the query history (a batch, one request per agency, one result per
  debtor and category, the assets pointing at the request that found them);
- control measures on controllable assets (in force on cases being controlled, disposed of or distributed and
  on part of the 终本 cases, released on performed ones), some expiring within days, and the expiry reminders
  the daily job would have recorded by now;
- 终本 cases (closed as terminated_this_round) with the approved proposal, the public 终本 entry and the
  tracking plan with its runs so far (each run with its tracking batch), a few plans due now;
- dishonest listings: listed on open and 终本 cases, removed on performed, settled and otherwise ended ones.

Every NOT NULL column is filled: the column list comes from each model's ``_meta.concrete_fields`` and the
Python-side defaults are applied here (JSON as text). The schema stays as migrated (indexes, constraints,
triggers): what the benchmarks then measure is the real thing. VACUUM (ANALYZE) at the end: the planner's
statistics and the visibility map a live database has from autovacuum (without the map, counting a court's
open cases cannot be an index-only scan and reads every heap page of them). Deterministic: the same seed
and ``--today`` give the same rows.

The database is ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/zhixing_bench), created and
migrated if missing. Rows per table and per second are printed and written to
``bench/results/generate-<scale>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zhixing_bench"
PASSWORD = "bench-password-1"  # noqa: S105 - every generated staff account; a throwaway database
RESULTS = Path(__file__).resolve().parent / "results"
SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
CASE_CHUNK = 5_000
PARTY_CHUNK = 50_000
CASES_PER_BASIC_COURT = 5_000
CASES_PER_OFFICER = 400

# (status, closing kind, weight in %): every status and every closing kind occurs.
STATES = (
    ("filed", "", 3),
    ("assigned", "", 5),
    ("notified", "", 5),
    ("investigating", "", 12),
    ("controlling", "", 8),
    ("disposing", "", 4),
    ("distributing", "", 2),
    ("suspended", "", 4),
    ("closed", "completed", 17),
    ("closed", "terminated_this_round", 25),
    ("closed", "settled", 8),
    ("closed", "terminated", 4),
    ("closed", "not_enforced", 1.5),
    ("closed", "transferred_to_bankruptcy", 1.5),
)
FLOW = ("filed", "assigned", "notified", "investigating", "controlling", "disposing", "distributing")
STEP = {
    "assigned": "assign",
    "notified": "notify",
    "investigating": "start_investigation",
    "controlling": "start_control",
    "disposing": "start_disposal",
    "distributing": "start_distribution",
}
# How long ago (days) a case in this state was filed.
FILED_AGO = {
    "filed": (0, 12),
    "assigned": (3, 30),
    "notified": (15, 60),
    "investigating": (30, 270),
    "controlling": (60, 300),
    "disposing": (120, 420),
    "distributing": (180, 480),
    "suspended": (90, 600),
    "closed": (30, 1100),
}
WITHOUT_LISTING = {"filed", "assigned"}
WITHOUT_ASSETS = {"filed", "assigned", "notified"}
CONTROLLING = {"controlling", "disposing", "distributing", "suspended"}
PROVINCES = (
    ("京", "北京市", "11"), ("沪", "上海市", "31"), ("粤", "广东省", "44"), ("苏", "江苏省", "32"),
    ("浙", "浙江省", "33"), ("鲁", "山东省", "37"), ("川", "四川省", "51"), ("豫", "河南省", "41"),
    ("鄂", "湖北省", "42"), ("湘", "湖南省", "43"), ("冀", "河北省", "13"), ("闽", "福建省", "35"),
    ("皖", "安徽省", "34"), ("辽", "辽宁省", "21"), ("陕", "陕西省", "61"), ("赣", "江西省", "36"),
    ("渝", "重庆市", "50"), ("津", "天津市", "12"), ("桂", "广西壮族自治区", "45"), ("云", "云南省", "53"),
    ("黑", "黑龙江省", "23"), ("吉", "吉林省", "22"), ("晋", "山西省", "14"), ("黔", "贵州省", "52"),
    ("甘", "甘肃省", "62"), ("蒙", "内蒙古自治区", "15"), ("新", "新疆维吾尔自治区", "65"), ("琼", "海南省", "46"),
    ("宁", "宁夏回族自治区", "64"), ("青", "青海省", "63"), ("藏", "西藏自治区", "54"),
)  # fmt: skip
NUMERALS = "零一二三四五六七八九"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏宇飞建国文斌志宏海波鑫浩然轩涵诺欣怡雨思远晨曦"
    "嘉俊佳琪天佑博辉婷雪梅兰凤燕丹玲洁慧颖琳晓东亮成林峰春龙凯毅健彬鹤松柏翔瑞祥福禄寿喜安康宁泰盛荣贵"
)
TRADES = ("商贸", "建设工程", "房地产开发", "科技", "物流", "餐饮管理", "机械制造", "投资管理", "装饰工程", "农业发展")
CAUSES = ("民间借贷纠纷", "买卖合同纠纷", "金融借款合同纠纷", "劳务合同纠纷", "房屋租赁合同纠纷",
          "建设工程施工合同纠纷",
          "机动车交通事故责任纠纷", "服务合同纠纷", "信用卡纠纷", "劳动争议")  # fmt: skip
PERSON_CATEGORIES = ("deposit", "deposit", "online_funds", "online_funds", "vehicle", "real_estate", "provident_fund",
                     "insurance", "social_security", "exit_entry_document", "marriage", "wealth_product",
                     "securities")  # fmt: skip
ORGANISATION_CATEGORIES = ("deposit", "deposit", "real_estate", "equity", "business_registration", "tax", "vehicle",
                           "securities", "online_funds")  # fmt: skip
MONEY_LIKE = {"deposit", "online_funds", "provident_fund", "wealth_product", "securities", "insurance", "equity"}


def parse_scale(text: str) -> int:
    """``10k``, ``100k``, ``1m`` or a number (``2500``, ``1.5m``)."""
    value = str(text).strip().lower().replace("_", "").replace(",", "")
    if value in SCALES:
        return SCALES[value]
    factor = 1
    if value.endswith("k"):
        factor, value = 1_000, value[:-1]
    elif value.endswith("m"):
        factor, value = 1_000_000, value[:-1]
    try:
        n = int(float(value) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a scale: {text!r} (10k, 100k, 1m or a number)") from None
    if n < 20:
        raise argparse.ArgumentTypeError("the scale must be at least 20 cases")
    return n


def scale_label(n: int) -> str:
    for label, value in SCALES.items():
        if value == n:
            return label
    return str(n)


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def quotas(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainder), at least 1 each if it fits."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    if total >= len(weights):
        for i, count in enumerate(counts):
            if count == 0:
                donor = max(range(len(counts)), key=counts.__getitem__)
                counts[donor] -= 1
                counts[i] = 1
    return counts


# ---- writing rows with COPY ---------------------------------------------------------------------------------


class _Required:
    def __repr__(self) -> str:
        return "<required>"


REQUIRED = _Required()


class Table:
    """The rows of one table, built in the order of the model's concrete fields and sent with COPY.

    ``add(**values)`` takes attribute names (``court_id``, ``status`` …), fills the rest from the field's
    default (JSON dumped to text), None for a nullable field or "" for a blank text field, and refuses a row
    that leaves a NOT NULL column without a value. Ids are assigned here, after the largest id in the table."""

    def __init__(self, model, cursor) -> None:
        from django.db import models

        meta = model._meta
        self.model = model
        self.name = meta.db_table
        self.fields = list(meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.pk_index = self.index[meta.pk.attname]
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.defaults: list = []
        required = set()
        for f in self.fields:
            if f.primary_key:
                value = None
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.blank and isinstance(f, (models.CharField, models.TextField, models.FileField)):
                value = ""
            else:
                value = REQUIRED
                required.add(f.attname)
            self.defaults.append(value)
        self.required = frozenset(required)
        cursor.execute(f'SELECT COALESCE(MAX("{meta.pk.column}"), 0) FROM "{self.name}"')
        self.next_id = cursor.fetchone()[0] + 1
        self.rows: list[list] = []
        self.count = 0
        self.seconds = 0.0

    def add(self, **values) -> int:
        missing = self.required - values.keys()
        if missing:
            raise ValueError(f"{self.name}: no value for NOT NULL column(s) {', '.join(sorted(missing))}")
        row = self.defaults.copy()
        pk = self.next_id
        self.next_id += 1
        row[self.pk_index] = pk
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        self.rows.append(row)
        return pk

    def flush(self, cursor) -> None:
        if not self.rows:
            return
        started = time.perf_counter()
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with cursor.copy(f'COPY "{self.name}" ({columns}) FROM STDIN') as copy:
            for row in self.rows:
                for i in self.json:
                    if not isinstance(row[i], str):
                        row[i] = json.dumps(row[i], ensure_ascii=False, default=str)
                copy.write_row(row)
        self.count += len(self.rows)
        self.rows = []
        self.seconds += time.perf_counter() - started


# ---- the world ----------------------------------------------------------------------------------------------


@dataclass
class CourtInfo:
    pk: int
    code: str
    name: str
    region: str
    weight: float
    officers: list[int] = field(default_factory=list)
    head: int = 0
    clerk: int = 0
    president: int = 0


@dataclass
class Generated:
    n: int
    seed: int
    today: dt.date
    seconds: float
    tables: dict[str, dict]
    courts: list[CourtInfo]

    @property
    def total_rows(self) -> int:
        return sum(t["rows"] for t in self.tables.values())

    def as_json(self) -> dict:
        return {
            "scale": scale_label(self.n),
            "cases": self.n,
            "seed": self.seed,
            "today": self.today.isoformat(),
            "seconds": round(self.seconds, 2),
            "rows": self.total_rows,
            "rows_per_second": round(self.total_rows / self.seconds) if self.seconds else None,
            "tables": self.tables,
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()),
        }


def _court_tree(n: int) -> list[tuple[str, str, str, str, str | None]]:
    """(code, name, level, region code, parent code) from the top down; ~one basic court per 5,000 cases."""
    basics = max(4, min(3000, n // CASES_PER_BASIC_COURT))
    intermediates = max(2, math.ceil(basics / 8))
    provinces = min(len(PROVINCES), max(2, math.ceil(intermediates / 6)))
    rows = [("最高法", "最高人民法院", "supreme", "", None)]
    for char, name, prefix in PROVINCES[:provinces]:
        rows.append((char, f"{name}高级人民法院", "high", f"{prefix}0000", "最高法"))
    inter_codes = []
    for k in range(intermediates):
        char, name, prefix = PROVINCES[k % provinces]
        number = k // provinces + 1
        code = f"{char}{number:02d}"
        label = "".join(NUMERALS[int(d)] for d in str(number))
        rows.append((code, f"{name}第{label}中级人民法院", "intermediate", f"{prefix}{number:02d}00", char))
        inter_codes.append((code, name, prefix, number))
    for b in range(basics):
        code, name, prefix, number = inter_codes[b % intermediates]
        district = b // intermediates + 1
        rows.append(
            (
                f"{code}{district:02d}",
                f"{name}第{number}市第{district}区人民法院",
                "basic",
                f"{prefix}{number:02d}{district:02d}",
                code,
            )
        )
    return rows


def _staff_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def build_world(n: int, rng: random.Random) -> tuple[list[CourtInfo], dict[str, tuple[int, tuple[str, ...]]]]:
    """Courts, staff and query agencies with the ORM (a few thousand rows at most)."""
    from django.contrib.auth.hashers import make_password

    from assets.demo import QUERY_AGENCIES
    from assets.models import Agency
    from core.models import Court, User
    from core.roles import Role

    tree = _court_tree(n)
    by_code: dict[str, Court] = {}
    for code, name, level, region, parent in tree:
        by_code[code] = Court.objects.create(
            code=code,
            name=name,
            level=level,
            region_code=region,
            parent=by_code.get(parent) if parent else None,
            address=f"{name}诉讼服务中心",
            phone="12368",
        )
    hashed = make_password(PASSWORD)  # once: the hasher is deliberately slow
    courts = []
    handling = [c for c in by_code.values() if c.level in ("basic", "intermediate")]
    for rank, court in enumerate(sorted(handling, key=lambda c: (c.level != "basic", c.code))):
        weight = (0.35 if court.level == "intermediate" else 1.0) / (1 + rank) ** 0.6
        courts.append(CourtInfo(court.pk, court.code, court.name, court.region_code, weight))
    total = sum(c.weight for c in courts)
    users = []
    for info in courts:
        share = n * info.weight / total
        for k in range(max(2, min(300, math.ceil(share / CASES_PER_OFFICER)))):
            users.append((info, "officer", f"court{info.pk}-officer{k + 1}", Role.OFFICER))
        for role, label in ((Role.DIVISION_HEAD, "head"), (Role.CLERK, "clerk"), (Role.PRESIDENT, "president")):
            users.append((info, label, f"court{info.pk}-{label}", role))
    created = User.objects.bulk_create(
        [
            User(
                username=username,
                password=hashed,
                role=role,
                court_id=info.pk,
                display_name=_staff_name(rng),
                is_active=True,
            )
            for info, _label, username, role in users
        ],
        batch_size=2000,
    )
    for (info, label, _username, _role), user in zip(users, created, strict=True):
        if label == "officer":
            info.officers.append(user.pk)
        else:
            setattr(info, label, user.pk)
    agencies: dict[str, tuple[int, tuple[str, ...]]] = {}
    for spec in QUERY_AGENCIES:
        if spec.courts:  # local agencies serve named courts only; the national ones serve every court
            continue
        client = User(username=f"agency-{spec.code}", role=Role.AGENCY, display_name=spec.name)
        client.set_unusable_password()
        client.organisation = spec.name
        client.save()
        agency = Agency.objects.create(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            scope=spec.scope,
            categories=list(spec.categories),
            client=client,
        )
        agencies[spec.code] = (agency.pk, tuple(spec.categories))
    return courts, agencies


class Generator:
    def __init__(self, *, n: int, seed: int, today: dt.date, query_share: float, cursor, out=sys.stdout) -> None:
        from assets import models as assets
        from cases import models as cases
        from core.models import CaseNumberSequence
        from credit.models import DishonestListing
        from enforcement import models as enforcement

        self.n, self.seed, self.today, self.query_share, self.out = n, seed, today, query_share, out
        self.now = dt.datetime.combine(today, dt.time(10, 0), tzinfo=dt.UTC)
        models = [
            cases.Party,
            cases.Case,
            cases.CaseParty,
            cases.EffectiveDocument,
            cases.EffectiveDocument.obligees.through,
            cases.EffectiveDocument.obligors.through,
            enforcement.EnforcementCase,
            enforcement.StatusChange,
            enforcement.Notice,
            enforcement.Suspension,
            enforcement.TerminationProposal,
            enforcement.TerminatedCaseEntry,
            assets.QueryBatch,
            assets.QueryBatch.debtors.through,
            assets.AgencyRequest,
            assets.QueryResult,
            assets.Asset,
            assets.ControlMeasure,
            assets.ExpiryReminder,
            assets.TrackingPlan,
            assets.TrackingRun,
            DishonestListing,
        ]
        self.sequence_model = CaseNumberSequence
        self.t = {m._meta.db_table: Table(m, cursor) for m in models}
        self.cursor = cursor
        self.serials: dict[tuple[int, str, int], int] = {}

    def table(self, model_name: str) -> Table:
        return self.t[model_name]

    # -- parties ------------------------------------------------------------------------------------------

    def parties(self, courts: list[CourtInfo]) -> tuple[int, list[str], list[str], list[str]]:
        """2n parties; returns the first id and, per party index, kind, name and identifier."""
        from django.db import transaction

        from core.identifiers import make_credit_code, make_resident_id

        table = self.t["cases_party"]
        first = table.next_id
        kinds, names, ids = [], [], []
        regions = [c.region for c in courts if c.region]
        born0 = dt.date(1950, 1, 1)
        persons = organisations = 0
        total = 2 * self.n
        for start in range(0, total, PARTY_CHUNK):
            rng = random.Random(f"{self.seed}:parties:{start}")
            with transaction.atomic():
                for i in range(start, min(total, start + PARTY_CHUNK)):
                    region = regions[i % len(regions)]
                    created = self.now - dt.timedelta(days=rng.randrange(1, 1500))
                    if i % 4 == 3:
                        name = f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(TRADES)}有限公司"
                        number = make_credit_code("91", region, f"MA{organisations:07d}")
                        organisations += 1
                        table.add(
                            kind="organisation",
                            name=name,
                            id_number=number,
                            legal_representative=_staff_name(rng),
                            phone=f"010-{rng.randrange(10**7, 10**8)}",
                            address=f"{region}某路{rng.randrange(1, 999)}号",
                            created_at=created,
                        )
                        kinds.append("organisation")
                    else:
                        name = _staff_name(rng)
                        born = born0 + dt.timedelta(days=persons % 20000)
                        number = make_resident_id(region, born, (persons // 20000) % 1000)
                        persons += 1
                        table.add(
                            kind="person",
                            name=name,
                            id_number=number,
                            birth_date=born,
                            sex="M" if int(number[16]) % 2 else "F",
                            phone=f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
                            address=f"{region}某小区{rng.randrange(1, 99)}号楼",
                            created_at=created,
                        )
                        kinds.append("person")
                    names.append(name)
                    ids.append(number)
                table.flush(self.cursor)
            self.out.write(f"  parties {min(total, start + PARTY_CHUNK):,}/{total:,}\n")
        return first, kinds, names, ids

    # -- cases ----------------------------------------------------------------------------------------------

    def serial(self, court: CourtInfo, type_code: str, year: int) -> int:
        key = (court.pk, type_code, year)
        self.serials[key] = self.serials.get(key, 0) + 1
        return self.serials[key]

    def cases(self, courts, agencies, party0: int, kinds, names, ids) -> None:
        from django.db import transaction

        weights = [c.weight for c in courts]
        cumulative, acc = [], 0.0
        for w in weights:
            acc += w
            cumulative.append(acc)
        category_agencies: dict[str, list[tuple[str, int]]] = {}
        for code, (pk, categories) in agencies.items():
            for category in categories:
                category_agencies.setdefault(category, []).append((code, pk))
        self.category_agencies = category_agencies
        self.asset_counter = 0
        for start in range(0, self.n, CASE_CHUNK):
            size = min(CASE_CHUNK, self.n - start)
            rng = random.Random(f"{self.seed}:cases:{start}")
            with transaction.atomic():
                self._chunk(rng, size, courts, cumulative, party0, kinds, names, ids)
                for table in self.t.values():
                    table.flush(self.cursor)
            self.out.write(f"  enforcement cases {start + size:,}/{self.n:,}\n")

    def _chunk(self, rng, size, courts, cumulative, party0, kinds, names, ids) -> None:
        states = [s for (status, kind, _w), count in zip(STATES, quotas(size, [w for *_x, w in STATES]), strict=True)
                  for s in [(status, kind)] * count]  # fmt: skip
        rng.shuffle(states)
        eligible = [i for i, (status, _k) in enumerate(states) if status not in WITHOUT_LISTING]
        doubles_needed = size - len(eligible)  # listings = cases: some cases list both debtors
        two_debtors = set(rng.sample(eligible, min(len(eligible), max(doubles_needed, round(0.15 * size)))))
        listed_twice = set(sorted(two_debtors)[:doubles_needed])
        with_assets = [i for i, (status, _k) in enumerate(states) if status not in WITHOUT_ASSETS]
        asset_weights = [rng.random() ** 2 + 0.05 for _ in with_assets]
        asset_counts = [0] * size
        for i in rng.choices(with_assets, weights=asset_weights, k=5 * size):
            asset_counts[i] += 1
        total_parties = 2 * self.n
        for i in range(size):
            court = courts[_bisect(cumulative, rng.random() * cumulative[-1])]
            creditor = rng.randrange(total_parties)
            debtors = []
            while len(debtors) < (2 if i in two_debtors else 1):
                d = int(rng.random() ** 1.3 * total_parties)  # repeat debtors: lower indexes come up more
                if d != creditor and d not in debtors:
                    debtors.append(d)
            self._case(rng, court, states[i], creditor, debtors, asset_counts[i], i in listed_twice,
                       party0, kinds, names, ids)  # fmt: skip

    def _case(self, rng, court, state, creditor, debtors, n_assets, list_both, party0, kinds, names, ids) -> None:
        t, today = self.t, self.today
        status, closing_kind = state
        low, high = FILED_AGO[status]
        filed = today - dt.timedelta(days=rng.randint(low, high))
        amount = Decimal(int(rng.lognormvariate(11.5, 1.3)) + 1000) + Decimal(rng.randrange(100)) / 100
        cause = rng.choice(CAUSES)
        creditor_id, debtor_ids = party0 + creditor, [party0 + d for d in debtors]
        filed_at = dt.datetime.combine(filed, dt.time(9, rng.randrange(60)), tzinfo=dt.UTC)
        officer = rng.choice(court.officers)
        # the enforcement basis
        litigation = rng.random() < 0.7
        limit_months = 6 if litigation else 3
        serial = self.serial(court, "执", filed.year)
        number = f"（{filed.year}）{court.code}执{serial}号"
        case_id = t["cases_case"].add(
            case_type="执",
            court_id=court.pk,
            year=filed.year,
            serial=serial,
            number=number,
            filing_date=filed,
            amount=amount,
            cause=cause,
            created_by_id=court.clerk,
            created_at=filed_at,
        )
        t["cases_caseparty"].add(case_id=case_id, party_id=creditor_id, role="creditor", position=0)
        for k, debtor in enumerate(debtor_ids):
            t["cases_caseparty"].add(case_id=case_id, party_id=debtor, role="debtor", position=k + 1)
        if litigation:
            lit_filed = filed - dt.timedelta(days=rng.randint(200, 600))
            lit_serial = self.serial(court, "民初", lit_filed.year)
            lit_number = f"（{lit_filed.year}）{court.code}民初{lit_serial}号"
            lit_id = t["cases_case"].add(
                case_type="民初",
                court_id=court.pk,
                year=lit_filed.year,
                serial=lit_serial,
                number=lit_number,
                filing_date=lit_filed,
                amount=amount,
                cause=cause,
                created_by_id=court.clerk,
                created_at=moment(lit_filed, 9),
            )
            t["cases_caseparty"].add(case_id=lit_id, party_id=creditor_id, role="plaintiff", position=0)
            for k, debtor in enumerate(debtor_ids):
                t["cases_caseparty"].add(case_id=lit_id, party_id=debtor, role="defendant", position=k + 1)
            issued = lit_filed + dt.timedelta(days=rng.randint(60, 150))
            kind = "mediation" if rng.random() < 0.2 else "judgment"
            document_number, issuing_body, document_case = lit_number, court.name, lit_id
        else:
            issued = filed - dt.timedelta(days=rng.randint(30, 300))
            kind = rng.choice(("arbitral_award", "notarised_debt"))
            document_number = f"（{issued.year}）仲裁字第{rng.randrange(1, 9999)}号"
            if kind == "notarised_debt":
                document_number = f"（{issued.year}）公证执字第{rng.randrange(1, 9999)}号"
            issuing_body = "某仲裁委员会" if kind == "arbitral_award" else "某公证处"
            document_case = case_id
        effective = issued + dt.timedelta(days=15)
        document_id = t["cases_effectivedocument"].add(
            case_id=document_case,
            kind=kind,
            number=document_number,
            issuing_body=issuing_body,
            issued_on=issued,
            effective_on=effective,
            principal=amount,
            costs=Decimal("0"),
            performance_deadline=effective + dt.timedelta(days=10),
            text=f"被告于判决生效之日起十日内支付原告{amount}元。",
            created_by_id=court.clerk,
            created_at=moment(issued, 15),
        )
        t["cases_effectivedocument_obligees"].add(effectivedocument_id=document_id, party_id=creditor_id)
        for debtor in debtor_ids:
            t["cases_effectivedocument_obligors"].add(effectivedocument_id=document_id, party_id=debtor)

        # the lifecycle
        closed_on = None
        if status == "closed":
            closed_on = min(today, filed + dt.timedelta(days=rng.randint(20, 330)))
            reached = FLOW[rng.randint(2 if closing_kind != "completed" else 1, 4)]
        elif status == "suspended":
            reached = FLOW[rng.randint(3, 4)]
        else:
            reached = status
        deadline = add_months(filed, limit_months)
        assigned = status != "filed"
        score = rng.randint(5, 95) if assigned else None
        performed = Decimal("0")
        if closing_kind == "completed":
            performed = amount
        elif closing_kind == "settled":
            performed = (amount * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("0.01"))
        elif status in ("distributing", "closed") and rng.random() < 0.3:
            performed = (amount * Decimal(rng.randint(1, 40)) / 100).quantize(Decimal("0.01"))
        ground = ""
        if closing_kind == "terminated":
            ground = rng.choice(("application_withdrawn", "other"))
        elif closing_kind == "not_enforced":
            ground = rng.choice(("procedure_violated", "public_interest"))
        from enforcement.triage import track_for

        ec_id = t["enforcement_enforcementcase"].add(
            case_id=case_id,
            court_id=court.pk,
            status=status,
            source_document_id=document_id,
            track=track_for(score) if score is not None else "",
            difficulty_score=score,
            difficulty_reasons=[],
            officer_id=officer if assigned else None,
            assigned_at=filed_at + dt.timedelta(days=1) if assigned else None,
            limit_months=limit_months,
            extended_months=0,
            suspended_days=0,
            status_before_suspension=reached if status == "suspended" else "",
            deadline_on=deadline,
            closing_kind=closing_kind,
            closing_ground=ground,
            closed_on=closed_on,
            performed_amount=performed,
        )
        # the timeline
        at = filed_at
        t["enforcement_statuschange"].add(
            enforcement_case_id=ec_id,
            transition="file",
            from_status="filed",
            to_status="filed",
            actor_id=court.clerk,
            at=at,
            details={"document": document_id, "limit_months": limit_months},
        )
        span = max(1, ((closed_on or today) - filed).days)
        steps = FLOW[1 : FLOW.index(reached) + 1]
        previous = "filed"
        for k, target in enumerate(steps):
            at = filed_at + dt.timedelta(days=span * (k + 1) / (len(steps) + 2))
            t["enforcement_statuschange"].add(
                enforcement_case_id=ec_id,
                transition=STEP[target],
                from_status=previous,
                to_status=target,
                actor_id=officer if target != "assigned" else court.head,
                at=at,
                details={"officer": officer} if target == "assigned" else {},
            )
            previous = target
        if status == "suspended":
            started = today - dt.timedelta(days=rng.randint(1, 60))
            t["enforcement_statuschange"].add(
                enforcement_case_id=ec_id, transition="suspend", from_status=previous, to_status="suspended",
                actor_id=officer, at=moment(started, 11), reason="申请执行人同意暂缓执行",
            )  # fmt: skip
            t["enforcement_suspension"].add(
                enforcement_case_id=ec_id, ground="applicant_agrees", reason="申请执行人同意暂缓执行。",
                started_on=started, ended_on=None, started_by_id=officer,
            )  # fmt: skip
        if closed_on:
            t["enforcement_statuschange"].add(
                enforcement_case_id=ec_id, transition="close", from_status=previous, to_status="closed",
                actor_id=officer, at=moment(closed_on, 16),
                details={"kind": closing_kind, "ground": ground},
            )  # fmt: skip
        # notices once notified
        if FLOW.index(reached) >= 2:
            issued_on = filed + dt.timedelta(days=rng.randint(1, 7))
            for debtor in debtor_ids:
                for notice_kind in ("enforcement_notice", "property_report_order"):
                    t["enforcement_notice"].add(
                        enforcement_case_id=ec_id, kind=notice_kind, recipient_id=debtor,
                        file=f"notices/{issued_on:%Y/%m}/{ec_id}-{notice_kind}-{debtor}.docx",
                        issued_on=issued_on, issued_by_id=officer,
                        service_method=rng.choice(("in_person", "post", "electronic")),
                        served_on=issued_on + dt.timedelta(days=rng.randint(1, 5)),
                        recorded_at=moment(issued_on, 14),
                    )  # fmt: skip
        # assets, query history, control measures
        measures_live = status in CONTROLLING or (closing_kind == "terminated_this_round" and rng.random() < 0.5)
        self._assets(rng, court, case_id, ec_id, filed, closed_on, status, closing_kind, officer,
                     debtor_ids, [kinds[d] for d in debtors], n_assets, measures_live)  # fmt: skip
        # 终本: proposal, public entry, tracking
        if closing_kind == "terminated_this_round":
            self._terminated(rng, court, ec_id, number, filed, closed_on, officer, amount, performed, debtor_ids,
                             [kinds[d] for d in debtors], [names[d] for d in debtors], [ids[d] for d in debtors],
                             document_number)  # fmt: skip
        # dishonest listings
        if status not in WITHOUT_LISTING:
            for k, debtor in enumerate(debtor_ids):
                if k and not list_both:
                    break
                self._listing(rng, court, ec_id, filed, closed_on, status, closing_kind, officer, debtor,
                              names[debtors[k]])  # fmt: skip

    def _assets(self, rng, court, case_id, ec_id, filed, closed_on, status, closing_kind, officer, debtor_ids,
                debtor_kinds, n_assets, measures_live) -> None:  # fmt: skip
        from assets.services.controls import CATEGORY_CLASS
        from cases.choices import MAX_CONTROL_YEARS

        t, today = self.t, self.today
        if not n_assets and status in WITHOUT_ASSETS:
            return
        queried_on = filed + dt.timedelta(days=rng.randint(8, 20))
        if queried_on > today:
            queried_on = today
        queried_at = moment(queried_on, 10)
        found: dict[tuple[int, str], int] = {}
        assets = []
        for _ in range(n_assets):
            k = rng.randrange(len(debtor_ids))
            pool = PERSON_CATEGORIES if debtor_kinds[k] == "person" else ORGANISATION_CATEGORIES
            category = rng.choice(pool)
            agency_code, agency_id = rng.choice(self.category_agencies[category])
            found[(debtor_ids[k], category)] = found.get((debtor_ids[k], category), 0) + 1
            assets.append((debtor_ids[k], category, agency_code, agency_id))
        requests: dict[str, int] = {}
        if rng.random() < self.query_share and status not in WITHOUT_ASSETS:
            batch_id = t["assets_querybatch"].add(
                enforcement_case_id=ec_id, ordered_by_id=officer, categories=sorted(self.category_agencies),
                created_at=queried_at, status="complete", sent_at=queried_at, purpose="case",
            )  # fmt: skip
            for debtor in debtor_ids:
                t["assets_querybatch_debtors"].add(querybatch_id=batch_id, party_id=debtor)
            answered_at = queried_at + dt.timedelta(hours=rng.randint(2, 72))
            for code, (agency_id, categories) in self.agencies.items():
                items = [(d, c) for d in debtor_ids for c in categories]
                requests[code] = t["assets_agencyrequest"].add(
                    batch_id=batch_id, agency_id=agency_id, kind="query", payload={"items": len(items)},
                    item_count=len(items), status="answered", attempts=1, created_at=queried_at,
                    due_at=queried_at + dt.timedelta(days=7), delivered_at=queried_at, answered_at=answered_at,
                )  # fmt: skip
                for debtor, category in items:
                    count = found.get((debtor, category), 0) if category in categories else 0
                    t["assets_queryresult"].add(
                        request_id=requests[code], debtor_id=debtor, category=category,
                        outcome="found" if count else "none_found", asset_count=min(count, 32767),
                        received_at=answered_at,
                    )  # fmt: skip
        for debtor, category, agency_code, agency_id in assets:
            self.asset_counter += 1
            money = category in MONEY_LIKE
            value = None
            if money or category in ("real_estate", "vehicle"):
                value = Decimal(int(rng.lognormvariate(9 if money else 12, 1.5)) + 1)
            reported = queried_at + dt.timedelta(hours=rng.randint(1, 72))
            asset_id = t["assets_asset"].add(
                case_id=case_id, debtor_id=debtor, category=category, agency_id=agency_id,
                identifier=f"{category[:4].upper()}-{self.asset_counter:010d}",
                description=f"{category} #{self.asset_counter}", value=value, details={"source": agency_code},
                first_reported_at=reported, reported_at=reported, source_request_id=requests.get(agency_code),
            )  # fmt: skip
            klass = CATEGORY_CLASS.get(category)
            if klass is None or status in WITHOUT_ASSETS or status == "investigating":
                continue
            years = MAX_CONTROL_YEARS[klass]
            kind = "freeze" if category in MONEY_LIKE else ("seal" if category == "real_estate" else "impound")
            first_start = min(today, queried_on + dt.timedelta(days=rng.randint(1, 10)))
            if closing_kind and not measures_live:
                if closing_kind not in ("completed", "settled"):
                    continue
                end = max(closed_on, first_start)
                starts_on = min(first_start, end)
                t["assets_controlmeasure"].add(
                    enforcement_case_id=ec_id, asset_id=asset_id, kind=kind, status="released",
                    amount=value if kind == "freeze" else None, starts_on=starts_on,
                    expires_on=add_years(starts_on, years), position=1, ordered_by_id=officer,
                    created_at=moment(starts_on, 10),
                    confirmed_at=moment(starts_on, 16),
                    confirmation_reference=f"CF{asset_id}", release_reason="执行完毕，解除控制。",
                    release_requested_at=moment(end, 10), ended_on=end,
                )  # fmt: skip
                continue
            if not measures_live:
                continue
            starts_on = first_start
            while add_years(starts_on, years) <= today:  # renewed (续行) period after period: the current one
                starts_on = add_years(starts_on, years)
            expires_on = add_years(starts_on, years)
            if rng.random() < 0.04:  # some measures expiring within days, whatever their start
                expires_on = today + dt.timedelta(days=rng.randint(1, 30))
                starts_on = max(first_start, expires_on - dt.timedelta(days=300))
                if starts_on >= expires_on:
                    starts_on = expires_on - dt.timedelta(days=1)
            measure_id = t["assets_controlmeasure"].add(
                enforcement_case_id=ec_id, asset_id=asset_id, kind=kind, status="active",
                amount=value if kind == "freeze" else None, starts_on=starts_on, expires_on=expires_on,
                position=1, ordered_by_id=officer, created_at=moment(starts_on, 10),
                confirmed_at=moment(starts_on, 16), confirmation_reference=f"CF{asset_id}",
            )  # fmt: skip
            days_left = (expires_on - today).days
            for threshold in (30, 7):  # what assets.services.reminders.reminders_record_due has recorded by now
                if 0 < days_left <= threshold:
                    t["assets_expiryreminder"].add(
                        measure_id=measure_id, threshold=threshold, expires_on=expires_on, officer_id=officer,
                        created_at=moment(expires_on - dt.timedelta(days=threshold), 2),
                    )  # fmt: skip

    def _terminated(self, rng, court, ec_id, number, filed, closed_on, officer, amount, performed, debtor_ids,
                    debtor_kinds, debtor_names, debtor_numbers, document_number) -> None:  # fmt: skip
        from core.identifiers import mask_identifier

        t, today = self.t, self.today
        proposed = closed_on - dt.timedelta(days=rng.randint(3, 15))
        t["enforcement_terminationproposal"].add(
            enforcement_case_id=ec_id, status="approved", reason="no_property",
            reason_detail="经网络查控及现场调查，未发现被执行人可供执行的财产。",
            consumption_restriction_on=proposed - dt.timedelta(days=20), listing_decision="listed",
            applicant_informed_on=proposed - dt.timedelta(days=5), applicant_opinion="agrees", applicant_signed=True,
            follow_up="restore_when_property", proposed_by_id=officer,
            proposed_at=moment(proposed, 10), decided_by_id=court.head,
            decided_at=moment(closed_on, 15),
            ruling_number=f"（{closed_on.year}）{court.code}执{ec_id}号之一",
        )  # fmt: skip
        published = closed_on + dt.timedelta(days=rng.randint(1, 7))
        debtors = [
            {"name": name, "masked_id": mask_identifier(ident) if kind == "person" else ident, "kind": kind}
            for name, ident, kind in zip(debtor_names, debtor_numbers, debtor_kinds, strict=True)
        ]
        t["enforcement_terminatedcaseentry"].add(
            enforcement_case_id=ec_id, court_name=court.name, case_number=number, filed_on=filed,
            debtors=debtors, debtor_names="、".join(debtor_names)[:400], document_number=document_number,
            obligation=f"支付{amount}元及利息。", amount=amount, unperformed_amount=amount - performed,
            ruled_on=closed_on, published_on=published if published <= today else None,
        )  # fmt: skip
        # tracking: run k due on closed_on + 6k months; a few plans lag one run behind (due now)
        ends = add_years(closed_on, 5)
        due = [add_months(closed_on, 6 * k) for k in range(1, 11)]
        done = sum(1 for d in due if d < today)
        if done and rng.random() < 0.05:
            done -= 1
        runs_left = done < 10 and due[done] <= ends
        next_due = due[done] if runs_left else None
        plan_id = t["assets_trackingplan"].add(
            enforcement_case_id=ec_id, status="active" if runs_left else "ended", starts_on=closed_on, ends_on=ends,
            next_due_on=next_due, runs_done=done, empty_runs=done,
            created_at=moment(closed_on, 16),
            ended_at=None if runs_left else moment(ends, 0),
            end_reason="" if runs_left else "五年跟踪期满",
        )  # fmt: skip
        for k in range(done):
            at = moment(due[k], 3)
            batch_id = t["assets_querybatch"].add(
                enforcement_case_id=ec_id, ordered_by_id=None, categories=sorted(self.category_agencies),
                created_at=at, status="complete", sent_at=at, purpose="tracking",
            )  # fmt: skip
            for debtor in debtor_ids:
                t["assets_querybatch_debtors"].add(querybatch_id=batch_id, party_id=debtor)
            t["assets_trackingrun"].add(
                plan_id=plan_id, number=k + 1, due_on=due[k], batch_id=batch_id, dispatched_at=at,
                completed_at=at + dt.timedelta(days=2), outcome="empty", new_assets=[],
                applicant_notified_at=at + dt.timedelta(days=3),
            )  # fmt: skip

    def _listing(self, rng, court, ec_id, filed, closed_on, status, closing_kind, officer, debtor, name) -> None:
        today = self.today
        listed_on = min(today, filed + dt.timedelta(days=rng.randint(25, 90)))
        if closed_on:
            listed_on = min(listed_on, closed_on)
        proposed_at = moment(listed_on - dt.timedelta(days=2), 10)
        decided_at = moment(listed_on, 15)
        ground = "able_but_refuses" if rng.random() < 0.7 else rng.choice(("evades", "breaches_reporting"))
        period = expires = None
        if ground != "able_but_refuses":
            period, expires = 2, add_years(listed_on, 2)
            if expires <= today:
                ground, period, expires = "able_but_refuses", None, None
        values = {
            "enforcement_case_id": ec_id, "debtor_id": debtor, "debtor_name": name, "ground": ground,
            "facts": "被执行人有履行能力而拒不履行生效法律文书确定的义务。", "proposed_by_id": officer,
            "proposed_at": proposed_at, "listed_on": listed_on, "period_years": period, "expires_on": expires,
            "decision_number": f"（{listed_on.year}）{court.code}执{ec_id}号之二",
        }  # fmt: skip
        removal = {
            "completed": "performed",
            "settled": "settlement_performed",
            "not_enforced": "not_enforced",
            "terminated": "terminated",
            "transferred_to_bankruptcy": "terminated",
        }.get(closing_kind)
        if removal:
            event_on = max(closed_on, listed_on)
            values.update(
                status="removed", decided_by_id=court.head, decided_at=decided_at, removal_event=removal,
                removal_reason="依《失信规定》第十条删除。", event_on=event_on,
                removal_due_on=event_on + dt.timedelta(days=3), removed_on=min(today, event_on + dt.timedelta(days=2)),
            )  # fmt: skip
        elif status != "closed" and rng.random() < 0.05:
            values.update(status="pending", listed_on=None, period_years=None, expires_on=None, decision_number="")
        else:
            values.update(status="listed", decided_by_id=court.head, decided_at=decided_at)
        self.t["credit_dishonestlisting"].add(**values)

    # -- the whole run -----------------------------------------------------------------------------------------

    def run(self, courts, agencies) -> None:
        self.agencies = agencies
        party0, kinds, names, ids = self.parties(courts)
        self.cases(courts, agencies, party0, kinds, names, ids)

    def finish(self) -> None:
        from django.db import connection
        from django.db.models import Model

        rows = [
            self.sequence_model(court_id=court_pk, type_code=type_code, year=year, last_serial=serial)
            for (court_pk, type_code, year), serial in sorted(self.serials.items())
        ]
        self.sequence_model.objects.bulk_create(rows, batch_size=5000)
        from django.core.management.color import no_style

        models = [t.model for t in self.t.values()]
        models = [m for m in models if isinstance(m, type) and issubclass(m, Model)]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def _bisect(cumulative: list[float], x: float) -> int:
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def generate(
    *, n: int, seed: int = 2026, today: dt.date | None = None, query_share: float = 0.2, out=sys.stdout
) -> Generated:
    """Write scale ``n`` into the default database (PostgreSQL; it must hold no enforcement case yet)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from enforcement.models import EnforcementCase

    if connection.vendor != "postgresql":
        raise SystemExit("bench.generate writes with PostgreSQL's COPY: point the database at PostgreSQL")
    if EnforcementCase.objects.exists():
        raise SystemExit("the database already holds enforcement cases: generate into an empty one (--reset)")
    today = today or timezone.localdate()
    started = time.perf_counter()
    rng = random.Random(f"{seed}:world")
    with transaction.atomic():
        courts, agencies = build_world(n, rng)
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    generator = Generator(n=n, seed=seed, today=today, query_share=query_share, cursor=cursor, out=out)
    generator.run(courts, agencies)
    with transaction.atomic():
        generator.finish()
    analyze_started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM (ANALYZE)")  # outside a transaction: the connection autocommits here
    analyze = time.perf_counter() - analyze_started
    seconds = time.perf_counter() - started
    tables = {
        t.name: {
            "rows": t.count,
            "copy_seconds": round(t.seconds, 3),
            "rows_per_second": round(t.count / t.seconds) if t.seconds else None,
        }
        for t in generator.t.values()
    }
    from core.models import CaseNumberSequence, Court, User

    for model in (Court, User, CaseNumberSequence):
        tables[model._meta.db_table] = {"rows": model.objects.count(), "copy_seconds": None, "rows_per_second": None}
    tables["(analyze)"] = {"rows": 0, "copy_seconds": round(analyze, 3), "rows_per_second": None}
    return Generated(n=n, seed=seed, today=today, seconds=seconds, tables=tables, courts=courts)


def print_report(result: Generated, out=sys.stdout) -> None:
    out.write(f"\n{'table':<40} {'rows':>12} {'COPY s':>9} {'rows/s':>11}\n")
    for name, row in sorted(result.tables.items(), key=lambda kv: -kv[1]["rows"]):
        seconds = "" if row["copy_seconds"] is None else f"{row['copy_seconds']:.2f}"
        rate = "" if row["rows_per_second"] is None else f"{row['rows_per_second']:,}"
        out.write(f"{name:<40} {row['rows']:>12,} {seconds:>9} {rate:>11}\n")
    total = result.total_rows
    out.write(
        f"{'total':<40} {total:>12,} {result.seconds:>9.1f} {total / result.seconds:>11,.0f}"
        f"   (wall time, generation + COPY + VACUUM ANALYZE; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})\n"
    )


def write_results(result: Generated) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"generate-{scale_label(result.n)}-{dt.date.today().isoformat()}.json"
    path.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
    return path


# ---- the database ---------------------------------------------------------------------------------------------


def bench_database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def prepare_database(url: str, *, reset: bool, out=sys.stdout) -> None:
    """Create the database if missing (drop it first with ``reset``), point Django at it and migrate."""
    import psycopg
    from psycopg import sql

    settings = _parse_url(url)
    admin = {k: v for k, v in settings.items() if k != "dbname"}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["dbname"]]).fetchone()
        if exists and reset:
            out.write(f"dropping {settings['dbname']}\n")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(settings["dbname"])))
            exists = None
        if not exists:
            out.write(f"creating {settings['dbname']}\n")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["dbname"])))


def _parse_url(url: str) -> dict:
    from urllib.parse import unquote, urlparse

    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"BENCH_DATABASE_URL must be a PostgreSQL URL, not {url!r}")
    settings = {
        "dbname": unquote(parts.path.lstrip("/")),
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
    }
    if parts.username:
        settings["user"] = unquote(parts.username)
    if parts.password:
        settings["password"] = unquote(parts.password)
    return settings


def setup_django(url: str) -> None:
    """Django against ``url`` (set before settings are read)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def migrate(out=sys.stdout) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=parse_scale, default=SCALES["10k"], help="10k, 100k, 1m or a number")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the day the data is as of")
    parser.add_argument(
        "--query-share", type=float, default=0.2, help="share of investigated cases with a query history (0-1)"
    )
    args = parser.parse_args(argv)
    url = bench_database_url()
    prepare_database(url, reset=args.reset)
    setup_django(url)
    migrate()
    name = _parse_url(url)["dbname"]
    print(f"generating scale {scale_label(args.scale)} ({args.scale:,} enforcement cases) into {name}")
    result = generate(n=args.scale, seed=args.seed, today=args.today, query_share=args.query_share)
    print_report(result)
    print(f"written to {write_results(result)}")


if __name__ == "__main__":
    main()
