from .api import urlpatterns

__all__ = ["urlpatterns"]
