"""Throughput under concurrent load: gunicorn with 2 sync workers on loopback, 50 clients (asyncio, one
connection per request, as gunicorn's sync workers close each one) for a fixed time against the officer's
enforcement case list API (logged in, page of 50 by deadline), and in the same run the same load against the
bare DRF view returning the same 50 rows from ``.values()`` (``bench.officer_views``, served by ``bench.wsgi``)
and against ``/healthz`` (the trivial view: a ``SELECT 1`` and the broker ping, no session). Reported: latency
p50/p95 and requests per second of each, with the list's share of the bare view's throughput (the target: at
least half) and of the trivial view's.

The client runs on the same machine as the server (2 cores here): the figures are the machine's, client
included. PostgreSQL only (the server process must reach the same database; an in-memory SQLite test
database cannot be shared): on SQLite it says so and skips.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_gunicorn(port: int, workers: int = 2) -> tuple[subprocess.Popen, Path]:
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the session cookie made here must verify there
        "DJANGO_ALLOWED_HOSTS": HOST,
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--workers", str(workers),
         "--bind", f"{HOST}:{port}", "--log-level", "warning", "--backlog", "2048"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}):\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, log
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text()[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _request(port: int, path: str, cookie: str) -> tuple[float, int]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    headers = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\nAccept: application/json\r\n"
    if cookie:
        headers += f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}\r\n"
    writer.write((headers + "\r\n").encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12]) if len(data) >= 12 else 0
    return (time.perf_counter() - started) * 1000, status


async def _load(port: int, path: str, cookie: str, clients: int, seconds: float) -> tuple[list[float], int, float]:
    samples: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def client() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            try:
                ms, status = await _request(port, path, cookie)
            except OSError:
                errors += 1
                continue
            if status == 200:
                samples.append(ms)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return samples, errors, time.perf_counter() - started


def measure(port: int, path: str, cookie: str, clients: int, seconds: float) -> tuple[list[float], int, float]:
    asyncio.run(_load(port, path, cookie, clients, min(2.0, seconds)))  # warm up both workers
    samples, errors, elapsed = asyncio.run(_load(port, path, cookie, clients, seconds))
    return samples, errors, len(samples) / elapsed


def run(*, officer, clients: int, seconds: float, report) -> None:
    if connection.vendor != "postgresql":
        print("concurrent load: skipped (PostgreSQL only; set DATABASE_URL=postgres://... or use --data generated)")
        return
    from bench.officer_views import BARE_LIST_URL, LIST_URL

    client = Client()
    client.force_login(officer)  # a session row in the database, which the server reads
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = free_port()
    process, log = start_gunicorn(port)
    try:
        listed, list_errors, list_rate = measure(port, LIST_URL, cookie, clients, seconds)
        bare, bare_errors, bare_rate = measure(port, BARE_LIST_URL, cookie, clients, seconds)
        trivial, trivial_errors, trivial_rate = measure(port, "/healthz", "", clients, seconds)
    finally:
        stop(process)
        log.unlink(missing_ok=True)
    if not listed or not bare or not trivial:
        raise SystemExit(
            f"the load run got no answers (errors: list {list_errors}, bare {bare_errors}, /healthz {trivial_errors})"
        )
    share, trivial_share = list_rate / bare_rate, list_rate / trivial_rate
    report(
        f"case list API under load, {clients} clients, gunicorn 2 workers (vs bare .values() view)",
        listed,
        bare,
        f"| {list_rate:,.1f} req/s vs {bare_rate:,.1f} req/s ({share:.0%}); /healthz {trivial_rate:,.1f} req/s "
        f"(list {trivial_share:.0%} of it); errors {list_errors}/{bare_errors}/{trivial_errors}",
        requests_per_second=round(list_rate, 1),
        baseline_requests_per_second=round(bare_rate, 1),
        throughput_share=round(share, 3),
        trivial_requests_per_second=round(trivial_rate, 1),
        trivial_throughput_share=round(trivial_share, 3),
        errors=list_errors + bare_errors + trivial_errors,
    )
