"""Pages of credit (issue 6): urls_corrections."""

urlpatterns: list = []
