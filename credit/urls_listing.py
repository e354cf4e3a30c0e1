"""Pages of credit (issue 6): listing."""

from django.urls import path

from . import views_listing

urlpatterns = [
    path("enforcement/<int:enforcement_pk>/listings/", views_listing.CaseListingsView.as_view(), name="case-listings"),
]
