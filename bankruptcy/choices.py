"""Choices of bankruptcy (破)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed by the officer")
    TRANSFERRED = "transferred", _("Transfer started")
    STALE = "stale", _("No longer indicated")


class TransferStatus(models.TextChoices):
    NOTIFYING = "notifying", _("Parties notified, consent awaited")
    TRANSFERRED = "transferred", _("Transferred, decision awaited")
    ACCEPTED = "accepted", _("Bankruptcy accepted")
    REFUSED = "refused", _("Not accepted: file returned, enforcement resumed")
    WITHDRAWN = "withdrawn", _("Withdrawn (no consent)")


class ConsentRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant for enforcement")
    DEBTOR = "debtor", _("Debtor")


class BankruptcyStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted (受理)")
    DECLARED = "declared", _("Declared bankrupt (宣告破产)")
    CLOSED = "closed", _("Closed (终结)")


class EffectKind(models.TextChoices):
    SUSPENDED = "suspended", _("Suspended (中止执行)")
    ALREADY_SUSPENDED = "already_suspended", _("Already suspended")
    CLOSED_BEFORE = "closed_before", _("Closed before (measures released)")
    OTHER_DEBTORS = "other_debtors", _("Continues against the other debtors (this debtor's measures released)")
    TERMINATED = "terminated", _("Ended by the declaration (终结执行)")


class ClaimKind(models.TextChoices):
    """The classes of 企业破产法 art. 113 (and the secured claims of art. 109, paid from their collateral)."""

    SECURED = "secured", _("Secured (有财产担保, art. 109)")
    EMPLOYEE = "employee", _("Employees' wages and benefits (art. 113(1))")
    TAX = "tax", _("Social insurance and taxes (art. 113(2))")
    ORDINARY = "ordinary", _("Ordinary (普通债权, art. 113(3))")


CLAIM_ORDER = (ClaimKind.SECURED, ClaimKind.EMPLOYEE, ClaimKind.TAX, ClaimKind.ORDINARY)


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("Filed, under review")
    ADMITTED = "admitted", _("Admitted")
    PARTLY = "partly", _("Admitted in part")
    REJECTED = "rejected", _("Rejected")
