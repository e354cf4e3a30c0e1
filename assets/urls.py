from django.urls import path

from . import views

app_name = "assets"
urlpatterns = [
    path("enforcement/<int:enforcement_pk>/queries/", views.QueryProgressView.as_view(), name="query-progress"),
    path("enforcement/<int:enforcement_pk>/measures/", views.CaseMeasuresView.as_view(), name="case-measures"),
    path("measures/", views.MeasureListView.as_view(), name="measure-list"),
    path("reminders/mine/", views.MyRemindersView.as_view(), name="my-reminders"),
    path("enforcement/<int:enforcement_pk>/tracking/", views.CaseTrackingView.as_view(), name="case-tracking"),
    path("tracking/", views.TrackingListView.as_view(), name="tracking-list"),
]
