"""Pages of bankruptcy: 执转破 screening and transfer, bankruptcy cases and suspension across cases."""

app_name = "bankruptcy"
urlpatterns: list = []
