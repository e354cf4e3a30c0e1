"""Pages of 终本 and the other closing kinds (issue 5): filled in by the termination work."""

urlpatterns: list = []
