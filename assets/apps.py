from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Asset query, control and disposal (查控 and 处置)")

    def ready(self) -> None:
        from core.roles import Role, grant

        officers = (Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD)
        grant("assets.query", *officers)  # order a network query (网络查控)
        grant("assets.control", *officers)  # order, release, renew control measures and deduct (查控)
        grant("assets.view", *officers, Role.CLERK, Role.COURT_ADMIN)

        from enforcement.signals import case_transitioned

        from .receivers import query_when_notified

        case_transitioned.connect(query_when_notified, dispatch_uid="assets.query_when_notified")

        from enforcement.checks import register_termination_fact_provider

        from .checks import network_query_fact

        register_termination_fact_provider("assets", network_query_fact)
