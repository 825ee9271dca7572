"""A page kept for anonymous readers, answered before the rest of the middleware runs.

A reader without a session asks mostly for pages the cache holds (``config.site.caching``).
Answered by the view's wrapper, such a page still passes through every middleware twice
and the URL resolver once, which costs more than reading it. ``CachedPagesMiddleware`` sits
near the top of the stack (below the request log, the security headers and CORS), resolves
the address itself and answers a cache hit at once, adding what the middleware below would
have added to it: the Content-Security-Policy, X-Frame-Options, Content-Length, ``Vary:
Cookie`` (the session middleware's, since the private-pages check asks who the reader is)
and gzip. A hit goes out header for header and byte for byte as the whole stack sends it
(``tests/test_cached_pages.py`` compares them), but for one thing: a page is compressed
once per process, not at every hit (compressing a 150 KB page cost several times what
serving it from the cache does), so its gzip padding against BREACH is the same at each
hit of it. A page kept for every anonymous reader holds no secret of one, which that padding
is there to hide.

Anything else goes down the stack as before: a miss (whose lookup the view's wrapper then
reuses instead of reading the caches again), a request the cache may not answer (a session
or message cookie, credentials, htmx, a conditional request: ``caching.cacheable``), one
carrying a body, a CSRF cookie the CSRF middleware would replace, or a query parameter the
API would refuse. It stands in for exactly the middleware below it in ``MIDDLEWARE`` that it
knows; with any other list below it, it steps aside.
"""

from collections.abc import Callable

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import patch_vary_headers

from config.api.middleware import is_api_path
from config.api.query_parameters import accepted_parameters
from config.site.caching import cacheable, cached_page, is_cached_page
from config.site.gzipped import accepts_gzip

# What the middleware below this one do to an anonymous page from the cache: those listed
# here add nothing to it, or add what ``_as_the_stack_sends`` adds.
STANDS_IN_FOR = (
    "config.replica.ReplicaReadsMiddleware",
    "config.request_limits.RequestBodyLimitMiddleware",
    "config.api.middleware.ApiErrorMiddleware",
    "config.api.middleware.ApiQueryParametersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.request_origin.RequestOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.unavailable.DatabaseUnavailableMiddleware",
)
_CSRF_TOKEN_CHARACTERS = frozenset(CSRF_ALLOWED_CHARS)


def _below(middleware: list[str]) -> list[str]:
    return middleware[middleware.index(f"{__name__}.CachedPagesMiddleware") + 1 :]


def _carries_a_body(request: HttpRequest) -> bool:
    # The body limit's to refuse, whatever the method.
    return request.META.get("CONTENT_LENGTH", "") not in ("", "0") or (
        "HTTP_TRANSFER_ENCODING" in request.META
    )


def _csrf_cookie_kept(request: HttpRequest) -> bool:
    """Whether the CSRF middleware would leave the request's cookie alone: none, or one of a
    form it reads (it replaces any other with a new cookie)."""
    if settings.CSRF_USE_SESSIONS:
        return True
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    return cookie is None or (
        len(cookie) in (CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH)
        and _CSRF_TOKEN_CHARACTERS.issuperset(cookie)
    )


def _refused_by_the_api(request: HttpRequest, view: Callable) -> bool:
    # ``ApiQueryParametersMiddleware`` answers 400 to a parameter the operation does not take.
    if not request.GET or not is_api_path(request.path):
        return False
    accepted = accepted_parameters(view, request.method)
    return accepted is not None and any(name not in accepted for name in request.GET)


class CachedPagesMiddleware:
    """Answer a cache hit for an anonymous reader without running the middleware below; see
    the module doc."""

    # The addresses of cached pages this process resolved, for the next request of each;
    # emptied when full (an address names any slug, real or not).
    RESOLVED_LIMIT = 4096
    # What the pages this process served compress to, by their uncompressed bytes (the same
    # object at each hit of a page the process keeps, which keeps its hash); emptied when
    # the pages and what they compress to would hold more than this.
    COMPRESSED_BYTES = 32 * 1024 * 1024

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if _below(settings.MIDDLEWARE) != list(STANDS_IN_FOR):
            raise MiddlewareNotUsed("The middleware below it are not the ones it stands in for.")
        self.get_response = get_response
        self.csp = CSPMiddleware(get_response)
        self.frame_options = XFrameOptionsMiddleware(get_response)
        self.common = CommonMiddleware(get_response)
        self.gzip = GZipMiddleware(get_response)
        self.resolved: dict[tuple[str | None, str], ResolverMatch] = {}
        self.compressed: dict[bytes, bytes] = {}
        self.compressed_bytes = 0
        self.policy: list[tuple[str, str]] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._cached(request)
        if response is None:
            return self.get_response(request)
        return self._as_the_stack_sends(request, response)

    def _cached(self, request: HttpRequest) -> HttpResponse | None:
        try:
            if not cacheable(request) or _carries_a_body(request) or not _csrf_cookie_kept(request):
                return None
            match = self._resolve(request)
            if match is None or _refused_by_the_api(request, match.func):
                return None
            response = cached_page(request, match.func, match.kwargs)
        except DisallowedHost:  # the common middleware's to refuse
            return None
        if response is not None:
            request.resolver_match = match
        return response

    def _resolve(self, request: HttpRequest) -> ResolverMatch | None:
        """The match of the request's address, when it is a page the cache may hold."""
        urlconf = getattr(request, "urlconf", None)
        match = self.resolved.get((urlconf, request.path_info))
        if match is not None:
            return match
        try:
            match = resolve(request.path_info, urlconf)
        except Resolver404:
            return None
        if not is_cached_page(match.func):
            return None
        if len(self.resolved) >= self.RESOLVED_LIMIT:
            self.resolved.clear()
        self.resolved[urlconf, request.path_info] = match
        return match

    def _as_the_stack_sends(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """What the middleware below add to a page from the cache, in the order they add it
        on its way out: CSP, then X-Frame-Options, Content-Length, ``Vary: Cookie`` and
        gzip."""
        self._add_policy(request, response)
        response = self.frame_options.process_response(request, response)
        response = self.common.process_response(request, response)
        # The session middleware's: the private-pages check read the (empty) session.
        patch_vary_headers(response, ("Cookie",))
        return self._gzipped(request, response)

    def _gzipped(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """The gzip middleware's answer, compressing each page once: the first hit of a page
        is compressed by the middleware itself, a later one gets what it made, with the
        headers it sets."""
        content = response.content
        compressed = self.compressed.get(content)
        if compressed is None or not accepts_gzip(request):
            response = self.gzip.process_response(request, response)
            if response.get("Content-Encoding") == "gzip":
                self._remember(content, response.content)
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        response["Content-Encoding"] = "gzip"
        return response

    def _remember(self, content: bytes, compressed: bytes) -> None:
        size = len(content) + len(compressed)
        if self.compressed_bytes + size > self.COMPRESSED_BYTES:
            self.compressed.clear()
            self.compressed_bytes = 0
        if size <= self.COMPRESSED_BYTES:
            self.compressed[content] = compressed
            self.compressed_bytes += size

    def _add_policy(self, request: HttpRequest, response: HttpResponse) -> None:
        """The CSP middleware's headers. For a page from the cache (no nonce asked, no policy
        of a view's) they depend on the settings alone, unless some addresses are left out
        of the policy: the CSP middleware makes them once, on an empty response."""
        if _csp_leaves_out_addresses():
            self.csp.process_request(request)
            self.csp.process_response(request, response)
            return
        if self.policy is None:
            probe = HttpResponse()
            self.csp.process_request(request)
            self.csp.process_response(request, probe)
            self.policy = [
                (name, probe[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in probe
            ]
        for name, value in self.policy:
            if name not in response:  # the middleware keeps a policy the page has
                response[name] = value


def _csp_leaves_out_addresses() -> bool:
    return any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )
