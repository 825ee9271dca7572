"""Conditional requests on the API: strong ETags built from the generations the page cache
already keeps (``config.site.caching``), and ``Last-Modified`` from when a tag became
current, so that a client asking again with either learns "not modified" (304, no body)
before any row is read.

A tag names one representation for one reader: the generations of the topics the
representation shows (bumped by every write that changes them, on any work), the scheme,
host, path and query, the negotiated format, the request headers the view varies on, and
who reads — their id, whether they are active or staff, and what the registered reader
descriptions say of them (the discussion registers the reader's roles: groups, moderation,
a token's limits, as the visibility rule answers by them). It changes whenever anything it
shows may have changed, which is more often than the representation does: a client may be
told to refetch what did not change, never told that what changed did not, nor keep what
it may no longer read (a reader who leaves a group has other roles, hence another tag).

``Last-Modified`` is the instant a tag was first answered for that URL and reader (kept in
the default cache beside the pages): any change of tag moves it, whatever changed. HTTP
dates count whole seconds, so it is rounded up and given only once the representation has
been current for that second: two representations current in the same second never share
a date. A date that cannot be told (the cache lost it) is a later one, never an earlier.

``If-None-Match`` is read before ``If-Modified-Since``, which is ignored when the former is
sent (RFC 9110, 13.2.2). ``If-None-Match: *`` is not answered from the tags: whether the
resource exists for this reader is for its rows to say.

``If-Match`` on a write is checked against the tag a GET of that URL gives: a stale one
answers 412 and nothing is written. No precondition is required (there is no 428).
"""

import hashlib
import math
import time
from collections.abc import Callable, Collection
from functools import wraps

from django.core.cache import caches
from django.utils.http import http_date, parse_http_date_safe
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from config.site.caching import trusted_generations

NOT_MODIFIED = OpenApiResponse(
    description=(
        "Not modified: the `If-None-Match` ETag is still current (or, without it, nothing "
        "changed since `If-Modified-Since`). No body."
    )
)

# How long the instant a tag became current is kept: a client asking after that gets a
# later Last-Modified, never a wrong one.
SINCE_TIMEOUT = 7 * 24 * 60 * 60

ReaderDescription = Callable[[object], str]
_reader_descriptions: list[ReaderDescription] = []


def register_reader_description(describe: ReaderDescription) -> None:
    """Add what ``describe(user)`` says of a reader to every tag: anything beyond the
    reader's id that decides what they may read (the discussion registers their roles)."""
    if describe not in _reader_descriptions:
        _reader_descriptions.append(describe)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since that ETag: get it again."
    default_code = "precondition_failed"


def _clock() -> float:
    return time.time()


def _reader(request: Request) -> list[str]:
    user = request.user
    if not user.is_authenticated:
        return ["0"]
    flags = f"{int(user.is_active)}{int(user.is_staff)}{int(user.is_superuser)}"
    return [str(user.pk), flags, *(describe(user) for describe in _reader_descriptions)]


def _address(request: Request, path: str | None, varies: Collection[str]) -> list[str]:
    """What names the representation apart from the generations and the reader's roles."""
    renderer = getattr(request, "accepted_renderer", None)
    return [
        request.scheme,
        request.get_host(),
        path or request.path,
        request.META.get("QUERY_STRING", "") if path is None else "",
        getattr(renderer, "format", "json") if path is None else "json",
        *(f"{header}: {request.headers.get(header, '')}" for header in varies),
    ]


def _digest(parts: list[str]) -> str:
    return hashlib.blake2s("\n".join(parts).encode(), digest_size=16).hexdigest()


def representation_tag(
    request: Request,
    *,
    topics: Collection[str],
    path: str | None = None,
    varies: Collection[str] = (),
) -> str | None:
    """The strong ETag of what a GET of ``path`` (default: this request's) gives this
    reader now, showing ``topics``; None while the generations cannot be trusted."""
    counted = trusted_generations(*topics)
    if counted is None:
        return None
    basis = [*map(str, counted), *_address(request, path, varies), *_reader(request)]
    return '"' + _digest(basis) + '"'


def _current_since(request: Request, tag: str, varies: Collection[str]) -> float | None:
    """The instant ``tag`` became the current one for this URL and reader (the first time
    it was answered since another was); None when the cache cannot tell."""
    # Keyed without the roles: a reader whose roles change gets a new tag under the same
    # key, so the instant moves; keyed by them, an old entry could date a new answer.
    user = request.user
    reader = str(user.pk) if user.is_authenticated else "0"
    key = "conditional-since:" + _digest([*_address(request, None, varies), reader])
    store = caches["default"]
    try:
        held = store.get(key)
        if held is not None and held[0] == tag:
            return held[1]
        now = _clock()
        store.set(key, (tag, now), SINCE_TIMEOUT)
        return now
    except Exception:  # noqa: BLE001 - no cache, no Last-Modified
        return None


def _last_modified(since: float | None) -> int | None:
    """``since`` as an HTTP date's whole second, once that second has passed."""
    if since is None:
        return None
    second = math.ceil(since)
    return second if _clock() >= second else None


def _listed(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def _not_modified(request: Request, tag: str, last_modified: int | None) -> bool:
    asked = request.headers.get("If-None-Match")
    if asked is not None:
        return tag in _listed(asked)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified is not None and last_modified <= since


def read_conditionally(*topics: str, varies: Collection[str] = ()):
    """For a GET (or HEAD) handler of a view whose representation shows ``topics``:
    ``ETag`` and ``Last-Modified`` on its 200, and 304 (no body, no further query) when
    ``If-None-Match`` names the current tag or, without it, ``If-Modified-Since`` is not
    older than the current one. ``varies``: request headers the representation depends on
    beyond the URL, the format and the reader (e.g. ``Prefer``)."""

    def decorate(method):
        @wraps(method)
        def handler(view, request: Request, *args, **kwargs):
            tag = representation_tag(request, topics=topics, varies=varies)
            if tag is None:
                return method(view, request, *args, **kwargs)
            last_modified = _last_modified(_current_since(request, tag, varies))
            if _not_modified(request, tag, last_modified):
                response = Response(status=status.HTTP_304_NOT_MODIFIED)
            else:
                response = method(view, request, *args, **kwargs)
                if response.status_code != status.HTTP_200_OK:
                    return response
            response["ETag"] = tag
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified)
            return response

        return handler

    return decorate


def ensure_if_match(request: Request, *, topics: Collection[str]) -> None:
    """412 when the request's ``If-Match`` names no current representation of its URL (as
    a GET would give it, in JSON). Without the header, nothing is required."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    asked = _listed(header)
    if "*" in asked:
        return
    if representation_tag(request, topics=topics, path=request.path) not in asked:
        raise PreconditionFailed()
