"""The Celery app's configuration: queues routed as the architecture says, periodic jobs that exist."""

from config.celery import app


def test_every_periodic_job_names_a_task_that_exists():
    app.loader.import_default_modules()
    assert app.conf.beat_schedule
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"{name} names an unknown task {entry['task']}"


def test_asset_queries_run_on_the_queries_queue():
    router = app.amqp.router
    route = router.route({}, "assets.tasks.query_fan_out", args=(), kwargs={})
    assert route["queue"].name == "queries"
