from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "command"
    verbose_name = _("Enforcement command (执行指挥)")

    def ready(self) -> None:
        from core.roles import Role, grant

        # Statistics (执行指挥): a court's figures for its staff; another officer's own figures for those who
        # oversee the officers (division head, president, court administrator).
        grant("command.statistics", Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD, Role.PRESIDENT, Role.COURT_ADMIN)
        grant("command.statistics_officers", Role.DIVISION_HEAD, Role.PRESIDENT, Role.COURT_ADMIN)
