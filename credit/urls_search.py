"""Public search pages (issue 6)."""

urlpatterns: list = []
