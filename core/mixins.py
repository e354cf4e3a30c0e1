"""Page-view helpers: an explicit capability on every staff page."""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured


class CapabilityRequiredMixin(AccessMixin):
    """Set ``capability``; anonymous users go to the login page, users without it get 403."""

    capability: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not self.capability:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its capability.")
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (request.user.is_superuser or request.user.can(self.capability)):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
