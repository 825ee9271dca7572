"""Site-wide response policy that no single view should have to remember."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivatePagesMiddleware:
    """Mark a response made for one person ``Cache-Control: private`` and ``Vary: Cookie``.

    A page is personal when its reader is signed in (by session or by API token) or when it
    carries a CSRF token: no shared cache (a proxy, a CDN) may hand it to anybody else.
    Asking for the user also makes every other response vary on the cookie, which is true:
    the same URL answers a signed-in reader differently.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" in response.get("Cache-Control", "") and "Cookie" in response.get("Vary", ""):
            # No cache may keep it at all, and it says it varies by person: marked already,
            # without loading the user (an open discussion's poll answers so, many times).
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.META.get("CSRF_COOKIE_USED"):
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response
