from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

from config import health


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers and feed readers ask for /favicon.ico whatever a page links; the icon is a
    static file. A temporary redirect: the file's address changes with its content."""
    return HttpResponseRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("commentary.accounts.pages.urls")),
    path("", include("commentary.moderation.pages.urls")),
    path("", include("commentary.notifications.pages.urls")),
    path("", include("commentary.notifications.pages.feed_urls")),
    path("", include("commentary.groups.pages.urls")),
    path("", include("commentary.accounts.pages.own_urls")),
    path("", include("commentary.webhooks.pages.urls")),
    path("", include("commentary.annotations.pages.urls")),
    path("", include("commentary.search.pages.urls")),
    path("", include("commentary.pages.urls")),
    path("", include("edition.pages.urls")),
]

if settings.SCHOLIA_METRICS:
    # /metrics: the balancer refuses it from outside (docs/deploy.md).
    urlpatterns.insert(0, path("", include("django_prometheus.urls")))

handler400 = "config.request_limits.bad_request"
handler500 = "config.unavailable.server_error"
