from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankruptcyConfig(AppConfig):
    name = "bankruptcy"
    verbose_name = _("Bankruptcy (破)")

    def ready(self) -> None:
        from core.roles import Role, grant

        grant("bankruptcy.view", Role.CLERK, Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD, Role.COURT_ADMIN)
        grant("bankruptcy.transfer", Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD)  # screen, notify, consents
        grant("bankruptcy.rule", Role.DIVISION_HEAD)  # the transfer ruling (移送裁定)
        grant("bankruptcy.decide", Role.JUDGE, Role.DIVISION_HEAD)  # the domicile court: accept, claims, declare
