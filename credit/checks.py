"""Credit's answers to the 终本 checklist (``enforcement.checks``, 终本规定 2016 art. 1(2)), registered in
``CreditConfig.ready()``: whether every debtor is listed as dishonest where eligible, and whether every
debtor is under a consumption restriction in the case."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyRole
from cases.models import Party
from enforcement.checks import TerminationFact

from .choices import ListingStatus, RestrictionKind, RestrictionStatus
from .models import DishonestListing, Restriction
from .services.listing import is_minor_on


def _debtors(enforcement_case) -> list[Party]:
    return list(Party.objects.filter(case_links__case_id=enforcement_case.case_id, case_links__role=PartyRole.DEBTOR))


def termination_facts(enforcement_case) -> list[TerminationFact]:
    debtors = _debtors(enforcement_case)
    today = timezone.localdate()
    listed = set(
        DishonestListing.objects.filter(enforcement_case=enforcement_case, status=ListingStatus.LISTED).values_list(
            "debtor_id", flat=True
        )
    )
    restricted = set(
        Restriction.objects.filter(
            enforcement_case=enforcement_case, kind=RestrictionKind.CONSUMPTION, status=RestrictionStatus.ACTIVE
        ).values_list("debtor_id", flat=True)
    )
    eligible = [d for d in debtors if not is_minor_on(d, today)]
    unlisted = [d.name for d in eligible if d.pk not in listed]
    unrestricted = [d.name for d in debtors if d.pk not in restricted]
    listing = TerminationFact(
        code="dishonest_listing",
        met=bool(eligible) and not unlisted,
        message=(
            _("Every eligible debtor is on the dishonest list.")
            if not unlisted
            else _("Not on the dishonest list: %(names)s.") % {"names": "、".join(unlisted)}
        ),
        details={"eligible": bool(eligible), "unlisted": unlisted},
    )
    restriction = TerminationFact(
        code="consumption_restriction",
        met=bool(debtors) and not unrestricted,
        message=(
            _("Every debtor is under a consumption restriction.")
            if not unrestricted
            else _("No consumption restriction on: %(names)s.") % {"names": "、".join(unrestricted)}
        ),
        details={"unrestricted": unrestricted},
    )
    return [listing, restriction]
