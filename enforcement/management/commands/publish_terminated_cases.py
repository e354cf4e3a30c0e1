"""``manage.py publish_terminated_cases``: publish in the public 终本 database every 终本 case closed without an
entry (data migrated in, cases approved before the database existed). Safe to run again."""

from django.core.management.base import BaseCommand

from enforcement.services.publication import entries_publish_missing


class Command(BaseCommand):
    help = "Publish every 终本 case closed without a public entry (终本规定 2016 art. 12)."

    def handle(self, *args, **options):
        count = entries_publish_missing()
        self.stdout.write(self.style.SUCCESS(f"{count} case(s) published."))
