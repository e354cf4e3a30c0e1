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


class TerminationGround(models.TextChoices):
    """终结执行 grounds (民诉法 2023 art. 268; the bankruptcy declaration from 解释 2022 art. 513)."""

    APPLICATION_WITHDRAWN = "application_withdrawn", _("The applicant withdrew the application (art. 268(1))")
    DOCUMENT_REVOKED = "document_revoked", _("The enforcement basis was revoked (art. 268(2))")
    DEBTOR_DIED_NO_ESTATE = (
        "debtor_died_no_estate",
        _("The debtor died leaving no estate and no one bound to perform (art. 268(3))"),
    )
    MAINTENANCE_CREDITOR_DIED = (
        "maintenance_creditor_died",
        _("The creditor of maintenance or support died (art. 268(4))"),
    )
    DEBTOR_DESTITUTE = (
        "debtor_destitute",
        _("The debtor, in hardship, cannot repay a loan, has no income and cannot work (art. 268(5))"),
    )
    BANKRUPTCY_DECLARED = "bankruptcy_declared", _("The debtor was declared bankrupt (解释 2022 art. 513)")
    OTHER = "other", _("Another ground on which the court finds enforcement should end (art. 268(6))")


# 终结执行 grounds that only fit a natural-person debtor (art. 268(3) and (5)).
PERSON_ONLY_TERMINATION_GROUNDS = frozenset(
    {TerminationGround.DEBTOR_DIED_NO_ESTATE, TerminationGround.DEBTOR_DESTITUTE}
)


class NonEnforcementGround(models.TextChoices):
    """不予执行 grounds: an arbitral award (民诉法 2023 art. 248) or a notarised debt instrument (art. 249)."""

    NO_ARBITRATION_AGREEMENT = "no_arbitration_agreement", _("No arbitration agreement (art. 248(1))")
    BEYOND_SCOPE_OR_AUTHORITY = (
        "beyond_scope_or_authority",
        _("Outside the agreement or the arbitration body's authority (art. 248(2))"),
    )
    PROCEDURE_VIOLATED = "procedure_violated", _("Tribunal or procedure contrary to law (art. 248(3))")
    EVIDENCE_FORGED = "evidence_forged", _("The evidence was forged (art. 248(4))")
    EVIDENCE_CONCEALED = "evidence_concealed", _("Evidence that decides the award was concealed (art. 248(5))")
    ARBITRATOR_MISCONDUCT = "arbitrator_misconduct", _("Arbitrators took bribes or bent the law (art. 248(6))")
    NOTARISED_DOCUMENT_WRONG = "notarised_document_wrong", _("The notarised debt instrument is indeed wrong (art. 249)")
    PUBLIC_INTEREST = "public_interest", _("Enforcement would be against the public interest (arts. 248, 249)")


ARBITRAL_AWARD_GROUNDS = frozenset(
    {
        NonEnforcementGround.NO_ARBITRATION_AGREEMENT,
        NonEnforcementGround.BEYOND_SCOPE_OR_AUTHORITY,
        NonEnforcementGround.PROCEDURE_VIOLATED,
        NonEnforcementGround.EVIDENCE_FORGED,
        NonEnforcementGround.EVIDENCE_CONCEALED,
        NonEnforcementGround.ARBITRATOR_MISCONDUCT,
        NonEnforcementGround.PUBLIC_INTEREST,
    }
)
NOTARISED_DEBT_GROUNDS = frozenset(
    {NonEnforcementGround.NOTARISED_DOCUMENT_WRONG, NonEnforcementGround.PUBLIC_INTEREST}
)


class TerminationReason(models.TextChoices):
    """Why this round of enforcement ends (终本规定 2016 art. 1(3) and (5)): the reason analysis of a 终本 case."""

    NO_PROPERTY = "no_property", _("No property found (未发现可供执行的财产)")
    NOT_DISPOSABLE = "not_disposable", _("Property found cannot be disposed of (财产不能处置, art. 4)")
    DEBTOR_MISSING = "debtor_missing", _("Debtor missing after a search (被执行人下落不明)")
    PARTLY_PERFORMED = "partly_performed", _("Partly performed; nothing more can be found (部分履行)")


class FollowUp(models.TextChoices):
    """The suggested follow-up of a 终本 case."""

    RESTORE_WHEN_PROPERTY = "restore_when_property", _("Track the debtor; restore when property appears")
    TRANSFER_TO_BANKRUPTCY = "transfer_to_bankruptcy", _("Consider transfer to bankruptcy (执转破)")
    TRACE_DEBTOR = "trace_debtor", _("Keep searching for the debtor; restore when found")
    DISPOSE_AGAIN = "dispose_again", _("Try disposal again when the market allows (re-auction, sale)")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApplicantOpinion(models.TextChoices):
    """The applicant's opinion on 终本, heard and recorded (终本规定 2016 art. 5)."""

    AGREES = "agrees", _("Agrees")
    OBJECTS = "objects", _("Objects")
    NO_REPLY = "no_reply", _("Informed; gave no opinion")


class ListingDecision(models.TextChoices):
    """The dishonest-list decision recorded for 终本 art. 1(2) while credit/ cannot answer it."""

    LISTED = "listed", _("Put on the dishonest-debtor list")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible for the list (reason recorded)")


class RestorationRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted: case restored")
    REFUSED = "refused", _("Refused")


class PlanStatus(models.TextChoices):
    """A distribution plan's state (the strings ``enforcement.services.distribution`` writes)."""

    DRAFT = "draft", _("Draft (objection upheld: to be redone)")
    PROPOSED = "proposed", _("Proposed, awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid out")
    SUPERSEDED = "superseded", _("Superseded")


class PlanRule(models.TextChoices):
    PRO_RATA = "pro_rata", _("Pro rata (参与分配)")
    CONTROL_ORDER = "control_order", _("Order of control (first frozen, first paid)")


class LineKind(models.TextChoices):
    COSTS = "costs", _("Enforcement costs")
    SECURED = "secured", _("Secured (优先受偿)")
    ORDINARY = "ordinary", _("Ordinary")
    SURPLUS = "surplus", _("Surplus returned to the debtor")


# ---- remedies and coercion (民诉法 2023 arts. 114–120, 236, 238) ----------------------------------------------------


class ObjectionKind(models.TextChoices):
    ACT = "act", _("Objection to an enforcement act (执行行为异议, art. 236)")
    THIRD_PARTY = "third_party", _("Third-party objection to the property (案外人异议, art. 238)")


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Under review")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed (驳回)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReconsiderationStatus(models.TextChoices):
    PENDING = "pending", _("Before the higher court")
    UPHELD = "upheld", _("Upheld: the ruling is revoked or changed")
    DISMISSED = "dismissed", _("Dismissed: the ruling stands")


class CoerciveKind(models.TextChoices):
    FINE = "fine", _("Fine (罚款)")
    DETENTION = "detention", _("Detention (拘留)")
    SEARCH = "search", _("Search (搜查)")


class CoerciveStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting the president")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    EXECUTED = "executed", _("Executed")


class ObstructionGround(models.TextChoices):
    """What the person did (民诉法 2023 arts. 114, 117 and 解释 2022 arts. 187–188, as the ground of a sanction)."""

    FALSE_EVIDENCE = "false_evidence", _("Forged or destroyed evidence (art. 114(1))")
    VIOLENCE = "violence", _("Violence or threats against court staff (art. 114(5))")
    HIDING_PROPERTY = "hiding_property", _("Hid, transferred, sold or damaged sealed or frozen property (art. 114(3))")
    REFUSING_REPORT = "refusing_report", _("Refused to report or falsely reported property (解释 art. 187)")
    REFUSING_ORDER = "refusing_order", _("Refused to perform a ruling despite the ability to (art. 114(6))")
    OBSTRUCTING_ASSIST = "obstructing_assist", _("An assisting party refused to assist (art. 117)")
    OTHER = "other", _("Other obstruction of enforcement")


class SearchStatus(models.TextChoices):
    SEARCHING = "searching", _("Searching")
    FOUND = "found", _("Found")
    CLOSED = "closed", _("Closed without finding")


class RewardStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class TipStatus(models.TextChoices):
    NEW = "new", _("New")
    VERIFIED = "verified", _("Verified: a real lead")
    UNFOUNDED = "unfounded", _("Unfounded")
