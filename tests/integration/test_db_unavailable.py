"""PostgreSQL unavailable: pages answer 503 with the ``503.html`` page, the API 503 with
``{"detail": ..., "code": "service.unavailable"}``, /healthz reports the database down, nothing shows a stack trace,
and the next request once the database is back succeeds."""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.core import conftest as core_fixtures

# fixtures
_english, _fast_password_hashing = core_fixtures._english, core_fixtures._fast_password_hashing
court, officer = core_fixtures.court, core_fixtures.officer

MESSAGE = "The database is unavailable at the moment. Please try again in a minute."
PAGE = "/enforcement/"
API = "/api/v1/enforcement-cases/"
PUBLIC = "/public/terminated-cases/"


def _refuse(execute, sql, params, many, context):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@contextmanager
def database_down():
    """Every query on the connection fails as it does when PostgreSQL refuses connections."""
    with connection.execute_wrapper(_refuse):
        yield


@pytest.fixture
def browser(officer):
    """A signed-in officer's browser; an error in a middleware is answered, not re-raised into the test."""
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    return client


def _assert_page_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert MESSAGE in body and "Service unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body


def _assert_api_503(response) -> None:
    assert response.status_code == 503
    body = response.json()
    assert body["detail"] == MESSAGE and body["code"] == "service.unavailable"
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_page_is_503_with_the_message_while_the_session_cannot_be_read(browser):
    with database_down():
        response = browser.get(PAGE)
    _assert_page_503(response)
    assert browser.get(PAGE).status_code == 200


@pytest.mark.django_db
def test_a_public_page_whose_view_queries_the_database_is_503_with_the_message():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(PUBLIC)
    _assert_page_503(response)
    assert client.get(PUBLIC).status_code == 200


@pytest.mark.django_db
def test_the_api_is_503_service_unavailable_in_json_then_answers_again(browser):
    with database_down():
        response = browser.get(API)
    _assert_api_503(response)
    assert browser.get(API).status_code == 200


@pytest.mark.django_db
def test_the_page_is_chinese_by_default(browser, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with database_down():
        response = browser.get(PAGE)
    assert response.status_code == 503
    assert '<html lang="zh-hans">' in response.content.decode()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_refusing_connections_gives_503_everywhere_and_the_next_request_after_it_returns_succeeds(
    officer,
):
    browser = Client(raise_request_exception=False)
    browser.force_login(officer)
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = _closed_port()  # nothing listens there: "Connection refused"
    try:
        _assert_page_503(browser.get(PAGE))
        _assert_api_503(browser.get(API))
        health = Client().get("/healthz")  # a load balancer's probe: no session
        assert health.status_code == 503
        assert health.json()["database"]["ok"] is False
        assert "refused" in health.json()["database"]["error"].lower()
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert browser.get(PAGE).status_code == 200
    assert browser.get(API).status_code == 200
    assert Client().get("/healthz").json()["database"]["ok"] is True


def test_the_api_exception_handler_answers_503_for_a_lost_connection():
    from django.db import InterfaceError

    from core.drf import exception_handler

    for error in (OperationalError("server closed the connection unexpectedly"), InterfaceError("connection closed")):
        response = exception_handler(error, {})
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert response.data == {"detail": MESSAGE, "message": MESSAGE, "code": "service.unavailable", "extra": {}}
