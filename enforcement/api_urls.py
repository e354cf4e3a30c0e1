from django.urls import path

from . import (
    api,
    api_coercion,
    api_distribution,
    api_objections,
    api_public,
    api_restoration,
    api_rewards,
    api_termination,
)

urlpatterns = [
    path("enforcement-cases/", api.EnforcementCaseListCreateApi.as_view(), name="api-enforcement-case-list"),
    path("enforcement-cases/assign-bulk/", api.AssignBulkApi.as_view(), name="api-enforcement-assign-bulk"),
    path("enforcement-cases/<int:pk>/", api.EnforcementCaseDetailApi.as_view(), name="api-enforcement-case-detail"),
    path(
        "enforcement-cases/<int:pk>/transitions/<str:name>/",
        api.TransitionApi.as_view(),
        name="api-enforcement-transition",
    ),
    path("enforcement-cases/<int:pk>/suspend/", api.SuspendApi.as_view(), name="api-enforcement-suspend"),
    path("enforcement-cases/<int:pk>/resume/", api.ResumeApi.as_view(), name="api-enforcement-resume"),
    path("enforcement-cases/<int:pk>/close/", api.CloseApi.as_view(), name="api-enforcement-close"),
    path("enforcement-cases/<int:pk>/restore/", api.RestoreApi.as_view(), name="api-enforcement-restore"),
    path("enforcement-cases/<int:pk>/triage/", api.TriageApi.as_view(), name="api-enforcement-triage"),
    path("enforcement-cases/<int:pk>/assign/", api.AssignApi.as_view(), name="api-enforcement-assign"),
    path("enforcement-cases/<int:pk>/notices/", api.NoticeIssueApi.as_view(), name="api-enforcement-notices"),
    path(
        "enforcement-cases/<int:pk>/extensions/", api.ExtensionRequestApi.as_view(), name="api-enforcement-extensions"
    ),
    path("notices/<int:pk>/download/", api.NoticeDownloadApi.as_view(), name="api-notice-download"),
    path("extensions/<int:pk>/decide/", api.ExtensionDecideApi.as_view(), name="api-extension-decide"),
]
urlpatterns += api_termination.urlpatterns + api_restoration.urlpatterns + api_public.urlpatterns
urlpatterns += api_distribution.urlpatterns
urlpatterns += api_objections.urlpatterns + api_coercion.urlpatterns + api_rewards.urlpatterns
