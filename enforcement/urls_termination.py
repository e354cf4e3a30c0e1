"""Pages of 终本 and settlements (issue 5), mounted under /enforcement/."""

from django.urls import path

from . import views_termination as views

urlpatterns = [
    path("terminations/", views.TerminationQueueView.as_view(), name="terminations"),
    path("terminations/<int:pk>/ruling/", views.TerminationRulingView.as_view(), name="termination-ruling"),
    path("terminated/", views.TerminatedListView.as_view(), name="terminated"),
    path("<int:pk>/termination/", views.TerminationProposeView.as_view(), name="termination-propose"),
    path("<int:pk>/termination/decide/", views.TerminationDecideView.as_view(), name="termination-decide"),
    path("<int:pk>/termination/withdraw/", views.TerminationWithdrawView.as_view(), name="termination-withdraw"),
    path("<int:pk>/settlements/", views.SettlementRecordView.as_view(), name="settlement-record"),
    path("<int:pk>/settlements/performed/", views.SettlementPerformedView.as_view(), name="settlement-performed"),
]
