from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases (filing and trial)")

    def ready(self) -> None:
        from core.roles import Role, grant

        from .alerts import pending_litigation_records
        from .checks import register_party_record_provider

        grant("trial.record", Role.JUDGE, Role.DIVISION_HEAD)
        grant("document.record", Role.JUDGE, Role.CLERK, Role.DIVISION_HEAD)
        grant("preservation.apply", Role.CLERK, Role.DIVISION_HEAD)
        grant("preservation.decide", Role.JUDGE, Role.DIVISION_HEAD)
        # Officers carry out the freezes and seizures; judges record those their ruling ordered.
        grant("preservation.measure", Role.JUDGE, Role.OFFICER, Role.DIVISION_HEAD)
        # Whoever files the enforcement case carries the preservation over (enforcement's filing service).
        grant("preservation.carry_over", Role.CLERK, Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD)
        grant("preservation.notice", Role.CLERK, Role.JUDGE, Role.DIVISION_HEAD)
        # Relations between parties and transfers of property, for the hidden-asset clues.
        grant("party.relate", Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD, Role.CLERK)
        register_party_record_provider("cases", pending_litigation_records)
