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

        from enforcement.checks import register_termination_fact_provider

        from . import receivers  # noqa: F401 - connects the receivers of enforcement's and assets' events
        from .checks import termination_facts

        register_termination_fact_provider("credit", termination_facts)  # 终本规定 art. 1(2)

        # issue 6, item 7 (helper C4): the filing-check provider and the creditor-listed alert
        from cases.checks import register_party_record_provider

        from .alerts import notify_creditor_listed
        from .party_checks import credit_records
        from .signals import debtor_listed

        register_party_record_provider("credit", credit_records)
        debtor_listed.connect(notify_creditor_listed, dispatch_uid="credit.alerts.notify_creditor_listed")
