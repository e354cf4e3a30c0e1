"""Pages of credit (issue 6): urls_portal."""

urlpatterns: list = []
