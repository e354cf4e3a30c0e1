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
        # The workspace: what a case worker has to do today (the landing page after login).
        grant("command.workspace", Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD)
        # The division command view: every officer's workload, unassigned and overdue cases, live measures.
        grant("command.division", Role.DIVISION_HEAD, Role.PRESIDENT, Role.COURT_ADMIN)
        # On-site tasks (现场执行) and the risks recorded on a debtor for the officers who go there.
        grant("command.onsite", Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD)
        # The relation graph (知识图谱) of a debtor and the decision-support panel of a case.
        grant("command.graph", Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD, Role.PRESIDENT)
        grant("command.decision", Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD, Role.PRESIDENT)
