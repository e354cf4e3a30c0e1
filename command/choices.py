"""Choices of command: the risks recorded on a debtor and the on-site tasks (现场执行)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskKind(models.TextChoices):
    """What officers must know before they go to a debtor's door."""

    VIOLENCE = "violence", _("Violent behaviour (暴力倾向)")
    WEAPON = "weapon", _("Weapons on the premises")
    DOG = "dog", _("Dangerous dogs (恶犬)")
    SELF_HARM = "self_harm", _("Threatens self-harm (自伤自残)")
    CROWD = "crowd", _("Gathers a crowd (聚众阻挠)")
    ILLNESS = "illness", _("Serious or contagious illness")
    OTHER = "other", _("Other risk")


class OnSitePurpose(models.TextChoices):
    SEARCH = "search", _("Search (搜查)")
    SEIZURE = "seizure", _("Seizure of property (查封扣押)")
    EVICTION = "eviction", _("Eviction (强制迁出)")
    DELIVERY = "delivery", _("Delivery of property (交付)")
    SERVICE = "service", _("Service of documents (送达)")
    INVESTIGATION = "investigation", _("On-site investigation (现场调查)")


class OnSiteStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class OnSiteOutcome(models.TextChoices):
    COMPLETED = "completed", _("Completed as planned")
    PARTIAL = "partial", _("Partly completed")
    ABSENT = "absent", _("Nobody found at the address")
    OBSTRUCTED = "obstructed", _("Obstructed (妨碍执行)")
    NOTHING_FOUND = "nothing_found", _("No property found")
