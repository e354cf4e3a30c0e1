"""Suite-wide fixtures. Tests run on SQLite with nothing set, and on PostgreSQL + Redis when DATABASE_URL and
REDIS_URL are set (CI sets them). Tests marked ``postgres`` or ``redis`` skip, saying why, without them."""

import os

import pytest
from django.db import connection

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _tasks_run_eagerly(settings):
    """Unit tests run Celery tasks in-process; tests/integration starts a real worker instead."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Generated documents (.docx notices) go to a folder of the test's own, never into the work tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(config, items):
    """Skip, with the reason, what this machine cannot run; under .ci/run (ZHIXING_REQUIRE_SERVICES=1)
    nothing is skipped, so a missing service fails the run instead of hiding it."""
    if os.environ.get("ZHIXING_REQUIRE_SERVICES") == "1":
        return
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    has_redis = bool(os.environ.get("REDIS_URL"))
    has_browser = os.path.exists(CHROMIUM)
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (.ci/run does)"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL (.ci/run does)"))
        if "browser" in item.keywords and not has_browser:
            item.add_marker(pytest.mark.skip(reason=f"needs {CHROMIUM} (apt-get install chromium; .ci/run does)"))


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"
