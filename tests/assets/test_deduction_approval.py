"""Deductions (扣划) above the approval threshold: recorded "awaiting" with no order sent, holding their amount
against the freeze and the debt; a division head of the case's court other than the one who ordered it
approves (the order goes to the agency, whose confirmation credits the ledger as before) or declines (the
amount is free again). Refusals write nothing. The API endpoints and the controls partial's buttons."""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.urls import reverse

from assets.choices import AgencyKind, AssetCategory, ControlStatus, DeductionStatus, RequestKind, RequestStatus
from assets.models import AgencyRequest, Asset, Deduction
from assets.services import control_confirm, control_deduct, control_release, deduction_approve, deduction_decline
from assets.services.controls import DEDUCTION_APPROVAL_ABOVE, deduction_approval_threshold, may_decide_deduction
from core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import Status
from enforcement.models import FundEntry
from enforcement.services import fund_receive
from tests.assets.builders import make_agency
from tests.assets.test_controls import NOW, control_counts, make_asset, order_confirmed
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

THRESHOLD = Decimal("1000.00")


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.ZHIXING_DEDUCTION_APPROVAL_ABOVE = THRESHOLD


@pytest.fixture
def head(court):
    return UserFactory(division_head=True, court=court, username="head-0105")


@pytest.fixture
def other_head(other_court):
    return UserFactory(division_head=True, court=other_court, username="head-0108")


@pytest.fixture
def freeze(officer, enforcement_case, bank):
    """A freeze in force of 50 000.00 on a deposit of a case owing 100 000.00."""
    return order_confirmed(officer, enforcement_case, make_asset(enforcement_case, bank[0]))


def deductions() -> list[tuple]:
    return sorted(
        Deduction.objects.values_list(
            "pk", "status", "request_id", "approved_by_id", "approved_at", "decided_reason", "confirmed_at"
        )
    )


@contextmanager
def nothing_written():
    before = (control_counts(), deductions())
    yield
    assert (control_counts(), deductions()) == before


def large(officer, freeze, amount="5000.00", reference="BIG-1") -> Deduction:
    return control_deduct(actor=officer, measure=freeze, amount=Decimal(amount), reference=reference, now=NOW)


# ---- the threshold ----------------------------------------------------------------------------------------------


def test_the_default_threshold_is_500_000_yuan(settings):
    del settings.ZHIXING_DEDUCTION_APPROVAL_ABOVE
    assert deduction_approval_threshold() == DEDUCTION_APPROVAL_ABOVE == Decimal("500000.00")


@pytest.mark.parametrize("amount", ["999.99", "1000.00"])
def test_a_deduction_up_to_the_threshold_is_sent_to_the_agency_at_once(officer, freeze, amount):
    deduction = control_deduct(actor=officer, measure=freeze, amount=Decimal(amount), reference="D-1", now=NOW)
    assert deduction.status == DeductionStatus.PENDING
    assert deduction.request.kind == RequestKind.DEDUCT
    assert deduction.request.payload["amount"] == amount
    assert AuditLog.objects.filter(action="control.deduct").count() == 1


def test_a_deduction_above_the_threshold_awaits_a_division_head_and_sends_nothing(officer, freeze):
    requests_before = AgencyRequest.objects.count()
    deduction = large(officer, freeze, amount="1000.01")
    deduction.refresh_from_db()
    assert (deduction.status, deduction.request, deduction.ordered_by) == (DeductionStatus.AWAITING, None, officer)
    assert AgencyRequest.objects.count() == requests_before
    row = AuditLog.objects.get(action="control.deduct_requested")
    assert (row.actor, row.changes["deduction"], row.changes["threshold"]) == (officer, deduction.pk, "1000.00")


def test_a_large_deduction_sent_again_with_its_reference_is_recorded_once(officer, freeze):
    first = large(officer, freeze)
    with nothing_written():
        assert large(officer, freeze) == first


# ---- the reservation --------------------------------------------------------------------------------------------


def test_an_awaiting_deduction_holds_its_amount_against_the_freeze(officer, freeze):
    large(officer, freeze, amount="30000.00")
    with nothing_written(), pytest.raises(Conflict) as refusal:
        large(officer, freeze, amount="20000.01", reference="BIG-2")
    assert (refusal.value.code, refusal.value.extra) == ("control.deduction_exceeds_frozen", {"available": "20000.00"})
    large(officer, freeze, amount="20000.00", reference="BIG-3")


def test_an_awaiting_deduction_holds_its_amount_against_what_is_owed(officer, enforcement_case, bank):
    # The case is for 100 000.00; the freeze is larger.
    freeze = order_confirmed(officer, enforcement_case, make_asset(enforcement_case, bank[0]), amount=Decimal("150000"))
    large(officer, freeze, amount="60000.00")
    control_deduct(actor=officer, measure=freeze, amount=Decimal("900.00"), reference="D-small", now=NOW)
    with nothing_written(), pytest.raises(Conflict) as refusal:
        large(officer, freeze, amount="39100.01", reference="BIG-2")
    assert (refusal.value.code, refusal.value.extra) == ("control.deduction_exceeds_owed", {"owed": "39100.00"})


def test_declining_frees_the_reservation(officer, head, freeze):
    deduction = large(officer, freeze, amount="50000.00")
    with pytest.raises(Conflict):
        large(officer, freeze, amount="1.00", reference="BIG-2")
    deduction_decline(actor=head, deduction=deduction, reason="证据不足", now=NOW)
    deduction.refresh_from_db()
    assert (deduction.status, deduction.approved_by, deduction.decided_reason, deduction.request) == (
        DeductionStatus.DECLINED,
        head,
        "证据不足",
        None,
    )
    assert large(officer, freeze, amount="50000.00", reference="BIG-2").status == DeductionStatus.AWAITING
    row = AuditLog.objects.get(action="control.deduct_declined")
    assert (row.actor, row.reason, row.changes["deduction"]) == (head, "证据不足", deduction.pk)


# ---- approval ---------------------------------------------------------------------------------------------------


def test_a_head_approves_the_order_goes_to_the_agency_and_its_confirmation_credits_the_ledger(
    officer, head, enforcement_case, freeze
):
    deduction = large(officer, freeze, amount="30000.00")
    approved = deduction_approve(actor=head, deduction=deduction, now=NOW)
    deduction.refresh_from_db()
    assert (deduction.status, deduction.approved_by, deduction.approved_at) == (DeductionStatus.PENDING, head, NOW)
    assert approved.request == deduction.request
    request = deduction.request
    assert (request.kind, request.status, request.agency_id, request.measure_id) == (
        RequestKind.DEDUCT,
        RequestStatus.PENDING,
        freeze.asset.agency_id,
        freeze.pk,
    )
    assert (request.payload["amount"], request.payload["reference"]) == ("30000.00", "BIG-1")
    row = AuditLog.objects.get(action="control.deduct_approved")
    assert (row.actor, row.changes["deduction"], row.changes["ordered_by"], row.changes["request"]) == (
        head,
        deduction.pk,
        officer.pk,
        request.pk,
    )

    control_confirm(agency=request.agency, request_id=request.pk, outcome="done", reference="BANK-1")
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.CONFIRMED
    [entry] = FundEntry.objects.all()
    assert (entry.amount, entry.source, entry.reference) == (
        Decimal("30000.00"),
        "deduction",
        f"agency-request:{request.pk}",
    )
    enforcement_case.refresh_from_db()
    assert enforcement_case.performed_amount == Decimal("30000.00")


def test_the_officer_who_ordered_a_large_deduction_cannot_approve_it_even_as_a_head(head, freeze):
    deduction = large(head, freeze)
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        deduction_approve(actor=head, deduction=deduction, now=NOW)
    assert refusal.value.code == "deduction.self_approval"
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        deduction_decline(actor=head, deduction=deduction, reason="x")
    assert refusal.value.code == "deduction.self_approval"


@pytest.mark.parametrize("role", ["officer", "judge", "clerk", "court_admin", "president"])
def test_only_a_division_head_decides(officer, court, freeze, role):
    deduction = large(officer, freeze)
    someone = UserFactory(court=court, username=f"not-head-{role}", **{role: True})
    with nothing_written(), pytest.raises(PermissionDenied):
        deduction_approve(actor=someone, deduction=deduction, now=NOW)
    with nothing_written(), pytest.raises(PermissionDenied):
        deduction_decline(actor=someone, deduction=deduction, reason="x")


def test_a_head_of_another_court_finds_nothing(officer, other_head, freeze):
    deduction = large(officer, freeze)
    with nothing_written(), pytest.raises(NotFound):
        deduction_approve(actor=other_head, deduction=deduction, now=NOW)
    with nothing_written(), pytest.raises(NotFound):
        deduction_decline(actor=other_head, deduction=deduction, reason="x")


def test_an_inactive_head_cannot_decide(officer, court, freeze):
    gone = UserFactory(division_head=True, court=court, is_active=False, username="head-gone")
    deduction = large(officer, freeze)
    with nothing_written(), pytest.raises(PermissionDenied):
        deduction_approve(actor=gone, deduction=deduction, now=NOW)


def test_only_an_awaiting_deduction_is_decided(officer, head, freeze):
    small = control_deduct(actor=officer, measure=freeze, amount=Decimal("10.00"), reference="D-1", now=NOW)
    approved = deduction_approve(actor=head, deduction=large(officer, freeze), now=NOW)
    declined = deduction_decline(actor=head, deduction=large(officer, freeze, reference="BIG-2"), reason="不予扣划")
    for deduction in (small, approved, declined):
        with nothing_written(), pytest.raises(RuleViolation) as refusal:
            deduction_approve(actor=head, deduction=deduction, now=NOW)
        assert refusal.value.code == "deduction.not_awaiting"
        with nothing_written(), pytest.raises(RuleViolation) as refusal:
            deduction_decline(actor=head, deduction=deduction, reason="x")
        assert refusal.value.code == "deduction.not_awaiting"


def test_the_pages_ask_the_service_who_may_decide(officer, head, court, freeze):
    theirs, own = large(officer, freeze), large(head, freeze, reference="BIG-2")
    assert may_decide_deduction(user=head, deduction=theirs)
    assert not may_decide_deduction(user=head, deduction=own)  # deduction.self_approval
    assert not may_decide_deduction(user=officer, deduction=theirs)  # no capability
    gone = UserFactory(division_head=True, court=court, is_active=False, username="head-gone")
    assert not may_decide_deduction(user=gone, deduction=theirs)
    decided = deduction_approve(actor=head, deduction=theirs, now=NOW)
    assert not may_decide_deduction(user=head, deduction=decided)  # deduction.not_awaiting


def test_declining_needs_a_reason(officer, head, freeze):
    deduction = large(officer, freeze)
    with nothing_written(), pytest.raises(InvalidInput) as refusal:
        deduction_decline(actor=head, deduction=deduction, reason="  ")
    assert refusal.value.code == "deduction.decline_reason_required"


def test_releasing_the_freeze_withdraws_the_deductions_awaiting_approval(officer, head, freeze):
    deduction = large(officer, freeze)
    control_release(actor=officer, measure=freeze, reason="债务人提供担保", now=NOW)
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.WITHDRAWN
    assert not AgencyRequest.objects.filter(kind=RequestKind.DEDUCT).exists()
    audit = AuditLog.objects.get(action="control.release")
    assert audit.changes["deductions_withdrawn"] == [deduction.pk]
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        deduction_approve(actor=head, deduction=deduction, now=NOW)
    assert refusal.value.code == "deduction.not_awaiting"


def test_approval_checks_the_limits_again_and_refuses_once_the_freeze_has_ended(officer, head, freeze):
    deduction = large(officer, freeze)
    freeze.status = ControlStatus.LAPSED
    freeze.save(update_fields=["status"])
    with nothing_written(), pytest.raises(RuleViolation) as refusal:
        deduction_approve(actor=head, deduction=deduction, now=NOW)
    assert refusal.value.code == "control.not_an_active_freeze"
    deduction_decline(actor=head, deduction=deduction, reason="冻结已届满失效")


def test_approval_refuses_a_deduction_no_longer_owed(officer, head, enforcement_case, freeze):
    deduction = large(officer, freeze, amount="30000.00")
    fund_receive(
        actor=officer,
        enforcement_case=enforcement_case,
        amount=Decimal("80000.00"),
        source="payment",
        reference="PAY-1",
    )
    with nothing_written(), pytest.raises(Conflict) as refusal:
        deduction_approve(actor=head, deduction=deduction, now=NOW)
    assert (refusal.value.code, refusal.value.extra) == ("control.deduction_exceeds_owed", {"owed": "20000.00"})


# ---- API --------------------------------------------------------------------------------------------------------


def test_the_deduct_endpoint_answers_awaiting_above_the_threshold(api_as, officer, freeze):
    response = api_as(officer).post(
        f"/api/v1/controls/{freeze.pk}/deduct/", {"amount": "30000.00", "reference": "API-1"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["request"], body["amount"], body["approved_by"]) == (
        "awaiting",
        None,
        "30000.00",
        None,
    )


def test_a_head_approves_through_the_api(api_as, officer, head, freeze):
    deduction = large(officer, freeze)
    response = api_as(head).post(f"/api/v1/deductions/{deduction.pk}/approve/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["approved_by"]) == ("pending", head.pk)
    assert body["request"] == Deduction.objects.get().request_id is not None


def test_a_head_declines_through_the_api_with_a_reason(api_as, officer, head, freeze):
    deduction = large(officer, freeze)
    client = api_as(head)
    with nothing_written():
        response = client.post(f"/api/v1/deductions/{deduction.pk}/decline/", {}, format="json")
    assert (response.status_code, list(response.json()["extra"]["fields"])) == (400, ["reason"])
    response = client.post(f"/api/v1/deductions/{deduction.pk}/decline/", {"reason": "金额有误"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["decided_reason"]) == ("declined", "金额有误")


def test_the_api_refuses_self_approval_an_officer_and_another_court_writing_nothing(
    api_as, officer, head, other_head, freeze
):
    own = large(head, freeze)
    theirs = large(officer, freeze, reference="BIG-2")
    with nothing_written():
        response = api_as(head).post(f"/api/v1/deductions/{own.pk}/approve/")
        assert (response.status_code, response.json()["code"]) == (400, "deduction.self_approval")
        assert api_as(officer).post(f"/api/v1/deductions/{theirs.pk}/approve/").status_code == 403
        assert api_as(other_head).post(f"/api/v1/deductions/{theirs.pk}/approve/").status_code == 404
        assert api_as(other_head).post(f"/api/v1/deductions/{theirs.pk}/decline/", {"reason": "x"}).status_code == 404


# ---- the page ---------------------------------------------------------------------------------------------------


def partial(enforcement_case) -> str:
    return reverse("assets:case-measures", args=[enforcement_case.pk])


def test_the_officer_is_told_a_large_deduction_awaits_approval_and_sees_no_buttons(
    client_as, officer, enforcement_case, freeze
):
    response = client_as(officer).post(
        partial(enforcement_case),
        {"action": "deduct", "measure": freeze.pk, "amount": "30000", "reference": "PAGE-1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "awaits a division head&#x27;s approval" in page
    assert "Awaiting the division head&#x27;s approval" in page
    assert 'class="badge text-bg-warning">Awaiting' in page
    assert 'value="approve_deduction"' not in page
    assert Deduction.objects.get().status == DeductionStatus.AWAITING


def test_a_head_sees_approve_and_decline_only_for_deductions_he_did_not_order(
    client_as, officer, head, enforcement_case, freeze
):
    theirs = large(officer, freeze)
    own = large(head, freeze, reference="BIG-2")
    page = client_as(head).get(partial(enforcement_case)).content.decode()
    assert page.count('value="approve_deduction"') == page.count('value="decline_deduction"') == 1
    assert f'name="deduction" value="{theirs.pk}"' in page
    assert f'name="deduction" value="{own.pk}"' not in page


def test_a_head_approves_and_declines_from_the_page(client_as, officer, head, enforcement_case, freeze):
    first = large(officer, freeze)
    second = large(officer, freeze, reference="BIG-2")
    client = client_as(head)
    response = client.post(partial(enforcement_case), {"action": "approve_deduction", "deduction": first.pk})
    assert response.status_code == 200
    assert "approved: the order is sent to the agency" in response.content.decode()
    with nothing_written():
        response = client.post(partial(enforcement_case), {"action": "decline_deduction", "deduction": second.pk})
    assert response.status_code == 400
    response = client.post(
        partial(enforcement_case), {"action": "decline_deduction", "deduction": second.pk, "reason": "重复申请"}
    )
    assert response.status_code == 200
    assert dict(Deduction.objects.values_list("reference", "status")) == {
        "BIG-1": DeductionStatus.PENDING,
        "BIG-2": DeductionStatus.DECLINED,
    }


def test_an_officer_posting_an_approval_is_refused_and_nothing_is_written(client_as, officer, enforcement_case, freeze):
    deduction = large(officer, freeze)
    other = UserFactory(officer=True, court=enforcement_case.case.court, username="officer-2")
    with nothing_written():
        response = client_as(other).post(
            partial(enforcement_case), {"action": "approve_deduction", "deduction": deduction.pk}
        )
    assert response.status_code == 403


# ---- the officer workspace --------------------------------------------------------------------------------------


def test_the_workspace_shows_heads_what_waits_for_them_and_officers_what_they_asked_for(
    officer, head, other_head, enforcement_case, freeze
):
    from command.workspace import workspace, workspace_counts  # command reads every app; no app imports it

    large(officer, freeze)
    large(head, freeze, reference="BIG-2")  # the head's own: never shown to him as waiting for him
    number = enforcement_case.case.number
    theirs = workspace(user=head)
    assert [(a.kind, a.number) for a in theirs.approvals if a.kind == "deduction"] == [("deduction", number)]
    assert theirs.approvals[0].url.endswith("#deductions")
    mine = workspace(user=officer)
    assert [(a.kind, a.number) for a in mine.approvals] == [("deduction", number)]
    assert workspace_counts(user=officer).approvals == 1
    assert [a for a in workspace(user=other_head).approvals if a.kind == "deduction"] == []

    deduction_approve(actor=head, deduction=Deduction.objects.get(reference="BIG-1"), now=NOW)
    assert workspace(user=officer).approvals == []


# ---- concurrency (PostgreSQL) -----------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_and_deductions_never_overdraw_the_freeze_and_approve_each_deduction_once():
    """Four large deductions of 2 000.00 await approval on a freeze of 10 000.00: two heads approve each at once
    while 20 officers' threads deduct 300.00 each. The awaiting ones hold their 8 000.00, so only six small ones
    fit; each large one is approved once, the second approval finds it no longer awaiting."""
    court = CourtFactory(chaoyang=True)
    officer = UserFactory(officer=True, court=court, username="race-officer")
    heads = [UserFactory(division_head=True, court=court, username=f"race-head-{i}") for i in range(2)]
    debtor = PartyFactory(organisation=True)
    ec = case_in(Status.CONTROLLING, court, debtors=[debtor], officer=officer, amount="500000.00")
    bank, _key = make_agency("icbc-approval-race", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    asset = Asset.objects.create(
        case=ec.case, debtor=debtor, category=AssetCategory.DEPOSIT, agency=bank, identifier="6222020200998877001"
    )
    freeze = order_confirmed(officer, ec, asset, amount=Decimal("10000.00"))
    waiting = [large(officer, freeze, amount="2000.00", reference=f"race-big-{i}") for i in range(4)]

    jobs = [("approve", head, d) for d in waiting for head in heads]
    jobs += [("deduct", officer, i) for i in range(20)]
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs))

    def run(kind, actor, item) -> None:
        try:
            barrier.wait(timeout=30)
            if kind == "approve":
                deduction_approve(actor=actor, deduction=item)
            else:
                control_deduct(actor=actor, measure=freeze, amount=Decimal("300.00"), reference=f"race-small-{item}")
            outcome = (kind, "ok")
        except (Conflict, RuleViolation) as exc:
            outcome = (kind, exc.code)
        except BaseException as exc:  # reported by the assertion below
            outcome = ("error", repr(exc))
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"

    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert Counter(outcomes) == Counter(
        {
            ("approve", "ok"): 4,
            ("approve", "deduction.not_awaiting"): 4,
            ("deduct", "ok"): 6,
            ("deduct", "control.deduction_exceeds_frozen"): 14,
        }
    )
    held = Deduction.objects.filter(measure=freeze).exclude(status__in=["refused", "declined"])
    assert held.aggregate(total=Sum("amount"))["total"] == Decimal("9800.00")
    assert set(Deduction.objects.filter(reference__startswith="race-big").values_list("status", flat=True)) == {
        DeductionStatus.PENDING
    }
    assert AgencyRequest.objects.filter(measure=freeze, kind=RequestKind.DEDUCT).count() == 4 + 6
