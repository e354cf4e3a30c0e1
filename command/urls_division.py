from django.urls import path

from . import views_division as views

urlpatterns = [
    path("division/", views.DivisionView.as_view(), name="division"),
    path("cases/<int:pk>/onsite/", views.CaseOnSiteView.as_view(), name="case-onsite"),
]
