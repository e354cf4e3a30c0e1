"""Pages of command: the officer workspace, the division command view, statistics and the relation graph."""

from django.urls import path

from . import urls_decision, urls_division, urls_graph, urls_workspace, views

app_name = "command"
urlpatterns: list = [
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
]
urlpatterns += urls_workspace.urlpatterns + urls_division.urlpatterns
urlpatterns += urls_graph.urlpatterns + urls_decision.urlpatterns
