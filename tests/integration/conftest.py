"""The real Celery worker the integration tests share: a `celery worker` process pointed at the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database (the one pytest-django created), as a ``DATABASE_URL`` for a child process."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass(frozen=True)
class Worker:
    queue: str  # the queue(s) it consumes, comma-separated as for ``-Q``
    process: subprocess.Popen  # stdout and stderr piped together, as text


@pytest.fixture
def start_worker(settings) -> Iterator[Callable[..., Worker]]:
    """``start_worker(queues=None, *, pool="solo", concurrency=None, env=None)``: a `celery worker` process
    consuming ``queues`` (a queue of its own when None) from the broker, pointed at the test database with
    ``env`` added to its environment; tasks sent from the test go to the broker, not run eagerly. Every worker
    started is stopped afterwards."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    started: list[subprocess.Popen] = []

    def start(
        queues: str | None = None, *, pool: str = "solo", concurrency: int | None = None, env: dict | None = None
    ) -> Worker:
        queue = queues or f"test-{uuid.uuid4().hex[:8]}"
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or os.environ["REDIS_URL"],
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **(env or {}),
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", pool, "-Q", queue]
        command += ["-c", str(concurrency)] if concurrency else []
        command += ["-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["-n", f"{queue.replace(',', '-')}-{uuid.uuid4().hex[:6]}@%h"]
        process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        started.append(process)
        return Worker(queue=queue, process=process)

    try:
        yield start
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        app.conf.task_always_eager = True
