"""Case types (类型代字, 人民法院案件类型及其代字标准) and party roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    CIVIL_FIRST = "民初", _("Civil, first instance (民初)")
    CIVIL_APPEAL = "民终", _("Civil, second instance (民终)")
    PRESERVATION_REVIEW = "财保", _("Pre-suit preservation (财保)")
    ENFORCEMENT = "执", _("Enforcement (执)")
    ENFORCEMENT_RESTORED = "执恢", _("Restored enforcement (执恢)")
    ENFORCEMENT_PRESERVATION = "执保", _("Preservation enforcement (执保)")
    ENFORCEMENT_OBJECTION = "执异", _("Enforcement objection (执异)")
    ENFORCEMENT_RECONSIDERATION = "执复", _("Enforcement reconsideration (执复)")
    ENFORCEMENT_SUPERVISION = "执监", _("Enforcement supervision (执监)")
    ENFORCEMENT_COORDINATION = "执协", _("Enforcement coordination (执协)")
    ENFORCEMENT_OTHER = "执他", _("Other enforcement (执他)")
    BANKRUPTCY_PETITION = "破申", _("Bankruptcy petition review (破申)")
    BANKRUPTCY = "破", _("Bankruptcy (破)")


class Stage(models.TextChoices):
    FILING = "filing", _("Filing")
    TRIAL = "trial", _("Trial")
    ENFORCEMENT = "enforcement", _("Enforcement")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")


TYPES_BY_STAGE: dict[str, list[str]] = {
    Stage.TRIAL: [CaseType.CIVIL_FIRST, CaseType.CIVIL_APPEAL, CaseType.PRESERVATION_REVIEW],
    Stage.ENFORCEMENT: [t for t in CaseType.values if t.startswith("执")],
    Stage.BANKRUPTCY: [CaseType.BANKRUPTCY_PETITION, CaseType.BANKRUPTCY],
}


def stage_of(case_type: str) -> str:
    for stage, types in TYPES_BY_STAGE.items():
        if case_type in types:
            return stage
    return Stage.FILING


class PartyKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    ORGANISATION = "organisation", _("Organisation")


class PartyRole(models.TextChoices):
    PLAINTIFF = "plaintiff", _("Plaintiff (原告)")
    DEFENDANT = "defendant", _("Defendant (被告)")
    APPELLANT = "appellant", _("Appellant (上诉人)")
    APPELLEE = "appellee", _("Appellee (被上诉人)")
    APPLICANT = "applicant", _("Applicant (申请人)")
    RESPONDENT = "respondent", _("Respondent (被申请人)")
    CREDITOR = "creditor", _("Applicant for enforcement (申请执行人)")
    DEBTOR = "debtor", _("Person subject to enforcement (被执行人)")
    THIRD_PARTY = "third_party", _("Third party (第三人)")


# Which roles a case of each type may carry: (claimant side, opposing side, others).
_LITIGATION = ({PartyRole.PLAINTIFF}, {PartyRole.DEFENDANT}, {PartyRole.THIRD_PARTY})
_APPEAL = ({PartyRole.APPELLANT}, {PartyRole.APPELLEE}, {PartyRole.THIRD_PARTY})
_APPLICATION = ({PartyRole.APPLICANT}, {PartyRole.RESPONDENT}, {PartyRole.THIRD_PARTY})
_ENFORCEMENT = ({PartyRole.CREDITOR}, {PartyRole.DEBTOR}, {PartyRole.THIRD_PARTY})
_BANKRUPTCY = ({PartyRole.APPLICANT}, {PartyRole.DEBTOR}, set())

ROLE_SIDES: dict[str, tuple[set, set, set]] = {
    CaseType.CIVIL_FIRST: _LITIGATION,
    CaseType.CIVIL_APPEAL: _APPEAL,
    CaseType.PRESERVATION_REVIEW: _APPLICATION,
    CaseType.BANKRUPTCY_PETITION: _BANKRUPTCY,
    CaseType.BANKRUPTCY: _BANKRUPTCY,
    **dict.fromkeys(TYPES_BY_STAGE[Stage.ENFORCEMENT], _ENFORCEMENT),
}


class DocumentKind(models.TextChoices):
    """生效法律文书: what an enforcement case can rest on (执行依据)."""

    JUDGMENT = "judgment", _("Judgment (判决书)")
    MEDIATION = "mediation", _("Mediation statement (调解书)")
    RULING = "ruling", _("Ruling (裁定书)")
    ARBITRAL_AWARD = "arbitral_award", _("Arbitral award (仲裁裁决)")
    NOTARISED_DEBT = "notarised_debt", _("Notarised debt instrument (公证债权文书)")


# Documents not made by a court in litigation: their enforcement is "non-litigation enforcement" (非诉执行),
# to be concluded within 3 months instead of 6 (法释〔2000〕29号 art. 5). Which documents the term covers is
# graded M in legal-rules.md §5.1: arbitral awards and notarised debt instruments are taken here.
NON_LITIGATION_DOCUMENTS = frozenset({DocumentKind.ARBITRAL_AWARD, DocumentKind.NOTARISED_DEBT})


class TrialEventKind(models.TextChoices):
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    HEARING_HELD = "hearing_held", _("Hearing held")
    HEARING_ADJOURNED = "hearing_adjourned", _("Hearing adjourned")
    MEDIATION_HELD = "mediation_held", _("Mediation held")


class PreservationKind(models.TextChoices):
    PRE_SUIT = "pre_suit", _("Pre-suit preservation (诉前保全)")
    IN_SUIT = "in_suit", _("In-suit preservation (诉讼中保全)")


class PreservationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MeasureKind(models.TextChoices):
    """The control measures (控制措施): 冻结 freeze, 查封 seal, 扣押 impound."""

    FREEZE = "freeze", _("Freeze (冻结)")
    SEAL = "seal", _("Seal (查封)")
    IMPOUND = "impound", _("Impound (扣押)")


class PropertyClass(models.TextChoices):
    """Which period cap applies (民诉法解释 2022 art. 485): deposits 1 year, movables 2, real estate and other
    property rights 3."""

    DEPOSIT = "deposit", _("Bank deposit")
    MOVABLE = "movable", _("Movable property")
    REAL_ESTATE = "real_estate", _("Real estate")
    OTHER_RIGHT = "other_right", _("Other property right")


MAX_CONTROL_YEARS = {
    PropertyClass.DEPOSIT: 1,
    PropertyClass.MOVABLE: 2,
    PropertyClass.REAL_ESTATE: 3,
    PropertyClass.OTHER_RIGHT: 3,
}


class MeasureStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    WAITING = "waiting", _("Waiting in line (轮候)")
    RELEASED = "released", _("Released")
    LAPSED = "lapsed", _("Lapsed at expiry")


# 民诉法 2023 art. 104 (M: from memory, not in legal-rules.md): a pre-suit application is decided within 48 hours.
PRE_SUIT_DECISION_HOURS = 48
# Highlight measures this many days before they expire (a party renewing must apply ≥ 7 days ahead,
# 财产保全规定 2020 art. 18, legal-rules §2.3).
EXPIRY_WARNING_DAYS = 30
RENEWAL_NOTICE_DAYS = 7

LITIGATION_TYPES = frozenset({CaseType.CIVIL_FIRST, CaseType.CIVIL_APPEAL})
COURT_DOCUMENTS = frozenset({DocumentKind.JUDGMENT, DocumentKind.MEDIATION, DocumentKind.RULING})
HEARING_OUTCOMES = frozenset({TrialEventKind.HEARING_HELD, TrialEventKind.HEARING_ADJOURNED})


def claimant_roles(case_type: str) -> set:
    return set(ROLE_SIDES[case_type][0])


def opposing_roles(case_type: str) -> set:
    return set(ROLE_SIDES[case_type][1])


# Opposing-side roles of any case type: who is sued, applied against, or enforced against.
OPPOSING_ROLES = frozenset({PartyRole.DEFENDANT, PartyRole.APPELLEE, PartyRole.RESPONDENT, PartyRole.DEBTOR})


class RelationKind(models.TextChoices):
    """How two parties are related. A directed kind reads "party_a is the … of party_b"."""

    SPOUSE = "spouse", _("Spouse (配偶)")
    RELATIVE = "relative", _("Parent, child or other relative (近亲属)")
    SHAREHOLDER = "shareholder", _("Shareholder (股东)")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative (法定代表人)")
    ACTUAL_CONTROLLER = "actual_controller", _("Actual controller (实际控制人)")
    DIRECTOR = "director", _("Director or senior manager (董监高)")
    AFFILIATE = "affiliate", _("Affiliated company (关联企业)")
    SHARED_ADDRESS = "shared_address", _("Same address (同一地址)")
    SHARED_PHONE = "shared_phone", _("Same phone (同一电话)")


# Kinds that read the same both ways: stored once, with the lower party id as party_a.
SYMMETRIC_RELATIONS = frozenset(
    {
        RelationKind.SPOUSE,
        RelationKind.RELATIVE,
        RelationKind.AFFILIATE,
        RelationKind.SHARED_ADDRESS,
        RelationKind.SHARED_PHONE,
    }
)


class TransferCategory(models.TextChoices):
    REAL_ESTATE = "real_estate", _("Real estate (不动产)")
    VEHICLE = "vehicle", _("Vehicle (车辆)")
    EQUITY = "equity", _("Equity (股权)")
    DEPOSIT = "deposit", _("Deposit or money (存款、资金)")
    OTHER = "other", _("Other property (其他财产)")


class NotificationChannel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    POST = "post", _("By post (no phone or email on file)")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
