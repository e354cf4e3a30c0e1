"""The distribution pages and API: the case-page panel (lines, payouts, the 执行完毕 hint), the actions
(propose, decide, object, pay), the court's case-fund ageing list (filters, export) and the API endpoints;
200 / 403 / 404, and nothing written on a refusal.

Until the lead wires ``urls_distribution`` and ``api_distribution`` into the app's URLconfs, these tests run
against ``urlpatterns`` below: the project's own, with both added."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import include, path
from django.utils import timezone

import config.urls as root
from enforcement import api_distribution, urls_distribution
from enforcement import urls as enforcement_urls
from enforcement.models import DistributionPlan, FundEntry
from enforcement.views_distribution import distribution_context
from tests.enforcement.builders import TODAY
from tests.enforcement.distribution_builders import (
    approved,
    creditors,
    debtor_id,
    fund_case,
    nothing_written,
    ordinary,
    proposed,
    receive,
)
from tests.factories import UserFactory


def _with_distribution():
    patterns = [path("api/v1/", include(api_distribution.urlpatterns))]
    for pattern in root.urlpatterns:
        if getattr(pattern, "namespace", None) == "enforcement" and str(pattern.pattern) == "enforcement/":
            both = enforcement_urls.urlpatterns + urls_distribution.urlpatterns
            patterns.append(path("enforcement/", include((both, "enforcement"))))
        else:
            patterns.append(pattern)
    return patterns


urlpatterns = _with_distribution()
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
D = Decimal


@pytest.fixture
def ec(court, officer):
    return fund_case(court, officer, person=True, received="10000.00")


def _claims_text(ec, *amounts) -> str:
    return "\n".join(f"ordinary;{pid};{amount};;" for pid, amount in zip(creditors(ec), amounts, strict=False))


# ---- the panel --------------------------------------------------------------------------------------------------


def _panel(user, ec) -> str:
    request = RequestFactory().get(f"/enforcement/{ec.pk}/")
    request.user = user
    context = distribution_context(request, ec, {})
    return render_to_string(
        "enforcement/distribution/_panel.html", {**context, "ec": ec, "open_form": ""}, request=request
    )


def test_the_panel_shows_the_balance_the_propose_form_and_the_ageing_flag(officer, ec):
    FundEntry.objects.filter(enforcement_case=ec).update(at=timezone.now() - dt.timedelta(days=12))
    html = _panel(officer, ec)
    assert 'id="distribution-balance"' in html and "10000.00" in html
    assert 'id="distribution-propose"' in html
    assert 'id="distribution-ageing"' in html and "over 10 days" in html
    assert 'id="distribution-completion"' not in html


def test_the_panel_offers_the_decision_to_another_head_and_payouts_once_approved(officer, division_head, ec):
    plan = proposed(officer, ec, "9000", ordinary(ec, "3000", "6000"))
    assert 'id="distribution-decide"' in _panel(division_head, ec)
    assert 'id="distribution-decide"' not in _panel(officer, ec)
    from enforcement.services.distribution import distribution_decide

    distribution_decide(actor=division_head, plan=plan, approve=True)
    html = _panel(officer, ec)
    assert html.count('name="reference"') == 2
    assert "3000.00" in html and "6000.00" in html


def test_the_panel_offers_completion_when_everything_is_paid_out(court, officer, division_head):
    ec = fund_case(court, officer, amount="5000.00", received="5000.00")
    plan = approved(officer, division_head, ec, "5000", ordinary(ec, "5000"))
    from enforcement.services.distribution import distribution_pay

    distribution_pay(actor=officer, line=plan.lines.get(), amount=D("5000"), reference="P-all")
    assert 'id="distribution-completion"' in _panel(officer, ec)


# ---- the actions ------------------------------------------------------------------------------------------------


def test_an_officer_proposes_on_the_page(client_as, officer, ec):
    response = client_as(officer).post(
        f"/enforcement/{ec.pk}/distribution/",
        {"fund_total": "9000", "rule": "pro_rata", "claims": _claims_text(ec, "3000", "6000"), "note": ""},
    )
    assert response.status_code == 302
    plan = DistributionPlan.objects.get()
    assert [line.allocated for line in plan.lines.order_by("position")] == [D("3000.00"), D("6000.00")]


def test_a_refused_proposal_re_renders_the_page_with_the_rule_and_writes_nothing(client_as, officer, ec):
    with nothing_written():
        response = client_as(officer).post(
            f"/enforcement/{ec.pk}/distribution/",
            {"fund_total": "20000", "rule": "pro_rata", "claims": _claims_text(ec, "30000")},
        )
    assert response.status_code == 400
    assert "case fund holds" in response.content.decode()


def test_decide_pay_and_object_on_the_page(client_as, officer, division_head, ec):
    proposed(officer, ec, "9000", ordinary(ec, "3000", "6000"))
    assert (
        client_as(officer).post(f"/enforcement/{ec.pk}/distribution/decide/", {"decision": "approve"}).status_code
        == 403
    )
    response = client_as(division_head).post(f"/enforcement/{ec.pk}/distribution/decide/", {"decision": "approve"})
    assert response.status_code == 302
    line = DistributionPlan.objects.get().lines.order_by("position").first()
    client = client_as(officer)
    response = client.post(
        f"/enforcement/{ec.pk}/distribution/pay/", {"line": line.pk, "amount": "3000", "reference": "PAGE-1"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.paid == D("3000.00")
    with nothing_written():
        response = client.post(
            f"/enforcement/{ec.pk}/distribution/pay/", {"line": line.pk, "amount": "1", "reference": "PAGE-2"}
        )
    assert response.status_code == 400
    assert "A payout over the plan" in response.content.decode()
    response = client.post(
        f"/enforcement/{ec.pk}/distribution/objection/",
        {"party": debtor_id(ec), "text": "异议", "received_on": TODAY.isoformat()},
    )
    assert response.status_code == 400  # payouts have started
    assert DistributionPlan.objects.get().objections.count() == 0


# ---- the ageing list --------------------------------------------------------------------------------------------


def test_the_ageing_list_filters_and_exports(client_as, court, officer, other_officer):
    old = fund_case(court, officer, received="0")
    FundEntry.objects.filter(pk=receive(old, "100", "R-old").pk).update(at=timezone.now() - dt.timedelta(days=31))
    fresh = fund_case(court, officer, received="0")
    receive(fresh, "200", "R-new")
    client = client_as(officer)
    response = client.get("/enforcement/funds/ageing/")
    assert response.status_code == 200
    assert old.case.number in response.content.decode() and fresh.case.number in response.content.decode()
    html = client.get("/enforcement/funds/ageing/?flag=30").content.decode()
    assert old.case.number in html and fresh.case.number not in html
    export = client.get("/enforcement/funds/ageing/?flag=30&export=csv")
    assert export.status_code == 200
    assert old.case.number in b"".join(export.streaming_content).decode("utf-8-sig")
    assert old.case.number not in client_as(other_officer).get("/enforcement/funds/ageing/").content.decode()


def test_the_ageing_list_needs_a_login(client):
    assert client.get("/enforcement/funds/ageing/").status_code == 302


# ---- the API ----------------------------------------------------------------------------------------------------


def test_the_api_walks_a_plan_from_proposal_to_payout(api_as, officer, division_head, ec):
    api = api_as(officer)
    body = {
        "fund_total": "9000.00",
        "rule": "pro_rata",
        "claims": [
            {"kind": "ordinary", "recipient": pid, "amount": amount}
            for pid, amount in zip(creditors(ec), ["3000", "6000"], strict=True)
        ],
    }
    response = api.post(f"/api/v1/enforcement-cases/{ec.pk}/distributions/", body, format="json")
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    assert [line["allocated"] for line in response.json()["lines"]] == ["3000.00", "6000.00"]
    assert api.post(f"/api/v1/distributions/{plan_id}/decide/", {"approve": True}).status_code == 403
    response = api_as(division_head).post(f"/api/v1/distributions/{plan_id}/decide/", {"approve": True})
    assert response.status_code == 200
    api = api_as(officer)
    line_id = response.json()["lines"][0]["id"]
    pay = {"amount": "3000.00", "reference": "API-1"}
    assert api.post(f"/api/v1/distribution-lines/{line_id}/pay/", pay).status_code == 201
    assert api.post(f"/api/v1/distribution-lines/{line_id}/pay/", pay).status_code == 201  # idempotent
    with nothing_written():
        over = api.post(f"/api/v1/distribution-lines/{line_id}/pay/", {"amount": "1", "reference": "API-2"})
    assert over.status_code == 400
    assert over.json()["code"] == "distribution.over_plan"
    listing = api.get(f"/api/v1/enforcement-cases/{ec.pk}/distributions/").json()
    assert listing["fund_balance"] == "7000.00"
    ageing = api.get(f"/api/v1/enforcement-cases/{ec.pk}/fund-ageing/")
    assert ageing.status_code == 200
    assert ageing.json()["rows"][0]["outstanding"] == "7000.00"


def test_the_api_records_and_decides_an_objection(api_as, officer, division_head, ec):
    plan = approved(officer, division_head, ec, "100", ordinary(ec, "100"))
    api = api_as(officer)
    url = f"/api/v1/distributions/{plan.pk}/objections/"
    response = api.post(url, {"party": debtor_id(ec), "text": "异议", "received_on": TODAY.isoformat()})
    assert response.status_code == 201
    response = api.post(url, {"objection": response.json()["id"], "upheld": True, "outcome": "成立"})
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_the_api_refuses_other_courts_and_clerks(api_as, court, other_officer, ec):
    assert api_as(other_officer).get(f"/api/v1/enforcement-cases/{ec.pk}/distributions/").status_code == 404
    assert api_as(other_officer).get(f"/api/v1/enforcement-cases/{ec.pk}/fund-ageing/").status_code == 404
    clerk = UserFactory(clerk=True, court=court)
    with nothing_written():
        response = api_as(clerk).post(
            f"/api/v1/enforcement-cases/{ec.pk}/distributions/",
            {"fund_total": "1", "rule": "pro_rata", "claims": []},
            format="json",
        )
    assert response.status_code == 403
    assert api_as(clerk).get(f"/api/v1/enforcement-cases/{ec.pk}/distributions/").status_code == 200


def test_the_api_refuses_a_plan_over_the_fund(api_as, officer, ec):
    body = {"fund_total": "10000.01", "rule": "pro_rata", "claims": [{"kind": "costs", "amount": "10"}]}
    with nothing_written():
        response = api_as(officer).post(f"/api/v1/enforcement-cases/{ec.pk}/distributions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "distribution.over_fund"


def test_the_panel_lists_the_hints_of_the_apps_to_the_right(monkeypatch, officer, ec):
    from enforcement import checks

    creditor = creditors(ec)[0]
    hints = [
        checks.DistributionClaimHint("ordinary", creditor, control_position=2, source="轮候冻结"),
        checks.DistributionClaimHint("secured", creditor, amount=D("500"), source="抵押"),
    ]
    monkeypatch.setattr(checks, "_distribution_claim_providers", {"test": lambda case: hints})
    assert [h.kind for h in checks.distribution_claim_hints(ec)] == ["secured", "ordinary"]
    html = _panel(officer, ec)
    assert 'id="distribution-hints"' in html and "轮候冻结" in html
