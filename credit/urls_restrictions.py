"""Pages of credit (issue 6): restrictions."""

from django.urls import path

from . import views_restrictions

urlpatterns = [
    path(
        "enforcement/<int:enforcement_pk>/restrictions/",
        views_restrictions.CaseRestrictionsView.as_view(),
        name="case-restrictions",
    ),
]
