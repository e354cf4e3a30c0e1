"""The case pages: list with filters and export, the filing form, the detail page."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from cases.choices import CaseType
from cases.models import Case
from tests.factories import CaseFactory, PartyFactory, UserFactory, party_data

pytestmark = pytest.mark.django_db

LIST = "/cases/"
NEW = "/cases/new/"
TODAY = timezone.localdate()
YEAR = TODAY.year


# ---- the list -----------------------------------------------------------------------------------------------


def test_the_case_list_renders_the_users_courts_cases(client_as, officer, other_court):
    mine = CaseFactory(court=officer.court, cause="建设工程施工合同纠纷")
    theirs = CaseFactory(court=other_court)
    response = client_as(officer).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.number in html and "建设工程施工合同纠纷" in html
    assert theirs.number not in html
    assert list(response.context["cases"]) == [mine]


def test_the_case_list_filters_by_party_name_and_type(client_as, officer):
    wanted = CaseFactory(
        court=officer.court, parties=[("creditor", PartyFactory()), ("debtor", PartyFactory(name="赵德胜"))]
    )
    other = CaseFactory(court=officer.court)
    civil = CaseFactory(court=officer.court, case_type=CaseType.CIVIL_FIRST)
    client = client_as(officer)
    by_name = client.get(LIST, {"q": "赵德胜"})
    assert list(by_name.context["cases"]) == [wanted]
    assert other.number not in by_name.content.decode()
    assert list(client.get(LIST, {"case_type": "民初"}).context["cases"]) == [civil]
    assert set(client.get(LIST, {"stage": "enforcement"}).context["cases"]) == {wanted, other}
    assert list(client.get(LIST, {"debtor": "德胜"}).context["cases"]) == [wanted]


def test_the_case_list_sorts_by_amount(client_as, officer):
    small = CaseFactory(court=officer.court, amount=Decimal("10"))
    large = CaseFactory(court=officer.court, amount=Decimal("99999"))
    client = client_as(officer)
    assert list(client.get(LIST, {"ordering": "amount"}).context["cases"]) == [small, large]
    assert list(client.get(LIST, {"ordering": "-amount"}).context["cases"]) == [large, small]


def test_the_case_list_pages_by_fifty(client_as, officer):
    for _ in range(51):
        CaseFactory(court=officer.court, parties=[])
    client = client_as(officer)
    first = client.get(LIST)
    assert len(first.context["cases"]) == 50
    assert first.context["paginator"].count == 51
    assert len(client.get(LIST, {"page": 2}).context["cases"]) == 1


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_the_case_list_page_runs_as_many_queries_for_thirty_cases_as_for_five(client_as, officer):
    client = client_as(officer)
    for _ in range(5):
        CaseFactory(court=officer.court)
    with_five = _page_queries(client)
    for _ in range(25):
        CaseFactory(court=officer.court)
    assert _page_queries(client) == with_five


def test_the_case_list_shows_the_filing_button_to_a_clerk_only(client_as, clerk, officer):
    assert client_as(clerk).get(LIST).context["can_file"] is True
    assert client_as(officer).get(LIST).context["can_file"] is False


# ---- export -------------------------------------------------------------------------------------------------


@pytest.fixture
def two_cases(officer, other_court):
    first = CaseFactory(
        court=officer.court,
        amount=Decimal("1234.50"),
        cause="民间借贷纠纷",
        parties=[
            ("creditor", PartyFactory(name="李华")),
            ("debtor", PartyFactory(organisation=True, name="北京恒通商贸有限公司")),
        ],
    )
    second = CaseFactory(court=officer.court, case_type=CaseType.CIVIL_FIRST, cause="买卖合同纠纷")
    CaseFactory(court=other_court)  # never exported to 京0105
    return first, second


HEADER = ["Case number", "Case type", "Court", "Filing date", "Amount", "Cause of action", "Parties"]


def test_the_csv_export_has_a_header_and_one_row_per_case(client_as, officer, two_cases):
    first, second = two_cases
    response = client_as(officer).get(LIST, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # BOM, so Excel reads the Chinese text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == HEADER
    assert {row[0] for row in rows[1:]} == {first.number, second.number}
    first_row = next(row for row in rows if row[0] == first.number)
    assert first_row[2:6] == ["北京市朝阳区人民法院", str(first.filing_date), "1234.50", "民间借贷纠纷"]
    assert "李华" in first_row[6] and "北京恒通商贸有限公司" in first_row[6]


def test_the_xlsx_export_opens_in_openpyxl_with_header_and_rows(client_as, officer, two_cases):
    first, second = two_cases
    response = client_as(officer).get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert {row[0] for row in rows[1:]} == {first.number, second.number}
    assert len(rows) == 3


def test_the_export_follows_the_filters(client_as, officer, two_cases):
    _first, second = two_cases
    response = client_as(officer).get(LIST, {"export": "csv", "case_type": "民初"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == [second.number]


def test_a_role_without_case_export_gets_the_page_not_a_file(client_as, court, two_cases):
    response = client_as(UserFactory(court_admin=True, court=court)).get(LIST, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# ---- the filing form ----------------------------------------------------------------------------------------


def form_data(court, *, parties=None, **overrides) -> dict:
    """A valid POST of the filing form: a person as 申请执行人 and a company as 被执行人."""
    if parties is None:
        parties = [
            {"role": "creditor", **party_data()},
            {"role": "debtor", **party_data(PartyFactory.build(organisation=True))},
        ]
    data = {
        "court": str(court.pk),
        "case_type": "执",
        "filing_date": str(TODAY),
        "amount": "88000.00",
        "cause": "民间借贷纠纷",
        "summary": "",
        "parties-TOTAL_FORMS": str(max(len(parties), 4)),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "20",
    }
    for index, party in enumerate(parties):
        for key, value in party.items():
            data[f"parties-{index}-{key}"] = value
    data.update(overrides)
    return data


def test_the_filing_form_renders_for_a_clerk_with_their_court_only(client_as, clerk, other_court):
    response = client_as(clerk).get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["court"].queryset) == [clerk.court]
    assert form.fields["filing_date"].initial == TODAY
    assert len(response.context["formset"].forms) == 4
    assert 'name="parties-TOTAL_FORMS"' in response.content.decode()


def test_a_valid_filing_form_redirects_to_the_new_case(client_as, clerk):
    client = client_as(clerk)
    response = client.post(NEW, form_data(clerk.court))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.number == f"（{YEAR}）京0105执1号"
    assert case.party_links.count() == 2
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    html = detail.content.decode()
    assert case.number in html
    assert [str(m) for m in detail.context["messages"]] == [f"Case {case.number} filed."]


BAD_ID = "11010519491231002X"[:-1] + "0"


@pytest.mark.parametrize(
    ("make_data", "message"),
    [
        (
            lambda court: form_data(
                court,
                parties=[{"role": "creditor", **party_data(id_number=BAD_ID)}, {"role": "debtor", **party_data()}],
            ),
            "The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2).",
        ),
        (
            lambda court: form_data(
                court,
                parties=[
                    {"role": "creditor", **party_data()},
                    {
                        "role": "debtor",
                        **party_data(PartyFactory.build(organisation=True), id_number="91350100M000100Y40"),
                    },
                ],
            ),
            "The check character of this unified social credit code is wrong (GB 32100).",
        ),
        (lambda court: form_data(court, amount="0"), "The amount must be greater than zero."),
        (lambda court: form_data(court, amount="-1"), "The amount must be greater than zero."),
        (lambda court: form_data(court, amount="12.345"), "An amount has at most two decimal places (fen)."),
        (
            lambda court: form_data(court, parties=[{"role": "creditor", **party_data()}]),
            "A case needs at least one party on each side.",
        ),
        (
            lambda court: form_data(
                court, parties=[{"role": "plaintiff", **party_data()}, {"role": "debtor", **party_data()}]
            ),
            "This role does not exist on a case of this type.",
        ),
        (
            lambda court: form_data(court, filing_date=str(TODAY + dt.timedelta(days=1))),
            "The filing date cannot be in the future.",
        ),
    ],
    ids=[
        "bad-resident-id",
        "bad-credit-code",
        "amount-zero",
        "amount-negative",
        "three-decimals",
        "no-debtor",
        "role-not-of-type",
        "future-date",
    ],
)
def test_an_invalid_filing_form_shows_the_error_and_writes_nothing(
    client_as, clerk, nothing_written, make_data, message
):
    with nothing_written():
        response = client_as(clerk).post(NEW, make_data(clerk.court))
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(message) in html
    assert escape("The case was not filed. Correct the fields marked below.") in html


def test_the_filing_form_shows_a_party_error_on_the_row_it_belongs_to(client_as, clerk, nothing_written):
    parties = [{"role": "creditor", **party_data()}, {}, {"role": "debtor", **party_data(id_number=BAD_ID)}]
    with nothing_written():
        response = client_as(clerk).post(NEW, form_data(clerk.court, parties=parties))
    formset = response.context["formset"]
    assert formset.forms[2].errors == {
        "id_number": ["The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2)."]
    }
    assert not formset.forms[0].errors


def test_the_filing_form_refuses_a_party_twice(client_as, clerk, nothing_written):
    person = party_data()
    with nothing_written():
        response = client_as(clerk).post(
            NEW, form_data(clerk.court, parties=[{"role": "creditor", **person}, {"role": "debtor", **person}])
        )
    assert response.status_code == 400
    assert "This party is already on the case (row 1)." in response.content.decode()


def test_the_filing_form_refuses_an_identifier_registered_to_a_different_name(client_as, clerk, nothing_written):
    PartyFactory(id_number="11010519491231002X", name="李华")
    with nothing_written():
        response = client_as(clerk).post(
            NEW,
            form_data(
                clerk.court,
                parties=[
                    {"role": "creditor", **party_data(name="王芳", id_number="11010519491231002X")},
                    {"role": "debtor", **party_data()},
                ],
            ),
        )
    assert response.status_code == 400
    assert "This identifier is registered to 李华, not to 王芳." in response.content.decode()


def test_the_filing_form_refuses_another_court(client_as, clerk, other_court, nothing_written):
    with nothing_written():
        response = client_as(clerk).post(NEW, form_data(other_court))
    assert response.status_code == 400
    assert response.context["form"].errors["court"]


@pytest.mark.parametrize("role", ["officer", "judge", "auditor"])
def test_a_role_without_case_file_gets_403_on_the_filing_form(client_as, court, nothing_written, role):
    client = client_as(UserFactory(court=court, **{role: True}))
    assert client.get(NEW).status_code == 403
    with nothing_written():
        assert client.post(NEW, form_data(court)).status_code == 403


# ---- the detail page and who may see what ---------------------------------------------------------------------


def test_the_detail_page_shows_the_case_and_its_parties(client_as, officer):
    case = CaseFactory(
        court=officer.court,
        parties=[("creditor", PartyFactory(name="李华")), ("debtor", PartyFactory(organisation=True, name="恒通公司"))],
    )
    response = client_as(officer).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html and "李华" in html and "恒通公司" in html


def test_another_courts_case_page_is_404_exactly_like_a_missing_one(client_as, officer, other_court):
    theirs = CaseFactory(court=other_court)
    client = client_as(officer)
    elsewhere = client.get(f"/cases/{theirs.pk}/")
    missing = client.get(f"/cases/{theirs.pk + 1000}/")
    assert elsewhere.status_code == missing.status_code == 404
    # the same page, once the per-response CSRF token and the requested address are set aside
    assert _comparable(elsewhere, theirs.pk) == _comparable(missing, theirs.pk + 1000)


def _comparable(response, pk) -> str:
    html = response.content.decode()
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", html)
    html = re.sub(r"(X-CSRFToken&quot;: &quot;)[^&]+", r"\1…", html)
    return html.replace(f"/cases/{pk}/", "/cases/<id>/")


def test_a_superuser_sees_every_courts_cases_on_the_pages(client_as, superuser, court, other_court):
    mine, theirs = CaseFactory(court=court), CaseFactory(court=other_court)
    client = client_as(superuser)
    assert set(client.get(LIST).context["cases"]) == {mine, theirs}
    assert client.get(f"/cases/{theirs.pk}/").status_code == 200


@pytest.mark.parametrize("path", [LIST, NEW, "/cases/1/", "/cases/parties/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_an_agency_client_gets_403_on_the_case_pages(client_as, agency_user):
    assert client_as(agency_user).get(LIST).status_code == 403


def test_a_superuser_exports_and_is_offered_filing_like_the_roles_that_hold_them(client_as, superuser, two_cases):
    client = client_as(superuser)
    response = client.get(LIST, {"export": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 4  # header and all three courts' cases
    assert client.get(LIST).context["can_file"] is True


def test_an_invalid_filter_on_the_page_says_so(client_as, officer):
    CaseFactory(court=officer.court)
    response = client_as(officer).get(LIST, {"year": "twenty"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors == {"year": ["Enter a number."]}
    assert "Some filters are not valid; correct them below." in response.content.decode()
