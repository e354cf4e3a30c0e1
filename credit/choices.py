"""Choice sets of credit (惩): the dishonest list (失信规定 2017), consumption and exit restrictions, corrections
and the credit feed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingGround(models.TextChoices):
    """失信规定 2017 art. 1: the six grounds (the debtor has not performed and …)."""

    ABLE_BUT_REFUSES = "able_but_refuses", _("Able to perform but refuses (art. 1(1))")
    OBSTRUCTS = "obstructs", _("Obstructs enforcement by forged evidence, violence or threats (art. 1(2))")
    EVADES = "evades", _("Evades enforcement by sham litigation or arbitration or by hiding assets (art. 1(3))")
    BREACHES_REPORTING = "breaches_reporting", _("Breaches the property reporting rules (art. 1(4))")
    BREACHES_RESTRICTION = "breaches_restriction", _("Breaches a consumption restriction order (art. 1(5))")
    REFUSES_SETTLEMENT = "refuses_settlement", _("Refuses without reason to perform a settlement (art. 1(6))")


class ListingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    LISTED = "listed", _("Listed")
    REFUSED = "refused", _("Refused")
    REMOVED = "removed", _("Removed")


class RemovalEvent(models.TextChoices):
    """Why an entry is deleted: the seven events of 失信规定 art. 10(1), the end of a fixed period (art. 10(2)),
    early deletion (art. 2(3)) and revocation of a wrongful listing (art. 9 / a correction upheld)."""

    PERFORMED = "performed", _("The obligation was performed (art. 10(1)(1))")
    SETTLEMENT_PERFORMED = "settlement_performed", _("A settlement was performed (art. 10(1)(2))")
    APPLICANT_REQUEST = "applicant_request", _("The applicant asked in writing and the court agreed (art. 10(1)(3))")
    EMPTY_TRACKING = "empty_tracking", _("Two or more empty queries after 终本 and no lead (art. 10(1)(4))")
    SUSPENDED = "suspended", _("Enforcement suspended for retrial or bankruptcy (art. 10(1)(5))")
    NOT_ENFORCED = "not_enforced", _("Ruled not to be enforced (art. 10(1)(6))")
    TERMINATED = "terminated", _("Enforcement terminated (art. 10(1)(7))")
    PERIOD_ENDED = "period_ended", _("The listing period ended (art. 10(2))")
    EARLY = "early", _("Deleted early: the debtor performed actively or corrected (art. 2(3))")
    WRONGFUL = "wrongful", _("Revoked: wrongly listed or corrected (arts. 9, 12)")


class RestrictionKind(models.TextChoices):
    CONSUMPTION = "consumption", _("Consumption restriction (限制消费令)")
    EXIT = "exit", _("Exit restriction (限制出境)")


class RestrictionStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    LIFTED = "lifted", _("Lifted")


class ProhibitedConsumption(models.TextChoices):
    """限制消费规定 (2015) art. 3: the nine kinds of consumption a restricted debtor may not make."""

    FLIGHTS_FIRST_CLASS = "flights", _("Aircraft, trains' soft sleeper, ships' second class and above")
    STAR_HOTELS = "star_hotels", _("Hotels, nightclubs, golf courses rated three stars or above")
    BUY_REAL_ESTATE = "buy_real_estate", _("Buying real estate or building, extending, decorating houses luxuriously")
    RENT_OFFICES = "rent_offices", _("Renting high-grade office buildings, hotels or apartments for work")
    BUY_VEHICLES = "buy_vehicles", _("Buying non-essential vehicles")
    TRAVEL = "travel", _("Travel and holidays")
    PRIVATE_SCHOOLS = "private_schools", _("Children attending high-fee private schools")
    HIGH_PREMIUM_INSURANCE = "high_premium_insurance", _("Paying high premiums for insurance or wealth products")
    HIGH_SPEED_RAIL = "high_speed_rail", _("G-series trains' seats, and first-class seats of other trains")


class LiftGround(models.TextChoices):
    PERFORMED = "performed", _("The obligation was performed (must be lifted)")
    SECURITY = "security", _("Security was given")
    APPLICANT_CONSENT = "applicant_consent", _("The applicant consents")
    LISTING_REMOVED = "listing_removed", _("The dishonest listing was removed")
    OTHER = "other", _("Other ground the court finds")


class BoundPersonRole(models.TextChoices):
    """Whom a restriction on an organisation also binds (限制消费规定 art. 3(2))."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    MAIN_RESPONSIBLE = "main_responsible", _("Main responsible person")
    DIRECTLY_RESPONSIBLE = "directly_responsible", _("Directly responsible person")
    ACTUAL_CONTROLLER = "actual_controller", _("Actual controller")


class CorrectionGround(models.TextChoices):
    """失信规定 art. 11."""

    SHOULD_NOT_BE_LISTED = "should_not_be_listed", _("Should not have been listed (art. 11(1))")
    INACCURATE = "inaccurate", _("The published information is inaccurate (art. 11(2))")
    SHOULD_BE_DELETED = "should_be_deleted", _("The entry should have been deleted (art. 11(3))")


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Under review")
    UPHELD = "upheld", _("Upheld: to be corrected")
    CORRECTED = "corrected", _("Corrected")
    REJECTED = "rejected", _("Rejected")
    RECONSIDERATION = "reconsideration", _("Reconsideration at the higher court")
    RECONSIDERED = "reconsidered", _("Reconsideration decided")


class FeedEventKind(models.TextChoices):
    LISTED = "listing.published", _("Listed as dishonest")
    LISTING_UPDATED = "listing.updated", _("Dishonest listing corrected or extended")
    REMOVED = "listing.removed", _("Removed from the dishonest list")
    RESTRICTED = "restriction.issued", _("Restriction issued")
    LIFTED = "restriction.lifted", _("Restriction lifted")
