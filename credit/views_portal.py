"""The party portal's page lives in ``credit.views_public.PortalView`` (it shares the public pages' rate limit);
staff issue query codes through the API (``POST /api/v1/cases/{id}/query-code/``, ``credit.api_public``)."""

from .views_public import PortalView

__all__ = ["PortalView"]
