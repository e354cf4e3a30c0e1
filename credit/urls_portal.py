"""The party portal (issue 6): a party enters the case number and its query code and sees the case's progress."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("portal/", views_public.PortalView.as_view(), name="portal"),
]
