"""Per-client limits for the pages anyone may open without a login: the verification page of the electronic seal
(``core.views_verify``), the public disclosure pages of credit (``credit.views_public``) and the public
correction form (``credit.views_corrections_public``) each count their clients' requests here, in a bucket of
their own."""

from __future__ import annotations

from django.core.cache import cache

from .authentication import client_ip


def client_key(request) -> str:
    """The client a rate limit counts: its address as the login lockout counts it (``client_ip``: behind
    ``ZHIXING_PROXY_COUNT`` proxies, the address the outermost one saw; else ``REMOTE_ADDR``), so that clients
    behind the proxies do not share one bucket."""
    return client_ip(request) or "unknown"


def rate_exceeded(request, *, bucket: str, limit: int, window: int = 60) -> bool:
    """Count this request in the client's ``bucket``; whether the client has now made more than ``limit`` requests
    in its window. The window opens with the client's first counted request and lasts ``window`` seconds (the
    counter's expiry), so a client gets ``limit`` requests per window wherever the clock stands, never twice
    ``limit`` across a minute boundary as a calendar-minute counter would allow."""
    key = f"{bucket}:{client_key(request)}"
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr: this request opens the next one
        cache.add(key, 1, timeout=window)
        count = 1
    return count > limit
