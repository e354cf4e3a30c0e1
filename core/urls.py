from django.urls import path

from . import views, views_jobs

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.AuditLogListView.as_view(), name="audit-list"),
    path("jobs/", views_jobs.job_list, name="job-list"),
    path("jobs/<int:pk>/", views_jobs.job_partial, name="job"),
    path("jobs/<int:pk>/download/", views_jobs.job_download, name="job-download"),
]
