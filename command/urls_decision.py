from django.urls import path

from . import views_decision as views

urlpatterns = [
    path("cases/<int:pk>/decision/", views.CaseDecisionView.as_view(), name="case-decision"),
]
