"""API of credit (issue 6): api_listing."""

urlpatterns: list = []
