from django.urls import path

from . import api

urlpatterns = [
    path("agency/requests/", api.AgencyRequestListApi.as_view(), name="api-agency-request-list"),
    path("agency/requests/<int:pk>/answers/", api.AgencyAnswerApi.as_view(), name="api-agency-request-answer"),
    path("agency/requests/<int:pk>/confirm/", api.AgencyConfirmApi.as_view(), name="api-agency-request-confirm"),
    path("enforcement-cases/<int:pk>/controls/", api.CaseControlsApi.as_view(), name="api-enforcement-controls"),
    path("controls/<int:pk>/release/", api.ControlReleaseApi.as_view(), name="api-control-release"),
    path("controls/<int:pk>/renew/", api.ControlRenewApi.as_view(), name="api-control-renew"),
    path("controls/<int:pk>/deduct/", api.ControlDeductApi.as_view(), name="api-control-deduct"),
    path("tracking-plans/", api.TrackingPlanListApi.as_view(), name="api-tracking-plan-list"),
    path("tracking-plans/<int:pk>/", api.TrackingPlanDetailApi.as_view(), name="api-tracking-plan-detail"),
]
