"""Public search pages (issue 6): the dishonest list, consumption restrictions in force and debtors, searched by
name, identifier or case number; one dishonest entry by its opaque token (never a sequential id)."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("dishonest/", views_public.DishonestSearchView.as_view(), name="dishonest-search"),
    path("dishonest/<str:token>/", views_public.DishonestDetailView.as_view(), name="dishonest-detail"),
    path("restricted/", views_public.RestrictedSearchView.as_view(), name="restricted-search"),
    path("debtors/", views_public.DebtorSearchView.as_view(), name="debtor-search"),
]
