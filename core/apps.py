from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The login receivers (session clocks, two-step login) must be connected before the first login,
        # which may come before the first request loads the middleware (the test client's force_login).
        from . import otp, sessions  # noqa: F401
