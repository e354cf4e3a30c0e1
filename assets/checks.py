"""What 查控 tells enforcement (registered in ``AssetsConfig.ready()``; reads only): the 终本 checklist whether
the network investigation is exhausted (终本规定 2016 art. 1(3), art. 3); the distribution plan the secured
claims on the property and the order of control among the creditors (解释 2022 art. 514)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cases.choices import PartyRole
from enforcement.checks import DistributionClaimHint, TerminationFact

from .choices import PROPERTY_CATEGORIES, AssetCategory, BatchPurpose, BatchStatus, ControlStatus, RequestStatus
from .models import Asset, ControlMeasure, QueryBatch


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


# -- what 查控 tells the distribution plan (参与分配 / 清偿顺序) ---------------------------------------------------

# Measures that took a place in line on the property: ordered and never refused by the agency.
_HELD_PLACE = (
    ControlStatus.ORDERED,
    ControlStatus.ACTIVE,
    ControlStatus.WAITING,
    ControlStatus.RENEWED,
    ControlStatus.RELEASED,
    ControlStatus.LAPSED,
)


def distribution_claims(enforcement_case) -> list[DistributionClaimHint]:
    """Hints for the officer proposing a distribution of this case's fund (never applied on their own):

    - **secured** (优先受偿): the mortgages the registry reported on the case's controlled property, with the
      mortgagee's name and amount (the mortgagee is usually not a party, so no recipient id);
    - **ordinary**, in the order of control (first frozen, first paid: 解释 2022 art. 514): the same property
      of the debtor — same category and identifier — controlled in any enforcement case, ordered by when each
      case's first measure on it was registered; each such case's creditors with what that case still claims.
    """
    assets = list(
        Asset.objects.filter(case=enforcement_case.case, controls__status__in=_HELD_PLACE).distinct().order_by("pk")
    )
    hints: list[DistributionClaimHint] = []
    first_measure: dict[int, tuple] = {}  # enforcement case pk -> (registered at, source)
    for asset in assets:
        label = asset.description or asset.identifier
        for mortgage in (asset.details or {}).get("mortgages") or []:
            amount = mortgage.get("amount")
            hints.append(
                DistributionClaimHint(
                    kind="secured",
                    recipient=None,
                    amount=Decimal(str(amount)) if amount not in (None, "") else None,
                    source=_("Mortgage on %(asset)s: %(creditor)s")
                    % {"asset": label, "creditor": mortgage.get("creditor", "")},
                )
            )
        same_property = ControlMeasure.objects.filter(
            asset__debtor_id=asset.debtor_id,
            asset__category=asset.category,
            asset__identifier=asset.identifier,
            status__in=_HELD_PLACE,
        ).select_related("enforcement_case__case")
        for measure in same_property.order_by("created_at", "id"):
            key = measure.enforcement_case_id
            if key not in first_measure or measure.created_at < first_measure[key][0]:
                first_measure[key] = (
                    measure.created_at,
                    _("%(measure)s of %(asset)s in %(case)s on %(date)s")
                    % {
                        "measure": measure.get_kind_display(),
                        "asset": label,
                        "case": measure.enforcement_case.case.number,
                        "date": measure.created_at.date().isoformat(),
                    },
                    measure.enforcement_case,
                )
    order = sorted(first_measure.values(), key=lambda item: (item[0], item[2].pk))
    for position, (_at, source, case) in enumerate(order, start=1):
        outstanding = max(case.case.amount - case.performed_amount, Decimal("0.00"))
        creditor_ids = (
            case.case.party_links.filter(role=PartyRole.CREDITOR).order_by("id").values_list("party_id", flat=True)
        )
        for party_id in creditor_ids:
            hints.append(
                DistributionClaimHint(
                    kind="ordinary",
                    recipient=party_id,
                    control_position=position,
                    amount=outstanding,
                    source=source,
                )
            )
    return hints


def asset_facts(asset_id: int):
    """What enforcement needs of an asset for a third-party objection (registered with enforcement.checks)."""
    from enforcement.checks import AssetFacts

    from .choices import AuctionStatus
    from .models import Auction, InKindSettlement

    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        return None
    disposed = (
        Auction.objects.filter(asset_id=asset_id, status=AuctionStatus.SOLD).exists()
        or InKindSettlement.objects.filter(asset_id=asset_id).exists()
    )
    label = f"{asset.get_category_display()} {asset.identifier}"
    if asset.description:
        label = f"{label} ({asset.description})"
    return AssetFacts(case_id=asset.case_id, label=label[:200], disposed=disposed)
