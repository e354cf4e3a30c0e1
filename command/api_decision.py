"""Placeholder (contract): the decision API routes."""

urlpatterns: list = []
