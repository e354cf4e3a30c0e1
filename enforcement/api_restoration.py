"""API of issue 5 (api_restoration)."""

urlpatterns: list = []
