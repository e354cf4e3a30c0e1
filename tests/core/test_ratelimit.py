"""The per-client limit of the public pages (core.ratelimit): a window opens with a client's first request and
lasts its length, whatever minute the clock shows."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core.ratelimit import rate_exceeded


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(address, **meta):
    return RequestFactory().get("/verify/", REMOTE_ADDR=address, **meta)


def test_a_client_gets_its_limit_and_then_is_refused():
    answers = [rate_exceeded(request_from("10.0.0.1"), bucket="b", limit=3) for _ in range(5)]
    assert answers == [False, False, False, True, True]


def test_each_client_and_each_bucket_counts_on_its_own():
    for _ in range(2):
        rate_exceeded(request_from("10.0.0.1"), bucket="b", limit=1)
    assert rate_exceeded(request_from("10.0.0.2"), bucket="b", limit=1) is False
    assert rate_exceeded(request_from("10.0.0.1"), bucket="other", limit=1) is False


def test_the_window_is_the_life_of_the_clients_counter_not_the_calendar_minute(monkeypatch):
    opened = {}
    real_add = cache.add

    def add(key, value, timeout):
        opened[key] = timeout
        return real_add(key, value, timeout=timeout)

    monkeypatch.setattr(cache, "add", add)
    rate_exceeded(request_from("10.0.0.1"), bucket="corrections", limit=5, window=3600)
    assert opened == {"corrections:10.0.0.1": 3600}


def test_a_window_that_expired_between_count_and_add_opens_the_next_one(monkeypatch):
    rate_exceeded(request_from("10.0.0.1"), bucket="b", limit=1)

    def gone(key, delta=1):
        cache.delete(key)
        raise ValueError(key)

    monkeypatch.setattr(cache, "incr", gone)
    assert rate_exceeded(request_from("10.0.0.1"), bucket="b", limit=1) is False


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.ZHIXING_PROXY_COUNT = 1
    first = request_from("10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = request_from("10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert rate_exceeded(first, bucket="b", limit=1) is False
    assert rate_exceeded(second, bucket="b", limit=1) is False
    assert rate_exceeded(first, bucket="b", limit=1) is True
