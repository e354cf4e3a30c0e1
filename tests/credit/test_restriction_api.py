"""The restrictions API: a case's restrictions, issuing, the court list, lifting, permissions, the order."""

from __future__ import annotations

import datetime as dt

import pytest

from credit.models import Restriction
from tests.credit.restriction_builders import (
    LEGAL_REP_ID,
    debtor_of,
    docx_text,
    legal_rep,
    nothing_written,
    restriction_case,
)
from tests.enforcement.builders import TODAY

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def ec(court, officer):
    return restriction_case(court, officer)


def issue(api, ec, **overrides):
    body = {"debtor": debtor_of(ec).pk, "kind": "consumption", "reason": "未履行。", "bound_persons": [legal_rep()]}
    body.update(overrides)
    return api.post(f"/api/v1/enforcement-cases/{ec.pk}/restrictions/", body, format="json")


def test_issuing_through_the_api_answers_with_masked_ids(api_as, officer, ec):
    response = issue(api_as(officer), ec)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "consumption"
    assert len(body["prohibited"]) == 9
    assert body["bound_persons"][0]["id_number"] != LEGAL_REP_ID
    assert body["bound_persons"][0]["id_number"].startswith(LEGAL_REP_ID[:6])
    listed = api_as(officer).get(f"/api/v1/enforcement-cases/{ec.pk}/restrictions/")
    assert [row["id"] for row in listed.json()] == [body["id"]]


def test_a_refusal_names_its_rule_and_writes_nothing(api_as, officer, ec):
    with nothing_written():
        response = issue(api_as(officer), ec, prohibited=["yachts"])
    assert response.status_code == 400
    assert response.json()["code"] == "restriction.prohibited_unknown"
    with nothing_written():
        response = issue(api_as(officer), ec, debtor=ec.case.party_links.get(role="creditor").party_id)
    assert response.json()["code"] == "restriction.not_debtor"


def test_permissions_of_the_api(api_as, clerk, other_officer, ec):
    with nothing_written():
        assert issue(api_as(clerk), ec).status_code == 403
    assert api_as(clerk).get(f"/api/v1/enforcement-cases/{ec.pk}/restrictions/").status_code == 200
    with nothing_written():
        assert issue(api_as(other_officer), ec).status_code == 404


def test_lift_permission_order_and_list(api_as, officer, other_officer, ec):
    api = api_as(officer)
    pk = issue(api, ec).json()["id"]
    response = api.post(
        f"/api/v1/restrictions/{pk}/permissions/",
        {
            "purpose": "奔丧。",
            "allowed": ["flights"],
            "valid_from": TODAY.isoformat(),
            "valid_until": (TODAY + dt.timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    order = api.get(f"/api/v1/restrictions/{pk}/order/")
    assert order.status_code == 200
    assert "限制消费令" in docx_text(b"".join(order.streaming_content))
    rows = api.get("/api/v1/restrictions/", {"status": "active"}).json()
    assert [row["id"] for row in rows["results"]] == [pk]
    with nothing_written():
        response = api.post(f"/api/v1/restrictions/{pk}/lift/", {"ground": "performed"}, format="json")
    assert response.json()["code"] == "restriction.not_performed"
    response = api.post(
        f"/api/v1/restrictions/{pk}/lift/", {"ground": "applicant_consent", "reason": "书面同意。"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "lifted"
    assert Restriction.objects.get(pk=pk).lift_ground == "applicant_consent"
    assert api_as(other_officer).get(f"/api/v1/restrictions/{pk}/order/").status_code == 404
    assert api_as(other_officer).get("/api/v1/restrictions/").json()["results"] == []
