from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseFileView.as_view(), name="file"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/trial-events/", views.TrialEventCreateView.as_view(), name="trial-event"),
    path("<int:pk>/documents/", views.DocumentCreateView.as_view(), name="document"),
    path("<int:pk>/preservations/", views.PreservationCreateView.as_view(), name="preservation"),
    path("<int:pk>/preservation-notices/", views.NoticeDecideView.as_view(), name="notice-decide"),
    path("documents/<int:pk>/effective/", views.DocumentEffectiveView.as_view(), name="document-effective"),
    path("documents/<int:pk>/performed/", views.DocumentPerformedView.as_view(), name="document-performed"),
    path("preservations/<int:pk>/decide/", views.PreservationDecideView.as_view(), name="preservation-decide"),
    path("preservations/<int:pk>/measures/", views.MeasureCreateView.as_view(), name="measure"),
    path("preservation-notices/<int:pk>/docx/", views.NoticeDocxView.as_view(), name="notice-docx"),
    path("parties/<int:pk>/", views.PartyDetailView.as_view(), name="party"),
    path("<int:pk>/relations/", views.RelationCreateView.as_view(), name="relation"),
    path("<int:pk>/transfers/", views.TransferCreateView.as_view(), name="transfer"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/mine/", views.MyNotificationsView.as_view(), name="notifications-mine"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
]
