"""The REST API, version 1: one root, the schema, the docs, and each app's routes.

Every API route lives in the ``api`` namespace; the apps' route lists are joined here.
The docs page loads Swagger UI from this site's static files (the sidecar package) and its
start-up script from a URL of its own, so it needs no CDN and no inline script under our
CSP. There is no Redoc page: drf-spectacular's template for it loads fonts from Google.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from commentary.accounts.api.urls import urlpatterns as account_routes
from commentary.annotations.api.urls import urlpatterns as annotation_routes
from commentary.api.urls import urlpatterns as comment_routes
from commentary.groups.api.urls import urlpatterns as group_routes
from commentary.moderation.api.urls import urlpatterns as moderation_routes
from commentary.notifications.api.urls import urlpatterns as notification_routes
from commentary.search.api.urls import urlpatterns as search_routes
from commentary.sync.api.urls import urlpatterns as sync_routes
from commentary.webhooks.api.urls import urlpatterns as webhook_routes
from config.api.root import ApiRoot
from edition.api.urls import urlpatterns as edition_routes

app_name = "api"

urlpatterns = [
    # allows /api/v1/
    path("", ApiRoot.as_view(), name="root"),
    # allows /api/v1/schema/
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # allows /api/v1/docs/
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *edition_routes,
    *comment_routes,
    *moderation_routes,
    *group_routes,
    *notification_routes,
    *account_routes,
    *annotation_routes,
    *search_routes,
    *sync_routes,
    *webhook_routes,
]
