"""The REST API, version 1: one root, the schema, the docs, and each app's routes.

Every API route lives in the ``api`` namespace; the apps' route lists are joined here.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.api_root import api_root
from edition.api.urls import urlpatterns as edition_routes

app_name = "api"

urlpatterns = [
    # allows /api/v1/
    path("", api_root, name="root"),
    # allows /api/v1/schema/
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # allows /api/v1/docs/
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # allows /api/v1/redoc/
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *edition_routes,
]
