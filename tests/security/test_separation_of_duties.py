"""Separation of duties: whoever initiates an act that needs approval never approves it.

The approvals are the 终本 proposal (解释 2022 art. 517), the dishonest listing, the distribution plan, the
coercive measure (fines and detention, approved by the president, 民诉法 art. 119), the extension of the time
limit and a deduction (扣划) above ``ZHIXING_DEDUCTION_APPROVAL_ABOVE`` (recorded "awaiting", approved or
declined by a division head). For each, the pending item is written with the approver as its initiator and the
approval service must refuse with the rule's code and write nothing. A service module that grows a new
``*_decide``/``*_approve`` function must be named here, either as an approval or among the decisions on a party's
own application (where the initiator is the party).
"""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction

from assets.choices import AgencyKind, AssetCategory, ControlKind, ControlStatus, DeductionStatus
from assets.models import AgencyRequest, Asset, ControlMeasure, Deduction
from assets.services import control_deduct, deduction_approve, deduction_decline
from core.exceptions import NotFound, PermissionDenied, RuleViolation
from core.models import AuditLog
from core.roles import Role
from credit.choices import ListingStatus
from credit.models import DishonestListing
from credit.services.listing import listing_decide
from enforcement.choices import CoerciveStatus, ExtensionStatus, ProposalStatus, Status
from enforcement.models import CoerciveMeasure, DistributionPlan, ExtensionRequest, TerminationProposal
from enforcement.services.coercion import coercion_decide
from enforcement.services.distribution import distribution_decide
from enforcement.services.extensions import extension_decide
from enforcement.services.termination import termination_decide
from tests.enforcement.builders import case_in
from tests.factories import UserFactory
from tests.security.conftest import TODAY, Maker

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("core", "cases", "enforcement", "assets", "credit", "bankruptcy", "command")


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for a in PROJECT_APPS for m in apps.get_app_config(a).get_models()}


def refused_and_nothing_written(code: str, service, item, **kwargs) -> RuleViolation:
    before, status = row_counts(), type(item)._base_manager.values_list("status", flat=True).get(pk=item.pk)
    with pytest.raises(RuleViolation) as error:
        service(**kwargs)
    assert error.value.code == code
    assert row_counts() == before
    assert type(item)._base_manager.values_list("status", flat=True).get(pk=item.pk) == status
    return error.value


@pytest.fixture
def maker(world):
    return Maker(world)


def head(world):
    return world.users_a[Role.DIVISION_HEAD]


# ---- each approval refuses its initiator ----------------------------------------------------------------------

# name → (approving role, model, the pending state, initiator field, the service, its item argument, code)
APPROVALS = {
    "termination": (
        Role.DIVISION_HEAD,
        TerminationProposal,
        {"status": ProposalStatus.PENDING},
        "proposed_by",
        termination_decide,
        "proposal",
        "termination.self_approval",
    ),
    "listing": (
        Role.DIVISION_HEAD,
        DishonestListing,
        {"status": ListingStatus.PENDING},
        "proposed_by",
        listing_decide,
        "listing",
        "listing.self_approval",
    ),
    "distribution": (
        Role.DIVISION_HEAD,
        DistributionPlan,
        {"status": "proposed"},
        "proposed_by",
        distribution_decide,
        "plan",
        "distribution.self_approval",
    ),
    "coercion": (
        Role.PRESIDENT,
        CoerciveMeasure,
        {"status": CoerciveStatus.PROPOSED},
        "proposed_by",
        coercion_decide,
        "measure",
        "coercion.self_approval",
    ),
    "extension": (
        Role.DIVISION_HEAD,
        ExtensionRequest,
        {"status": ExtensionStatus.PENDING},
        "requested_by",
        extension_decide,
        "extension",
        "extension.own_request",
    ),
}

# Approvals whose service takes its own arguments, tested in their own section below: the deduction (扣划)
# above the approval threshold.
OWN_SECTION_APPROVALS = {"deduction_approve"}

# Decisions on what a party applied for (an objection, a reconsideration, a correction, a restoration, an
# objection to a plan): the party initiated it, the staff member who records it does not approve anything.
PARTY_APPLICATIONS = {
    "distribution_objection_decide",
    "objection_decide",
    "reconsideration_decide",
    "restoration_request_decide",
    "correction_decide",
    "correction_reconsideration_decided",
}


@pytest.mark.parametrize("name", APPROVALS)
@pytest.mark.parametrize("approve", [True, False], ids=["approving", "refusing"])
def test_the_initiator_never_decides_their_own_proposal(name, approve, world, maker):
    role, model, pending, initiator_field, service, argument, code = APPROVALS[name]
    approver = world.users_a[role]
    with transaction.atomic():
        item = maker.make(model, **pending, **{initiator_field: approver})
    kwargs = {"actor": approver, argument: item, "approve": approve, "note": "理由"}
    refused_and_nothing_written(code, service, item, **kwargs)


@pytest.mark.parametrize("name", APPROVALS)
def test_a_superuser_who_initiated_is_refused_too(name, world, maker):
    role, model, pending, initiator_field, service, argument, code = APPROVALS[name]
    boss = UserFactory(superuser=True, username=f"sod-boss-{name}")
    with transaction.atomic():
        item = maker.make(model, **pending, **{initiator_field: boss})
    refused_and_nothing_written(code, service, item, actor=boss, approve=True, **{argument: item})


def test_every_decision_service_is_an_approval_here_or_a_party_s_application():
    import importlib
    import pkgutil

    import assets.services
    import credit.services
    import enforcement.services

    named = {service.__name__ for *_, service, _arg, _code in APPROVALS.values()}
    found = set()
    modules = [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for package in (enforcement.services, credit.services, assets.services)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    for module in modules:
        for attribute, value in vars(module).items():
            is_service = inspect.isfunction(value) and "actor" in inspect.signature(value).parameters
            if is_service and attribute.endswith(("_decide", "_decided", "_approve")):
                found.add(attribute)
    assert found - named - OWN_SECTION_APPROVALS - PARTY_APPLICATIONS == set()
    assert found >= OWN_SECTION_APPROVALS


# ---- large deductions wait for a division head other than the one who ordered them ------------------------------


@pytest.fixture
def freeze(world):
    """A freeze in force of 2 000 000.00 on a deposit of a case owing 3 000 000.00."""
    ec = case_in(
        Status.CONTROLLING,
        world.court_a,
        officer=world.users_a[Role.OFFICER],
        debtors=[world.debtor],
        amount="3000000.00",
    )
    asset = Asset.objects.create(
        case=ec.case,
        debtor=world.debtor,
        category=AssetCategory.DEPOSIT,
        agency=world.agency_a,
        identifier="6222020200112233445",
        value=Decimal("2000000.00"),
    )
    assert world.agency_a.kind == AgencyKind.BANK
    return ControlMeasure.objects.create(
        enforcement_case=ec,
        asset=asset,
        kind=ControlKind.FREEZE,
        status=ControlStatus.ACTIVE,
        amount=Decimal("2000000.00"),
        starts_on=TODAY - dt.timedelta(days=10),
        expires_on=TODAY + dt.timedelta(days=300),
    )


def awaiting(world, freeze, *, by, amount="600000.00", reference="sod-big") -> Deduction:
    deduction = control_deduct(actor=by, measure=freeze, amount=Decimal(amount), reference=reference)
    assert deduction.status == DeductionStatus.AWAITING
    return deduction


def deduction_refused(error_class, service, deduction, **kwargs):
    """``service`` refuses with ``error_class`` and writes nothing: no row anywhere, the deduction unchanged."""
    before = row_counts()
    fields = ("status", "request_id", "approved_by_id", "approved_at", "decided_reason")
    state = Deduction.objects.values_list(*fields).get(pk=deduction.pk)
    with pytest.raises(error_class) as error:
        service(deduction=deduction, **kwargs)
    assert row_counts() == before
    assert Deduction.objects.values_list(*fields).get(pk=deduction.pk) == state
    return error.value


def test_a_deduction_up_to_the_threshold_needs_no_approver(world, freeze):
    deduction = control_deduct(
        actor=world.users_a[Role.OFFICER], measure=freeze, amount=Decimal("500000.00"), reference="sod-small"
    )
    assert (deduction.amount, deduction.status) == (Decimal("500000.00"), DeductionStatus.PENDING)
    assert deduction.request is not None


def test_a_deduction_above_the_threshold_waits_for_a_division_head_and_sends_nothing(world, freeze):
    before = AgencyRequest.objects.count()
    deduction = awaiting(world, freeze, by=world.users_a[Role.OFFICER], amount="500000.01")
    assert deduction.request is None
    assert AgencyRequest.objects.count() == before
    assert AuditLog.objects.filter(action="control.deduct_requested").latest("pk").changes["threshold"] == "500000.00"


@pytest.mark.parametrize("approving", [True, False], ids=["approving", "declining"])
def test_the_one_who_orders_a_large_deduction_never_decides_it(world, freeze, approving):
    # a division head holds assets.control too: ordering and deciding the same deduction is refused
    deduction = awaiting(world, freeze, by=head(world))
    service, extra = (deduction_approve, {}) if approving else (deduction_decline, {"reason": "理由"})
    error = deduction_refused(RuleViolation, service, deduction, actor=head(world), **extra)
    assert error.code == "deduction.self_approval"


def test_a_superuser_who_ordered_a_large_deduction_cannot_approve_it(world, freeze):
    boss = UserFactory(superuser=True, username="sod-boss-deduction")
    deduction = awaiting(world, freeze, by=boss)
    assert deduction_refused(RuleViolation, deduction_approve, deduction, actor=boss).code == "deduction.self_approval"


@pytest.mark.parametrize("who", ["officer", "judge", "president", "head of another court", "inactive head"])
def test_a_large_deduction_is_approved_only_by_an_active_division_head_of_the_court(world, freeze, who):
    approver = {
        "officer": lambda: UserFactory(officer=True, court=world.court_a, username="sod-officer-2"),
        "judge": lambda: world.users_a[Role.JUDGE],
        "president": lambda: world.users_a[Role.PRESIDENT],
        "head of another court": lambda: world.users_b[Role.DIVISION_HEAD],
        "inactive head": lambda: UserFactory(
            division_head=True, court=world.court_a, is_active=False, username="sod-head-gone"
        ),
    }[who]()
    deduction = awaiting(world, freeze, by=world.users_a[Role.OFFICER])
    # another court's head learns nothing (not found); the others lack the capability
    expected = NotFound if who == "head of another court" else PermissionDenied
    deduction_refused(expected, deduction_approve, deduction, actor=approver)
    deduction_refused(expected, deduction_decline, deduction, actor=approver, reason="理由")


def test_another_division_head_approves_a_large_deduction_and_the_audit_row_names_them(world, freeze):
    officer = world.users_a[Role.OFFICER]
    deduction = awaiting(world, freeze, by=officer, amount="1500000.00", reference="sod-ok")
    deduction_approve(actor=head(world), deduction=deduction)
    deduction.refresh_from_db()
    assert (deduction.ordered_by, deduction.approved_by, deduction.status) == (
        officer,
        head(world),
        DeductionStatus.PENDING,
    )
    row = AuditLog.objects.filter(action="control.deduct_approved").latest("pk")
    assert (row.actor, row.changes["ordered_by"], row.changes["request"]) == (
        head(world),
        officer.pk,
        deduction.request_id,
    )


def test_the_threshold_is_a_setting(world, freeze, settings):
    settings.ZHIXING_DEDUCTION_APPROVAL_ABOVE = Decimal("1000.00")
    awaiting(world, freeze, by=world.users_a[Role.OFFICER], amount="1000.01", reference="sod-setting")
