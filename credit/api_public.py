"""API of credit (issue 6): api_public."""

urlpatterns: list = []
