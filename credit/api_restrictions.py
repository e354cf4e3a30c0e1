"""API of credit (issue 6): api_restrictions."""

urlpatterns: list = []
