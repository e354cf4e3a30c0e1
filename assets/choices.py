"""Choice sets of 查控: asset categories, agency kinds and scopes, query batches and agency requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetCategory(models.TextChoices):
    """What the 网络执行查控 system can find about a debtor.

    Grade M (legal-rules.md §10): the SPC describes "16类25项" but no public source lists all 25 items; these
    16 follow the commonly cited categories and their counterparts, unverified against the system manual.
    """

    DEPOSIT = "deposit", _("Bank deposits (存款)")
    WEALTH_PRODUCT = "wealth_product", _("Wealth-management products (金融理财产品)")
    ONLINE_FUNDS = "online_funds", _("Online funds (网络资金)")
    SECURITIES = "securities", _("Securities (证券)")
    VEHICLE = "vehicle", _("Vehicles (车辆)")
    REAL_ESTATE = "real_estate", _("Real estate (不动产)")
    SHIP = "ship", _("Ships (船舶)")
    FISHING_VESSEL = "fishing_vessel", _("Fishing vessels (渔船)")
    EQUITY = "equity", _("Equity stakes (股权)")
    PROVIDENT_FUND = "provident_fund", _("Housing provident fund (住房公积金)")
    INSURANCE = "insurance", _("Insurance policies (保险)")
    SOCIAL_SECURITY = "social_security", _("Social security (社保)")
    TAX = "tax", _("Tax records (税务)")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration (工商登记)")
    EXIT_ENTRY_DOCUMENT = "exit_entry_document", _("Exit-entry documents (出入境证件)")
    MARRIAGE = "marriage", _("Marriage registration (婚姻登记)")


class AgencyKind(models.TextChoices):
    BANK = "bank", _("Bank")
    REAL_ESTATE_REGISTRY = "real_estate_registry", _("Real-estate registry (不动产登记)")
    VEHICLE_REGISTRY = "vehicle_registry", _("Vehicle registry (公安车管)")
    SECURITIES_DEPOSITORY = "securities_depository", _("Securities depository (中国结算)")
    PAYMENT_PLATFORM = "payment_platform", _("Payment platform (网络资金)")
    PROVIDENT_FUND = "provident_fund", _("Housing provident fund centre")
    INSURER = "insurer", _("Insurer")
    TAX = "tax", _("Tax administration")
    MARKET_REGULATION = "market_regulation", _("Market regulation (工商/股权)")
    EXIT_ENTRY = "exit_entry", _("Exit-entry administration")
    SHIP_REGISTRY = "ship_registry", _("Ship registry")
    FISHING_VESSEL_REGISTRY = "fishing_vessel_registry", _("Fishing-vessel registry")
    SOCIAL_SECURITY = "social_security", _("Social security")
    MARRIAGE_REGISTRY = "marriage_registry", _("Marriage registry")
    WEALTH_PRODUCT_REGISTRY = "wealth_product_registry", _("Wealth-product registry")
    INQUIRY_PLATFORM = "inquiry_platform", _("Online price-inquiry platform (司法网络询价平台)")
    VALUER = "valuer", _("Valuation firm (评估机构)")
    AUCTION_PLATFORM = "auction_platform", _("Online judicial auction platform (网络司法拍卖平台)")


class AgencyScope(models.TextChoices):
    NATIONAL = "national", _("National (总对总)")
    LOCAL = "local", _("Local (点对点)")


class BatchStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    SENT = "sent", _("Sent to the agencies")
    COMPLETE = "complete", _("Complete")


class RequestKind(models.TextChoices):
    """What an agency request asks for: a query (items in ``payload["items"]``) or a control order (the order in
    ``payload``, the measure in ``AgencyRequest.measure``)."""

    QUERY = "query", _("Query (查询)")
    FREEZE = "freeze", _("Freeze order (冻结)")
    SEAL = "seal", _("Seal order (查封)")
    IMPOUND = "impound", _("Impound order (扣押)")
    DEDUCT = "deduct", _("Deduction order (扣划)")
    RELEASE = "release", _("Release order (解除)")
    RENEW = "renew", _("Renewal order (续行)")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ANSWERED = "answered", _("Answered")
    PARTIALLY_ANSWERED = "partially_answered", _("Partially answered")
    FAILED = "failed", _("Failed")
    TIMED_OUT = "timed_out", _("Timed out")


# Still waiting for (part of) an answer: these time out at due_at.
AWAITING_STATUSES = (RequestStatus.PENDING, RequestStatus.PARTIALLY_ANSWERED)


class AnswerStatus(models.TextChoices):
    """An answer sent for ingestion by a worker (``Prefer: respond-async``)."""

    PENDING = "pending", _("Awaiting ingestion")
    INGESTED = "ingested", _("Ingested")
    REFUSED = "refused", _("Refused at ingestion")


class ResultOutcome(models.TextChoices):
    FOUND = "found", _("Found")
    NONE_FOUND = "none_found", _("None found")


class ControlKind(models.TextChoices):
    """Control measures (控制措施). A deduction ruling on deposits also freezes them (解释 2022 art. 484)."""

    FREEZE = "freeze", _("Freeze (冻结)")
    SEAL = "seal", _("Seal (查封)")
    IMPOUND = "impound", _("Impound (扣押)")
    DEDUCT = "deduct", _("Deduct (扣划)")


class ControlStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered, awaiting the agency")
    ACTIVE = "active", _("In force")
    WAITING = "waiting", _("Waiting in line (轮候)")
    RENEWED = "renewed", _("Renewed (续行)")
    RELEASED = "released", _("Released")
    LAPSED = "lapsed", _("Lapsed at expiry")
    REFUSED = "refused", _("Refused by the agency")


# Measures that still bind (or will, once confirmed): they hold a place in line on the asset.
LIVE_CONTROL_STATUSES = (ControlStatus.ORDERED, ControlStatus.ACTIVE, ControlStatus.WAITING)


class DeductionStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting the division head's approval")
    PENDING = "pending", _("Sent, awaiting the agency")
    CONFIRMED = "confirmed", _("Confirmed: money received")
    REFUSED = "refused", _("Refused by the agency")
    DECLINED = "declined", _("Declined by the division head")
    WITHDRAWN = "withdrawn", _("Withdrawn: the measure was released before approval")


class ConfirmOutcome(models.TextChoices):
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


# Days before expiry at which the officer is reminded (财产保全规定 2020 art. 18: a party renewing applies ≥ 7
# days before expiry; 30 days leaves time to act).
REMINDER_THRESHOLDS = (30, 7)


class BatchPurpose(models.TextChoices):
    """Why a query batch was ordered: by an officer on an open case, or by the post-termination tracking job
    (终本规定 2016 art. 9) on a 终本 case; tracking batches run on the ``tracking`` queue."""

    CASE = "case", _("Case query")
    TRACKING = "tracking", _("Post-termination tracking (终本后跟踪)")


class TrackingStatus(models.TextChoices):
    ACTIVE = "active", _("Tracking")
    RESTORED = "restored", _("Case restored (执恢)")
    ENDED = "ended", _("Five years done")
    STOPPED = "stopped", _("Stopped")


class TrackingOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for the answers")
    FOUND = "found", _("New property found")
    EMPTY = "empty", _("Nothing new found")


# Categories that are property the court can take (the rest are facts about the debtor: tax, social security,
# business registration, exit-entry documents, marriage). A tracking run "finds property" only in these.
PROPERTY_CATEGORIES = frozenset(
    {
        AssetCategory.DEPOSIT,
        AssetCategory.WEALTH_PRODUCT,
        AssetCategory.ONLINE_FUNDS,
        AssetCategory.SECURITIES,
        AssetCategory.VEHICLE,
        AssetCategory.REAL_ESTATE,
        AssetCategory.SHIP,
        AssetCategory.FISHING_VESSEL,
        AssetCategory.EQUITY,
        AssetCategory.PROVIDENT_FUND,
        AssetCategory.INSURANCE,
    }
)


class PriceMethod(models.TextChoices):
    """参考价规定 2018 art. 2: the four ways, tried in this order."""

    NEGOTIATION = "negotiation", _("Agreed by the parties (当事人议价)")
    DIRECTED = "directed", _("Directed inquiry (定向询价)")
    ONLINE = "online", _("Online inquiry (网络询价)")
    APPRAISAL = "appraisal", _("Commissioned valuation (委托评估)")


class PriceStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    DETERMINED = "determined", _("Determined")
    FAILED = "failed", _("Failed: next method")


class AuctionKind(models.TextChoices):
    AUCTION = "auction", _("Online auction (网络拍卖)")
    SALE = "sale", _("Sale (变卖)")


class AuctionStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    BIDDING = "bidding", _("Bidding")
    SOLD = "sold", _("Sold")
    FAILED = "failed", _("Failed (流拍)")
    DEFAULTED = "defaulted", _("Buyer defaulted (悔拍)")
    WITHDRAWN = "withdrawn", _("Withdrawn (撤回)")
    SUSPENDED = "suspended", _("Suspended (中止)")
