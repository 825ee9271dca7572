"""Whole-page caching for anonymous readers, and the generation counters that expire it.

A cached page is keyed by everything that shapes it: scheme, host, path, the query
parameters its view reads (any other parameter is dropped before the view runs, so it is
neither keyed nor shown), one of a fixed set of representations, and the generations of the
topics the page shows. A write bumps the generations of what it changed, for its work or
for the whole site, and every page that shows it goes stale at once on every server, while
the others stay cached:

- ``TEXT``: the edition itself, works and versions (every page shows it);
- ``COUNTS``: how many comments each passage has (the reading page's margin);
- ``DISCUSSION``: what comments say and who wrote them.

Each topic has three counters: one per work (bumped by a change to that work), one for all
works (a change everywhere, such as a renamed person) and one for any change at all. A page
whose URL names its work (a ``slug``) reads the first two; any other page reads the last.

Counters live in their own cache, ``caches["counters"]``, shared by every process and never
in the pages' eviction pool: filling the page cache cannot reset a generation or a rate
limit. Pages live in the default cache.

Only requests with no session cookie, no pending message, no Authorization header and no
htmx are served from or stored in the cache, and only 200 responses that set no cookie and
asked for no CSRF token are stored: anything tied to a person never reaches another. A
stored page keeps the headers its view set (``Vary`` among them), so a hit answers exactly
like the miss did.
"""

import hashlib
import threading
import time
from collections.abc import Callable, Collection, Mapping
from functools import partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import BaseCache, caches
from django.core.signals import request_finished, request_started
from django.http import HttpRequest, HttpResponse, QueryDict

PAGE_TIMEOUT = 60 * 60
COUNTERS = "counters"

TEXT = "text"
COUNTS = "counts"
DISCUSSION = "discussion"

# The representations a negotiated (API) view answers in: its JSON, or its browsable HTML.
_REPRESENTATIONS = {"json": "application/json", "html": "text/html"}
# Headers that belong to one response, never to a stored page.
_UNSTORED_HEADERS = {"set-cookie", "x-page-cache"}


def counters() -> BaseCache:
    """The cache holding generations and rate-limit counters, apart from the pages."""
    return caches[COUNTERS]


def _fresh_generation() -> int:
    # A lost counter restarts from the clock, never from a number already used for a key.
    return time.time_ns() // 1000


# The generations one request has read, so that the several parts of a page that key by
# the same counter read it once. Kept only while a request runs; a bump in this process
# forgets them. A bump elsewhere during the request is seen by the next request, as if it
# had come a moment later: the counter is still read before anything keyed by it.
_request_reads = threading.local()


def _start_request_reads(**_ignored) -> None:
    _request_reads.values = {}


def _end_request_reads(**_ignored) -> None:
    _request_reads.values = None


request_started.connect(_start_request_reads, dispatch_uid="generation-reads-start")
request_finished.connect(_end_request_reads, dispatch_uid="generation-reads-end")


def _bump_counter(key: str) -> None:
    if getattr(_request_reads, "values", None) is not None:
        _request_reads.values = {}
    store = counters()
    try:
        store.incr(key)
    except ValueError:
        store.add(key, _fresh_generation(), timeout=None)


def _any_change(topic: str) -> str:
    return f"generation:{topic}:any"


def _all_works(topic: str) -> str:
    return f"generation:{topic}:all-works"


def _one_work(topic: str, work: str) -> str:
    return f"generation:{topic}:work:{work}"


def bump(topic: str, *, work: str | None = None) -> None:
    """Make stale every page that shows ``topic``: of the work with slug ``work``, or of
    every work when it is None."""
    _bump_counter(_one_work(topic, work) if work else _all_works(topic))
    _bump_counter(_any_change(topic))


def _generation_values(keys: list[str], optional: list[str] = ()) -> dict[str, int]:
    """The counters ``keys``, each started from the clock if missing, and those of
    ``optional`` that exist, in one read (of those this request has not read yet)."""
    remembered = getattr(_request_reads, "values", None)
    if remembered is None:
        return _read_generations(keys, optional)
    unread = [key for key in keys if key not in remembered]
    unread_optional = [key for key in optional if key not in remembered]
    if unread or unread_optional:
        found = _read_generations(unread, unread_optional)
        remembered.update({key: found.get(key) for key in [*unread, *unread_optional]})
    return {key: remembered[key] for key in [*keys, *optional] if remembered[key] is not None}


def _read_generations(keys: list[str], optional: list[str]) -> dict[str, int]:
    store = counters()
    found = store.get_many([*keys, *optional])
    for key in keys:
        if key not in found:
            store.add(key, _fresh_generation(), timeout=None)
            found[key] = store.get(key)
    return found


def generation(topic: str) -> int:
    """The counter of any change to ``topic``, started from the clock if missing."""
    return generations(topic)[0]


def generations(*topics: str) -> list[int]:
    """The counters of any change to each of ``topics``, in one read."""
    found = _generation_values([_any_change(topic) for topic in topics])
    return [found[_any_change(topic)] for topic in topics]


def _page_generations(topics: list[str], work: str | None) -> list[int]:
    """What a page's key holds of the generations: for a page of one work, the counters of
    all works and of that work; for any other page, the counters of any change.

    A work's own counter is made only by a bump, never by a read, so that requests for
    made-up slugs cannot fill the counters' cache. Until its first bump it reads as the
    counter of all works; the bump starts it from the clock, a value no key has used.
    """
    if work is None:
        found = _generation_values([_any_change(topic) for topic in topics])
        return [found[_any_change(topic)] for topic in topics]
    found = _generation_values(
        [_all_works(topic) for topic in topics],
        optional=[_one_work(topic, work) for topic in topics],
    )
    values = []
    for topic in topics:
        every_work = found[_all_works(topic)]
        values += [every_work, found.get(_one_work(topic, work), every_work)]
    return values


def edition_changed() -> None:
    """A work or a version changed: titles and links show on pages of other works too."""
    bump(TEXT)


def site_origin() -> str:
    """The site's own scheme and host (``SCHOLIA_SITE_URL``), or "" to trust the request."""
    return settings.SCHOLIA_SITE_URL.rstrip("/")


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.SCHOLIA_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "Authorization" not in request.headers
        and not request.headers.get("HX-Request")
        # Pages carry absolute URLs: one built for a stray host is served, never stored.
        and site_origin() in ("", f"{request.scheme}://{request.get_host()}")
    )


def _representation(request: HttpRequest, negotiated: bool) -> str:
    if not negotiated:
        return "html"
    return "html" if "text/html" in request.headers.get("Accept", "") else "json"


def _keep_only(request: HttpRequest, params: Collection[str]) -> str:
    """Drop every query parameter but ``params`` from ``request``; the canonical query."""
    kept = sorted(
        (name, value) for name, values in request.GET.lists() if name in params for value in values
    )
    query = urlencode(kept)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query
    return query


def _stored(content: bytes, headers: list[tuple[str, str]]) -> HttpResponse:
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def cache_for_anonymous(
    view: Callable[..., HttpResponse] | None = None,
    /,
    *,
    params: Collection[str] = (),
    shows: Collection[str] = (),
    shows_with_param: Mapping[str, Collection[str]] | None = None,
    negotiated: bool = False,
    unstored: Collection[str] = (),
) -> Callable[..., HttpResponse] | Callable[[Callable[..., HttpResponse]], Callable]:
    """Serve ``view`` from the cache to readers without a session; see the module doc.

    ``params`` are the query parameters the view reads; ``shows`` the topics its pages show
    beside the text, and ``shows_with_param`` those a parameter adds when present.
    ``unstored`` are parameters the view reads whose values name nothing a view can check
    (an instant, a position in a list): a request with one is answered, never stored, so
    that made-up values cannot fill the cache. A view refuses, or redirects, any other
    value that names nothing real: only 200 answers are stored.
    ``negotiated`` views answer JSON or HTML by the Accept header (the API); a response in
    another type than the one the key names is served but not stored.

    Usable as ``@cache_for_anonymous(params=...)`` or ``cache_for_anonymous(view, ...)``.
    """
    if view is None:
        return partial(
            cache_for_anonymous,
            params=params,
            shows=shows,
            shows_with_param=shows_with_param,
            negotiated=negotiated,
            unstored=unstored,
        )
    extra_topics = dict(shows_with_param or {})

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request) or any(name in request.GET for name in unstored):
            return view(request, *args, **kwargs)
        query = _keep_only(request, {*params, *extra_topics})
        topics = [TEXT, *shows]
        for name, added in extra_topics.items():
            if name in request.GET:
                topics.extend(added)
        representation = _representation(request, negotiated)
        shape = "\n".join([request.scheme, request.get_host(), request.path, query, representation])
        generations = ".".join(map(str, _page_generations(topics, kwargs.get("slug"))))
        key = f"page:{generations}:{hashlib.sha256(shape.encode()).hexdigest()}"
        pages = caches["default"]
        cached = pages.get(key)
        if cached is not None:
            response = _stored(*cached)
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
            and response.get("Content-Type", "").startswith(_REPRESENTATIONS[representation])
        ):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _UNSTORED_HEADERS
            ]
            pages.set(key, (response.content, headers), PAGE_TIMEOUT)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
