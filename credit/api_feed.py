"""API of credit (issue 6): api_feed."""

urlpatterns: list = []
