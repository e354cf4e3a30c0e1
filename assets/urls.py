"""Pages of assets: agencies, assets, query batches, control measures, the agency API, tracking, reference price and
auctions.
"""

app_name = "assets"
urlpatterns: list = []
