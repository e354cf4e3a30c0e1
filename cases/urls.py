from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseFileView.as_view(), name="file"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("parties/<int:pk>/", views.PartyDetailView.as_view(), name="party"),
]
