"""Run the benchmarks: in a throwaway database each builds its own world in (created and dropped here, never
the app's own), or on the generated national-size data set (``--data generated``).

    make bench                       # SQLite, or the server in DATABASE_URL
    make bench BENCH_ARGS="--cases 20000 --rounds 200"
    make bench BENCH_ARGS="--only query_pipeline --debtors 200 --batches 5"
    make bench BENCH_ARGS="--only tracking --tracking-plans 1000000"   # PostgreSQL only
    make bench BENCH_ARGS="--only credit_search --credit-listings 1000000"   # PostgreSQL only
    make bench-data SCALE=1m && make bench BENCH_ARGS="--data generated"   # the data set in zhixing_bench

Each benchmark prints p50/p95 of the measured path and of a baseline doing the least possible work for the
same answer, measured in the same run, and their ratio, so figures compare across machines. The figures go to
``bench/results/<date>.json`` and, as a table, into ``bench/README.md``.

Self-built mode (the default): ``case_list``, ``query_pipeline``, ``tracking`` and ``credit_search`` build their
own worlds; then (PostgreSQL only) a small data set is generated into the throwaway database
(``--generated-cases``) for ``enforcement_list``, ``case_detail``, ``triage`` and ``load``.
Generated mode: the benchmarks that read — ``enforcement_list``, ``case_detail``, ``triage``,
``public_search``, ``due_selection``, ``load`` — on the database of BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/zhixing_bench), generating the default scale (10k) first if it holds no case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SELF_BUILT = ("case_list", "query_pipeline", "tracking", "credit_search")
ON_DATA = ("enforcement_list", "case_detail", "triage", "public_search", "due_selection", "load")
DEFAULTS = {
    "self": (*SELF_BUILT, "enforcement_list", "case_detail", "triage", "load"),
    "generated": ON_DATA,
}
README_START = "<!-- bench:results:start -->"
README_END = "<!-- bench:results:end -->"
RESULTS: list[dict] = []


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(fn, rounds: int) -> list[float]:
    fn()  # warm up caches and connections
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name: str, measured: list[float], baseline: list[float], extra: str = "", **figures) -> None:
    p50, p95 = statistics.median(measured), percentile(measured, 0.95)
    b50, b95 = statistics.median(baseline), percentile(baseline, 0.95)
    print(
        f"{name:<44} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms | baseline p50 {b50:7.2f} ms  p95 {b95:7.2f} ms"
        f" | ratio p50 {p50 / b50:5.2f}x  p95 {p95 / b95:5.2f}x {extra}",
        flush=True,
    )
    RESULTS.append(
        {
            "name": name,
            "p50_ms": round(p50, 3),
            "p95_ms": round(p95, 3),
            "baseline_p50_ms": round(b50, 3),
            "baseline_p95_ms": round(b95, 3),
            "ratio_p50": round(p50 / b50, 3),
            "ratio_p95": round(p95 / b95, 3),
            "samples": len(measured),
            "note": extra.strip().lstrip("|").strip(),
            **figures,
        }
    )


def write_results(meta: dict, results_dir: Path = HERE / "results", readme: Path = HERE / "README.md") -> Path:
    """Today's results file (one entry per run kind, the latest run of the kind) and the README's tables: one per
    kind, so that a run of one kind leaves the others' figures of record in place."""
    results_dir.mkdir(exist_ok=True)
    path = results_dir / f"{dt.date.today().isoformat()}.json"
    data = json.loads(path.read_text()) if path.exists() else {"runs": {}}
    data["runs"][meta["run"]] = {**meta, "results": RESULTS}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    if readme.exists():
        text = readme.read_text()
        if README_START in text and README_END in text:
            before, rest = text.split(README_START, 1)
            after = rest.split(README_END, 1)[1]
            tables = "\n".join(results_table(run, run["results"]) for run in data["runs"].values())
            readme.write_text(before + README_START + "\n" + tables + README_END + after)
    return path


def run_label(run: str, *, mode: str, chosen: list[str]) -> str:
    """The run's key in the day's results and its README table: the mode's whole run under its own name, a chosen
    few under a name of their own, so that a partial run leaves the whole run's figures of record in place."""
    return run if list(chosen) == list(DEFAULTS[mode]) else f"{run} ({', '.join(chosen)})"


def results_table(meta: dict, results: list[dict]) -> str:
    def ms(value: float) -> str:
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"

    lines = [
        f"Last run: {meta['finished']} — {meta['run']} on {meta['database']} ({meta['cases']}); "
        f"{meta['cpus']} CPUs, load average {meta['load_before']:.2f} before and {meta['load_after']:.2f} after "
        "(figures taken while other work ran on the machine are not the machine's figures).",
        "",
        "| benchmark | p50 ms | p95 ms | baseline p50 ms | baseline p95 ms | ratio p50 | ratio p95 | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        note = r["note"].replace("|", "·")
        lines.append(
            f"| {r['name']} | {ms(r['p50_ms'])} | {ms(r['p95_ms'])} | {ms(r['baseline_p50_ms'])} | "
            f"{ms(r['baseline_p95_ms'])} | {r['ratio_p50']:.2f}× | {r['ratio_p95']:.2f}× | {note} |"
        )
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--data",
        choices=("self", "generated"),
        default="self",
        help="self: each benchmark builds its world in a throwaway database; generated: the zhixing_bench data set",
    )
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--debtors", type=int, default=200, help="debtors per query batch (query_pipeline)")
    parser.add_argument("--batches", type=int, default=5, help="measured batches (query_pipeline)")
    parser.add_argument(
        "--tracking-plans", type=int, default=1_000_000, help="tracking plans in all at the large size (tracking)"
    )
    parser.add_argument("--tracking-due", type=int, default=500, help="tracking plans due (tracking)")
    parser.add_argument(
        "--credit-listings", type=int, default=1_000_000, help="dishonest listings at the large size (credit_search)"
    )
    parser.add_argument(
        "--generated-cases", type=int, default=2000, help="self-built mode: cases generated for the officer benchmarks"
    )
    parser.add_argument("--triage-cases", type=int, default=200, help="cases scored (triage)")
    parser.add_argument("--load-clients", type=int, default=50, help="concurrent clients (load)")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="seconds of load per endpoint (load)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated benchmarks: " + ", ".join((*SELF_BUILT, *ON_DATA)) + " (default: all of the mode)",
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(DEFAULTS[args.data])
    unknown = set(chosen) - set(SELF_BUILT) - set(ON_DATA)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    if args.data == "generated" and set(chosen) & set(SELF_BUILT):
        parser.error(f"{', '.join(sorted(set(chosen) & set(SELF_BUILT)))} build their own world: self-built mode only")
    args.chosen = chosen
    return args


def run_on_data(args, chosen: list[str]) -> None:
    """The benchmarks that read the data set in the current database."""
    from bench import officer_views

    officer = officer_views.busiest_officer()
    print(f"officer {officer.username} of {officer.court.code} {officer.court.name}", flush=True)
    if "enforcement_list" in chosen:
        officer_views.run_list(officer=officer, rounds=args.rounds, timed=timed, report=report)
    if "case_detail" in chosen:
        officer_views.run_detail(officer=officer, rounds=args.rounds, timed=timed, report=report)
    if "triage" in chosen:
        officer_views.run_triage(officer=officer, cases=args.triage_cases, timed=timed, report=report)
    if "public_search" in chosen:
        from bench import public_search

        public_search.run(rounds=args.rounds, timed=timed, report=report)
    if "due_selection" in chosen:
        from bench import due_selection

        due_selection.run(rounds=args.rounds, timed=timed, report=report)
    if "load" in chosen:
        from bench import load

        load.run(officer=officer, clients=args.load_clients, seconds=args.load_seconds, report=report)


def run_self_built(args, chosen: list[str]) -> tuple[str, int]:
    from django.core.management import call_command
    from django.db import connection

    if "case_list" in chosen:
        from bench import case_list

        case_list.run(cases=args.cases, rounds=args.rounds, timed=timed, report=report)
    if "query_pipeline" in chosen:
        from bench import query_pipeline

        call_command("flush", interactive=False, verbosity=0)  # each benchmark builds its own world
        query_pipeline.run(debtors=args.debtors, rounds=args.batches, report=report)
    if "tracking" in chosen:
        from bench import tracking

        call_command("flush", interactive=False, verbosity=0)
        tracking.run(plans=args.tracking_plans, due=args.tracking_due, rounds=args.rounds, timed=timed, report=report)
    if "credit_search" in chosen:
        from bench import credit_search

        call_command("flush", interactive=False, verbosity=0)
        credit_search.run(listings=args.credit_listings, rounds=args.rounds, timed=timed, report=report)
    on_data = [name for name in chosen if name in ON_DATA]
    if not on_data:
        return "", 0
    if connection.vendor != "postgresql":
        print(f"{', '.join(on_data)}: skipped (they run on a generated data set, written with PostgreSQL's COPY)")
        return "", 0
    import io

    from bench.generate import generate

    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    generated = generate(n=args.generated_cases, out=io.StringIO())
    print(
        f"generated {args.generated_cases:,} cases ({generated.total_rows:,} rows) in "
        f"{time.perf_counter() - started:.1f} s for {', '.join(on_data)}",
        flush=True,
    )
    run_on_data(args, on_data)
    return "generated", args.generated_cases


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    load_before = os.getloadavg()[0]
    if args.data == "generated":
        from bench.generate import bench_database_url, migrate, prepare_database, setup_django

        url = bench_database_url()
        prepare_database(url, reset=False)
        setup_django(url)
        migrate()
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.generate import scale_label

    setup_test_environment()
    if args.data == "generated":
        from enforcement.models import EnforcementCase

        if not EnforcementCase.objects.exists():
            from bench.generate import SCALES, generate, print_report
            from bench.generate import write_results as write_generated

            print("the data set is empty: generating the default scale (10k) first", flush=True)
            result = generate(n=SCALES["10k"])
            print_report(result)
            print(f"written to {write_generated(result)}")
        cases = EnforcementCase.objects.count()
        name = connection.settings_dict["NAME"]
        print(f"database: {connection.vendor} ({name}); {cases:,} enforcement cases; {args.rounds} rounds each")
        run_on_data(args, args.chosen)
        run, described = f"generated-{scale_label(cases)}", f"{cases:,} generated enforcement cases"
    else:
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            name = test_db
            print(f"database: {connection.vendor} ({test_db}); {args.cases} cases; {args.rounds} rounds each")
            _kind, generated = run_self_built(args, args.chosen)
        finally:
            connection.creation.destroy_test_db(test_db, verbosity=0)
        run = "self"
        described = (
            f"self-built worlds; {generated:,} generated cases for the officer benchmarks"
            if generated
            else ("self-built worlds")
        )
    meta = {
        "run": run_label(run, mode=args.data, chosen=args.chosen),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": f"{connection.vendor} {name}",
        "cases": described,
        "rounds": args.rounds,
        "benchmarks": args.chosen,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }
    print(f"results written to {write_results(meta)}")


if __name__ == "__main__":
    main()
