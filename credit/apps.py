from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("Credit punishment (惩)")

    def ready(self) -> None:
        from core.roles import Role, grant

        officers = (Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD)
        grant("credit.view", *officers, Role.CLERK, Role.COURT_ADMIN)
        grant("credit.propose", *officers)  # propose a listing; issue and lift restrictions
        grant("credit.approve", Role.DIVISION_HEAD)  # approve a listing, extend it, decide removals on request
        grant("credit.restrict", *officers)
        grant("credit.correct", Role.DIVISION_HEAD, Role.JUDGE)  # review correction requests
        grant("credit.portal", Role.CLERK, *officers)  # issue a party's query code

        from . import receivers  # noqa: F401 - connects the receivers of enforcement's and assets' events
