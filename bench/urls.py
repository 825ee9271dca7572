"""The app's own routes plus two baselines measured in the same run: a bare Django view
returning 50 KB of HTML, and a bare DRF view returning a small JSON list."""

from django.http import HttpResponse
from django.urls import include, path
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response

_BARE_HTML = (
    "<!doctype html><html lang=en><title>bare</title><body>"
    + "<p>"
    + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 8
    + "</p>\n"
) * 110 + "</body></html>"
_BARE_ITEMS = [{"id": n, "key": f"p{n}", "text": "Lorem ipsum dolor sit amet."} for n in range(50)]


def bare_html(request):
    return HttpResponse(_BARE_HTML)


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def bare_drf(request):
    return Response(_BARE_ITEMS)


urlpatterns = [
    path("bench/bare/", bare_html),
    path("bench/bare-drf/", bare_drf),
    path("", include("config.urls")),
]
