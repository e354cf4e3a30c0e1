from django.urls import path

from . import views

app_name = "assets"
urlpatterns = [
    path("enforcement/<int:enforcement_pk>/queries/", views.QueryProgressView.as_view(), name="query-progress"),
]
