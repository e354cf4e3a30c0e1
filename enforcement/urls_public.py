"""Public pages: the 终本 case list (终本规定 2016 arts. 12–13), mounted at /public/."""

app_name = "public"
urlpatterns: list = []
