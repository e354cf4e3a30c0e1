from django.urls import path

from . import api, api_signing

urlpatterns = [
    path("courts/", api.CourtListApi.as_view(), name="api-court-list"),
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("jobs/<int:pk>/", api.JobApi.as_view(), name="api-job"),
    path("signing-keys/", api_signing.SigningKeyListApi.as_view(), name="api-signing-keys"),
    path("audit/", api.AuditLogListApi.as_view(), name="api-audit-list"),
]
