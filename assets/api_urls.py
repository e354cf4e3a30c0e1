from django.urls import path

from . import api, api_pricing

urlpatterns = [
    path("agency/requests/", api.AgencyRequestListApi.as_view(), name="api-agency-request-list"),
    path("agency/requests/<int:pk>/answers/", api.AgencyAnswerApi.as_view(), name="api-agency-request-answer"),
    path("agency/answers/<int:pk>/", api.AgencyAnswerStatusApi.as_view(), name="api-agency-answer"),
    path("agency/requests/<int:pk>/confirm/", api.AgencyConfirmApi.as_view(), name="api-agency-request-confirm"),
    path("enforcement-cases/<int:pk>/controls/", api.CaseControlsApi.as_view(), name="api-enforcement-controls"),
    path("controls/<int:pk>/release/", api.ControlReleaseApi.as_view(), name="api-control-release"),
    path("controls/<int:pk>/renew/", api.ControlRenewApi.as_view(), name="api-control-renew"),
    path("controls/<int:pk>/deduct/", api.ControlDeductApi.as_view(), name="api-control-deduct"),
    path("deductions/<int:pk>/approve/", api.DeductionApproveApi.as_view(), name="api-deduction-approve"),
    path("deductions/<int:pk>/decline/", api.DeductionDeclineApi.as_view(), name="api-deduction-decline"),
    path("tracking-plans/", api.TrackingPlanListApi.as_view(), name="api-tracking-plan-list"),
    path("tracking-plans/<int:pk>/", api.TrackingPlanDetailApi.as_view(), name="api-tracking-plan-detail"),
    # Reference price (参考价规定 2018)
    path("enforcement-cases/<int:pk>/prices/", api_pricing.CasePricesApi.as_view(), name="api-enforcement-prices"),
    path("prices/<int:pk>/negotiated/", api_pricing.PriceNegotiatedApi.as_view(), name="api-price-negotiated"),
    path("prices/<int:pk>/directed/", api_pricing.PriceDirectedApi.as_view(), name="api-price-directed"),
    path("prices/<int:pk>/settle/", api_pricing.PriceSettleApi.as_view(), name="api-price-settle"),
    path("prices/<int:pk>/commission/", api_pricing.PriceCommissionApi.as_view(), name="api-price-commission"),
    path("prices/<int:pk>/extend/", api_pricing.PriceExtendApi.as_view(), name="api-price-extend"),
    path("prices/<int:pk>/report/", api_pricing.PriceReportApi.as_view(), name="api-price-report"),
    path("prices/<int:pk>/objection/", api_pricing.PriceAppraisalObjectionApi.as_view(), name="api-price-objection"),
    path("price-quotes/<int:pk>/objection/", api_pricing.QuoteObjectionApi.as_view(), name="api-quote-objection"),
    path(
        "price-quotes/<int:pk>/objection/reject/",
        api_pricing.QuoteObjectionRejectApi.as_view(),
        name="api-quote-objection-reject",
    ),
    path("agency/price-inquiries/", api_pricing.AgencyPriceInquiryListApi.as_view(), name="api-agency-price-inquiries"),
    path(
        "agency/price-inquiries/<int:pk>/answer/",
        api_pricing.AgencyPriceInquiryAnswerApi.as_view(),
        name="api-agency-price-inquiry-answer",
    ),
    # end reference price
]

# Disposal (网拍规定 2016): officers' steps and the platforms' bids and results (issue 7, helper D2).
from . import api_auctions  # noqa: E402

urlpatterns += [
    path("enforcement-cases/<int:pk>/disposal/", api_auctions.CaseDisposalApi.as_view(), name="api-case-disposal"),
    path(
        "enforcement-cases/<int:pk>/auctions/",
        api_auctions.CaseAuctionAnnounceApi.as_view(),
        name="api-auction-announce",
    ),
    path(
        "enforcement-cases/<int:pk>/in-kind-settlements/",
        api_auctions.CaseInKindSettlementApi.as_view(),
        name="api-in-kind-settlement",
    ),
    path(
        "auctions/<int:pk>/second-round/",
        api_auctions.AuctionSecondRoundApi.as_view(),
        name="api-auction-second-round",
    ),
    path("auctions/<int:pk>/sale/", api_auctions.AuctionSaleApi.as_view(), name="api-auction-sale"),
    path("auctions/<int:pk>/default/", api_auctions.AuctionDefaultApi.as_view(), name="api-auction-default"),
    path("auctions/<int:pk>/withdraw/", api_auctions.AuctionWithdrawApi.as_view(), name="api-auction-withdraw"),
    path("auctions/<int:pk>/suspend/", api_auctions.AuctionSuspendApi.as_view(), name="api-auction-suspend"),
    path("auction-recommendations/", api_auctions.RecommendationApi.as_view(), name="api-auction-recommendations"),
    path("platform/auctions/", api_auctions.PlatformAuctionListApi.as_view(), name="api-platform-auction-list"),
    path("platform/auctions/<int:pk>/bids/", api_auctions.PlatformBidApi.as_view(), name="api-platform-auction-bid"),
    path(
        "platform/auctions/<int:pk>/close/", api_auctions.PlatformCloseApi.as_view(), name="api-platform-auction-close"
    ),
]
