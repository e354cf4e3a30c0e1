from django.urls import path

from . import views_graph as views

urlpatterns = [
    path("graph/<int:party_pk>/", views.GraphView.as_view(), name="graph"),
]
