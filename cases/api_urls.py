from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListCreateApi.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/trial-events/", api.TrialEventListCreateApi.as_view(), name="api-case-trial-events"),
    path("cases/<int:pk>/documents/", api.DocumentListCreateApi.as_view(), name="api-case-documents"),
    path("cases/<int:pk>/preservations/", api.PreservationListCreateApi.as_view(), name="api-case-preservations"),
    path("cases/<int:pk>/alerts/", api.AlertListApi.as_view(), name="api-case-alerts"),
    path(
        "cases/<int:pk>/preservation-recommendation/",
        api.RecommendationApi.as_view(),
        name="api-case-preservation-recommendation",
    ),
    path("cases/<int:pk>/preservation-notices/", api.NoticeDecisionListCreateApi.as_view(), name="api-case-notices"),
    path("cases/<int:pk>/appeal/", api.AppealFileApi.as_view(), name="api-case-appeal"),
    path("documents/<int:pk>/effective/", api.DocumentEffectiveApi.as_view(), name="api-document-effective"),
    path("documents/<int:pk>/performed/", api.DocumentPerformedApi.as_view(), name="api-document-performed"),
    path("preservations/<int:pk>/decide/", api.PreservationDecideApi.as_view(), name="api-preservation-decide"),
    path("preservations/<int:pk>/measures/", api.MeasureListCreateApi.as_view(), name="api-preservation-measures"),
    path("preservation-notices/<int:pk>/docx/", api.NoticeDocxApi.as_view(), name="api-notice-docx"),
    path("parties/", api.PartyListCreateApi.as_view(), name="api-party-list"),
    path("parties/<int:pk>/", api.PartyDetailApi.as_view(), name="api-party-detail"),
    path("cases/<int:pk>/clues/", api.ClueReportApi.as_view(), name="api-case-clues"),
    path("parties/<int:pk>/relations/", api.PartyRelationListApi.as_view(), name="api-party-relations"),
    path("party-relations/", api.PartyRelationCreateApi.as_view(), name="api-party-relation-create"),
    path("property-transfers/", api.PropertyTransferCreateApi.as_view(), name="api-property-transfer-create"),
    path("notifications/", api.NotificationListApi.as_view(), name="api-notification-list"),
    path("notifications/<int:pk>/read/", api.NotificationReadApi.as_view(), name="api-notification-read"),
]
