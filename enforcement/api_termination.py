"""API of issue 5 (api_termination)."""

urlpatterns: list = []
