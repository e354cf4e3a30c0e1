"""Pages of the applicant's restoration requests (issue 5), mounted under /enforcement/."""

from django.urls import path

from . import views_restoration as views

urlpatterns = [
    path("<int:pk>/restoration-requests/", views.RestorationRecordView.as_view(), name="restoration-record"),
    path("<int:pk>/restoration-requests/decide/", views.RestorationDecideView.as_view(), name="restoration-decide"),
]
