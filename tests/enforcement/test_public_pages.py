"""The public 终本 list: the pages (/public/terminated-cases/) and the API (/api/v1/public/terminated-cases/),
open without login, showing only public entries (published, not masked), searchable, never a full person
ID number; the API is throttled."""

import datetime as dt
import re

import pytest
from django.core.cache import cache

from enforcement.api_public import PublicDisclosureThrottle
from enforcement.choices import ClosingKind, Status
from enforcement.services.publication import entry_publish
from tests.enforcement.builders import TODAY, case_in
from tests.factories import CourtFactory, PartyFactory

pytestmark = pytest.mark.django_db

PAGE = "/public/terminated-cases/"
API = "/api/v1/public/terminated-cases/"
FULL_PERSON_ID = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def published(court, *, debtor=None, closed_on=None, **fields):
    debtor = debtor or PartyFactory()
    ec = case_in(
        Status.CLOSED,
        court,
        debtors=[debtor],
        filing_date=TODAY - dt.timedelta(days=200),
        closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
        closed_on=closed_on or TODAY - dt.timedelta(days=1),
        **fields,
    )
    return entry_publish(enforcement_case=ec)


@pytest.fixture
def entries(court, other_court):
    zhang = published(court, debtor=PartyFactory(name="张三丰"), closed_on=TODAY - dt.timedelta(days=3))
    company = published(
        other_court, debtor=PartyFactory(organisation=True, name="北京恒通商贸有限公司"), closed_on=TODAY
    )
    masked = published(court, debtor=PartyFactory(name="李四"))
    masked.masked_on, masked.mask_reason = TODAY, "履行完毕"
    masked.save()
    unpublished = published(court, debtor=PartyFactory(name="王五"))
    unpublished.published_on = None
    unpublished.save()
    return {"zhang": zhang, "company": company, "masked": masked, "unpublished": unpublished}


# ---- pages -------------------------------------------------------------------------------------------------------


def test_anyone_sees_the_public_list_without_logging_in(client, entries):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "张三丰" in html and "北京恒通商贸有限公司" in html
    assert "李四" not in html and "王五" not in html
    assert entries["zhang"].debtors[0]["masked_id"] in html
    assert "¥100,000.00" in html
    assert response.context["paginator"].count == 2


def test_no_full_person_id_number_appears_on_the_pages(client, entries):
    person = entries["zhang"].enforcement_case.case.party_links.get(role="debtor").party
    for url in (PAGE, f"{PAGE}{entries['zhang'].pk}/", f"{PAGE}?q=张"):
        html = client.get(url).content.decode()
        assert person.id_number not in html
        assert not FULL_PERSON_ID.search(html), url


def test_the_list_is_searched_by_debtor_name_or_case_number_and_filtered(client, entries):
    def shown(query):
        return [e.pk for e in client.get(PAGE, query).context["entries"]]

    zhang, company = entries["zhang"], entries["company"]
    assert shown({"q": "三丰"}) == [zhang.pk]
    assert shown({"q": company.case_number}) == [company.pk]
    assert shown({"court": "北京市海淀区人民法院"}) == [company.pk]
    assert shown({"ruled_from": str(TODAY - dt.timedelta(days=1))}) == [company.pk]
    assert shown({"ruled_to": str(TODAY - dt.timedelta(days=1))}) == [zhang.pk]
    assert shown({"q": "李四"}) == []
    assert shown({"ruled_from": "not a date"}) == [company.pk, zhang.pk]


def test_the_list_has_25_entries_a_page(client, court):
    for _ in range(26):
        published(court)
    response = client.get(PAGE)
    assert len(response.context["entries"]) == 25
    assert len(client.get(PAGE, {"page": 2}).context["entries"]) == 1


def test_the_detail_page_shows_a_public_entry_and_404_for_any_other(client, entries):
    response = client.get(f"{PAGE}{entries['company'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert entries["company"].case_number in html
    assert entries["company"].obligation in html
    for hidden in ("masked", "unpublished"):
        assert client.get(f"{PAGE}{entries[hidden].pk}/").status_code == 404
    assert client.get(f"{PAGE}999999/").status_code == 404


def test_the_home_page_links_to_the_public_list(client, db):
    assert PAGE in client.get("/").content.decode()


# ---- API ---------------------------------------------------------------------------------------------------------


def test_the_public_api_needs_no_credentials_and_serves_only_public_entries(api_client, entries):
    response = api_client.get(API)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [entries["company"].pk, entries["zhang"].pk]
    row = body["results"][1]
    assert row["debtors"] == [
        {"name": "张三丰", "masked_id": entries["zhang"].debtors[0]["masked_id"], "kind": "person"}
    ]
    assert set(row) == {
        "id", "case_number", "court_name", "filed_on", "debtors", "document_number", "obligation", "amount",
        "unperformed_amount", "ruled_on", "published_on",
    }  # fmt: skip
    assert row["unperformed_amount"] == "100000.00"
    assert not FULL_PERSON_ID.search(response.content.decode())


def test_the_public_api_searches_and_filters(api_client, entries):
    def ids(**params):
        return [row["id"] for row in api_client.get(API, params).json()["results"]]

    assert ids(q="张三") == [entries["zhang"].pk]
    assert ids(court="京0108") == [entries["company"].pk]
    assert ids(court="北京市朝阳区人民法院") == [entries["zhang"].pk]
    assert ids(q="王五") == []
    response = api_client.get(API, {"ruled_from": "yesterday"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


def test_the_public_api_detail_is_404_for_an_entry_that_is_not_public(api_client, entries):
    assert api_client.get(f"{API}{entries['zhang'].pk}/").json()["case_number"] == entries["zhang"].case_number
    response = api_client.get(f"{API}{entries['masked'].pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_public_api_is_throttled(api_client, entries, monkeypatch):
    monkeypatch.setattr(PublicDisclosureThrottle, "rate", "3/min")
    codes = [api_client.get(API).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_public_api_is_in_the_schema_without_authentication(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/public/terminated-cases/"]["get"]
    assert operation.get("security", []) in ([], [{}])  # no credentials listed
    assert "security" not in schema  # and none required globally
    assert {p["name"] for p in operation["parameters"]} >= {"q", "court", "ruled_from", "ruled_to", "page"}


def test_courts_are_offered_in_the_filter(client, entries):
    CourtFactory(code="沪0101", name="上海市黄浦区人民法院")
    choices = dict(client.get(PAGE).context["form"].fields["court"].choices)
    assert "北京市朝阳区人民法院" in choices and "北京市海淀区人民法院" in choices
    assert "上海市黄浦区人民法院" not in choices
