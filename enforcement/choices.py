from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The enforcement case lifecycle (the transitions are methods of ``EnforcementCase`` in models.py, applied by
    ``enforcement.services.lifecycle.transition_apply``)."""

    FILED = "filed", _("Filed")
    ASSIGNED = "assigned", _("Assigned")
    NOTIFIED = "notified", _("Notified")
    INVESTIGATING = "investigating", _("Investigating")
    CONTROLLING = "controlling", _("Controlling assets")
    DISPOSING = "disposing", _("Disposing of assets")
    DISTRIBUTING = "distributing", _("Distributing proceeds")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(s for s in Status.values if s != Status.CLOSED)
WORKING_STATUSES = (Status.NOTIFIED, Status.INVESTIGATING, Status.CONTROLLING, Status.DISPOSING, Status.DISTRIBUTING)


class ClosingKind(models.TextChoices):
    COMPLETED = "completed", _("Fully performed (执行完毕)")
    TERMINATED_THIS_ROUND = "terminated_this_round", _("Terminated this round (终结本次执行程序)")
    TERMINATED = "terminated", _("Enforcement terminated (终结执行)")
    SETTLED = "settled", _("Settled (和解结案)")
    NOT_ENFORCED = "not_enforced", _("Not enforced (不予执行)")
    TRANSFERRED_TO_BANKRUPTCY = "transferred_to_bankruptcy", _("Transferred to bankruptcy (移送破产)")


class Track(models.TextChoices):
    """繁简分流: the simple (fast) track and the complex track."""

    SIMPLE = "simple", _("Simple track (简案)")
    COMPLEX = "complex", _("Complex track (繁案)")


class NoticeKind(models.TextChoices):
    ENFORCEMENT_NOTICE = "enforcement_notice", _("Enforcement notice (执行通知书)")
    PROPERTY_REPORT_ORDER = "property_report_order", _("Property report order (报告财产令)")


class ServiceMethod(models.TextChoices):
    """送达 methods (民诉法 2023 arts. 88–95)."""

    IN_PERSON = "in_person", _("In person (直接送达)")
    LEFT_AT_ADDRESS = "left_at_address", _("Left at the address (留置送达)")
    ELECTRONIC = "electronic", _("Electronic (电子送达)")
    ENTRUSTED = "entrusted", _("Entrusted (委托送达)")
    POST = "post", _("By post (邮寄送达)")
    PUBLIC_NOTICE = "public_notice", _("Public notice (公告送达)")


class SuspensionGround(models.TextChoices):
    """中止执行 grounds (民诉法 2023 art. 267)."""

    APPLICANT_AGREES = "applicant_agrees", _("The applicant agrees to a postponement")
    THIRD_PARTY_OBJECTION = "third_party_objection", _("A third party objects to the enforced property")
    PARTY_DIED = "party_died", _("A party died; successors awaited")
    ORGANISATION_ENDED = "organisation_ended", _("An organisation ended; successor not yet determined")
    RETRIAL = "retrial", _("Retrial of the source document")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy accepted against the debtor")
    OTHER = "other", _("Other ground the court finds")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
