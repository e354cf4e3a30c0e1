"""Per-client, per-minute limits for the public pages (no login): the verification page of the electronic seal
(``core.views_verify``) and the public disclosure pages of credit (``credit.views_public``) count their
look-ups here, each in its own bucket."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from .authentication import client_ip


def client_key(request) -> str:
    """The client a rate limit counts: its address as the login lockout counts it (``client_ip``: behind
    ``ZHIXING_PROXY_COUNT`` proxies, the address the outermost one saw; else ``REMOTE_ADDR``), so that clients
    behind the proxies do not share one bucket."""
    return client_ip(request) or "unknown"


def minute_rate_exceeded(request, *, bucket: str, limit: int) -> bool:
    """Count this request in the client's ``bucket`` for the current minute; whether it is over ``limit``."""
    minute = int(timezone.now().timestamp() // 60)
    key = f"{bucket}:{client_key(request)}:{minute}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    return count > limit
