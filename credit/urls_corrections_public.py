"""Public correction requests (失信规定 arts. 11–12), no login, mounted under /public/ ("disclosure")."""

from django.urls import path

from . import views_corrections_public as views

urlpatterns = [
    path("corrections/new/", views.PublicCorrectionView.as_view(), name="correction-new"),
    path("corrections/filed/", views.PublicCorrectionFiledView.as_view(), name="correction-filed"),
]
