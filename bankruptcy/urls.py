"""Pages of bankruptcy: 执转破 screening and transfer, bankruptcy cases and suspension across cases."""

from django.urls import path

from . import views

app_name = "bankruptcy"
urlpatterns = [
    path("", views.ScreeningView.as_view(), name="index"),
    path("refresh/", views.RefreshView.as_view(), name="refresh"),
    path("suggestions/<int:pk>/dismiss/", views.DismissView.as_view(), name="dismiss"),
    path("transfers/new/", views.TransferProposeView.as_view(), name="transfer-new"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer"),
    path("transfers/<int:pk>/notice/", views.TransferNoticeView.as_view(), name="transfer-notice"),
    path("transfers/<int:pk>/consent/", views.ConsentView.as_view(), name="transfer-consent"),
    path("transfers/<int:pk>/rule/", views.RuleView.as_view(), name="transfer-rule"),
    path("transfers/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="transfer-withdraw"),
    path("transfers/<int:pk>/decide/", views.DecideView.as_view(), name="transfer-decide"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("cases/<int:pk>/administrator/", views.AdministratorView.as_view(), name="case-administrator"),
    path("cases/<int:pk>/claims/", views.ClaimFileView.as_view(), name="case-claim"),
    path("cases/<int:pk>/claims/review/", views.ClaimReviewView.as_view(), name="case-review"),
    path("cases/<int:pk>/distributions/", views.DistributionView.as_view(), name="case-distribution"),
    path("cases/<int:pk>/declare/", views.DeclareView.as_view(), name="case-declare"),
    path("cases/<int:pk>/close/", views.CloseView.as_view(), name="case-close"),
    path("debtors/<int:party_id>/", views.DebtorView.as_view(), name="debtor"),
]
