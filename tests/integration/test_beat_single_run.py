"""Beat never double-schedules a periodic job: every job of the beat schedule is guarded by ``core.tasks.single_run``,
so that two beats, a redelivered message or a restarted beat do the work of one period once."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.core.cache import cache, caches

import core.tasks
from config.celery import app
from core.tasks import SKIPPED, period_key, single_run


def _period_of(schedule) -> int:
    """The seconds between two runs of a beat entry (an hourly or a daily crontab, or an interval)."""
    if isinstance(schedule, crontab):
        return 60 * 60 if len(schedule.hour) == 24 else 24 * 60 * 60
    return int(schedule)


def test_every_periodic_job_is_guarded_for_one_run_per_period_of_its_schedule():
    app.loader.import_default_modules()
    guards = {}
    for entry in app.conf.beat_schedule.values():
        run = app.tasks[entry["task"]].run
        guard = getattr(run, "single_run", None)
        guards[entry["task"]] = guard and guard["period"] == _period_of(entry["schedule"])
    assert guards and all(guards.values()), {name: ok for name, ok in guards.items() if not ok}


@pytest.fixture
def guarded(monkeypatch):
    """Runs count as taken from the broker; a fresh key per test; ``work`` counts the real runs."""
    monkeypatch.setattr(core.tasks, "_from_a_message", lambda: True)
    calls: list[int] = []
    name = f"test.job.{uuid.uuid4().hex[:8]}"

    def make(*, sleep: float = 0.0, fail: bool = False, period: int = 60):
        @single_run(period, name=name)
        def job() -> int:
            calls.append(1)
            time.sleep(sleep)
            if fail:
                raise RuntimeError("the job failed")
            return len(calls)

        return job

    yield make, calls
    for suffix in ("done", "lock"):
        for period in (60, 24 * 60 * 60):
            cache.delete(f"single-run:{name}:{period}:{period_key(period)}:{suffix}")


def _at_once(job, n: int = 2) -> list:
    barrier = threading.Barrier(n)
    results: list = []

    def run() -> None:
        barrier.wait(timeout=10)
        results.append(job())

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_runs_of_the_same_period_at_once_do_the_work_once(guarded):
    make, calls = guarded
    results = _at_once(make(sleep=0.3))
    assert len(calls) == 1
    assert sorted(results, key=str) == [1, SKIPPED]


def test_a_message_arriving_after_the_period_was_done_does_nothing(guarded):
    make, calls = guarded
    job = make()
    assert job() == 1
    assert job() is SKIPPED
    assert len(calls) == 1


def test_the_next_period_runs_again(guarded, monkeypatch):
    make, calls = guarded
    job = make()
    job()
    later = time.time() + 60
    monkeypatch.setattr(core.tasks.time, "time", lambda: later)
    assert job() == 2


def test_a_failed_run_leaves_the_period_open_for_a_retry(guarded):
    make, calls = guarded
    with pytest.raises(RuntimeError):
        make(fail=True)()
    assert make()() == 2


def test_with_the_cache_unreachable_the_job_runs_unguarded_rather_than_not_at_all(guarded, monkeypatch):
    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    make, calls = guarded
    monkeypatch.setattr(core.tasks, "cache", Down())
    assert make()() == 1


def test_a_direct_call_or_an_eager_run_is_never_skipped():
    calls = []

    @single_run(60, name=f"test.direct.{uuid.uuid4().hex[:8]}")
    def job() -> int:
        calls.append(1)
        return len(calls)

    assert [job(), job()] == [1, 2]


def test_the_slots_of_a_daily_job_are_local_days():
    # 2026-11-27 23:59 and 2026-11-28 00:01 Asia/Shanghai are two slots; 00:01 and 23:59 of the 28th one.
    def shanghai(day: int, hour: int, minute: int) -> float:
        return dt.datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()

    day = 24 * 60 * 60
    assert period_key(day, now=shanghai(27, 23, 59)) + 1 == period_key(day, now=shanghai(28, 0, 1))
    assert period_key(day, now=shanghai(28, 0, 1)) == period_key(day, now=shanghai(28, 23, 59))


@pytest.mark.redis
def test_threads_sharing_the_redis_lock_do_the_work_once(guarded):
    assert "redis" in type(caches["default"]).__module__, "REDIS_URL sets the Redis cache"
    make, calls = guarded
    results = _at_once(make(sleep=0.3), n=4)
    assert len(calls) == 1 and results.count(SKIPPED) == 3


# ---- through a real worker ---------------------------------------------------------------------------------------


@pytest.fixture
def threaded_worker(start_worker):
    """A `celery worker -P threads -c 2` on a queue of its own: two messages can run at the same moment."""
    return start_worker(pool="threads", concurrency=2).queue


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_sending_the_daily_job_to_a_real_worker_run_it_once(threaded_worker):
    name, day = "enforcement.tasks.rewards_expire_due", 24 * 60 * 60
    base = f"single-run:enforcement.tasks_rewards.rewards_expire_due:{day}:{period_key(day)}"
    cache.delete_many([f"{base}:done", f"{base}:lock"])  # a run of an earlier test today
    try:
        sent = [app.send_task(name, queue=threaded_worker) for _beat in range(2)]
        results = [result.get(timeout=60) for result in sent]
        assert sorted(results, key=str) == [0, SKIPPED]  # one run (nothing due), one skipped
        assert app.send_task(name, queue=threaded_worker).get(timeout=60) is SKIPPED  # a redelivery later today
    finally:
        cache.delete_many([f"{base}:done", f"{base}:lock"])
