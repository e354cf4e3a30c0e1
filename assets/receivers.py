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
