"""Staff pages of the correction requests (失信规定 arts. 11–12), mounted under /credit/."""

from django.urls import path

from . import views_corrections as views

urlpatterns = [
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("corrections/<int:pk>/", views.CorrectionDetailView.as_view(), name="correction-detail"),
    path(
        "corrections/<int:pk>/decide/",
        views.CorrectionActionView.as_view(action="decide"),
        name="correction-decide",
    ),
    path(
        "corrections/<int:pk>/corrected/",
        views.CorrectionActionView.as_view(action="corrected"),
        name="correction-corrected",
    ),
    path(
        "corrections/<int:pk>/rejection-served/",
        views.CorrectionActionView.as_view(action="served"),
        name="correction-served",
    ),
    path(
        "corrections/<int:pk>/reconsideration/",
        views.CorrectionActionView.as_view(action="reconsideration"),
        name="correction-reconsideration",
    ),
    path(
        "corrections/<int:pk>/reconsideration/decided/",
        views.CorrectionActionView.as_view(action="reconsidered"),
        name="correction-reconsidered",
    ),
    path("listings/<int:listing_pk>/corrections/new/", views.CorrectionFileView.as_view(), name="correction-file"),
]
