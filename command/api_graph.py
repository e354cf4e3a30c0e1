"""Placeholder (contract): the graph API routes."""

urlpatterns: list = []
