"""Every response carries a request id: the caller's X-Request-ID when well-formed, else a fresh one."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_a_well_formed_request_id_is_echoed_back(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.2_x"})
    assert response["X-Request-ID"] == "lb-7f3a.2_x"


@pytest.mark.parametrize("incoming", ["", "has spaces", "<script>", "x" * 65, "换行\n"])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_fresh_one(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming} if incoming else {})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_two_requests_without_an_id_get_different_ids(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]
