"""Releasing the remaining control measures of a case closed as fully performed (执行完毕).

Connect in ``AssetsConfig.ready()``::

    from .receivers_completion import release_when_completed
    case_closed.connect(release_when_completed, dispatch_uid="assets.release_when_completed")

``case_closed`` is sent after the closing commits; every live measure (ordered, in force or waiting in line)
of the case whose release is not already on its way gets a release order (``control_release``), each in its
own transaction, so a refusal of one (logged) leaves the others going. Without an actor (a system closing)
nothing is released here: the officer releases from the case page.
"""

from __future__ import annotations

import logging

from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


def release_when_completed(sender, *, enforcement_case, kind, actor=None, **kwargs) -> list:
    """Send release orders for the live measures of a case closed as 执行完毕; returns the measures released."""
    from enforcement.choices import ClosingKind

    if kind != ClosingKind.COMPLETED:
        return []
    from .choices import LIVE_CONTROL_STATUSES
    from .models import ControlMeasure
    from .services import control_release

    measures = ControlMeasure.objects.filter(
        enforcement_case=enforcement_case, status__in=LIVE_CONTROL_STATUSES, release_requested_at__isnull=True
    ).order_by("id")
    if actor is None or not getattr(actor, "pk", None):
        if measures.exists():
            logger.warning("case %s closed as completed without an actor: measures left to release", enforcement_case)
        return []
    released = []
    for measure in measures:
        try:
            released.append(control_release(actor=actor, measure=measure, reason="执行完毕 (case fully performed)"))
        except ApplicationError as error:
            logger.warning("measure %s of %s not released: %s", measure.pk, enforcement_case, error.message)
    return released
