"""Public pages of credit, no login (mounted at /public/ with the namespace "disclosure"): searching the
dishonest list, the restricted list, the 终本 list and debtors; correction requests; the party portal."""

from . import urls_corrections_public, urls_portal, urls_search

app_name = "disclosure"
urlpatterns = urls_search.urlpatterns + urls_corrections_public.urlpatterns + urls_portal.urlpatterns
