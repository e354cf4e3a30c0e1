from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
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
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.forms import LoginForm

api_v1 = [
    path("", include("core.api_urls")),
    path("", include("cases.api_urls")),
    path("", include("enforcement.api_urls")),
    path("", include("assets.api_urls")),
]

urlpatterns = [
    path("", include("core.urls")),
    # Pages without the base template (the API docs) still get an icon instead of a 404 in the log.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("css/favicon.svg"), permanent=True))),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("cases/", include("cases.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("assets/", include("assets.urls")),
    path("credit/", include("credit.urls")),
    path("bankruptcy/", include("bankruptcy.urls")),
    path("command/", include("command.urls")),
    path("api/v1/", include(api_v1)),
    # JSON first, so a browser shows the schema instead of downloading it; ?format=yaml gives YAML.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(
            renderer_classes=[OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer, OpenApiYamlRenderer2]
        ),
        name="schema",
    ),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "执行 Zhixing"
admin.site.site_title = "执行 Zhixing"
