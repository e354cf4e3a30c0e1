"""Writes of enforcement, one module per aggregate; import them from here.

- ``filing``: ``enforcement_file`` (立案执行);
- ``lifecycle``: ``transition_apply`` and the named steps ``case_suspend``, ``case_resume``, ``case_close``,
  ``case_restore``;
- ``notices``: ``notice_issue`` (执行通知书, 报告财产令);
- ``assignment``: ``case_triage``, ``case_assign``, ``cases_assign_bulk``;
- ``extensions``: ``extension_request``, ``extension_decide``;
- ``settlements``: ``settlement_record``, ``settlement_mark_performed`` (执行和解);
- ``termination``: ``termination_propose``, ``termination_decide``, ``termination_withdraw`` (终本).
"""

from .assignment import case_assign, case_set_track, case_triage, cases_assign_bulk
from .extensions import extension_decide, extension_request
from .filing import enforcement_file
from .lifecycle import case_close, case_restore, case_resume, case_suspend, transition_apply
from .notices import notice_issue

__all__ = [
    "case_assign",
    "case_set_track",
    "case_triage",
    "cases_assign_bulk",
    "extension_decide",
    "extension_request",
    "case_close",
    "case_restore",
    "case_resume",
    "case_suspend",
    "enforcement_file",
    "notice_issue",
    "transition_apply",
]

# The case-fund ledger (案款): ``fund_receive`` (idempotent on reference) and the balance/owed helpers.
from .ledger import fund_balance, fund_owed, fund_receive, fund_received, fund_reverse

__all__ += ["fund_balance", "fund_owed", "fund_receive", "fund_received", "fund_reverse"]

# Settlements (执行和解) and 终本 proposals.
from .settlements import settlement_mark_performed, settlement_record  # noqa: E402
from .termination import termination_decide, termination_propose, termination_withdraw  # noqa: E402

__all__ += [
    "settlement_mark_performed",
    "settlement_record",
    "termination_decide",
    "termination_propose",
    "termination_withdraw",
]

# Distribution of the case fund (清偿顺序, 参与分配), payouts and the case-fund ageing.
from .distribution import (  # noqa: E402
    completion_offered,
    distribution_decide,
    distribution_objection_decide,
    distribution_objection_record,
    distribution_pay,
    distribution_propose,
    fund_ageing,
)

__all__ += [
    "completion_offered",
    "distribution_decide",
    "distribution_objection_decide",
    "distribution_objection_record",
    "distribution_pay",
    "distribution_propose",
    "fund_ageing",
]
