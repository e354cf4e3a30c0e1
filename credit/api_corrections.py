"""API of credit (issue 6): api_corrections."""

urlpatterns: list = []
