from . import api_corrections, api_feed, api_listing, api_public, api_restrictions

urlpatterns = (
    api_listing.urlpatterns
    + api_restrictions.urlpatterns
    + api_corrections.urlpatterns
    + api_feed.urlpatterns
    + api_public.urlpatterns
)
