"""Releasing the control measures on an asset when a third-party objection to it is upheld (案外人异议成立).

Connect in ``AssetsConfig.ready()``::

    objection_decided.connect(release_when_objection_upheld, dispatch_uid="assets.release_when_objection_upheld")

``objection_decided`` is sent after the ruling commits. When a third-party objection is upheld the court stops
the enforcement of that property (民诉法 2023 art. 238), so every live measure of the case on the asset whose
release is not already on its way gets a release order (``control_release``) in the deciding actor's name, each
in its own transaction; a refusal of one is logged and the others go on. A dismissed objection changes nothing:
the disposal may go on (the pending-objection check in services/auctions.py no longer applies).
"""

from __future__ import annotations

import logging

from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

RELEASE_REASON = "案外人异议成立"


def release_when_objection_upheld(sender, *, objection, upheld, actor=None, **kwargs) -> list:
    """Send release orders for the live measures on the objection's asset; returns the measures released."""
    from enforcement.choices import ObjectionKind

    if not upheld or objection.kind != ObjectionKind.THIRD_PARTY or not objection.asset_id:
        return []
    from .choices import LIVE_CONTROL_STATUSES
    from .models import ControlMeasure
    from .services import control_release

    measures = ControlMeasure.objects.filter(
        enforcement_case_id=objection.enforcement_case_id,
        asset_id=objection.asset_id,
        status__in=LIVE_CONTROL_STATUSES,
        release_requested_at__isnull=True,
    ).order_by("id")
    if actor is None or not getattr(actor, "pk", None):
        if measures.exists():
            logger.warning("objection %s upheld without an actor: measures left to release", objection.pk)
        return []
    released = []
    for measure in measures:
        try:
            released.append(control_release(actor=actor, measure=measure, reason=RELEASE_REASON))
        except ApplicationError as error:
            logger.warning("measure %s (objection %s) not released: %s", measure.pk, objection.pk, error.message)
    return released
