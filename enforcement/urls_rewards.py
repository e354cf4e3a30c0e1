"""Pages of enforcement: reward notices and tip-offs (the case-page panel)."""

from django.urls import path

from . import views_rewards

urlpatterns: list = [
    path("<int:pk>/rewards/", views_rewards.CaseRewardsView.as_view(), name="case-rewards"),
]
