"""The enforcement pages: my cases (filters, export), the case page and its action forms, bulk assignment
and the extension approvals."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook

from cases.choices import PartyRole
from enforcement.choices import ExtensionStatus, Status, Track
from enforcement.deadlines import application_last_day
from enforcement.models import EnforcementCase, ExtensionRequest, StatusChange
from tests.enforcement.builders import case_in, document, file_on, nothing_written, parties_of
from tests.factories import CaseFactory, CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LIST = "/enforcement/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture
def court(db):
    return CourtFactory(chaoyang=True)


@pytest.fixture
def other_court(db):
    return CourtFactory(haidian=True)


@pytest.fixture
def officer(court):
    return UserFactory(officer=True, court=court, username="officer")


@pytest.fixture
def colleague(court):
    return UserFactory(officer=True, court=court, username="colleague")


@pytest.fixture
def head(court):
    return UserFactory(division_head=True, court=court, username="head")


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def make_ec(court, *, status=Status.ASSIGNED, officer=None, days_left=60, amount="100000", track="", **fields):
    case = CaseFactory(
        court=court,
        amount=Decimal(amount),
        filing_date=TODAY - dt.timedelta(days=30),
        parties=[(PartyRole.CREDITOR, PartyFactory()), (PartyRole.DEBTOR, PartyFactory(name=f"债务人{amount}"))],
    )
    ec = EnforcementCase(
        case=case,
        status=status,
        officer=officer,
        track=track,
        deadline_on=TODAY + dt.timedelta(days=days_left),
        assigned_at=timezone.now() if officer else None,
        **fields,
    )
    ec.save()
    return ec


# ---- my cases -----------------------------------------------------------------------------------------------


def test_my_cases_shows_the_officers_own_open_cases_with_days_left(login, officer, colleague, court, other_court):
    mine = make_ec(court, officer=officer, days_left=12)
    theirs = make_ec(court, officer=colleague)
    closed = make_ec(court, officer=officer, status=Status.CLOSED, closed_on=TODAY, closing_kind="completed")
    foreign = make_ec(other_court, officer=officer)
    response = login(officer).get(LIST)
    assert response.status_code == 200
    assert list(response.context["cases"]) == [mine]
    html = response.content.decode()
    assert mine.case.number in html and "12 days left" in html
    for other in (theirs, closed, foreign):
        assert other.case.number not in html


def test_overdue_rows_are_highlighted_and_a_suspended_case_shows_its_clock_frozen(login, officer, court):
    late = make_ec(court, officer=officer, days_left=-3, status=Status.INVESTIGATING)
    make_ec(court, officer=officer, days_left=20, status=Status.SUSPENDED)
    html = login(officer).get(LIST).content.decode()
    assert 'class="zx-row-overdue"' in html
    assert "3 days overdue" in html
    assert "frozen" in html
    assert late.case.number in html


def test_a_division_head_sees_the_whole_court_and_filters_by_officer_status_track_and_overdue(
    login, head, officer, colleague, court
):
    a = make_ec(court, officer=officer, track=Track.SIMPLE, days_left=-1, status=Status.INVESTIGATING)
    b = make_ec(court, officer=colleague, track=Track.COMPLEX, days_left=40)
    c = make_ec(court, status=Status.FILED, officer=None, days_left=100)
    client = login(head)
    assert set(client.get(LIST).context["cases"]) == {a, b, c}
    assert list(client.get(LIST, {"scope": "court", "officer": officer.pk}).context["cases"]) == [a]
    assert list(client.get(LIST, {"scope": "court", "status": "filed"}).context["cases"]) == [c]
    assert list(client.get(LIST, {"scope": "court", "track": "complex"}).context["cases"]) == [b]
    assert list(client.get(LIST, {"scope": "court", "overdue": "yes"}).context["cases"]) == [a]
    assert list(client.get(LIST, {"scope": "court", "due_within": 30}).context["cases"]) == [a]
    assert list(client.get(LIST, {"scope": "court", "ordering": "-deadline_on"}).context["cases"]) == [c, b, a]
    assert list(client.get(LIST, {"scope": "mine"}).context["cases"]) == []


def test_my_cases_sorts_by_amount_and_pages_by_fifty(login, officer, court):
    small = make_ec(court, officer=officer, amount="10")
    large = make_ec(court, officer=officer, amount="99999")
    client = login(officer)
    assert list(client.get(LIST, {"ordering": "-case__amount"}).context["cases"]) == [large, small]
    for _ in range(49):
        make_ec(court, officer=officer)
    assert len(client.get(LIST).context["cases"]) == 50
    assert len(client.get(LIST, {"page": 2}).context["cases"]) == 1


def test_my_cases_exports_excel(login, officer, court):
    ec = make_ec(court, officer=officer, days_left=12, amount="123456.78")
    response = login(officer).get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Case number", "Status", "Track")
    assert rows[1][0] == ec.case.number
    assert rows[1][7] == "12"
    assert rows[1][8] == "123456.78"


def test_the_list_needs_a_login_and_a_role_that_sees_enforcement(client, court):
    assert client.get(LIST).status_code == 302
    auditor = UserFactory(auditor=True, court=court, username="auditor")
    client.force_login(auditor)
    assert client.get(LIST).status_code == 403


# ---- the case page ------------------------------------------------------------------------------------------


def test_the_case_page_renders_for_the_officer_and_the_head(login, officer, head, court):
    ec = make_ec(court, officer=officer, days_left=4)
    for user in (officer, head):
        response = login(user).get(f"/enforcement/{ec.pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert ec.case.number in html and "4 days left" in html
        assert "Deadlines" in html and "Timeline" in html
    assert "Ask to extend the time limit" in login(officer).get(f"/enforcement/{ec.pk}/").content.decode()
    assert "Reassign" in login(head).get(f"/enforcement/{ec.pk}/").content.decode()


def test_another_courts_case_is_not_found(login, officer, other_court):
    ec = make_ec(other_court)
    assert login(officer).get(f"/enforcement/{ec.pk}/").status_code == 404
    assert login(officer).get("/enforcement/999999/").status_code == 404


def test_the_assign_form_calls_the_service_and_redirects(login, head, officer, court):
    ec = make_ec(court, status=Status.FILED, officer=None)
    response = login(head).post(f"/enforcement/{ec.pk}/assign/", {"officer": officer.pk, "reason": ""})
    assert response.status_code == 302
    ec.refresh_from_db()
    assert (ec.status, ec.officer) == (Status.ASSIGNED, officer)


def test_the_assign_form_shows_the_rule_for_another_courts_officer(login, head, court, other_court):
    stranger = UserFactory(officer=True, court=other_court, username="stranger")
    ec = make_ec(court, status=Status.FILED, officer=None)
    response = login(head).post(f"/enforcement/{ec.pk}/assign/", {"officer": stranger.pk})
    assert response.status_code == 400
    assert escape(f"{stranger} is at another court.") in response.content.decode()
    ec.refresh_from_db()
    assert ec.officer is None and not StatusChange.objects.exists()


def test_an_officer_cannot_post_an_assignment(login, officer, court):
    ec = make_ec(court, status=Status.FILED, officer=None)
    assert login(officer).post(f"/enforcement/{ec.pk}/assign/", {"officer": officer.pk}).status_code == 403


def test_an_early_extension_request_is_refused_on_the_page(login, officer, court):
    ec = make_ec(court, officer=officer, days_left=20)
    response = login(officer).post(f"/enforcement/{ec.pk}/extension/", {"months": 3, "reason": "拍卖中"})
    assert response.status_code == 400
    assert "An extension is asked for in the last 5 days" in response.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_the_triage_button_stores_the_score(login, officer, court):
    ec = make_ec(court, officer=officer)
    response = login(officer).post(f"/enforcement/{ec.pk}/triage/")
    assert response.status_code == 302
    ec.refresh_from_db()
    assert ec.difficulty_score is not None and ec.track == Track.SIMPLE


def test_an_invalid_form_re_renders_with_status_400(login, head, court):
    ec = make_ec(court)
    response = login(head).post(f"/enforcement/{ec.pk}/track/", {"track": "complex", "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


# ---- division head pages ------------------------------------------------------------------------------------


def test_the_bulk_assignment_page_lists_unassigned_cases_and_assigns_automatically(login, head, officer, court):
    waiting = [make_ec(court, status=Status.FILED, officer=None, track=Track.SIMPLE) for _ in range(2)]
    client = login(head)
    page = client.get("/enforcement/assign/")
    assert page.status_code == 200
    assert all(ec.case.number in page.content.decode() for ec in waiting)
    response = client.post("/enforcement/assign/", {"cases": [ec.pk for ec in waiting], "officer": ""})
    assert response.status_code == 302
    assert set(EnforcementCase.objects.values_list("officer_id", flat=True)) == {officer.pk}


def test_bulk_assignment_without_a_case_chosen_is_refused(login, head, officer, court):
    make_ec(court, status=Status.FILED, officer=None)
    response = login(head).post("/enforcement/assign/", {"officer": officer.pk})
    assert response.status_code == 400
    assert "Choose at least one case." in response.content.decode()


def test_the_pages_of_division_heads_are_refused_to_officers(login, officer):
    client = login(officer)
    assert client.get("/enforcement/assign/").status_code == 403
    assert client.get("/enforcement/extensions/").status_code == 403


def test_the_extensions_page_lists_pending_requests_and_decides_them(login, head, officer, court):
    ec = make_ec(court, officer=officer, days_left=2)
    extension = ExtensionRequest.objects.create(enforcement_case=ec, months=3, reason="拍卖中", requested_by=officer)
    client = login(head)
    page = client.get("/enforcement/extensions/")
    assert page.status_code == 200 and "拍卖中" in page.content.decode()
    response = client.post(
        f"/enforcement/{ec.pk}/extension/decide/",
        {"decision": "approve", "note": "", "next": "/enforcement/extensions/"},
    )
    assert response.status_code == 302 and response["Location"] == "/enforcement/extensions/"
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED


def test_the_case_page_shows_notices_and_suspensions_on_the_timeline(login, head, officer, court, settings, tmp_path):
    from enforcement.services.assignment import case_assign
    from enforcement.services.lifecycle import case_suspend
    from enforcement.services.notices import notice_issue

    settings.MEDIA_ROOT = tmp_path / "media"
    ec = make_ec(court, status=Status.FILED, officer=None)
    ec = case_assign(actor=head, enforcement_case=ec, officer=officer)
    debtor = ec.case.party_links.get(role=PartyRole.DEBTOR).party
    client = login(officer)
    response = client.post(
        f"/enforcement/{ec.pk}/notices/",
        {"kind": "enforcement_notice", "recipient": debtor.pk, "service_method": "in_person", "served_on": TODAY},
    )
    assert response.status_code == 302
    notice_issue(
        actor=officer,
        enforcement_case=ec,
        kind="property_report_order",
        recipient_id=debtor.pk,
        service_method="post",
        served_on=TODAY,
    )
    ec.refresh_from_db()
    assert ec.status == Status.NOTIFIED
    case_suspend(actor=officer, enforcement_case=ec, ground="applicant_agrees", reason="同意延期", on=TODAY)
    html = client.get(f"/enforcement/{ec.pk}/").content.decode()
    assert f"served on {debtor.name}" in html
    assert "同意延期" in html
    assert TODAY.isoformat() in html
    notice = ec.notices.first()
    download = client.get(f"/enforcement/notices/{notice.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    other = UserFactory(officer=True, court=CourtFactory(haidian=True), username="o-0108")
    client.force_login(other)
    assert client.get(f"/enforcement/notices/{notice.pk}/download/").status_code == 404


def test_my_cases_takes_the_same_number_of_queries_for_one_case_or_thirty(login, officer, court):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(officer)
    make_ec(court, officer=officer, status=Status.SUSPENDED)
    client.get(LIST)  # warm the session and the content types
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for index in range(29):
        make_ec(court, officer=officer, status=Status.SUSPENDED if index % 2 else Status.INVESTIGATING)
    with CaptureQueriesContext(connection) as thirty:
        assert client.get(LIST).status_code == 200
    assert len(thirty) == len(one)


# ---- the enforcement application (立案执行) -------------------------------------------------------------------


@pytest.fixture
def clerk(court):
    return UserFactory(clerk=True, court=court, username="clerk")


def apply_url(doc) -> str:
    return f"/enforcement/apply/{doc.pk}/"


def application(doc, **overrides) -> dict:
    creditor, debtor = parties_of(doc)
    data = {
        "applicants": [creditor.pk],
        "respondents": [debtor.pk],
        "filing_date": TODAY.isoformat(),
        "amount": "102300.00",
        "late_reason": "",
    }
    data.update(overrides)
    return data


def test_the_application_page_shows_the_document_its_last_day_and_every_party_checked(login, clerk, court):
    doc = document(
        court,
        effective_on=TODAY - dt.timedelta(days=40),
        performance_deadline=None,
        instalments=[(TODAY - dt.timedelta(days=20), "50000.00"), (TODAY - dt.timedelta(days=5), "52300.00")],
    )
    response = login(clerk).get(apply_url(doc))
    assert response.status_code == 200
    html = response.content.decode()
    last_day = application_last_day(TODAY - dt.timedelta(days=5))
    assert response.context["last_day"] == last_day
    assert f'data-last-day="{last_day.isoformat()}"' in html
    assert doc.number in html and doc.issuing_body in html and "¥102,300.00" in html
    creditor, debtor = parties_of(doc)
    form = response.context["form"]
    assert form["applicants"].value() == [creditor.pk]
    assert form["respondents"].value() == [debtor.pk]
    assert form["filing_date"].value() == TODAY
    assert form["amount"].value() == Decimal("102300.00")
    assert html.count("checked") == 2
    assert "Why the application period was interrupted or suspended" in html


def test_an_application_files_the_case_and_opens_its_page(login, clerk, court):
    doc = document(
        court, effective_on=TODAY - dt.timedelta(days=30), performance_deadline=TODAY - dt.timedelta(days=20)
    )
    response = login(clerk).post(apply_url(doc), application(doc, amount="90000.00"))
    ec = EnforcementCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/enforcement/{ec.pk}/"
    assert (ec.source_document, ec.status, ec.case.amount) == (doc, Status.FILED, Decimal("90000.00"))
    assert [(link.role, link.party) for link in ec.case.party_links.order_by("position")] == [
        (PartyRole.CREDITOR, parties_of(doc)[0]),
        (PartyRole.DEBTOR, parties_of(doc)[1]),
    ]
    page = login(clerk).get(response["Location"])
    assert f"Enforcement case {ec.case.number} filed." in page.content.decode()


def test_a_late_application_without_a_reason_is_refused_on_the_page_and_nothing_is_written(login, clerk, court):
    doc = document(court, effective_on=dt.date(2023, 1, 2), performance_deadline=dt.date(2023, 1, 10))
    client = login(clerk)
    with nothing_written():
        response = client.post(apply_url(doc), application(doc))
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        escape(
            "The period for applying for enforcement ended on 2025-01-10 (2 years, 民诉法 2023 art. 250). "
            "Record the reason the period was interrupted or suspended to file it nevertheless."
        )
        in html
    )
    assert response.context["form"]["amount"].value() == "102300.00"  # what was entered is kept


def test_a_late_application_with_a_reason_is_filed_from_the_page(login, clerk, court):
    doc = document(court, effective_on=dt.date(2023, 1, 2), performance_deadline=dt.date(2023, 1, 10))
    response = login(clerk).post(apply_url(doc), application(doc, late_reason="被执行人书面承认债务，时效中断"))
    assert response.status_code == 302
    assert EnforcementCase.objects.get().late_application_reason == "被执行人书面承认债务，时效中断"


def test_an_application_without_an_applicant_is_refused_with_the_services_rule(login, clerk, court):
    doc = document(court, effective_on=TODAY - dt.timedelta(days=30))
    with nothing_written():
        response = login(clerk).post(apply_url(doc), application(doc, applicants=[]))
    assert response.status_code == 400
    assert "An application names at least one applicant and one respondent." in response.content.decode()


def test_an_application_on_a_performed_document_is_refused(login, clerk, court):
    doc = document(court, effective_on=TODAY - dt.timedelta(days=30), fully_performed_on=TODAY - dt.timedelta(days=3))
    with nothing_written():
        response = login(clerk).post(apply_url(doc), application(doc))
    assert response.status_code == 400
    assert (
        f"The obligation under this document was fully performed on {(TODAY - dt.timedelta(days=3)).isoformat()}"
        in response.content.decode()
    )


def test_another_courts_document_is_not_found_on_the_application_page(login, clerk, other_court):
    doc = document(other_court)
    client = login(clerk)
    assert client.get(apply_url(doc)).status_code == 404
    with nothing_written():
        assert client.post(apply_url(doc), application(doc)).status_code == 404
    assert client.get("/enforcement/apply/999999/").status_code == 404


def test_a_role_without_enforcement_filing_cannot_open_the_application_page(login, officer, court):
    doc = document(court)
    client = login(officer)
    assert client.get(apply_url(doc)).status_code == 403
    with nothing_written():
        assert client.post(apply_url(doc), application(doc)).status_code == 403


def test_the_case_page_offers_the_application_on_effective_unperformed_documents_only(login, clerk, court):
    effective = document(court, effective_on=TODAY - dt.timedelta(days=30))
    performed = document(court, effective_on=TODAY - dt.timedelta(days=30), fully_performed_on=TODAY)
    pending = document(court, effective_on=None)
    client = login(clerk)
    assert f'href="{apply_url(effective)}"' in client.get(f"/cases/{effective.case_id}/").content.decode()
    for doc in (performed, pending):
        assert "/enforcement/apply/" not in client.get(f"/cases/{doc.case_id}/").content.decode()
    judge = UserFactory(judge=True, court=court, username="judge")
    assert "/enforcement/apply/" not in login(judge).get(f"/cases/{effective.case_id}/").content.decode()


def test_the_case_page_of_an_enforcement_record_links_to_its_enforcement_case(login, clerk, court):
    ec = make_ec(court)
    html = login(clerk).get(f"/cases/{ec.case_id}/").content.decode()
    assert f'href="/enforcement/{ec.pk}/"' in html
    plain = CaseFactory(court=court)
    assert 'id="enforcement-case-link"' not in login(clerk).get(f"/cases/{plain.pk}/").content.decode()


def test_the_list_shows_a_clerk_the_documents_awaiting_enforcement_of_the_court(login, clerk, officer, court):
    waiting = document(court, effective_on=TODAY - dt.timedelta(days=30))
    enforced = document(court, effective_on=TODAY - dt.timedelta(days=60))
    file_on(enforced, actor=clerk)
    document(court, effective_on=None)
    document(court, effective_on=TODAY - dt.timedelta(days=30), fully_performed_on=TODAY)
    document(CourtFactory(haidian=True), effective_on=TODAY - dt.timedelta(days=30))
    response = login(clerk).get(LIST)
    assert list(response.context["awaiting"]) == [waiting]
    assert f'href="{apply_url(waiting)}"' in response.content.decode()
    assert "awaiting" not in login(officer).get(LIST).context


# ---- restoration (恢复执行) -----------------------------------------------------------------------------------


def test_a_case_terminated_for_this_round_is_restored_from_its_page(login, head, court):
    old = case_in(Status.CLOSED, court, amount="80000.00")
    client = login(head)
    assert "Restore enforcement (恢复执行)" in client.get(f"/enforcement/{old.pk}/").content.decode()
    response = client.post(f"/enforcement/{old.pk}/restore/", {"on": TODAY.isoformat(), "reason": "发现被执行人房产"})
    new = EnforcementCase.objects.get(restored_from=old)
    assert response.status_code == 302
    assert response["Location"] == f"/enforcement/{new.pk}/"
    assert (new.case.case_type, new.case.amount, new.status) == ("执恢", Decimal("80000.00"), Status.FILED)
    html = client.get(f"/enforcement/{old.pk}/").content.decode()
    assert f'href="/enforcement/{new.pk}/"' in html
    assert "Restore enforcement (恢复执行)" not in html


def test_restoring_a_case_closed_otherwise_is_refused_on_the_page_and_nothing_is_written(login, head, court):
    done = case_in(Status.CLOSED, court, closing_kind="completed")
    with nothing_written():
        response = login(head).post(f"/enforcement/{done.pk}/restore/", {"on": TODAY.isoformat(), "reason": "再查"})
    assert response.status_code == 400
    assert (
        escape("Only a case whose enforcement was terminated for this round (终本) can be restored (终本规定 art. 9).")
        in response.content.decode()
    )


def test_restoring_needs_a_reason(login, head, court):
    old = case_in(Status.CLOSED, court)
    with nothing_written():
        response = login(head).post(f"/enforcement/{old.pk}/restore/", {"on": TODAY.isoformat(), "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_court_administrator_cannot_restore_a_case(login, court):
    old = case_in(Status.CLOSED, court)
    admin = UserFactory(court_admin=True, court=court, username="admin-0105")
    with nothing_written():
        response = login(admin).post(f"/enforcement/{old.pk}/restore/", {"on": TODAY.isoformat(), "reason": "x"})
    assert response.status_code == 403


def test_an_application_on_a_document_not_yet_effective_is_shown_and_refused(login, clerk, court):
    doc = document(court, effective_on=None, performance_deadline=None)
    client = login(clerk)
    page = client.get(apply_url(doc))
    assert page.status_code == 200 and page.context["last_day"] is None
    with nothing_written():
        response = client.post(apply_url(doc), application(doc))
    assert response.status_code == 400
    assert (
        "The document has not taken effect yet: only an effective legal document can be enforced."
        in response.content.decode()
    )


def test_a_notice_whose_file_is_gone_from_storage_is_a_404_saying_so_not_a_500(
    login, api_as, head, officer, court, settings, tmp_path
):
    import os

    from enforcement.services.assignment import case_assign
    from enforcement.services.notices import notice_issue

    settings.MEDIA_ROOT = tmp_path / "media"
    ec = case_assign(actor=head, enforcement_case=make_ec(court, status=Status.FILED, officer=None), officer=officer)
    debtor = ec.case.party_links.get(role=PartyRole.DEBTOR).party
    notice_issue(
        actor=officer, enforcement_case=ec, kind="enforcement_notice", recipient_id=debtor.pk,
        service_method="post", served_on=TODAY,
    )  # fmt: skip
    notice = ec.notices.get()
    os.remove(notice.file.path)

    with translation.override("en"):
        page = login(officer).get(f"/enforcement/notices/{notice.pk}/download/", HTTP_ACCEPT_LANGUAGE="en")
        api = api_as(officer).get(f"/api/v1/notices/{notice.pk}/download/")
    assert page.status_code == 404
    assert api.status_code == 404 and api.json()["code"] == "document.file_missing"
