"""Pages of the applicant's restoration requests (issue 5)."""

urlpatterns: list = []
