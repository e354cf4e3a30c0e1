from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ApplicationError
from core.models import User
from core.services import credential_issue


class Command(BaseCommand):
    help = "Issue an API key to an agency client and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="default")
        parser.add_argument("--scope", action="append", default=[])

    def handle(self, *args, username, name, scope, **options):
        try:
            user = User.objects.get(username=username)
            _credential, key = credential_issue(actor=None, user=user, name=name, scopes=scope)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Authorization: Api-Key {key}")
