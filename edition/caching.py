"""Whole-page caching for anonymous readers.

A cached page is keyed by its path and by generation numbers that every write bumps: the
edition's own (a version published) and any registered by other apps (commentary bumps its
own on every comment written). A write therefore makes every cached page stale at once, on
every server sharing the cache, without tracking which pages it touched.

Only requests with no session cookie, no pending message and no Authorization header are
served from or stored in the cache, and only responses that set no cookie and asked for no
CSRF token are stored: anything tied to a person never reaches another.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from edition.extensions import generation_keys

_EDITION_KEY = "edition:generation"
PAGE_TIMEOUT = 60 * 60


def _fresh_generation() -> int:
    # A lost counter restarts from the clock, never from a number already used for a key.
    return time.time_ns() // 1000


def bump_generation(key: str) -> None:
    """Make every page cached under the current value of ``key`` stale."""
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, _fresh_generation(), timeout=None)


def edition_changed() -> None:
    bump_generation(_EDITION_KEY)


def _generation_values(keys: list[str]) -> list[int]:
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh_generation(), timeout=None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def generation(key: str) -> int:
    """The current value of one generation counter, started from the clock if missing."""
    return _generation_values([key])[0]


def _generations() -> str:
    return ".".join(map(str, _generation_values([_EDITION_KEY, *generation_keys()])))


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.SCHOLIA_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "Authorization" not in request.headers
        and not request.headers.get("HX-Request")
    )


def cache_for_anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view`` from the cache to readers without a session; see the module doc."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        # The API answers JSON or its browsable HTML by the Accept header.
        accept = hashlib.md5(request.headers.get("Accept", "").encode()).hexdigest()[:12]
        key = f"page:{_generations()}:{accept}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # DRF and template responses render lazily
        # A page that asked for a CSRF token would hand one reader's token to the next.
        if (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_USED")
        ):
            cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
