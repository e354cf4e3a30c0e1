"""Public pages: the 终本 case list (终本规定 2016 arts. 12–13), mounted at /public/."""

from django.urls import path

from . import urls_rewards_public, views_public

app_name = "public"
urlpatterns = [
    path("terminated-cases/", views_public.TerminatedCaseListView.as_view(), name="terminated-list"),
    path("terminated-cases/<int:pk>/", views_public.TerminatedCaseDetailView.as_view(), name="terminated-detail"),
]
urlpatterns += urls_rewards_public.urlpatterns
