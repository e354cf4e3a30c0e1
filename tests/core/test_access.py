"""Scoping and capabilities: a court's staff see their own court, a superuser everything, others nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cases.models import Case
from core.access import get_visible_or_404, require_capability, scope_to_user, visible_court_ids
from core.exceptions import NotFound, PermissionDenied
from core.roles import CAPABILITIES, Role, grant, role_can
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_see_their_own_court_only(officer):
    assert visible_court_ids(officer) == [officer.court_id]


def test_a_superuser_sees_every_court(superuser):
    assert visible_court_ids(superuser) is None


@pytest.mark.parametrize("who", ["anonymous", "agency", "inactive"])
def test_anonymous_agency_and_inactive_users_see_no_court(who, court):
    user = {
        "anonymous": lambda: AnonymousUser(),
        "agency": lambda: UserFactory(agency=True),
        "inactive": lambda: UserFactory(officer=True, court=court, is_active=False),
    }[who]()
    assert visible_court_ids(user) == []


def test_scope_to_user_filters_a_queryset_to_the_users_court(officer, other_court, superuser):
    mine = CaseFactory(court=officer.court)
    theirs = CaseFactory(court=other_court)
    assert list(scope_to_user(Case.objects.all(), officer)) == [mine]
    assert set(scope_to_user(Case.objects.all(), superuser)) == {mine, theirs}
    assert list(scope_to_user(Case.objects.all(), AnonymousUser())) == []


def test_another_courts_record_is_not_found_exactly_like_a_missing_one(officer, other_court):
    theirs = CaseFactory(court=other_court)
    with pytest.raises(NotFound) as elsewhere:
        get_visible_or_404(Case.objects.all(), officer, pk=theirs.pk)
    with pytest.raises(NotFound) as missing:
        get_visible_or_404(Case.objects.all(), officer, pk=theirs.pk + 1000)
    assert (elsewhere.value.message, elsewhere.value.code) == (missing.value.message, missing.value.code)
    assert elsewhere.value.message == "Not found."
    assert elsewhere.value.status_code == 404


def test_a_malformed_id_is_not_found_rather_than_an_error(officer):
    with pytest.raises(NotFound):
        get_visible_or_404(Case.objects.all(), officer, pk="not-a-number")


def test_require_capability_refuses_a_role_without_it_naming_the_capability(officer):
    with pytest.raises(PermissionDenied) as caught:
        require_capability(officer, "case.file")
    assert caught.value.message == "Your role does not allow this action."
    assert caught.value.code == "capability.case.file"
    assert caught.value.status_code == 403


def test_require_capability_lets_a_superuser_and_a_role_holding_it_through(superuser, clerk):
    require_capability(superuser, "case.file")
    require_capability(clerk, "case.file")


def test_require_capability_refuses_anonymous_users():
    with pytest.raises(PermissionDenied):
        require_capability(AnonymousUser(), "case.view")


def test_an_inactive_user_holds_no_capability(court):
    user = UserFactory(clerk=True, court=court, is_active=False)
    assert user.can("case.file") is False


@pytest.mark.parametrize(
    ("role", "capability", "allowed"),
    [
        (Role.CLERK, "case.file", True),
        (Role.DIVISION_HEAD, "case.file", True),
        (Role.OFFICER, "case.file", False),
        (Role.JUDGE, "case.file", False),
        (Role.AUDITOR, "case.file", False),
        (Role.AGENCY, "case.view", False),
        (Role.AUDITOR, "case.view", False),
        (Role.COURT_ADMIN, "case.view", True),
        (Role.COURT_ADMIN, "party.view_personal", False),
        (Role.OFFICER, "party.view_personal", True),
        (Role.AUDITOR, "audit.view", True),
        (Role.OFFICER, "audit.view", False),
        ("", "case.view", False),
    ],
)
def test_roles_hold_the_capabilities_of_the_table(role, capability, allowed):
    assert role_can(role, capability) is allowed


def test_an_unknown_capability_is_a_programming_error():
    with pytest.raises(KeyError):
        role_can(Role.OFFICER, "case.fly")


def test_grant_adds_a_capability_for_later_apps(monkeypatch):
    monkeypatch.setitem(CAPABILITIES, "test.thing", set())
    grant("test.thing", Role.JUDGE)
    assert role_can(Role.JUDGE, "test.thing") is True
    assert role_can(Role.CLERK, "test.thing") is False


def test_court_staff_need_a_court_and_an_agency_client_has_none(court):
    assert UserFactory(officer=True, court=court).is_court_staff is True
    assert UserFactory(agency=True).is_court_staff is False
