import os
import urllib.error

from django.core.management.base import BaseCommand, CommandError

from assets.simulator import AgencySimulator, HttpTransport, SimulatorError

KEY_ENV = "AGENCY_API_KEY"


class Command(BaseCommand):
    help = (
        "Play an agency over HTTP: poll its pending requests and answer them with plausible data (deterministic "
        "by seed). Talks to localhost/loopback only, and always stops by itself (--once or --max-seconds)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Agency code (flavours the data, e.g. icbc).")
        parser.add_argument(
            "--key", default=None, help=f"API key prefix.secret (default: the {KEY_ENV} environment variable)."
        )
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Loopback address of the site.")
        parser.add_argument("--once", action="store_true", help="One pass over what is pending, then stop.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--slow", type=float, default=0.0, help="Seconds to wait before each answer.")
        parser.add_argument("--flaky", type=float, default=0.0, help="Share of requests left unanswered (0..1).")
        parser.add_argument("--duplicate", action="store_true", help="Send every answer twice.")
        parser.add_argument(
            "--respond-async",
            action="store_true",
            help="Send answers with Prefer: respond-async (ingested by the court's worker, 202).",
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--max-seconds", type=float, default=600.0, help="Stop after this long (default 600).")
        parser.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout in seconds.")

    def handle(self, *args, **options):
        key = options["key"] or os.environ.get(KEY_ENV)
        if not key or "." not in key:
            raise CommandError(f"Give the agency's API key as --key prefix.secret or in {KEY_ENV}.")
        if options["max_seconds"] <= 0 or options["interval"] < 0:
            raise CommandError("--max-seconds must be positive and --interval not negative.")
        verbose = options["verbosity"] > 1
        try:
            transport = HttpTransport(options["base_url"], key, timeout=options["timeout"])
            simulator = AgencySimulator(
                transport,
                agency=options["agency"],
                seed=options["seed"],
                slow=options["slow"],
                flaky=options["flaky"],
                duplicate=options["duplicate"],
                respond_async=options["respond_async"],
                log=self.stdout.write if verbose else None,
            )
            stats = simulator.run(
                once=options["once"], interval=options["interval"], max_seconds=options["max_seconds"]
            )
        except SimulatorError as exc:
            raise CommandError(str(exc)) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise CommandError(f"Cannot reach {options['base_url']}: {exc}") from exc
        self.stdout.write(f"{options['agency']}: {stats.line()}")
        for error in stats.errors[:10]:
            self.stderr.write(error)
