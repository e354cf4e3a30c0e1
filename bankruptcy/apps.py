from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankruptcyConfig(AppConfig):
    name = "bankruptcy"
    verbose_name = _("Bankruptcy (破)")
