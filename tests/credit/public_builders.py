"""Builders for the public disclosure tests: listed dishonest entries and consumption restrictions written
directly with the ORM (the listing and restriction services are built elsewhere), on enforcement cases placed
in a state by ``tests.enforcement.builders.case_in``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.cache import cache

from credit.choices import (
    BoundPersonRole,
    ListingGround,
    ListingStatus,
    ProhibitedConsumption,
    RestrictionKind,
)
from credit.models import BoundPerson, DishonestListing, Restriction
from enforcement.choices import Status
from tests.enforcement.builders import TODAY, case_in
from tests.factories import PartyFactory, UserFactory


def staff(court):
    """A proposer (officer) and an approver (division head) of ``court``, the same ones on every call."""
    proposer = UserFactory(officer=True, court=court, username=f"pub-officer-{court.code}")
    approver = UserFactory(division_head=True, court=court, username=f"pub-head-{court.code}")
    return proposer, approver


def listed(
    court,
    *,
    debtor=None,
    enforcement_case=None,
    listed_on: dt.date = TODAY,
    status: str = ListingStatus.LISTED,
    ground: str = ListingGround.ABLE_BUT_REFUSES,
    facts: str = "有履行能力而拒不履行生效法律文书确定的义务。",
    performed: str = "0.00",
) -> DishonestListing:
    """A dishonest listing of ``debtor`` (a new person by default) on a case of ``court``, listed on ``listed_on``."""
    debtor = debtor or PartyFactory()
    if enforcement_case is None:
        enforcement_case = case_in(Status.INVESTIGATING, court, debtors=[debtor], performed_amount=Decimal(performed))
    proposer, approver = staff(court)
    return DishonestListing.objects.create(
        enforcement_case=enforcement_case,
        debtor=debtor,
        debtor_name=debtor.name,
        ground=ground,
        facts=facts,
        status=status,
        proposed_by=proposer,
        decided_by=approver if status != ListingStatus.PENDING else None,
        listed_on=listed_on if status in (ListingStatus.LISTED, ListingStatus.REMOVED) else None,
        period_years=None if ground == ListingGround.ABLE_BUT_REFUSES else 2,
        removed_on=TODAY if status == ListingStatus.REMOVED else None,
    )


def restricted(
    court,
    *,
    debtor=None,
    enforcement_case=None,
    kind: str = RestrictionKind.CONSUMPTION,
    issued_on: dt.date = TODAY,
    status: str = "active",
    bound: list[tuple[str, object]] = (),
) -> Restriction:
    """A restriction (consumption, all nine kinds, by default) on ``debtor``; ``bound`` = [(role, party)]."""
    debtor = debtor or PartyFactory()
    if enforcement_case is None:
        enforcement_case = case_in(Status.INVESTIGATING, court, debtors=[debtor])
    proposer, _approver = staff(court)
    restriction = Restriction.objects.create(
        kind=kind,
        enforcement_case=enforcement_case,
        debtor=debtor,
        prohibited=list(ProhibitedConsumption.values) if kind == RestrictionKind.CONSUMPTION else [],
        reason="未按执行通知书指定的期间履行给付义务。",
        order_number=f"（{issued_on.year}）限消{Restriction.objects.count() + 1}号",
        issued_on=issued_on,
        issued_by=proposer,
        status=status,
        lifted_on=TODAY if status == "lifted" else None,
    )
    for role, person in bound:
        BoundPerson.objects.create(
            restriction=restriction, role=role, name=person.name, id_number=person.id_number, party=person
        )
    return restriction


LEGAL_REPRESENTATIVE = BoundPersonRole.LEGAL_REPRESENTATIVE


def clear_rate_limits() -> None:
    cache.clear()
