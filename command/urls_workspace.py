from django.urls import path

from . import views_workspace as views

urlpatterns = [
    path("workspace/", views.WorkspaceView.as_view(), name="workspace"),
    path("workspace/counts/", views.WorkspaceCountsView.as_view(), name="workspace-counts"),
]
