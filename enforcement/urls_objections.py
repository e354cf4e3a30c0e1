"""Pages of enforcement: objections (执异/执复) — the case-page panel."""

from django.urls import path

from . import views_objections as views

urlpatterns: list = [
    path("<int:pk>/objections/", views.CaseObjectionsView.as_view(), name="case-objections"),
]
