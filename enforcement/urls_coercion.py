"""Pages of enforcement: coercion (coercive measures and debtor searches), in the "enforcement" namespace."""

from django.urls import path

from . import views_coercion as views

urlpatterns = [
    path("<int:pk>/coercion/", views.CaseCoercionView.as_view(), name="case-coercion"),
    path("coercion/<int:pk>/document/", views.CoercionDocumentView.as_view(), name="coercion-document"),
]
