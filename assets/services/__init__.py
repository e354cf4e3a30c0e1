"""Writes of 查控, one module per aggregate; import them from here.

- ``queries``: ``query_order`` (an officer's order), ``batch_fan_out`` (one request per agency),
  ``requests_time_out_due`` (time-out and re-issue with backoff);
- ``answers``: ``requests_deliver`` (an agency pulls its requests), ``request_answer`` (exactly-once ingestion),
  ``answer_accept`` and ``answers_drain`` (the same, by a worker, for many answers at once);
- ``controls``: ``control_order``, ``control_confirm`` (the agency's answer to a control order),
  ``control_release``, ``control_renew``, ``control_deduct``, ``controls_lapse_due``, ``deduction_approve`` and
  ``deduction_decline`` (a division head's decision on a deduction above the approval threshold);
- ``reminders``: ``reminders_record_due`` (expiry reminders at 30 and 7 days);
- ``tracking``: post-termination tracking of 终本 cases (``tracking_start``, ``tracking_dispatch_due`` the
  periodic job, ``tracking_evaluate`` when a tracking batch completes, ``tracking_case_restored``,
  ``tracking_lead_received``).
"""

from .answers import answer_accept, answers_drain, request_answer, requests_deliver
from .controls import (
    control_confirm,
    control_deduct,
    control_order,
    control_release,
    control_release_by_law,
    control_renew,
    controls_lapse_due,
    deduction_approve,
    deduction_decline,
)
from .pricing import (
    price_appraisal_commission,
    price_appraisal_extend,
    price_appraisal_objection,
    price_appraisal_report,
    price_current,
    price_directed,
    price_inquiries_due,
    price_inquiry_close_round,
    price_inquiry_send,
    price_inquiry_settle,
    price_negotiated,
    price_objection,
    price_objection_reject,
    price_quote_answer,
    price_start,
)
from .queries import batch_fan_out, batches_stale, query_order, requests_time_out_due
from .reminders import reminders_record_due
from .tracking import (
    tracking_case_restored,
    tracking_dispatch_due,
    tracking_evaluate,
    tracking_lead_received,
    tracking_start,
)

__all__ = [
    # reference price (参考价)
    "price_appraisal_commission",
    "price_appraisal_extend",
    "price_appraisal_objection",
    "price_appraisal_report",
    "price_current",
    "price_directed",
    "price_inquiries_due",
    "price_inquiry_close_round",
    "price_inquiry_send",
    "price_inquiry_settle",
    "price_negotiated",
    "price_objection",
    "price_objection_reject",
    "price_quote_answer",
    "price_start",
    "batch_fan_out",
    "batches_stale",
    "control_confirm",
    "control_deduct",
    "control_order",
    "control_release",
    "control_release_by_law",
    "control_renew",
    "controls_lapse_due",
    "deduction_approve",
    "deduction_decline",
    "query_order",
    "reminders_record_due",
    "answer_accept",
    "answers_drain",
    "request_answer",
    "requests_deliver",
    "requests_time_out_due",
    "tracking_case_restored",
    "tracking_dispatch_due",
    "tracking_evaluate",
    "tracking_lead_received",
    "tracking_start",
]

# Disposal (issue 7, items 2–3): online auctions, second round, sale (变卖), settlement in kind (以物抵债).
from .auctions import (
    auction_announce,
    auction_bid,
    auction_close,
    auction_default,
    auction_second_round,
    auction_suspend,
    auction_withdraw,
    auctions_close_due,
    disposal_timeline,
    in_kind_settlement_record,
    sale_start,
)

__all__ += [
    "auction_announce",
    "auction_bid",
    "auction_close",
    "auction_default",
    "auction_second_round",
    "auction_suspend",
    "auction_withdraw",
    "auctions_close_due",
    "disposal_timeline",
    "in_kind_settlement_record",
    "sale_start",
]
