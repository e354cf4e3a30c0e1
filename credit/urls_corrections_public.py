"""Pages of credit (issue 6): urls_corrections_public."""

urlpatterns: list = []
