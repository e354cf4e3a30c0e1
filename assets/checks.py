"""What 查控 tells the 终本 checklist (``enforcement.checks.register_termination_fact_provider``, registered in
``AssetsConfig.ready()``): whether the network investigation is exhausted (终本规定 2016 art. 1(3), art. 3).
Reads only."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cases.choices import PartyRole
from enforcement.checks import TerminationFact

from .choices import PROPERTY_CATEGORIES, AssetCategory, BatchPurpose, BatchStatus, RequestStatus
from .models import Asset, QueryBatch


def _full_batch(enforcement_case) -> QueryBatch | None:
    """The latest completed case batch that asked every category about every debtor of the case."""
    debtors = set(enforcement_case.case.party_links.filter(role=PartyRole.DEBTOR).values_list("party_id", flat=True))
    every = set(AssetCategory.values)
    batches = (
        QueryBatch.objects.filter(
            enforcement_case=enforcement_case, purpose=BatchPurpose.CASE, status=BatchStatus.COMPLETE
        )
        .prefetch_related("debtors", "requests__agency")
        .order_by("-created_at", "-id")
    )
    for batch in batches:
        if every <= set(batch.categories) and debtors <= {d.pk for d in batch.debtors.all()}:
            return batch
    return None


def network_query_fact(enforcement_case) -> list[TerminationFact]:
    batch = _full_batch(enforcement_case)
    if batch is None:
        return [
            TerminationFact(
                code="network_query",
                met=False,
                message=_(
                    "No network query over every asset category has completed for every debtor "
                    "(终本规定 art. 1(3), art. 3)."
                ),
            )
        ]
    answered = set()
    for request in batch.requests.all():
        if request.status == RequestStatus.ANSWERED:
            answered |= set(request.agency.categories)
    unreached = sorted(set(batch.categories) - answered)
    assets = Asset.objects.filter(case=enforcement_case.case, category__in=PROPERTY_CATEGORIES).order_by("pk")
    found = [
        {
            "category": a.category,
            "identifier": a.identifier,
            "description": a.description,
            "value": str(a.value) if a.value is not None else None,
        }
        for a in assets
    ]
    total = sum((a.value or Decimal(0) for a in assets), Decimal(0))
    completed = max((r.answered_at for r in batch.requests.all() if r.answered_at), default=batch.sent_at)
    return [
        TerminationFact(
            code="network_query",
            met=True,
            message=_("Network query #%(batch)s over every category completed.") % {"batch": batch.pk},
            details={
                "batch": batch.pk,
                "completed_at": completed.isoformat() if completed else None,
                "unreached_categories": unreached,
                "unreached_labels": [str(AssetCategory(c).label) for c in unreached],
                "property": found,
                "property_value": str(total),
            },
        )
    ]
