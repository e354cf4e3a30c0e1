from django.urls import path

from . import api

urlpatterns = [
    path("courts/", api.CourtListApi.as_view(), name="api-court-list"),
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("jobs/<int:pk>/", api.JobApi.as_view(), name="api-job"),
]
