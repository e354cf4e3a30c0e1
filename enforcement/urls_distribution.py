"""Pages of the distribution of the case fund and the case-fund ageing, mounted under /enforcement/ (add to
``enforcement/urls.py``: ``urlpatterns += urls_distribution.urlpatterns``)."""

from django.urls import path

from . import views_distribution as views

urlpatterns = [
    path("funds/ageing/", views.FundAgeingListView.as_view(), name="fund-ageing"),
    path("<int:pk>/distribution/", views.DistributionProposeView.as_view(), name="distribution-propose"),
    path("<int:pk>/distribution/decide/", views.DistributionDecideView.as_view(), name="distribution-decide"),
    path("<int:pk>/distribution/objection/", views.DistributionObjectionView.as_view(), name="distribution-objection"),
    path(
        "<int:pk>/distribution/objection/decide/",
        views.DistributionObjectionDecideView.as_view(),
        name="distribution-objection-decide",
    ),
    path("<int:pk>/distribution/pay/", views.DistributionPayView.as_view(), name="distribution-pay"),
]
