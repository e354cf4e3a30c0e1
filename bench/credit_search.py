"""Public search of the dishonest list at scale: exact-identifier look-up and fuzzy name search, each through
the selector the page uses (``credit.selectors_public.public_listing_search``, then the first page of rows, as
the page renders it), with rotating terms, at 1M listings against the same queries at 10k (ratio ~1x when the
indexes do their job), with the EXPLAIN of both queries at 1M.

PostgreSQL only (the trigram index of migration ``credit.0002_public_search`` exists only there): on SQLite it
says so and skips.

How the rows are made. 1,000 real enforcement cases and 10,000 filler parties are written with the ORM; the
listings are inserted with ``INSERT ... SELECT generate_series``: Chinese names drawn from a few hundred
surnames (the common ones more often) and a hundred given-name characters, two or three characters long, 90%
listed and 10% removed, each pointing at a case and a party of the pools (distinct pairs, as the one-active-
listing-per-case constraint wants). The insert runs under ``SET session_replication_role = replica`` (FK
triggers off for this session; needs a superuser, as the bench's throwaway database is created by one), with
the trigram index dropped during the load and rebuilt afterwards from the migration's own SQL. The looked-up
debtors (200 persons with valid 身份证号 and 40 organisations with valid credit codes, 1-3 listings each)
are written with the ORM, so the identifier path joins exactly as in production.
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import random
import time

from django.db import connection
from django.utils import timezone

from cases.choices import CaseType, PartyKind
from cases.models import Case, Party
from core.case_numbers import format_case_number
from core.identifiers import make_credit_code, make_resident_id
from core.models import Court, CourtLevel, User
from core.roles import Role
from credit.models import DishonestListing
from credit.selectors_public import _listing_matches, public_listing_search, public_query_parse
from enforcement.models import EnforcementCase

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊"
    "葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆"
    "蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐"]
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏宇飞建国文斌志宏海波鑫浩然轩涵诺欣怡雨思远晨曦嘉俊佳琪"
    "天佑博辉婷雪梅兰凤燕丹玲洁慧颖琳晓东亮成林峰春龙军凯毅健彬鹤松柏翔瑞祥福禄寿喜安康宁泰盛荣贵"
)
FILLER_CASES = 1_000
FILLER_PARTIES = 10_000
SMALL = 10_000
PERSONS = 200
ORGANISATIONS = 40
INDEX = "credit_listing_name_trgm"  # credit migration 0002
PREFIX_INDEX = "credit_listing_name_prefix"  # credit migration 0003


def _surnames() -> list[str]:
    return list(dict.fromkeys(SURNAMES)) + COMPOUND_SURNAMES


def _world(today: dt.date) -> tuple[list[int], list[str], list[str]]:
    """Cases, filler parties, two users; the looked-up debtors with their listings. Returns the filler party
    ids' range start, the identifiers to look up and the name terms to search."""
    court = Court.objects.create(code="京0105", name="北京市朝阳区人民法院", level=CourtLevel.BASIC)
    officer = User.objects.create(username="bench-officer", role=Role.OFFICER, court=court)
    head = User.objects.create(username="bench-head", role=Role.DIVISION_HEAD, court=court)
    filed = today - dt.timedelta(days=300)
    cases = Case.objects.bulk_create(
        [
            Case(
                case_type=CaseType.ENFORCEMENT,
                court=court,
                year=filed.year,
                serial=i + 1,
                number=format_case_number(year=filed.year, court_code=court.code, type_code="执", serial=i + 1),
                filing_date=filed,
                amount="100000.00",
                cause="民间借贷纠纷",
            )
            for i in range(FILLER_CASES)
        ],
        batch_size=2000,
    )
    enforcement_cases = EnforcementCase.objects.bulk_create(
        [
            EnforcementCase(
                case=case, court_id=case.court_id, status="investigating", deadline_on=filed + dt.timedelta(days=180)
            )
            for case in cases
        ],
        batch_size=2000,
    )
    rng = random.Random(6)
    surnames = _surnames()
    parties = Party.objects.bulk_create(
        [
            Party(kind=PartyKind.PERSON, name=rng.choice(surnames) + rng.choice(GIVEN), id_number=f"Z{i:017d}")
            for i in range(FILLER_PARTIES)
        ],
        batch_size=5000,
    )
    # The looked-up debtors: real identifiers, 1-3 listings each, on cases of their own pool slice.
    targets = [
        Party(
            kind=PartyKind.PERSON,
            name=rng.choice(surnames) + rng.choice(GIVEN) + rng.choice(GIVEN),
            id_number=make_resident_id("110105", dt.date(1960, 1, 1) + dt.timedelta(days=97 * i), i),
        )
        for i in range(PERSONS)
    ] + [
        Party(
            kind=PartyKind.ORGANISATION,
            name=f"北京{rng.choice(GIVEN)}{rng.choice(GIVEN)}商贸有限公司{i}",
            id_number=make_credit_code("91", "110105", f"MA{i:06d}{'0123456789ABCDEFGHJKLMNPQRTUWXY'[i % 31]}"),
            legal_representative=rng.choice(surnames) + rng.choice(GIVEN),
        )
        for i in range(ORGANISATIONS)
    ]
    targets = Party.objects.bulk_create(targets)
    now = timezone.now()
    listings = []
    for i, party in enumerate(targets):
        for k in range(1 + i % 3):
            listings.append(
                DishonestListing(
                    enforcement_case=enforcement_cases[(i * 3 + k) % FILLER_CASES],
                    debtor=party,
                    debtor_name=party.name,
                    ground="able_but_refuses",
                    facts="有履行能力而拒不履行生效法律文书确定的义务。",
                    status="listed",
                    proposed_by=officer,
                    proposed_at=now,
                    decided_by=head,
                    decided_at=now,
                    listed_on=today - dt.timedelta(days=i + k),
                )
            )
    DishonestListing.objects.bulk_create(listings)
    ids = [party.id_number for party in targets]
    rng.shuffle(ids)
    # Name terms as people type them: whole names of three characters, surname + given name of two (the
    # beginning of a name), and a part of a company name.
    terms = []
    for _i in range(300):
        kind = rng.random()
        if kind < 0.45:
            terms.append(rng.choice(surnames[:60]) + rng.choice(GIVEN) + rng.choice(GIVEN))
        elif kind < 0.9:
            terms.append(rng.choice(surnames[:60]) + rng.choice(GIVEN))
        else:
            terms.append(f"{rng.choice(GIVEN)}{rng.choice(GIVEN)}商贸")
    return [enforcement_cases[0].pk, parties[0].pk, officer.pk, head.pk], ids, terms


def _add_listings(start: int, stop: int, pools: list[int], today: dt.date) -> float:
    """Insert listings ``start``..``stop-1`` with generated names; seconds taken (index rebuilt by the caller)."""
    first_case, first_party, officer, head = pools
    surnames = _surnames()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(
                """
                INSERT INTO credit_dishonestlisting
                    (enforcement_case_id, debtor_id, debtor_name, ground, facts, on_request, status,
                     proposed_by_id, proposed_at, decided_by_id, decided_at, decision_note, decision_number,
                     decision, listed_on, period_years, extension_years, extension_reason, expires_on,
                     removal_event, removal_reason, removed_on)
                SELECT %(case)s + (g %% %(cases)s),
                       %(party)s + ((g / %(cases)s) %% %(parties)s),
                       s.names[1 + CASE WHEN h %% 2 = 0 THEN (h / 2) %% 30 ELSE (h / 2) %% %(ns)s END]
                         || s.given[1 + (h / 7) %% %(ng)s]
                         || CASE WHEN (h / 11) %% 3 = 0 THEN '' ELSE s.given[1 + (h / 13) %% %(ng)s] END,
                       'able_but_refuses', '有履行能力而拒不履行生效法律文书确定的义务。', false,
                       CASE WHEN g %% 10 = 0 THEN 'removed' ELSE 'listed' END,
                       %(officer)s, now(), %(head)s, now(), '', '', '',
                       %(today)s::date - (g %% 2000)::int, NULL, 0, '', NULL,
                       CASE WHEN g %% 10 = 0 THEN 'performed' ELSE '' END, '',
                       CASE WHEN g %% 10 = 0 THEN %(today)s::date ELSE NULL END
                FROM generate_series(%(start)s, %(stop)s) AS g,
                     LATERAL (SELECT abs(hashint8(g)::bigint) AS h) AS hashed,
                     (SELECT %(surnames)s::text[] AS names, %(given)s::text[] AS given) AS s
                """,
                {
                    "case": first_case,
                    "cases": FILLER_CASES,
                    "party": first_party,
                    "parties": FILLER_PARTIES,
                    "ns": len(surnames),
                    "ng": len(GIVEN),
                    "officer": officer,
                    "head": head,
                    "today": today,
                    "start": start,
                    "stop": stop - 1,
                    "surnames": surnames,
                    "given": list(GIVEN),
                },
            )
        finally:
            cursor.execute("SET session_replication_role = origin")
    return time.perf_counter() - started


def _index_sql() -> str:
    migration = importlib.import_module("credit.migrations.0002_public_search")
    return dict(migration.INDEXES)[INDEX]


def _load(start: int, stop: int, pools: list[int], today: dt.date) -> float:
    """Bulk-load listings with the trigram index dropped, then rebuild it and ANALYZE; seconds taken."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    _add_listings(start, stop, pools, today)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(_index_sql())
        cursor.execute("ANALYZE credit_dishonestlisting")
        cursor.execute("ANALYZE cases_party")
    return time.perf_counter() - started


def _search(term: str) -> int:
    result = public_listing_search(q=term)
    return len(result[0:20])


def _explain(term: str) -> list[str]:
    queryset = _listing_matches(public_query_parse(term)).values_list("pk", flat=True)[:201]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def _measure(ids: list[str], short: list[str], long: list[str], rounds: int, timed) -> dict:
    """p50/p95 samples of the three paths, each with its own rotating terms."""
    found = []
    cycles = {"id": itertools.cycle(ids), "short": itertools.cycle(short), "long": itertools.cycle(long)}

    def by_id():
        found.append(_search(next(cycles["id"])))

    samples = {"id": timed(by_id, rounds)}
    samples["short"] = timed(lambda: _search(next(cycles["short"])), rounds)
    samples["long"] = timed(lambda: _search(next(cycles["long"])), rounds)
    samples["found"] = sum(1 for n in found if n)
    return samples


def run(*, listings: int, rounds: int, timed, report) -> None:
    if connection.vendor != "postgresql":
        print("credit public search: skipped (PostgreSQL only; set DATABASE_URL=postgres://...)")
        return
    today = timezone.localdate()
    pools, ids, terms = _world(today)
    short = [t for t in terms if len(t) < 3]  # the beginning of a name (surname + given name)
    long = [t for t in terms if len(t) >= 3]  # anywhere in a name
    loaded = _load(0, SMALL, pools, today)
    small = _measure(ids, short, long, rounds, timed)
    loaded += _load(SMALL, listings, pools, today)
    total = DishonestListing.objects.count()
    large = _measure(ids, short, long, rounds, timed)
    explains = {term: _explain(term) for term in (long[0], short[0], ids[0])}
    # three characters or more: anywhere in the name, by the trigram index; two: the name's beginning, by the
    # btree prefix index (credit migration 0003), as a common surname defeats a trigram probe
    uses = {
        INDEX: any(INDEX in line for line in explains[long[0]]),
        PREFIX_INDEX: any(PREFIX_INDEX in line for line in explains[short[0]]),
    }
    uses_index = all(uses.values())
    size = f"{total // 1000}k listings vs 10k"
    report(
        f"public exact-ID look-up, {size}",
        large["id"],
        small["id"],
        f"| {large['found']}/{rounds + 1} look-ups found their debtor",
    )
    report(f"public name search, 2 chars (prefix), {size}", large["short"], small["short"])
    report(
        f"public name search, 3+ chars (anywhere), {size}",
        large["long"],
        small["long"],
        f"| rows loaded and indexed in {loaded:.1f} s | "
        + ", ".join(f"{index} used: {'yes' if used else 'NO'}" for index, used in uses.items()),
    )
    for term, lines in explains.items():
        print(f"EXPLAIN {term!r} at {total:,} listings:")
        for line in lines:
            print(f"    {line}")
    if not uses_index:
        raise SystemExit(f"the name search does not use {', '.join(i for i, used in uses.items() if not used)}")
