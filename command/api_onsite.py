"""Placeholder (contract): the onsite API routes."""

urlpatterns: list = []
