"""Pages of credit: the dishonest list, consumption and exit restrictions, public disclosure and the credit feed."""

app_name = "credit"
urlpatterns: list = []
