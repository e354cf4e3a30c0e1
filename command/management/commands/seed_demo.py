"""``python manage.py seed_demo``: build the demo courts, accounts and cases (development only).

Each app that has demo data keeps it in its own ``demo`` module with a ``seed(context)`` function; this
command calls them in app order (an app's demo data may rely on the apps before it) and passes them one
``core.demo.DemoContext``. It lives in ``command`` because only ``command`` may import every app.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from core.demo import DemoContext

# The project's apps, in the one direction their imports point (architecture.md).
DEMO_APPS = ("core", "cases", "enforcement", "assets", "credit", "bankruptcy", "command")


class Command(BaseCommand):
    help = (
        "Build demo data: courts, demo accounts (password settings.DEMO_PASSWORD) and a few hundred cases. "
        "Deterministic and idempotent: a second run changes nothing. Refused unless DEBUG is on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with DEBUG on "
                "(set DJANGO_DEBUG=1 on a development instance)."
            )
        started = time.monotonic()
        labels = tuple(label for label in DEMO_APPS if apps.is_installed(label))
        context = DemoContext(today=timezone.localdate(), stdout=self.stdout, app_labels=labels)
        # The demo builds each case's state on purpose: no automatic follow-up (such as the asset query that
        # serving the notices starts) may run behind its back.
        with override_settings(ZHIXING_AUTO_QUERY_AFTER_NOTICES=False):
            for label in labels:
                app_config = apps.get_app_config(label)
                if module_has_submodule(app_config.module, "demo"):
                    import_module(f"{app_config.name}.demo").seed(context)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s."))
