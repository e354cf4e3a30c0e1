"""Pages of command: the officer workspace, the division command view, statistics and the relation graph."""

from django.urls import path

from . import views

app_name = "command"
urlpatterns: list = [
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
]
