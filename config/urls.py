from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.forms import LoginForm


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: JSON for programs (``?format=yaml`` for YAML). A person who opens it in a browser
    (asking for HTML, no explicit format) is sent to the interactive docs, which read the same schema."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer, OpenApiYamlRenderer2]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if "text/html" in request.headers.get("Accept", "") and "format" not in request.query_params:
            return redirect("api-docs")
        return super().get(request, *args, **kwargs)


# sha256 of the inline <style> block of drf-spectacular's swagger_ui.html (0.30)
SWAGGER_UI_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"

api_v1 = [
    path("", include("core.api_urls")),
    path("", include("cases.api_urls")),
    path("", include("enforcement.api_urls")),
    path("", include("assets.api_urls")),
    path("", include("credit.api_urls")),
    path("", include("bankruptcy.api_urls")),
    path("", include("command.api_urls")),
]

urlpatterns = [
    path("", include("core.urls")),
    # Pages without the base template (the API docs) still get an icon instead of a 404 in the log.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("css/favicon.svg"), permanent=True))),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("public/", include("enforcement.urls_public")),
    path("public/", include("credit.urls_public")),
    path("cases/", include("cases.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("assets/", include("assets.urls")),
    path("credit/", include("credit.urls")),
    path("bankruptcy/", include("bankruptcy.urls")),
    path("command/", include("command.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # Swagger UI's init script comes from ?script (the split view), not inline: the Content-Security-Policy allows
    # only our own script files. Its page keeps one small inline <style>, allowed by its hash (recomputed by
    # tests/security/test_csp.py, so a drf-spectacular upgrade that changes the block fails there, not in a browser).
    path(
        "api/docs/",
        csp_update({"style-src": [SWAGGER_UI_STYLE_HASH]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

# The database unreachable while a middleware loads the session: 503 with a message (core.middleware), not a 500.
handler500 = "core.middleware.server_error"

admin.site.site_header = "执行 Zhixing"
admin.site.site_title = "执行 Zhixing"
