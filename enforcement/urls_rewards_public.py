"""Public pages: reward notices (悬赏公告) and the tip-off form, mounted at /public/ in the "public" namespace."""

from django.urls import path

from . import views_rewards

urlpatterns: list = [
    path("reward-notices/", views_rewards.RewardNoticeListView.as_view(), name="reward-list"),
    path("reward-notices/<int:pk>/", views_rewards.RewardNoticeDetailView.as_view(), name="reward-detail"),
    path("tip-offs/new/", views_rewards.CaseTipOffView.as_view(), name="tip-new"),
    path("tip-offs/thanks/", views_rewards.TipThanksView.as_view(), name="tip-thanks"),
]
