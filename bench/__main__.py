"""Run the benchmarks in a throwaway database (created and dropped here, never the app's own).

    make bench                       # SQLite, or the server in DATABASE_URL
    make bench BENCH_ARGS="--cases 20000 --rounds 200"
    make bench BENCH_ARGS="--only query_pipeline --debtors 200 --batches 5"
    make bench BENCH_ARGS="--only tracking --tracking-plans 1000000"   # PostgreSQL only
    make bench BENCH_ARGS="--only credit_search --credit-listings 1000000"   # PostgreSQL only

Each benchmark prints p50/p95 of the measured path and of a baseline doing the least possible work for the
same answer, and their ratio, so figures compare across machines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


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


def report(name: str, measured: list[float], baseline: list[float], extra: str = "") -> None:
    p50, p95 = statistics.median(measured), percentile(measured, 0.95)
    b50, b95 = statistics.median(baseline), percentile(baseline, 0.95)
    print(
        f"{name:<44} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms | baseline p50 {b50:7.2f} ms  p95 {b95:7.2f} ms"
        f" | ratio p50 {p50 / b50:5.2f}x  p95 {p95 / b95:5.2f}x {extra}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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
        "--only",
        default="case_list,query_pipeline,tracking,credit_search",
        help="comma-separated benchmarks: case_list, query_pipeline, tracking, credit_search",
    )
    args = parser.parse_args()
    chosen = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = chosen - {"case_list", "query_pipeline", "tracking", "credit_search"}
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({test_db}); {args.cases} cases; {args.rounds} rounds each")
        if "case_list" in chosen:
            from bench import case_list

            case_list.run(cases=args.cases, rounds=args.rounds, timed=timed, report=report)
        if "query_pipeline" in chosen:
            from django.core.management import call_command

            from bench import query_pipeline

            call_command("flush", interactive=False, verbosity=0)  # each benchmark builds its own world

            query_pipeline.run(debtors=args.debtors, rounds=args.batches, report=report)
        if "tracking" in chosen:
            from django.core.management import call_command

            from bench import tracking

            call_command("flush", interactive=False, verbosity=0)
            tracking.run(
                plans=args.tracking_plans, due=args.tracking_due, rounds=args.rounds, timed=timed, report=report
            )
        if "credit_search" in chosen:
            from django.core.management import call_command

            from bench import credit_search

            call_command("flush", interactive=False, verbosity=0)
            credit_search.run(listings=args.credit_listings, rounds=args.rounds, timed=timed, report=report)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
