"""The project's WSGI application with the benchmarks' bare views added (``bench.officer_views.urlpatterns``):
what the load benchmark serves with gunicorn, so that the case list API and its bare view are measured under the
same load, by the same server. Never deployed."""

from config.wsgi import application


def _install_bare_views() -> None:
    from bench.officer_views import install_urls  # imports models: only once ``application`` has set Django up

    install_urls()


_install_bare_views()

__all__ = ["application"]
