from django.urls import path

from . import views

app_name = "assets"
urlpatterns = [
    path("enforcement/<int:enforcement_pk>/queries/", views.QueryProgressView.as_view(), name="query-progress"),
    path("enforcement/<int:enforcement_pk>/measures/", views.CaseMeasuresView.as_view(), name="case-measures"),
    path("measures/", views.MeasureListView.as_view(), name="measure-list"),
    path("reminders/mine/", views.MyRemindersView.as_view(), name="my-reminders"),
    path("enforcement/<int:enforcement_pk>/tracking/", views.CaseTrackingView.as_view(), name="case-tracking"),
    path("tracking/", views.TrackingListView.as_view(), name="tracking-list"),
]

# Disposal (网拍规定 2016): the case-page partial with its forms (issue 7, helper D2).
from . import views_auctions  # noqa: E402

urlpatterns += [
    path(
        "enforcement/<int:enforcement_pk>/disposal/",
        views_auctions.CaseDisposalView.as_view(),
        name="case-disposal",
    ),
]

# Reference price (参考价规定 2018): the case-page partial with its forms (issue 7, helper D1).
from . import views_pricing  # noqa: E402

urlpatterns += [
    path("enforcement/<int:enforcement_pk>/pricing/", views_pricing.CasePricingView.as_view(), name="case-pricing"),
]
