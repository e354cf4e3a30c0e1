"""Pages of credit (issue 6): the dishonest list (失信被执行人名单)."""

from django.urls import path

from . import views_listing as views

urlpatterns = [
    path("enforcement/<int:enforcement_pk>/listings/", views.CaseListingsView.as_view(), name="case-listings"),
    path(
        "enforcement/<int:enforcement_pk>/listings/propose/",
        views.ListingProposeView.as_view(),
        name="listing-propose",
    ),
    path("enforcement/<int:enforcement_pk>/listings/decide/", views.ListingDecideView.as_view(), name="listing-decide"),
    path("enforcement/<int:enforcement_pk>/listings/extend/", views.ListingExtendView.as_view(), name="listing-extend"),
    path("enforcement/<int:enforcement_pk>/listings/remove/", views.ListingRemoveView.as_view(), name="listing-remove"),
    path("listings/", views.ListingListView.as_view(), name="listings"),
    path("listings/<int:pk>/decision/", views.ListingDecisionView.as_view(), name="listing-decision"),
]
