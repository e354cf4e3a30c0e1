"""Staff pages of credit (惩): the dishonest list, restrictions and correction requests."""

from . import urls_corrections, urls_listing, urls_restrictions

app_name = "credit"
urlpatterns = urls_listing.urlpatterns + urls_restrictions.urlpatterns + urls_corrections.urlpatterns
