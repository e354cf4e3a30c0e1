"""In headless Chromium, the whole path of 立审执 through the pages, each step by the role that takes it: the
clerk files a 民初 case, the judge records the hearing and the judgment and marks it effective, the clerk
applies for enforcement on it, the division head triages and assigns the new case, the officer issues the
执行通知书 and the 报告财产令. Then the enforcement case page shows the status, the timeline and the
deadlines, and both generated .docx files name the case, the debtor and the amount."""

import datetime as dt
import io

import pytest
from docx import Document

from cases.choices import CaseType, DocumentKind, PartyKind, PartyRole, TrialEventKind
from cases.models import Case, EffectiveDocument
from core.identifiers import make_credit_code, make_resident_id
from core.models import Court, CourtLevel, User
from core.roles import Role
from enforcement.choices import NoticeKind, ServiceMethod, Status
from enforcement.deadlines import add_months, application_last_day
from enforcement.models import EnforcementCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
TODAY = dt.date.today()
CREDITOR = "周申请"
DEBTOR = "北京鼎盛建材有限公司"


def day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


@pytest.fixture
def staff():
    court = Court.objects.create(code="京0105", name="北京市朝阳区人民法院", level=CourtLevel.BASIC)
    people = {
        "clerk": (Role.CLERK, "王立案"),
        "judge": (Role.JUDGE, "张法官"),
        "head": (Role.DIVISION_HEAD, "赵庭长"),
        "officer": (Role.OFFICER, "李执行"),
    }
    return {
        username: User.objects.create_user(
            username, password=PASSWORD, role=role, court=court, display_name=display_name
        )
        for username, (role, display_name) in people.items()
    }


def login(page, base_url: str, username: str) -> None:
    # leave the previous user's page first: its htmx panels still loading would otherwise answer after the
    # cookies are cleared and put that user's session (and CSRF secret) back under the new login form
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    # wait for the navigation the click starts: a bare wait_for_load_state() can return before it begins, and the
    # next goto would then race the login (and land on the login page without the session)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").last.click()
    page.wait_for_load_state()


def docx_text(path) -> str:
    with open(path, "rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_case_walks_from_filing_through_trial_to_a_notified_enforcement_case(live_server, staff, browser_page, shot):
    page, base = browser_page, live_server.url

    # The clerk files the 民初 case.
    login(page, base, "clerk")
    page.goto(base + "/cases/new/")
    page.select_option("select[name=case_type]", CaseType.CIVIL_FIRST.value)
    page.fill("input[name=filing_date]", day(60))
    page.fill("input[name=amount]", "150000.00")
    page.fill("input[name=cause]", "买卖合同纠纷")
    page.select_option("select[name=parties-0-role]", PartyRole.PLAINTIFF.value)
    page.select_option("select[name=parties-0-kind]", PartyKind.PERSON.value)
    page.fill("input[name=parties-0-name]", CREDITOR)
    page.fill("input[name=parties-0-id_number]", make_resident_id("110105", dt.date(1975, 4, 2), 31))
    page.select_option("select[name=parties-1-role]", PartyRole.DEFENDANT.value)
    page.select_option("select[name=parties-1-kind]", PartyKind.ORGANISATION.value)
    page.fill("input[name=parties-1-name]", DEBTOR)
    page.fill("input[name=parties-1-id_number]", make_credit_code("91", "110105", "MA01DK8X2"))
    page.fill("input[name=parties-1-legal_representative]", "孙某")
    submit(page, "form")
    trial_case = Case.objects.get(case_type=CaseType.CIVIL_FIRST)
    assert page.url.endswith(f"/cases/{trial_case.pk}/"), page.url

    # The judge records the hearing, scheduled and held, and the judgment; then marks it effective.
    login(page, base, "judge")
    page.goto(f"{base}/cases/{trial_case.pk}/")
    for kind in (TrialEventKind.HEARING_SCHEDULED, TrialEventKind.HEARING_HELD):
        page.select_option("#trial select[name=kind]", kind.value)
        page.fill("#trial input[name=at]", f"{day(45)}T09:30")
        page.fill("#trial input[name=place]", "第三法庭")
        submit(page, "#trial form")
    assert trial_case.trial_events.count() == 2
    page.locator("#documents details > summary").click()
    form = "form[action$='/documents/']"
    page.select_option(f"{form} select[name=kind]", DocumentKind.JUDGMENT.value)
    page.fill(f"{form} input[name=issued_on]", day(35))
    page.fill(f"{form} input[name=performance_deadline]", day(20))
    page.fill(f"{form} input[name=principal]", "150000.00")
    page.fill(f"{form} input[name=costs]", "3300.00")
    page.fill(f"{form} input[name=interest_rule]", "自2025年1月1日起按LPR计算至实际清偿之日")
    plaintiff, defendant = (link.party for link in trial_case.party_links.order_by("position"))
    shot(page, "e2e-walk-0-document-form")
    # The check boxes of this form are laid out over each other (their labels wrap a character a line), so
    # a pointer click lands on a neighbour; the click is sent to the box itself.
    page.locator(f"{form} input[name=obligee_ids][value='{plaintiff.pk}']").dispatch_event("click")
    page.locator(f"{form} input[name=obligor_ids][value='{defendant.pk}']").dispatch_event("click")
    submit(page, form)
    judgment = EffectiveDocument.objects.get(case=trial_case)
    assert judgment.effective_on is None
    page.fill(f"input[name=e{judgment.pk}-effective_on]", day(30))
    submit(page, f"form[action$='/documents/{judgment.pk}/effective/']")
    judgment.refresh_from_db()
    assert judgment.effective_on == TODAY - dt.timedelta(days=30)
    assert page.locator(f"a[data-apply-for='{judgment.pk}']").count() == 0  # a judge does not file enforcement
    shot(page, "e2e-walk-1-judgment-effective")

    # The clerk sees the judgment among the documents awaiting enforcement, and applies from the case page.
    login(page, base, "clerk")
    page.goto(f"{base}/enforcement/")
    assert page.locator(f"#awaiting-documents a[href$='/enforcement/apply/{judgment.pk}/']").count() == 1
    shot(page, "e2e-walk-2-awaiting-enforcement")
    page.goto(f"{base}/cases/{trial_case.pk}/")
    shot(page, "e2e-walk-3-case-page-clerk")
    page.locator(f"a[data-apply-for='{judgment.pk}']").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/enforcement/apply/{judgment.pk}/")
    last_day = application_last_day(TODAY - dt.timedelta(days=20))
    assert page.locator("#application-last-day").get_attribute("data-last-day") == last_day.isoformat()
    assert page.locator("#apply-form input[name=applicants]").is_checked()
    assert page.locator("#apply-form input[name=respondents]").is_checked()
    assert page.input_value("#apply-form input[name=amount]") == "153300.00"
    shot(page, "e2e-walk-4-application")
    submit(page, "#apply-form")
    ec = EnforcementCase.objects.get()
    assert page.url.endswith(f"/enforcement/{ec.pk}/"), page.url
    assert ec.source_document == judgment
    assert page.locator(".zx-page-head .zx-status-filed").count() == 1

    # The division head triages the case and assigns it to the officer.
    login(page, base, "head")
    page.goto(f"{base}/enforcement/{ec.pk}/")
    submit(page, "form[action$='/triage/']")
    page.locator("#action-assign > summary").click()
    page.select_option("#action-assign select[name=officer]", str(staff["officer"].pk))
    submit(page, "#action-assign")
    ec.refresh_from_db()
    assert (ec.status, ec.officer) == (Status.ASSIGNED, staff["officer"])
    assert ec.difficulty_score is not None and ec.track

    # The officer issues the enforcement notice and the property report order to the debtor.
    login(page, base, "officer")
    page.goto(f"{base}/enforcement/{ec.pk}/")
    for kind in (NoticeKind.ENFORCEMENT_NOTICE, NoticeKind.PROPERTY_REPORT_ORDER):
        page.locator("#action-notice > summary").click()
        page.select_option("#action-notice select[name=kind]", kind.value)
        page.select_option("#action-notice select[name=recipient]", str(defendant.pk))
        page.select_option("#action-notice select[name=service_method]", ServiceMethod.IN_PERSON.value)
        page.fill("#action-notice input[name=served_on]", TODAY.isoformat())
        submit(page, "#action-notice")
        assert page.url.endswith(f"/enforcement/{ec.pk}/"), page.url

    # The page: status, timeline, deadlines, both documents.
    assert page.locator(".zx-page-head .zx-status-notified").count() == 1
    transitions = [
        t for t in page.locator(".zx-timeline li").evaluate_all("items => items.map(i => i.dataset.transition)") if t
    ]
    assert transitions == ["file", "assign", "notify"]
    assert page.locator(".zx-timeline li.zx-timeline-notice").count() == 2
    assert page.locator("tr[data-step=conclude]").get_attribute("data-due") == add_months(TODAY, 6).isoformat()
    assert page.locator("tr[data-step=enforcement_notice] .badge.text-bg-success").count() == 1
    shot(page, "e2e-walk-5-enforcement-case-notified")

    links = page.locator("a[href$='/download/']")
    assert links.count() == 2
    for index in range(2):
        with page.expect_download() as download:
            links.nth(index).click()
        text = docx_text(download.value.path())
        assert ec.case.number in text
        assert DEBTOR in text
        assert "¥153,300.00" in text
    ec.refresh_from_db()
    assert ec.status == Status.NOTIFIED
    assert page.console_errors == []
