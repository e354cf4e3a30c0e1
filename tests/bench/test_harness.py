"""The benchmark harness (python -m bench): which benchmarks each mode runs, where the figures go (the day's
results file and the README's table), and the officer benchmarks and the load client at work."""

from __future__ import annotations

import asyncio
import json

import pytest

import bench.__main__ as harness
from bench import load, officer_views


@pytest.fixture
def results(monkeypatch):
    monkeypatch.setattr(harness, "RESULTS", [])
    return harness.RESULTS


@pytest.fixture
def bare_urls(monkeypatch):
    """The bare views added to a copy of the project's URLs, taken away afterwards."""
    from django.urls import clear_url_caches

    import config.urls

    monkeypatch.setattr(config.urls, "urlpatterns", list(config.urls.urlpatterns))
    monkeypatch.setattr(officer_views, "_installed", False)
    yield
    monkeypatch.undo()
    clear_url_caches()


def test_the_generated_mode_refuses_the_benchmarks_that_build_their_own_world(capsys):
    with pytest.raises(SystemExit):
        harness.parse_args(["--data", "generated", "--only", "tracking"])
    assert "build their own world: self-built mode only" in capsys.readouterr().err


def test_each_mode_runs_its_own_benchmarks_by_default():
    assert harness.parse_args([]).chosen == list(harness.DEFAULTS["self"])
    generated = harness.parse_args(["--data", "generated"]).chosen
    assert generated == ["enforcement_list", "case_detail", "triage", "public_search", "due_selection", "load"]
    assert harness.parse_args(["--data", "generated", "--only", "load"]).chosen == ["load"]


def test_a_report_goes_to_the_days_results_file_and_the_readme_table(results, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Bench\n\nbefore\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\nafter\n")
    harness.report("some list", [10.0, 12.0, 30.0], [5.0, 6.0, 10.0], "| 3 queries per request", queries=3)
    meta = {
        "run": "generated-1m",
        "finished": "2026-11-27T23:00:00+00:00",
        "database": "postgresql zhixing_bench",
        "cases": "1,000,000 generated enforcement cases",
        "cpus": 2,
        "load_before": 0.1,
        "load_after": 1.5,
    }

    path = harness.write_results(meta, results_dir=tmp_path / "results", readme=readme)

    run = json.loads(path.read_text())["runs"]["generated-1m"]
    assert run["results"] == [
        {
            "name": "some list",
            "p50_ms": 12.0,
            "p95_ms": 30.0,
            "baseline_p50_ms": 6.0,
            "baseline_p95_ms": 10.0,
            "ratio_p50": 2.0,
            "ratio_p95": 3.0,
            "samples": 3,
            "note": "3 queries per request",
            "queries": 3,
        }
    ]
    text = readme.read_text()
    assert "| some list | 12.0 | 30.0 | 6.00 | 10.0 | 2.00× | 3.00× | 3 queries per request |" in text
    assert "load average 0.10 before and 1.50 after" in text
    assert text.startswith("# Bench\n\nbefore\n") and text.endswith("<!-- bench:results:end -->\nafter\n")
    assert "old" not in text


def test_a_partial_run_is_kept_apart_from_the_whole_run_of_its_mode():
    assert harness.run_label("self", mode="self", chosen=list(harness.DEFAULTS["self"])) == "self"
    assert harness.run_label("self", mode="self", chosen=["query_pipeline"]) == "self (query_pipeline)"
    assert harness.run_label("generated-1m", mode="generated", chosen=["load", "triage"]) == (
        "generated-1m (load, triage)"
    )


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_officer_benchmarks_run_on_the_generated_data(generated, results, bare_urls):
    officer = officer_views.busiest_officer()

    officer_views.run_list(officer=officer, rounds=3, timed=harness.timed, report=harness.report)
    officer_views.run_detail(officer=officer, rounds=3, timed=harness.timed, report=harness.report)
    officer_views.run_triage(officer=officer, cases=5, timed=harness.timed, report=harness.report)

    assert [r["name"].split(" (")[0] for r in results] == [
        "enforcement case list API, page of 50 by deadline",
        "case detail page",
        "triage scoring, 5 cases",
    ]
    assert all(r["p50_ms"] > 0 and r["baseline_p50_ms"] > 0 for r in results)
    assert results[0]["queries"] >= 1 and results[1]["queries"] >= 1
    assert results[2]["cases_per_second"] > 0


def test_the_load_client_counts_answers_and_errors():
    """Against a tiny server that answers 200 on /ok and 404 elsewhere, closing each connection."""

    async def scenario():
        async def handle(reader, writer):
            request = await reader.readuntil(b"\r\n\r\n")
            status = b"200 OK" if request.startswith(b"GET /ok ") else b"404 Not Found"
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, load.HOST, 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            good = await load._load(port, "/ok", "", clients=5, seconds=0.3)
            bad = await load._load(port, "/missing", "", clients=2, seconds=0.2)
        return good, bad

    (samples, errors, elapsed), (bad_samples, bad_errors, _elapsed) = asyncio.run(scenario())
    assert samples and errors == 0 and elapsed >= 0.3
    assert not bad_samples and bad_errors > 0
