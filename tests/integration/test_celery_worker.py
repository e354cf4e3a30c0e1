"""A real Celery worker process, consuming from Redis and reading the PostgreSQL test database."""

import time

import pytest

from config.celery import app
from core.models import Court, CourtLevel

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(start_worker):
    """A `celery worker` on a queue of its own, pointed at the test database; yields the queue."""
    return start_worker().queue


def test_a_task_runs_in_a_real_worker_through_redis_and_reads_the_database(worker):
    Court.objects.create(code="最高法", name="最高人民法院", level=CourtLevel.SUPREME)
    Court.objects.create(code="京", name="北京市高级人民法院", level=CourtLevel.HIGH)

    started = time.monotonic()
    result = app.send_task("core.ping", queue=worker)
    answer = result.get(timeout=60)

    assert answer == {"pong": True, "courts": 2}
    assert result.successful()
    assert time.monotonic() - started < 60
