"""Cross-case alerts of credit (issue 6, item 7): when a debtor is put on the dishonest list, the officers of
the open enforcement cases in which that same party is a creditor are told in the application — money the
court collects for it may be reachable by its own creditors. (A listed or restricted party appearing in a
new filing is the filing check's business: ``credit.party_checks``.) Connected in ``CreditConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.choices import PartyRole
from enforcement.choices import OPEN_STATUSES
from enforcement.models import EnforcementCase

NOTIFICATION_KIND = "credit.creditor_listed"


def creditor_cases_of(*, party_id: int, exclude_case_id: int | None = None):
    """The open enforcement cases in which the party is a creditor (the ``CaseParty (party, role)`` index)."""
    cases = EnforcementCase.objects.filter(
        case__party_links__party_id=party_id,
        case__party_links__role=PartyRole.CREDITOR,
        status__in=OPEN_STATUSES,
    ).select_related("case", "officer")
    if exclude_case_id is not None:
        cases = cases.exclude(case_id=exclude_case_id)
    return cases.distinct().order_by("id")


def notify_creditor_listed(sender, *, listing, **kwargs) -> int:
    """Receiver of ``credit.signals.debtor_listed`` (sent after the listing commits): notify each officer of
    an open case where the listed debtor is a creditor, once per case. Returns how many were told."""
    from cases.services import notify_user

    listing_case = listing.enforcement_case.case
    told = 0
    for ec in creditor_cases_of(party_id=listing.debtor_id, exclude_case_id=listing_case.pk):
        if ec.officer is None or not ec.officer.is_active:
            continue
        notify_user(
            user=ec.officer,
            case=ec.case,
            kind=NOTIFICATION_KIND,
            subject=_("Creditor of %(number)s put on the dishonest list") % {"number": ec.case.number},
            body=_(
                "%(name)s, a creditor in case %(number)s, was put on the dishonest list (失信被执行人名单) in case "
                "%(other)s. Consider whether money due to it in this case is reachable by its own creditors."
            )
            % {"name": listing.debtor_name, "number": ec.case.number, "other": listing_case.number},
            link=reverse("enforcement:detail", args=[ec.pk]),
        )
        told += 1
    return told
