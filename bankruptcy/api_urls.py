"""The bankruptcy API (issue 8), mounted under /api/v1/ by config/urls.py."""

from .api import urlpatterns  # noqa: F401
