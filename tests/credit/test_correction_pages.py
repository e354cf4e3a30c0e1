"""Pages of the correction requests: the public filing page (no login, identity checked with the same "not
found" for any mismatch, rate-limited per client) and its confirmation; the staff list (deadlines first,
filters, export), a request's page with its steps, and recording a written application. 200/403/404."""

import datetime as dt
import re

import pytest
from django.core.cache import cache

from credit.choices import CorrectionGround, CorrectionStatus
from credit.models import CorrectionRequest
from credit.services.corrections import correction_decide, correction_file
from tests.credit.feed_builders import listing_of, nothing_written
from tests.enforcement.builders import TODAY

pytestmark = pytest.mark.django_db

NEW = "/public/corrections/new/"
FILED = "/public/corrections/filed/"
LIST = "/credit/corrections/"
FULL_PERSON_ID = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def listing(court):
    return listing_of(court)


def form_of(listing, **overrides):
    data = {
        "case_number": listing.enforcement_case.case.number,
        "name": listing.debtor.name,
        "id_number": listing.debtor.id_number,
        "ground": CorrectionGround.SHOULD_BE_DELETED,
        "statement": "案件已执行完毕，应当删除。",
        "contact": "13800000000",
    }
    data.update(overrides)
    return data


def filed(listing, **overrides):
    fields = {
        "listing": listing,
        "applicant_name": listing.debtor.name,
        "applicant_id_number": listing.debtor.id_number,
        "ground": CorrectionGround.SHOULD_BE_DELETED,
        "statement": "已履行。",
    }
    fields.update(overrides)
    return correction_file(**fields)


# ---- public ------------------------------------------------------------------------------------------------


def test_the_public_page_opens_without_login(client):
    response = client.get(NEW)
    assert response.status_code == 200
    assert "Apply to correct a dishonest-list entry" in response.content.decode()


def test_the_listed_person_files_and_sees_the_confirmation(client, listing):
    response = client.post(NEW, form_of(listing))
    assert response.status_code == 302 and response["Location"] == FILED
    request = CorrectionRequest.objects.get()
    assert (request.listing, request.filed_by, request.status) == (listing, None, CorrectionStatus.PENDING)
    page = client.get(FILED)
    html = page.content.decode()
    assert page.status_code == 200
    assert request.review_due_on.strftime("%Y-%m-%d") in html
    assert not FULL_PERSON_ID.search(html)


@pytest.mark.parametrize(
    "wrong", [{"name": "张三"}, {"id_number": "110105199001011237"}, {"case_number": "(2025)京0105执99999号"}]
)
def test_a_wrong_case_name_or_identifier_gets_the_same_friendly_not_found(client, listing, wrong):
    with nothing_written():
        response = client.post(NEW, form_of(listing, **wrong))
    assert response.status_code == 400
    html = response.content.decode()
    assert "No entry on the dishonest list matches this case number, name and identifier." in html
    assert not FULL_PERSON_ID.search(html)  # the identifier typed is not shown back
    assert listing.debtor_name not in html.replace(form_of(listing, **wrong)["name"], "")


def test_an_incomplete_form_is_answered_on_the_page(client, listing):
    with nothing_written():
        response = client.post(NEW, form_of(listing, statement="", id_number="123"))
    assert response.status_code == 400
    assert "Please correct the errors below." in response.content.decode()


def test_the_confirmation_needs_the_filing_browser(client):
    assert client.get(FILED).status_code == 404


def test_filing_attempts_are_limited_per_client(client, listing, settings):
    settings.CREDIT_CORRECTION_RATE = (2, 3600)
    for _ in range(2):
        assert client.post(NEW, form_of(listing, name="张三")).status_code == 400
    with nothing_written():
        response = client.post(NEW, form_of(listing))
    assert response.status_code == 429
    assert "Too many attempts from your connection." in response.content.decode()
    other = client.post(NEW, form_of(listing), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


# ---- staff -------------------------------------------------------------------------------------------------


def test_the_staff_list_shows_the_courts_requests_with_their_deadline(client_as, clerk, listing):
    request = filed(listing, on=dt.date(2025, 1, 2))
    response = client_as(clerk).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert listing.enforcement_case.case.number in html
    assert "2025-01-17" in html and "overdue" in html
    assert request in response.context["corrections"]


def test_the_staff_list_filters_and_exports(client_as, clerk, listing):
    filed(listing)
    client = client_as(clerk)
    assert list(client.get(LIST, {"status": "rejected"}).context["corrections"]) == []
    export = client.get(LIST, {"export": "csv"})
    assert export.status_code == 200
    assert listing.enforcement_case.case.number in b"".join(export.streaming_content).decode("utf-8-sig")


def test_staff_pages_need_the_capability_and_the_court(client_as, client, agency_user, other_clerk, clerk, listing):
    request = filed(listing)
    detail = f"/credit/corrections/{request.pk}/"
    assert client.get(LIST).status_code == 302  # to the login page
    assert client_as(agency_user).get(LIST).status_code == 403
    assert client_as(other_clerk).get(detail).status_code == 404
    assert client_as(clerk).get(detail).status_code == 200


def test_a_reviewer_decides_on_the_request_page(client_as, division_head, listing):
    request = filed(listing)
    client = client_as(division_head)
    page = client.get(f"/credit/corrections/{request.pk}/").content.decode()
    assert f"/credit/corrections/{request.pk}/decide/" in page
    response = client.post(
        f"/credit/corrections/{request.pk}/decide/", {"decision": "uphold", "note": "", "on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == CorrectionStatus.UPHELD


def test_a_refused_step_shows_the_rule_on_the_page_and_writes_nothing(client_as, division_head, listing):
    request = filed(listing)
    with nothing_written():
        response = client_as(division_head).post(
            f"/credit/corrections/{request.pk}/decide/", {"decision": "reject", "note": "", "on": TODAY.isoformat()}
        )
    assert response.status_code == 400
    assert "A rejection is a decision with its reasons" in response.content.decode()


def test_a_clerk_sees_the_request_but_cannot_decide(client_as, clerk, listing):
    request = filed(listing)
    client = client_as(clerk)
    assert "/decide/" not in client.get(f"/credit/corrections/{request.pk}/").content.decode()
    with nothing_written():
        response = client.post(
            f"/credit/corrections/{request.pk}/decide/", {"decision": "uphold", "on": TODAY.isoformat()}
        )
    assert response.status_code == 403


def test_staff_record_a_written_application_against_an_entry(client_as, clerk, other_clerk, listing):
    url = f"/credit/listings/{listing.pk}/corrections/new/"
    client = client_as(clerk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "applicant_name": listing.debtor.name,
            "applicant_id_number": listing.debtor.id_number,
            "ground": CorrectionGround.INACCURATE,
            "statement": "履行金额有误。",
            "filed_on": TODAY.isoformat(),
        },
    )
    request = CorrectionRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/credit/corrections/{request.pk}/"
    assert request.filed_by == clerk
    assert client_as(other_clerk).get(url).status_code == 404


def test_the_steps_follow_the_status(client_as, division_head, listing):
    request = filed(listing)
    correction_decide(actor=division_head, request=request, uphold=False, note="不成立")
    page = client_as(division_head).get(f"/credit/corrections/{request.pk}/").content.decode()
    assert f"/credit/corrections/{request.pk}/rejection-served/" in page
    assert "/decide/" not in page
