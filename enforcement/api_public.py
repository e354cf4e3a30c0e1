"""API of issue 5 (api_public)."""

urlpatterns: list = []
