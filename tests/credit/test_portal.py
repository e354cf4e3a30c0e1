"""The party portal (/public/portal/): a case's query code is issued by staff (``portal_code_issue``, and
``POST /api/v1/cases/{id}/query-code/``), stored only as a digest, replaced on re-issue; with the case number
and the code a party sees the case's progress and nothing else; a wrong code and an unknown case get the same
answer; look-ups are rate-limited per client."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.choices import CaseType
from core.exceptions import NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from credit.models import CaseQueryCode
from credit.services.portal import CODE_ALPHABET, portal_code_issue
from enforcement.choices import Status
from enforcement.models import StatusChange
from tests.credit.public_builders import clear_rate_limits
from tests.enforcement.builders import case_in
from tests.factories import CaseFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

PORTAL = "/public/portal/"
WRONG = "No case matches this case number and query code. Check both and try again."
FULL_PERSON_ID = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


@pytest.fixture
def enforcement_case(court, officer):
    debtor = PartyFactory(name="张三丰", phone="13912345678", address="幸福路8号院")
    ec = case_in(Status.INVESTIGATING, court, debtors=[debtor], officer=officer, performed_amount=Decimal("25000.00"))
    StatusChange.objects.create(
        enforcement_case=ec,
        transition="start_investigation",
        from_status=Status.NOTIFIED,
        to_status=Status.INVESTIGATING,
        actor=officer,
        at=timezone.now(),
        reason="内部备注：不应公开",
    )
    return ec


def look_up(client, number: str, code: str, **extra):
    return client.post(PORTAL, {"case_number": number, "code": code}, **extra)


# ---- issuing codes -----------------------------------------------------------------------------------------------


def test_a_code_is_8_characters_and_only_its_digest_is_stored(clerk, enforcement_case):
    code = portal_code_issue(actor=clerk, case=enforcement_case.case)
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    stored = CaseQueryCode.objects.get(case=enforcement_case.case)
    assert re.fullmatch(r"[0-9a-f]{64}", stored.code_hash)
    assert code not in stored.code_hash and stored.issued_by == clerk
    audit = AuditLog.objects.get(action="case.query_code_issue")
    assert audit.object_id == str(enforcement_case.case.pk)
    assert code not in str(audit.changes) and code not in audit.reason


def test_reissuing_replaces_the_code(client, clerk, enforcement_case):
    number = enforcement_case.case.number
    first = portal_code_issue(actor=clerk, case=enforcement_case.case)
    second = portal_code_issue(actor=clerk, case=enforcement_case.case)
    assert CaseQueryCode.objects.filter(case=enforcement_case.case).count() == 1
    assert AuditLog.objects.filter(action="case.query_code_reissue").count() == 1
    assert first != second  # 31^8 codes: a repeat would be a broken generator
    assert WRONG in look_up(client, number, first).content.decode()
    assert "portal-progress" in look_up(client, number, second).content.decode()


def test_a_code_needs_the_portal_capability_and_the_cases_court(enforcement_case, other_clerk, db, court):
    admin = UserFactory(court_admin=True, court=court)
    with pytest.raises(PermissionDenied):
        portal_code_issue(actor=admin, case=enforcement_case.case)
    with pytest.raises(NotFound):
        portal_code_issue(actor=other_clerk, case=enforcement_case.case)
    assert not CaseQueryCode.objects.exists()


def test_a_code_is_issued_for_enforcement_cases_only(clerk, court):
    trial = CaseFactory(court=court, case_type=CaseType.CIVIL_FIRST)
    with pytest.raises(RuleViolation) as refused:
        portal_code_issue(actor=clerk, case=trial)
    assert refused.value.code == "portal.not_enforcement_case"
    assert refused.value.message == "Query codes are issued for enforcement cases (执, 执恢) only."
    assert not CaseQueryCode.objects.exists()


# ---- the portal page ---------------------------------------------------------------------------------------------


def test_the_portal_form_is_open_without_login(client, db):
    response = client.get(PORTAL)
    assert response.status_code == 200
    assert 'name="case_number"' in response.content.decode()


def test_the_right_code_shows_the_cases_progress_and_nothing_else(client, clerk, officer, enforcement_case):
    code = portal_code_issue(actor=clerk, case=enforcement_case.case)
    response = look_up(client, enforcement_case.case.number, code.lower())
    assert response.status_code == 200
    progress = response.context["progress"]
    assert progress.number == enforcement_case.case.number
    assert progress.status == "Investigating"
    assert (progress.amount, progress.performed, progress.unperformed) == (
        Decimal("100000.00"),
        Decimal("25000.00"),
        Decimal("75000.00"),
    )
    assert progress.officer == str(officer)
    assert len(progress.steps) == 1 and "Investigating" in progress.steps[0].title
    html = response.content.decode()
    for text in ("¥25,000.00", "¥75,000.00", "北京市朝阳区人民法院", str(officer), "Investigating"):
        assert text in html
    for private in ("13912345678", "幸福路8号院", "内部备注", code):
        assert private not in html
    assert not FULL_PERSON_ID.search(html)


def test_a_wrong_code_and_an_unknown_case_get_the_same_message(client, clerk, enforcement_case):
    portal_code_issue(actor=clerk, case=enforcement_case.case)
    number = enforcement_case.case.number
    without_code = case_in(Status.INVESTIGATING, enforcement_case.case.court)
    answers = [
        look_up(client, number, "WRONG123"),
        look_up(client, "（2020）京0105执99999号", "WRONG123"),
        look_up(client, without_code.case.number, "WRONG123"),
    ]
    for response in answers:
        assert response.status_code == 200
        assert response.context["progress"] is None
        assert WRONG in response.content.decode()


def test_portal_look_ups_are_rate_limited_per_client(client, clerk, enforcement_case, settings):
    settings.DISCLOSURE_PORTAL_RATE = 2
    code = portal_code_issue(actor=clerk, case=enforcement_case.case)
    number = enforcement_case.case.number
    assert [look_up(client, number, "WRONG123").status_code for _ in range(2)] == [200, 200]
    response = look_up(client, number, code)
    assert response.status_code == 429
    assert "Please wait a minute and try again." in response.content.decode()
    assert client.get(PORTAL).status_code == 200  # the form itself is not a look-up
    assert look_up(client, number, code, REMOTE_ADDR="10.0.0.7").status_code == 200


# ---- API -------------------------------------------------------------------------------------------------------


def test_staff_issue_a_code_through_the_api(api_as, clerk, enforcement_case, client):
    url = f"/api/v1/cases/{enforcement_case.case.pk}/query-code/"
    response = api_as(clerk).post(url)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case"] == enforcement_case.case.pk and body["case_number"] == enforcement_case.case.number
    assert len(body["code"]) == 8
    assert "portal-progress" in look_up(client, body["case_number"], body["code"]).content.decode()


def test_the_api_is_scoped_to_the_users_court_and_capability(api_as, other_clerk, enforcement_case, court):
    url = f"/api/v1/cases/{enforcement_case.case.pk}/query-code/"
    response = api_as(other_clerk).post(url)
    assert response.status_code == 404
    response = api_as(UserFactory(court_admin=True, court=court)).post(url)
    assert response.status_code == 403
    assert not CaseQueryCode.objects.exists()
