from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListCreateApi.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="api-case-detail"),
    path("parties/", api.PartyListCreateApi.as_view(), name="api-party-list"),
    path("parties/<int:pk>/", api.PartyDetailApi.as_view(), name="api-party-detail"),
]
