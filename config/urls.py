from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("commentary.account_urls")),
    path("", include("commentary.urls")),
    path("", include("edition.urls")),
]
