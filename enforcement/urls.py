"""Pages of enforcement: the officer's cases, the case page and its actions, bulk assignment and the
extension approvals."""

from django.urls import path

from . import (
    urls_coercion,
    urls_distribution,
    urls_objections,
    urls_restoration,
    urls_rewards,
    urls_termination,
    views,
)

app_name = "enforcement"
urlpatterns = [
    path("", views.EnforcementListView.as_view(), name="list"),
    path("assign/", views.BulkAssignView.as_view(), name="assign"),
    path("extensions/", views.ExtensionListView.as_view(), name="extensions"),
    path("apply/<int:document_pk>/", views.EnforcementApplyView.as_view(), name="apply"),
    path("notices/<int:pk>/download/", views.NoticeDownloadView.as_view(), name="notice-download"),
    path("<int:pk>/", views.EnforcementDetailView.as_view(), name="detail"),
    path("<int:pk>/assign/", views.AssignView.as_view(), name="case-assign"),
    path("<int:pk>/triage/", views.TriageView.as_view(), name="case-triage"),
    path("<int:pk>/track/", views.TrackView.as_view(), name="case-track"),
    path("<int:pk>/step/", views.TransitionView.as_view(), name="case-step"),
    path("<int:pk>/notices/", views.NoticeView.as_view(), name="case-notice"),
    path("<int:pk>/suspend/", views.SuspendView.as_view(), name="case-suspend"),
    path("<int:pk>/resume/", views.ResumeView.as_view(), name="case-resume"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="case-close"),
    path("<int:pk>/restore/", views.RestoreView.as_view(), name="case-restore"),
    path("<int:pk>/extension/", views.ExtensionRequestView.as_view(), name="case-extension"),
    path("<int:pk>/extension/decide/", views.ExtensionDecideView.as_view(), name="case-extension-decide"),
]
urlpatterns += urls_termination.urlpatterns + urls_restoration.urlpatterns + urls_distribution.urlpatterns
urlpatterns += urls_objections.urlpatterns + urls_coercion.urlpatterns + urls_rewards.urlpatterns
