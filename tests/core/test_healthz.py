"""GET /healthz: 200 when the database and the broker answer, 503 otherwise; no login needed."""

import os
import time

import pytest
from django.db import OperationalError

from config.celery import app

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def no_broker(settings):
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def broker(settings):
    """``broker(url)``: tasks go to the broker at ``url`` (Django settings and the Celery app agree)."""
    saved = (app.conf.task_always_eager, app.conf.broker_url)

    def configure(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url
        app.conf.task_always_eager = False
        app.conf.broker_url = url

    yield configure
    app.conf.task_always_eager, app.conf.broker_url = saved


def test_healthz_is_200_with_the_database_up_and_tasks_running_eagerly(client, no_broker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in ("sqlite", "postgresql")
    assert body["broker"] == {
        "ok": True,
        "mode": "eager",
        "detail": "No broker configured: tasks run in the web process.",
    }


def test_healthz_needs_no_login_and_is_never_cached(client, no_broker):
    response = client.get("/healthz")
    assert response.status_code == 200  # not a redirect to the login page
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_check_fails(client, no_broker, monkeypatch):
    monkeypatch.setattr(
        "core.views._check_database", lambda: {"ok": False, "vendor": "postgresql", "error": "connection refused"}
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"]["ok"] is False


def test_the_database_check_reports_the_error_when_the_database_does_not_answer(client, no_broker, monkeypatch):
    class DownConnection:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("core.views.connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {
        "ok": False,
        "vendor": "postgresql",
        "error": "could not connect to server: Connection refused",
    }
    assert response.json()["broker"]["ok"] is True


def test_healthz_is_503_quickly_when_the_configured_broker_is_unreachable(client, broker):
    broker(UNREACHABLE_BROKER)
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["mode"] == "broker"
    assert body["broker"]["error"]
    assert elapsed < 5, f"the health check took {elapsed:.1f}s on a refused connection"


@pytest.mark.redis
def test_healthz_is_200_with_a_reachable_broker(client, broker):
    broker(os.environ["REDIS_URL"])
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "mode": "broker"}


def test_healthz_answers_get_only(client, no_broker):
    assert client.post("/healthz").status_code == 405
