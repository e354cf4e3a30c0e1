"""Pages of credit (issue 6): restrictions (限制消费令, 限制出境)."""

from django.urls import path

from . import views_restrictions as views

urlpatterns = [
    path(
        "enforcement/<int:enforcement_pk>/restrictions/",
        views.CaseRestrictionsView.as_view(),
        name="case-restrictions",
    ),
    path(
        "enforcement/<int:enforcement_pk>/restrictions/issue/",
        views.RestrictionIssueView.as_view(),
        name="restriction-issue",
    ),
    path(
        "enforcement/<int:enforcement_pk>/restrictions/lift/",
        views.RestrictionLiftView.as_view(),
        name="restriction-lift",
    ),
    path(
        "enforcement/<int:enforcement_pk>/restrictions/permission/",
        views.PermissionGrantView.as_view(),
        name="restriction-permission",
    ),
    path("restrictions/", views.RestrictionListView.as_view(), name="restrictions"),
    path("restrictions/<int:pk>/order/", views.RestrictionOrderView.as_view(), name="restriction-order"),
]
