"""Placeholder (contract): the workspace API routes."""

urlpatterns: list = []
