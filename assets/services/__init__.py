"""Writes of 查控, one module per aggregate; import them from here.

- ``queries``: ``query_order`` (an officer's order), ``batch_fan_out`` (one request per agency),
  ``requests_time_out_due`` (time-out and re-issue with backoff);
- ``answers``: ``requests_deliver`` (an agency pulls its requests), ``request_answer`` (exactly-once ingestion).
"""

from .answers import request_answer, requests_deliver
from .queries import batch_fan_out, query_order, requests_time_out_due

__all__ = ["batch_fan_out", "query_order", "request_answer", "requests_deliver", "requests_time_out_due"]
