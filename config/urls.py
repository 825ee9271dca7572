from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("commentary.pages.people_urls")),
    path("", include("commentary.pages.urls")),
    path("", include("edition.pages.urls")),
]

handler400 = "config.request_limits.bad_request"
