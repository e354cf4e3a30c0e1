from django.urls import path

from . import otp, views, views_jobs, views_verify

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.AuditLogListView.as_view(), name="audit-list"),
    path("jobs/", views_jobs.job_list, name="job-list"),
    path("jobs/<int:pk>/", views_jobs.job_partial, name="job"),
    path("jobs/<int:pk>/download/", views_jobs.job_download, name="job-download"),
    path("account/otp/", otp.otp_setup, name="otp-setup"),
    path("account/otp/verify/", otp.otp_verify_view, name="otp-verify"),
    path("account/otp/remove/", otp.otp_remove, name="otp-remove"),
    path("account/otp/backup-codes/", otp.otp_backup_codes, name="otp-backup-codes"),
    path("verify/", views_verify.verify, name="verify"),
    path("verify/<str:number>/", views_verify.verify, name="verify-number"),
]
