from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ApplicationError
from core.models import Court
from core.signing import DEFAULT_OVERLAP_DAYS, rotate_court_key


class Command(BaseCommand):
    help = (
        "Give courts new Ed25519 signing keys (电子签章). Each court's current key keeps verifying for the overlap "
        "(--overlap-days), then retires. Without --court, every active court."
    )

    def add_arguments(self, parser):
        parser.add_argument("--court", action="append", default=[], help="Court code (京0105); repeatable.")
        parser.add_argument(
            "--overlap-days",
            type=int,
            default=DEFAULT_OVERLAP_DAYS,
            help=f"Days the old key still verifies (default {DEFAULT_OVERLAP_DAYS}).",
        )

    def handle(self, *args, **options):
        codes = options["court"]
        courts = Court.objects.filter(code__in=codes) if codes else Court.objects.filter(is_active=True)
        missing = sorted(set(codes) - set(courts.values_list("code", flat=True)))
        if missing:
            raise CommandError(f"Unknown court code(s): {', '.join(missing)}.")
        for court in courts.order_by("code"):
            try:
                key = rotate_court_key(actor=None, court=court, overlap_days=options["overlap_days"])
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{court.code} {court.name}: new key {key.key_id}")
