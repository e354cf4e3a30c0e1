from django.urls import path

from . import api

urlpatterns = [
    path("agency/requests/", api.AgencyRequestListApi.as_view(), name="api-agency-request-list"),
    path("agency/requests/<int:pk>/answers/", api.AgencyAnswerApi.as_view(), name="api-agency-request-answer"),
]
