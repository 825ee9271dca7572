app_name = "edition"

urlpatterns: list = []
