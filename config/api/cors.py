"""Cross-origin use of the API from a browser (django-cors-headers), for the origins the
site names (``SCHOLIA_CORS_ORIGINS``) and with a token only.

A page on another origin may call the API with ``Authorization: Bearer <token>``: the
preflight allows that header and the conditional and idempotency ones, and the answer
exposes what a client needs to read (``CORS_ALLOW_HEADERS`` and ``CORS_EXPOSE_HEADERS`` in
the settings). Credentials are never allowed cross-origin (no
``Access-Control-Allow-Credentials``), and a request from another origin is never
signed in by the session cookie a browser may still attach to it: the session counts only
for the site's own pages and their own origin.
"""

from corsheaders.middleware import CorsMiddleware
from django.http import HttpRequest
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication

from config.site.caching import site_origin


def own_origins(request: HttpRequest) -> set[str]:
    """The origins the site's own pages are served from: this request's, and the one the
    site is configured under."""
    return {f"{request.scheme}://{request.get_host()}", site_origin()} - {""}


def is_cross_origin(request: HttpRequest) -> bool:
    """Whether a browser says the request comes from a page of another origin."""
    origin = request.headers.get("Origin")
    return origin is not None and origin not in own_origins(request)


def is_preflight(request: HttpRequest) -> bool:
    return request.method == "OPTIONS" and "access-control-request-method" in request.headers


def cors_enabled(request: HttpRequest) -> bool:
    """CORS answers only preflights and requests that carry a token: an anonymous or
    cookie-bearing request from another origin gets no CORS header, so its browser keeps
    the answer from the page that asked. Read by ``ApiCorsMiddleware``."""
    return is_preflight(request) or "authorization" in request.headers


class ApiCorsMiddleware(CorsMiddleware):
    """django-cors-headers' middleware, under /api/ (``CORS_URLS_REGEX``) and for the
    requests ``cors_enabled`` lets through."""

    def is_enabled(self, request: HttpRequest) -> bool:
        return super().is_enabled(request) and cors_enabled(request)


class SameOriginSessionAuthentication(SessionAuthentication):
    """The browser's session, for requests from the site's own pages only: a request from
    another origin carrying the session cookie is not signed in by it (it is anonymous
    unless it carries a token)."""

    def authenticate(self, request):
        if is_cross_origin(request._request):
            return None
        return super().authenticate(request)


class SameOriginSessionScheme(SessionScheme):
    """The session in the schema: drf-spectacular's cookie scheme, said to be for the
    site's own pages."""

    target_class = SameOriginSessionAuthentication
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": "The browser's session, for the site's own pages only: a request "
            "from another origin is never signed in by it (use a token).",
        }
