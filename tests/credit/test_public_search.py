"""The public disclosure pages (/public/dishonest/, /public/restricted/, /public/debtors/) and their API
(/api/v1/public/dishonest/, /api/v1/public/restricted/): open without login, a term required, searched by
name, identifier or case number, capped and paginated, rate-limited per client, never an unmasked person ID,
an address or a phone number."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from credit import selectors_public, views_public
from credit.api_public import CreditPublicThrottle
from credit.choices import ListingGround, ListingStatus, RestrictionKind
from credit.models import DishonestListing
from credit.selectors_public import listing_token, listing_token_id
from enforcement.choices import ClosingKind, Status
from enforcement.services.publication import entry_publish
from tests.credit.public_builders import LEGAL_REPRESENTATIVE, clear_rate_limits, listed, restricted
from tests.enforcement.builders import TODAY, case_in, document
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

DISHONEST = "/public/dishonest/"
RESTRICTED = "/public/restricted/"
DEBTORS = "/public/debtors/"
API_DISHONEST = "/api/v1/public/dishonest/"
API_RESTRICTED = "/api/v1/public/restricted/"
FULL_PERSON_ID = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")
PHONE = "13912345678"
ADDRESS = "幸福路8号院3单元"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


def person(name: str, **fields):
    return PartyFactory(name=name, phone=PHONE, address=ADDRESS, **fields)


def company(name: str, **fields):
    return PartyFactory(organisation=True, name=name, phone=PHONE, address=ADDRESS, **fields)


def shown(client, url, q, **params):
    response = client.get(url, {"q": q, **params}, follow=True)
    assert response.status_code == 200
    return response, response.context["rows"]


def names(rows) -> list[str]:
    return [row.debtor.name for row in rows]


@pytest.fixture
def world(court, other_court):
    zhang = person("张三丰")
    zhang_listing = listed(court, debtor=zhang, listed_on=TODAY - dt.timedelta(days=3))
    firm = company("北京恒通商贸有限公司", legal_representative="王大力")
    firm_listing = listed(
        other_court,
        debtor=firm,
        ground=ListingGround.EVADES,
        facts="转移财产规避执行，联系电话13812345678，身份证号110105194912310021。",
        performed="30000.00",
    )
    pending = listed(court, debtor=person("张三丰乙"), status=ListingStatus.PENDING)
    removed = listed(court, debtor=person("张三丰丙"), status=ListingStatus.REMOVED)
    li = person("李四")
    restriction = restricted(court, debtor=firm, enforcement_case=firm_listing.enforcement_case, bound=[])
    rep = person("王大力")
    restriction.bound_persons.create(role=LEGAL_REPRESENTATIVE, name=rep.name, id_number=rep.id_number, party=rep)
    lifted = restricted(court, debtor=person("赵六"), status="lifted")
    exit_only = restricted(court, debtor=person("钱七"), kind=RestrictionKind.EXIT)
    li_restriction = restricted(court, debtor=li)
    return {
        "zhang": zhang,
        "zhang_listing": zhang_listing,
        "firm": firm,
        "firm_listing": firm_listing,
        "pending": pending,
        "removed": removed,
        "restriction": restriction,
        "rep": rep,
        "lifted": lifted,
        "exit": exit_only,
        "li": li,
        "li_restriction": li_restriction,
    }


# ---- the dishonest list --------------------------------------------------------------------------------------


def test_the_dishonest_list_is_open_without_login_and_lists_nothing_without_a_term(client, world):
    response = client.get(DISHONEST)
    assert response.status_code == 200
    assert response.context["rows"] == []
    html = response.content.decode()
    assert "Enter a name, an ID number, a credit code or a case number to search." in html
    assert "张三丰" not in html


def test_a_name_of_one_character_is_refused_with_a_message(client, world):
    response, rows = shown(client, DISHONEST, "张")
    assert rows == []
    assert "Enter at least two characters of the name." in response.content.decode()


def test_the_dishonest_list_is_searched_by_name(client, world):
    assert names(shown(client, DISHONEST, "张三丰")[1]) == ["张三丰"]  # not the pending or the removed entry
    assert names(shown(client, DISHONEST, "恒通商贸")[1]) == ["北京恒通商贸有限公司"]  # anywhere, 3+ characters
    assert names(shown(client, DISHONEST, "张三")[1]) == ["张三丰"]  # two characters: the beginning
    assert names(shown(client, DISHONEST, "三丰")[1]) == []
    assert names(shown(client, DISHONEST, "王五")[1]) == []


def test_the_dishonest_list_is_searched_by_a_persons_id_number(client, world):
    zhang = world["zhang"]
    response, rows = shown(client, DISHONEST, zhang.id_number.lower())
    assert names(rows) == ["张三丰"]
    row = rows[0]
    assert row.debtor.masked_id == zhang.masked_id_number
    assert (row.debtor.sex, row.debtor.age) == (zhang.get_sex_display(), row.debtor.age)
    assert row.debtor.age is not None and row.debtor.age >= 18
    html = response.content.decode()
    assert zhang.masked_id_number in html and zhang.id_number not in html


def test_the_dishonest_list_is_searched_by_an_organisations_credit_code(client, world):
    firm = world["firm"]
    response, rows = shown(client, DISHONEST, firm.id_number)
    assert names(rows) == ["北京恒通商贸有限公司"]
    html = response.content.decode()
    assert firm.id_number in html  # an organisation's credit code is public (art. 6(1))
    assert "legal representative 王大力" in html
    assert rows[0].case.performance == "Partly performed"
    assert rows[0].ground == str(ListingGround.EVADES.label)


def test_the_dishonest_list_is_searched_by_case_number(client, world):
    listing = world["zhang_listing"]
    number = listing.enforcement_case.case.number
    assert names(shown(client, DISHONEST, number)[1]) == ["张三丰"]
    half_width = number.replace("（", "(").replace("）", ")")
    assert names(shown(client, DISHONEST, half_width)[1]) == ["张三丰"]


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("110105194912310021", "The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2)."),
        ("91110000MA01234567", "The check character of this unified social credit code is wrong (GB 32100)."),
        ("1101051949", "A resident ID number has 18 characters."),
        ("91110000MA0123", "A unified social credit code has 18 characters."),
        ("（2026）京0105执", "A case number reads like （2026）京0105执123号: year, court code, type, serial, 号."),
    ],
)
def test_a_malformed_identifier_gets_a_friendly_message_not_an_error_page(client, world, term, message):
    response, rows = shown(client, DISHONEST, term)
    assert rows == []
    assert response.context["result"].query.message == message
    assert 'id="search-message"' in response.content.decode()


def test_results_are_capped_and_paginated(client, court, monkeypatch):
    monkeypatch.setattr(selectors_public, "RESULT_CAP", 25)
    monkeypatch.setattr(views_public, "RESULT_CAP", 25)
    for day in range(27):
        listed(court, debtor=person(f"周建国{day:02d}"), listed_on=TODAY - dt.timedelta(days=day))
    response, rows = shown(client, DISHONEST, "周建国")
    assert len(rows) == 20
    assert names(rows)[0] == "周建国00"  # newest first
    assert response.context["paginator"].count == 25
    assert response.context["result"].capped
    assert "More than 25 entries match: the first 25 are shown." in response.content.decode()
    _response, page_two = shown(client, DISHONEST, "周建国", page=2)
    assert names(page_two) == [f"周建国{day:02d}" for day in range(20, 25)]


def test_a_search_under_the_cap_says_nothing_about_it(client, world):
    response, _rows = shown(client, DISHONEST, "张三丰")
    assert not response.context["result"].capped
    assert 'id="search-capped"' not in response.content.decode()


def test_an_entry_opens_by_its_token_and_not_by_its_id(client, world):
    listing = world["firm_listing"]
    _response, rows = shown(client, DISHONEST, "恒通商贸")
    token = rows[0].token
    assert str(listing.pk) != token and token == listing_token(listing.pk)
    response = client.get(f"{DISHONEST}{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (listing.enforcement_case.case.number, "北京市海淀区人民法院", "王大力", "¥30,000.00", "¥70,000.00"):
        assert text in html
    assert client.get(f"{DISHONEST}{listing.pk}/").status_code == 404
    assert client.get(f"{DISHONEST}{listing_token(world['removed'].pk)}/").status_code == 404
    assert client.get(f"{DISHONEST}{listing_token(world['pending'].pk)}/").status_code == 404
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.get(f"{DISHONEST}{forged}/").status_code == 404
    assert client.get(f"{DISHONEST}not-a-token/").status_code == 404


def test_tokens_are_opaque_and_round_trip():
    tokens = [listing_token(pk) for pk in (1, 2, 3, 10**9)]
    assert len(set(tokens)) == 4
    assert [listing_token_id(t) for t in tokens] == [1, 2, 3, 10**9]
    assert tokens[0][:8] != tokens[1][:8]  # neighbouring ids do not give neighbouring tokens


def test_the_basis_document_and_filing_date_are_shown(client, court):
    debtor = person("孙悟空")
    doc = document(court, debtor=debtor)
    ec = case_in(Status.INVESTIGATING, court, debtors=[debtor], source_document=doc)
    listing = listed(court, debtor=debtor, enforcement_case=ec)
    html = client.get(f"{DISHONEST}{listing_token(listing.pk)}/").content.decode()
    assert doc.number in html and doc.issuing_body in html
    assert ec.case.filing_date.strftime("%Y-%m-%d") in html


def test_the_dishonest_conduct_is_published_with_ids_and_phones_hidden(client, world):
    html = client.get(f"{DISHONEST}{listing_token(world['firm_listing'].pk)}/").content.decode()
    assert "转移财产规避执行" in html
    assert "13812345678" not in html and "138****5678" in html
    assert "110105194912310021" not in html and "110105********0021" in html


# ---- consumption restrictions ----------------------------------------------------------------------------------


def test_restrictions_in_force_are_searched_by_debtor_or_bound_person(client, world):
    assert names(shown(client, RESTRICTED, "恒通商贸")[1]) == ["北京恒通商贸有限公司"]
    assert names(shown(client, RESTRICTED, "李四")[1]) == ["李四"]
    # the legal representative a restriction binds is found by name and by ID number
    assert names(shown(client, RESTRICTED, "王大力")[1]) == ["北京恒通商贸有限公司"]
    assert names(shown(client, RESTRICTED, world["rep"].id_number)[1]) == ["北京恒通商贸有限公司"]
    # lifted and exit restrictions are not on this list
    assert names(shown(client, RESTRICTED, "赵六")[1]) == []
    assert names(shown(client, RESTRICTED, "钱七")[1]) == []
    number = world["li_restriction"].enforcement_case.case.number
    assert names(shown(client, RESTRICTED, number)[1]) == ["李四"]


def test_a_restriction_row_shows_the_order_the_items_and_the_bound_persons_names(client, world):
    response, rows = shown(client, RESTRICTED, "恒通商贸")
    row = rows[0]
    assert [(p.role, p.name) for p in row.bound_persons] == [("Legal representative", "王大力")]
    assert len(row.prohibited) == 9
    html = response.content.decode()
    assert row.order_number in html and "王大力" in html
    assert world["rep"].id_number not in html


# ---- debtors -------------------------------------------------------------------------------------------------


def test_debtors_of_open_cases_and_of_public_terminated_cases_are_found(client, court):
    open_debtor = person("吴承恩")
    open_case = case_in(Status.INVESTIGATING, court, debtors=[open_debtor])
    ended_debtor = person("吴承志")
    ended = case_in(
        Status.CLOSED,
        court,
        debtors=[ended_debtor],
        filing_date=TODAY - dt.timedelta(days=200),
        closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
    )
    entry = entry_publish(enforcement_case=ended)
    done = person("吴承业")
    case_in(Status.CLOSED, court, debtors=[done], closing_kind=ClosingKind.COMPLETED)
    response, rows = shown(client, DEBTORS, "吴承")
    assert sorted(names(rows)) == ["吴承志", "吴承恩"]
    by_name = {row.debtor.name: row for row in rows}
    assert not by_name["吴承恩"].terminated and by_name["吴承恩"].case.number == open_case.case.number
    assert by_name["吴承志"].terminated and by_name["吴承志"].terminated_entry_id == entry.pk
    html = response.content.decode()
    assert f"/public/terminated-cases/{entry.pk}/" in html
    assert names(shown(client, DEBTORS, open_debtor.id_number)[1]) == ["吴承恩"]
    assert names(shown(client, DEBTORS, ended.case.number)[1]) == ["吴承志"]
    assert names(shown(client, DEBTORS, done.id_number)[1]) == []


def test_the_debtor_page_links_to_the_terminated_case_list(client, db):
    assert "/public/terminated-cases/" in client.get(DEBTORS).content.decode()


# ---- nothing private is ever shown ------------------------------------------------------------------------------


def test_no_page_or_api_response_shows_a_full_person_id_an_address_or_a_phone(client, api_client, world, court):
    ended = case_in(
        Status.CLOSED,
        court,
        debtors=[person("张三丰丁")],
        filing_date=TODAY - dt.timedelta(days=200),
        closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
    )
    entry_publish(enforcement_case=ended)
    people = [world["zhang"], world["rep"], world["li"]]
    urls = [DISHONEST, RESTRICTED, DEBTORS]
    terms = ["张三丰", "恒通商贸", "王大力", "李四", world["firm"].id_number, world["li"].id_number]
    terms += [p.id_number for p in people]
    pages = [(url, {"q": term}) for url in urls for term in terms]
    pages += [(f"{DISHONEST}{listing_token(world[k].pk)}/", {}) for k in ("zhang_listing", "firm_listing")]
    bodies = []
    for url, params in pages:
        response = client.get(url, params, follow=True)
        assert response.status_code == 200, url
        bodies.append((url, params, response.content.decode()))
        clear_rate_limits()
    for url in (API_DISHONEST, API_RESTRICTED):
        for term in terms:
            response = api_client.get(url, {"q": term})
            assert response.status_code == 200, (url, term)
            bodies.append((url, term, response.content.decode()))
            clear_rate_limits()
    assert any("张三丰" in body for _u, _p, body in bodies)
    for url, params, body in bodies:
        assert not FULL_PERSON_ID.search(body), (url, params)
        assert PHONE not in body and ADDRESS not in body, (url, params)
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", body), (url, params)
        for someone in people:
            assert someone.id_number not in body


# ---- rate limit ------------------------------------------------------------------------------------------------


def test_a_client_that_searches_too_often_gets_a_friendly_429_page(client, world, settings):
    settings.DISCLOSURE_PAGE_RATE = 3
    codes = [client.get(DISHONEST, {"q": "张三丰"}).status_code for _ in range(3)]
    response = client.get(RESTRICTED, {"q": "李四"})
    assert codes == [200, 200, 200]
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Please wait a minute and try again." in response.content.decode()
    other = client.get(DISHONEST, {"q": "张三丰"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # counted per client


# ---- API -------------------------------------------------------------------------------------------------------


def test_the_public_api_searches_the_dishonest_list_without_credentials(api_client, world):
    response = api_client.get(API_DISHONEST, {"q": "张三丰"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["capped"], body["cap"]) == (1, False, 200)
    row = body["results"][0]
    assert set(row) == {"token", "debtor", "case", "ground", "conduct", "listed_on", "expires_on"}
    assert row["debtor"]["masked_id"] == world["zhang"].masked_id_number
    assert row["case"]["number"] == world["zhang_listing"].enforcement_case.case.number
    assert row["case"]["unperformed"] == "100000.00"
    firm = api_client.get(API_DISHONEST, {"q": world["firm"].id_number}).json()["results"][0]
    assert firm["debtor"]["legal_representative"] == "王大力"


def test_the_public_api_refuses_a_missing_or_malformed_term(api_client, world):
    response = api_client.get(API_DISHONEST)
    assert response.status_code == 400
    assert response.json()["code"] == "public_search.query"
    assert response.json()["message"] == "Enter a name, an ID number, a credit code or a case number."
    response = api_client.get(API_RESTRICTED, {"q": "110105194912310021"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("The check digit of this resident ID number is wrong")


def test_the_public_api_searches_restrictions(api_client, world):
    body = api_client.get(API_RESTRICTED, {"q": "王大力"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["debtor"]["name"] == "北京恒通商贸有限公司"
    assert row["bound_persons"] == [{"role": "Legal representative", "name": "王大力"}]
    assert len(row["prohibited"]) == 9


def test_the_public_api_is_paginated_20_a_page(api_client, court):
    for day in range(21):
        listed(court, debtor=person(f"郑成功{day:02d}"), listed_on=TODAY - dt.timedelta(days=day))
    body = api_client.get(API_DISHONEST, {"q": "郑成功"}).json()
    assert (body["count"], len(body["results"])) == (21, 20)
    assert len(api_client.get(API_DISHONEST, {"q": "郑成功", "page": 2}).json()["results"]) == 1


def test_the_public_api_is_throttled(api_client, world, monkeypatch):
    monkeypatch.setattr(CreditPublicThrottle, "rate", "3/min")
    codes = [api_client.get(API_DISHONEST, {"q": "张三丰"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_public_api_is_in_the_schema_without_authentication(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path in (API_DISHONEST, API_RESTRICTED):
        operation = schema["paths"][path]["get"]
        assert operation.get("security", []) in ([], [{}])
        assert {p["name"] for p in operation["parameters"]} >= {"q", "page"}


def test_the_home_page_links_to_the_public_search(client, db):
    html = client.get("/").content.decode()
    assert DISHONEST in html and RESTRICTED in html and DEBTORS in html and "/public/portal/" in html


def test_an_identifier_search_keeps_the_number_out_of_the_address(client, world):
    zhang = world["zhang"]
    response = client.get(DISHONEST, {"q": zhang.id_number})
    assert response.status_code == 302
    assert zhang.id_number not in response["Location"] and "ref=" in response["Location"]
    page = client.get(response["Location"])
    assert names(page.context["rows"]) == ["张三丰"]
    html = page.content.decode()
    assert f"Searched for the identifier {zhang.masked_id_number}." in html
    assert zhang.id_number not in html
    expired = client.get(DISHONEST, {"ref": "no-such-reference"})
    assert expired.status_code == 200 and expired.context["rows"] == []
    assert "This search has expired; enter the number again." in expired.content.decode()


def test_a_search_page_costs_the_same_queries_whatever_the_number_of_rows(client, court):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(term: str) -> int:
        clear_rate_limits()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DISHONEST, {"q": term}).status_code == 200
        return len(captured)

    listed(court, debtor=person("冯一一"))
    one = queries("冯一一")
    for day in range(22):
        listed(court, debtor=person(f"冯一一{day:02d}"))
    assert queries("冯一一") == one == 2  # the capped ids, then the page's rows with their relations


def test_an_identifier_search_finds_the_entries_and_their_rows_in_one_query(court, django_assert_num_queries):
    debtor = person("冯二二")
    listed(court, debtor=debtor)
    listed(court, debtor=debtor)
    with django_assert_num_queries(1):
        result = selectors_public.public_listing_search(q=debtor.id_number)
        rows = list(result[0:20])
    assert [row.debtor.name for row in rows] == ["冯二二", "冯二二"] and len(result) == 2


def test_a_two_character_name_matches_the_beginning_of_names_in_any_case(court):
    listed(court, debtor=company("AB恒通有限公司"))
    listed(court, debtor=company("恒通AB有限公司"))
    assert [row.debtor.name for row in selectors_public.public_listing_search(q="ab")[0:20]] == ["AB恒通有限公司"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("model", "field", "index"),
    [
        ("credit.DishonestListing", "debtor_name", "credit_listing_name_prefix"),
        ("cases.Party", "name", "cases_party_name_prefix"),
        ("credit.BoundPerson", "name", "credit_boundperson_name_prefix"),
    ],
)
def test_a_two_character_name_is_one_range_scan_of_the_prefix_index(model, field, index):
    """The search's own condition (``name_matches``) turns into an index range (the ``~>=~ … ~<~`` bounds): with
    the table's other indexes dropped inside the test's transaction (rolled back after) and sequential scans
    off, the planner takes it."""
    from django.apps import apps
    from django.db import connection

    model = apps.get_model(model)
    queryset = model.objects.filter(selectors_public.name_matches(field, "冯二"))
    if model is DishonestListing:
        queryset = queryset.filter(status=ListingStatus.LISTED)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname <> %s AND indexdef NOT LIKE %s",
            [model._meta.db_table, index, "%UNIQUE%"],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {other}")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = queryset.explain()
    assert index in plan and "~>=~" in plan and "~<~" in plan
