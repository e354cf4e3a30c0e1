"""The enforcement admin: lists and change pages render, the status cannot be edited there, and the timeline is
read-only."""

import pytest

from enforcement.choices import Status
from enforcement.models import StatusChange
from enforcement.services import transition_apply
from tests.enforcement.builders import case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_root(client, superuser):
    client.force_login(superuser)
    return client


def test_the_enforcement_admin_pages_render(admin_client_root, court, officer):
    ec = case_in(Status.NOTIFIED, court, officer=officer)
    transition_apply(actor=officer, enforcement_case=ec, transition="start_investigation", reason="开始调查")
    for url in (
        "/admin/enforcement/enforcementcase/",
        f"/admin/enforcement/enforcementcase/{ec.pk}/change/",
        "/admin/enforcement/statuschange/",
        "/admin/enforcement/suspension/",
        "/admin/enforcement/extensionrequest/",
        "/admin/enforcement/notice/",
        "/admin/enforcement/enforcementcase/?q=" + ec.case.number,
    ):
        assert admin_client_root.get(url).status_code == 200, url


def test_the_status_is_shown_but_cannot_be_changed_in_the_admin(admin_client_root, court):
    ec = case_in(Status.CONTROLLING, court)
    page = admin_client_root.get(f"/admin/enforcement/enforcementcase/{ec.pk}/change/").content.decode()
    assert 'name="status"' not in page
    admin_client_root.post(f"/admin/enforcement/enforcementcase/{ec.pk}/change/", {"status": "closed"})
    ec.refresh_from_db()
    assert ec.status == Status.CONTROLLING


def test_status_changes_cannot_be_added_or_edited_in_the_admin(admin_client_root, court, officer):
    ec = case_in(Status.NOTIFIED, court)
    transition_apply(actor=officer, enforcement_case=ec, transition="start_investigation")
    change = StatusChange.objects.get()
    assert admin_client_root.get("/admin/enforcement/statuschange/add/").status_code == 403
    admin_client_root.post(f"/admin/enforcement/statuschange/{change.pk}/change/", {"reason": "改写"})
    change.refresh_from_db()
    assert change.reason == ""
