"""Credit's answer to the filing-time checks (``cases.checks``; issue 6, item 7): a party on the dishonest
list or under an active consumption or exit restriction raises the cross-case alert of a new filing (and
counts in triage and the preservation recommendation). Registered in ``CreditConfig.ready()``."""

from __future__ import annotations

from django.db.models import CharField, Count, Value
from django.utils.translation import gettext as _

from cases.checks import PartyRecord, checked_case_id

from .choices import ListingStatus, RestrictionStatus
from .models import DishonestListing, Restriction

LISTED = "listed_dishonest"
RESTRICTED = "restricted"


def credit_records(party_ids: list[int]) -> dict[int, list[PartyRecord]]:
    """For all the parties at once: listed entries (``listed_dishonest``) by the index
    ``listing_debtor_status_idx``, active restrictions (``restricted``) by ``restriction_debtor_status_idx``:
    ONE query (a UNION ALL of the two grouped counts). The case being checked is left out (it is not its
    own cross-case finding)."""
    own_case = checked_case_id()
    listings = DishonestListing.objects.filter(debtor_id__in=party_ids, status=ListingStatus.LISTED)
    restrictions = Restriction.objects.filter(debtor_id__in=party_ids, status=RestrictionStatus.ACTIVE)
    if own_case is not None:
        listings = listings.exclude(enforcement_case__case_id=own_case)
        restrictions = restrictions.exclude(enforcement_case__case_id=own_case)
    listed = listings.values("debtor_id").annotate(code=Value(LISTED, output_field=CharField()), n=Count("id"))
    restricted = restrictions.values("debtor_id").annotate(
        code=Value(RESTRICTED, output_field=CharField()), n=Count("id")
    )
    found: dict[int, list[PartyRecord]] = {}
    for row in listed.order_by().union(restricted.order_by(), all=True):
        found.setdefault(row["debtor_id"], []).append(_record(row["code"], row["n"]))
    for records in found.values():
        records.sort(key=lambda record: record.code)
    return found


def _record(code: str, count: int) -> PartyRecord:
    if code == LISTED:
        message = _("is on the dishonest list (失信被执行人名单) in %(count)d case(s)") % {"count": count}
    else:
        message = _("is under %(count)d consumption or exit restriction(s) (限制消费/限制出境)") % {"count": count}
    return PartyRecord(source="credit", code=code, count=count, message=message)
