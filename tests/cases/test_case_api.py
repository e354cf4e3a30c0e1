"""/api/v1/cases/: the list (scope, filters, pagination, a pinned query count), the detail, and filing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.choices import CaseType, PartyRole
from cases.models import Case, Party
from core.models import AuditLog
from tests.factories import CaseFactory, PartyFactory, UserFactory, filing_data, party_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"
TODAY = timezone.localdate()
YEAR = TODAY.year


def payload(**overrides) -> dict:
    """A valid filing body for 京0105 (JSON-ready)."""
    data = filing_data(**overrides)
    data.setdefault("court", "京0105")
    data["filing_date"] = str(data["filing_date"])
    data["amount"] = str(data["amount"])
    return data


def assert_error_shape(body) -> None:
    assert set(body) == {"message", "code", "extra"}


# ---- list ---------------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_courts_cases(api_as, officer, other_court):
    mine = CaseFactory(court=officer.court)
    CaseFactory(court=other_court)
    body = api_as(officer).get(URL).json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_a_superuser_lists_every_courts_cases(api_as, superuser, court, other_court):
    CaseFactory(court=court)
    CaseFactory(court=other_court)
    assert api_as(superuser).get(URL).json()["count"] == 2


def test_a_listed_case_shows_its_number_court_stage_and_parties_with_masked_ids(api_as, officer):
    person = PartyFactory(id_number="11010519491231002X", name="李华")
    company = PartyFactory(organisation=True, name="北京恒通商贸有限公司")
    case = CaseFactory(
        court=officer.court, amount=Decimal("5000.50"), parties=[("creditor", person), ("debtor", company)]
    )
    row = api_as(officer).get(URL).json()["results"][0]
    assert row["number"] == case.number
    assert (row["court"], row["court_name"], row["case_type"], row["stage"]) == (
        "京0105",
        "北京市朝阳区人民法院",
        "执",
        "enforcement",
    )
    assert row["amount"] == "5000.50"
    assert row["parties"] == [
        {
            "role": "creditor",
            "party": {"id": person.pk, "kind": "person", "name": "李华", "id_number": "110105********002X"},
        },
        {
            "role": "debtor",
            "party": {
                "id": company.pk,
                "kind": "organisation",
                "name": "北京恒通商贸有限公司",
                "id_number": company.id_number,
            },
        },
    ]


def test_the_list_filters_by_case_type(api_as, officer):
    enforcement = CaseFactory(court=officer.court, case_type=CaseType.ENFORCEMENT)
    restored = CaseFactory(court=officer.court, case_type=CaseType.ENFORCEMENT_RESTORED)
    CaseFactory(court=officer.court, case_type=CaseType.CIVIL_FIRST)
    client = api_as(officer)
    assert [r["id"] for r in client.get(URL, {"case_type": "执"}).json()["results"]] == [enforcement.pk]
    both = client.get(URL, {"case_type": ["执", "执恢"]}).json()["results"]
    assert {r["id"] for r in both} == {enforcement.pk, restored.pk}


def test_the_list_filters_by_stage(api_as, officer):
    CaseFactory(court=officer.court, case_type=CaseType.ENFORCEMENT)
    trial = CaseFactory(court=officer.court, case_type=CaseType.CIVIL_FIRST)
    results = api_as(officer).get(URL, {"stage": "trial"}).json()["results"]
    assert [r["id"] for r in results] == [trial.pk]


def test_the_list_searches_by_party_name(api_as, officer):
    wanted = CaseFactory(
        court=officer.court, parties=[("creditor", PartyFactory()), ("debtor", PartyFactory(name="赵德胜"))]
    )
    CaseFactory(court=officer.court)
    results = api_as(officer).get(URL, {"q": "德胜"}).json()["results"]
    assert [r["id"] for r in results] == [wanted.pk]


def test_the_list_searches_by_case_number_and_by_full_identifier(api_as, officer):
    first = CaseFactory(court=officer.court)
    second = CaseFactory(court=officer.court)
    client = api_as(officer)
    assert [r["id"] for r in client.get(URL, {"q": f"执{second.serial}号"}).json()["results"]] == [second.pk]
    debtor_id = first.party_links.get(role="debtor").party.id_number
    assert [r["id"] for r in client.get(URL, {"q": debtor_id.lower()}).json()["results"]] == [first.pk]


def test_a_search_matching_two_parties_of_one_case_lists_it_once(api_as, officer):
    case = CaseFactory(
        court=officer.court,
        parties=[("creditor", PartyFactory(name="王伟甲")), ("debtor", PartyFactory(name="王伟乙"))],
    )
    body = api_as(officer).get(URL, {"q": "王伟"}).json()
    assert body["count"] == 1
    assert [r["id"] for r in body["results"]] == [case.pk]


def test_the_list_filters_by_filing_dates_and_amounts(api_as, officer):
    old = CaseFactory(court=officer.court, filing_date=dt.date(YEAR - 1, 3, 1), amount=Decimal("100"))
    new = CaseFactory(court=officer.court, filing_date=TODAY, amount=Decimal("900000"))
    client = api_as(officer)
    assert [r["id"] for r in client.get(URL, {"filed_to": f"{YEAR - 1}-12-31"}).json()["results"]] == [old.pk]
    assert [r["id"] for r in client.get(URL, {"amount_min": "1000"}).json()["results"]] == [new.pk]
    assert [r["id"] for r in client.get(URL, {"year": YEAR - 1}).json()["results"]] == [old.pk]


def test_the_list_pages_by_fifty(api_as, officer):
    court = officer.court
    for _ in range(55):
        CaseFactory(court=court, parties=[])
    client = api_as(officer)
    first = client.get(URL).json()
    assert (first["count"], len(first["results"])) == (55, 50)
    assert first["next"] and first["previous"] is None
    second = client.get(URL, {"page": 2}).json()
    assert len(second["results"]) == 5
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert len(client.get(URL, {"page_size": 10}).json()["results"]) == 10


def _count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_number_of_cases(
    api_as, officer, django_assert_num_queries
):
    client = api_as(officer)
    for _ in range(5):
        CaseFactory(court=officer.court)
    with_five = _count_list_queries(client)
    for _ in range(25):
        CaseFactory(court=officer.court)
    assert _count_list_queries(client) == with_five
    # session, user, count, the page of cases with their courts, their parties
    with django_assert_num_queries(5):
        assert len(client.get(URL).json()["results"]) == 30


# ---- detail -------------------------------------------------------------------------------------------------


def test_the_detail_shows_a_case_of_the_users_court(api_as, officer):
    case = CaseFactory(court=officer.court)
    body = api_as(officer).get(f"{URL}{case.pk}/").json()
    assert (body["id"], body["number"]) == (case.pk, case.number)


def test_another_courts_case_is_404_exactly_like_a_missing_one(api_as, officer, other_court):
    theirs = CaseFactory(court=other_court)
    client = api_as(officer)
    elsewhere = client.get(f"{URL}{theirs.pk}/")
    missing = client.get(f"{URL}{theirs.pk + 1000}/")
    assert elsewhere.status_code == missing.status_code == 404
    assert elsewhere.json() == missing.json() == {"message": "Not found.", "code": "not_found", "extra": {}}


# ---- who may call -------------------------------------------------------------------------------------------


def test_an_agency_client_gets_403_on_the_case_list(api_as, agency_user):
    response = api_as(agency_user).get(URL)
    assert response.status_code == 403
    assert_error_shape(response.json())


def test_anonymous_callers_are_refused(api_client, court):
    case = CaseFactory(court=court)
    assert api_client.get(URL).status_code in (401, 403)
    assert api_client.get(f"{URL}{case.pk}/").status_code in (401, 403)
    assert api_client.post(URL, payload(), format="json").status_code in (401, 403)


@pytest.mark.parametrize("role", ["judge", "auditor", "officer"])
def test_a_role_without_case_file_gets_403_on_filing(api_as, court, nothing_written, role):
    with nothing_written():
        response = api_as(UserFactory(court=court, **{role: True})).post(URL, payload(), format="json")
    assert response.status_code == 403
    assert_error_shape(response.json())


def test_an_auditor_cannot_list_cases_either(api_as, court):
    assert api_as(UserFactory(auditor=True, court=court)).get(URL).status_code == 403


# ---- filing -------------------------------------------------------------------------------------------------


def test_filing_through_the_api_creates_the_case_and_answers_201(api_as, clerk):
    response = api_as(clerk).post(URL, payload(amount="2500.5"), format="json", headers={"X-Request-ID": "file-001"})
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == f"（{YEAR}）京0105执1号"
    assert body["amount"] == "2500.50"
    assert [p["role"] for p in body["parties"]] == ["creditor", "debtor"]
    case = Case.objects.get(pk=body["id"])
    assert case.party_links.count() == 2
    assert AuditLog.objects.get(action="case.file").request_id == "file-001"


def test_filing_through_the_api_links_an_existing_party_by_identifier(api_as, clerk):
    known = PartyFactory(organisation=True)
    data = payload(parties=[{"role": "creditor", **party_data()}, {"role": "debtor", **party_data(known)}])
    response = api_as(clerk).post(URL, data, format="json")
    assert response.status_code == 201
    assert response.json()["parties"][1]["party"]["id"] == known.pk
    assert Party.objects.filter(id_number=known.id_number).count() == 1


def test_filing_through_the_api_keeps_an_imported_number(api_as, clerk):
    response = api_as(clerk).post(URL, payload(number=f"({YEAR})京0105执88号"), format="json")
    assert response.status_code == 201
    assert response.json()["number"] == f"（{YEAR}）京0105执88号"
    second = api_as(clerk).post(URL, payload(), format="json")
    assert second.json()["number"] == f"（{YEAR}）京0105执89号"


def refused(api_as, user, nothing_written, body) -> dict:
    with nothing_written():
        response = api_as(user).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()
    assert_error_shape(error)
    assert error["message"]
    return error


BAD_ID = "11010519491231002X"[:-1] + "0"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "parties": [
                    {"role": "creditor", **party_data(id_number=BAD_ID)},
                    {"role": "debtor", **party_data(PartyFactory.build(organisation=True))},
                ]
            },
            "parties.0.id_number",
            "The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2).",
        ),
        (
            {
                "parties": [
                    {"role": "creditor", **party_data()},
                    {
                        "role": "debtor",
                        **party_data(PartyFactory.build(organisation=True), id_number="91350100M000100Y4Z"),
                    },
                ]
            },
            "parties.1.id_number",
            "A unified social credit code uses digits and the letters of GB 32100 (no I, O, S, V, Z).",
        ),
        ({"amount": "0"}, "amount", "The amount must be greater than zero."),
        ({"amount": "-5.00"}, "amount", "The amount must be greater than zero."),
        (
            {"number": "（2026）京0105执5号x"},
            "number",
            "A case number reads like （2026）京0105执123号: year, court code, type, serial, 号.",
        ),
        (
            {"parties": [{"role": "creditor", **party_data()}]},
            "parties",
            "A case needs at least one party on each side.",
        ),
        (
            {
                "parties": [
                    {"role": "plaintiff", **party_data()},
                    {"role": "debtor", **party_data(PartyFactory.build(organisation=True))},
                ]
            },
            "parties.0.role",
            "This role does not exist on a case of this type.",
        ),
        ({"filing_date": str(TODAY + dt.timedelta(days=1))}, "filing_date", "The filing date cannot be in the future."),
    ],
    ids=[
        "bad-resident-id",
        "bad-credit-code",
        "amount-zero",
        "amount-negative",
        "number-garbage",
        "no-debtor",
        "role-not-of-type",
        "future-date",
    ],
)
def test_filing_through_the_api_refuses_bad_input_naming_the_field(
    api_as, clerk, nothing_written, overrides, field, message
):
    error = refused(api_as, clerk, nothing_written, payload(**overrides))
    assert message in error["extra"]["fields"][field]


def test_the_api_refuses_an_amount_with_three_decimals(api_as, clerk, nothing_written):
    error = refused(api_as, clerk, nothing_written, payload(amount="100.123"))
    assert error["code"] == "invalid_input"
    assert list(error["extra"]["fields"]) == ["amount"]


def test_the_api_refuses_an_unknown_court_code_on_field_court(api_as, clerk, nothing_written):
    error = refused(api_as, clerk, nothing_written, payload(court="京9999"))
    assert list(error["extra"]["fields"]) == ["court"]


def test_the_api_refuses_filing_at_another_court(api_as, clerk, other_court, nothing_written):
    error = refused(api_as, clerk, nothing_written, payload(court="京0108"))
    assert error["code"] == "case.invalid"
    assert error["extra"]["fields"] == {"court": ["You can file cases only at your own court."]}


def test_the_api_refuses_a_number_of_another_court_naming_that_court(api_as, clerk, other_court, nothing_written):
    error = refused(api_as, clerk, nothing_written, payload(number=f"（{YEAR}）京0108执5号"))
    assert error["extra"]["fields"] == {"number": ["This case number belongs to another court (京0108)."]}
    assert error["message"] == "This case number belongs to another court (京0108)."


def test_the_api_refuses_a_number_of_the_wrong_type_or_year(api_as, clerk, nothing_written):
    wrong_type = refused(api_as, clerk, nothing_written, payload(number=f"（{YEAR}）京0105执保5号"))
    assert wrong_type["extra"]["fields"] == {"number": ["This case number is of another case type (执保)."]}
    wrong_year = refused(api_as, clerk, nothing_written, payload(number=f"（{YEAR - 1}）京0105执5号"))
    assert wrong_year["extra"]["fields"] == {"number": ["The year in the case number must be the filing year."]}


def test_the_api_refuses_a_number_already_taken(api_as, clerk, nothing_written):
    taken = CaseFactory(court=clerk.court)
    error = refused(api_as, clerk, nothing_written, payload(number=taken.number))
    assert error["extra"]["fields"] == {"number": ["This case number is already taken."]}


def test_the_api_refuses_the_same_party_twice(api_as, clerk, nothing_written):
    person = party_data()
    body = payload(parties=[{"role": "creditor", **person}, {"role": "debtor", **person}])
    error = refused(api_as, clerk, nothing_written, body)
    assert error["extra"]["fields"] == {"parties.1.id_number": ["This party is already on the case (row 1)."]}


def test_the_api_refuses_an_identifier_registered_to_a_different_name(api_as, clerk, nothing_written):
    PartyFactory(id_number="11010519491231002X", name="李华")
    body = payload(
        parties=[
            {"role": "creditor", **party_data(name="王芳", id_number="11010519491231002X")},
            {"role": "debtor", **party_data(PartyFactory.build(organisation=True))},
        ]
    )
    error = refused(api_as, clerk, nothing_written, body)
    assert error["extra"]["fields"] == {"parties.0.id_number": ["This identifier is registered to 李华, not to 王芳."]}


def test_the_api_refuses_an_empty_party_list(api_as, clerk, nothing_written):
    error = refused(api_as, clerk, nothing_written, payload(parties=[]))
    assert list(error["extra"]["fields"]) == ["parties"]


def test_the_api_refuses_an_unknown_role_in_the_serializer(api_as, clerk, nothing_written):
    body = payload(
        parties=[
            {"role": "witness", **party_data()},
            {"role": PartyRole.DEBTOR, **party_data(PartyFactory.build(organisation=True))},
        ]
    )
    error = refused(api_as, clerk, nothing_written, body)
    assert list(error["extra"]["fields"]) == ["parties.0.role"]


def test_an_invalid_filter_is_a_400_naming_the_filter(api_as, officer):
    response = api_as(officer).get(URL, {"year": "twenty"})
    assert response.status_code == 400
    assert response.json() == {
        "message": "Enter a number.",
        "code": "invalid_input",
        "extra": {"fields": {"year": ["Enter a number."]}},
    }
