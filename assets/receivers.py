"""How assets reacts to enforcement's domain events (enforcement cannot import assets: architecture.md)."""

from __future__ import annotations

import logging

from django.conf import settings

from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


def query_when_notified(sender, *, enforcement_case, transition, actor, **kwargs) -> None:
    """Once the 执行通知书 and 报告财产令 are served (the case becomes *notified*), the network asset query
    over every category starts by itself, ordered in the name of the officer who served them (issue 4:
    "an officer — or triage, automatically after the notices — orders a query"). Runs after the commit of
    the step, in a transaction of its own: a refusal (no agency serves the court, the officer may not
    query) is logged and leaves the case as it is; the officer can still order the query by hand."""
    if transition != "notify" or not getattr(settings, "ZHIXING_AUTO_QUERY_AFTER_NOTICES", True):
        return
    from .services import query_order

    try:
        query_order(actor=actor, enforcement_case=enforcement_case)
    except ApplicationError as error:
        logger.warning("automatic asset query for %s not ordered: %s", enforcement_case, error.message)


def track_when_terminated(sender, *, enforcement_case, kind, **kwargs) -> None:
    """A case closed as 终本 starts its post-termination tracking (终本规定 2016 art. 9). Runs after the commit
    of the closing, in a transaction of its own; a refusal is logged and leaves the case as it is."""
    from enforcement.choices import ClosingKind

    if kind != ClosingKind.TERMINATED_THIS_ROUND:
        return
    from .services import tracking_start

    try:
        tracking_start(enforcement_case=enforcement_case, on=enforcement_case.closed_on)
    except ApplicationError as error:
        logger.warning("tracking of %s not started: %s", enforcement_case, error.message)


def carry_over_when_restored(sender, *, enforcement_case, restored_from, actor=None, **kwargs) -> None:
    """A 终本 case restored as a new 执恢 case: its tracking ends, its assets are copied to the new case and its
    live control measures move there (终本规定 2016 art. 15)."""
    from .services import tracking_case_restored

    tracking_case_restored(enforcement_case=enforcement_case, restored_from=restored_from, actor=actor)


def lead_received(sender, *, enforcement_case, on, **kwargs) -> None:
    """The applicant supplied a property lead: tracking records it (失信规定 art. 10(4) no longer applies)."""
    from .services import tracking_lead_received

    tracking_lead_received(enforcement_case=enforcement_case, on=on)
