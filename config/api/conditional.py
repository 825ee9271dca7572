"""Conditional requests on the API: strong ETags built from the generations the page cache
already keeps (``config.site.caching``), and ``Last-Modified`` from when the reader's
state last changed, so that a client asking again with either learns "not modified" (304, no body)
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

``Last-Modified`` is the instant the reader's state — the generations and what the reader
is, everything of a tag but the URL, which never changes for a URL — last changed, as the
reader last saw it: one entry per reader (and set of topics) in the counters' cache,
beside their rate limits, never one per URL, so no made-up query can add an entry nor push
a page out of the pages' cache. Any change of tag changes the state and so moves the
instant; a state that comes back (a member who leaves and rejoins) counts from its return.
HTTP dates count whole seconds, so it is rounded up; within that second (a date may not
lie ahead of the answer) the current second is sent instead, earlier than the state's, so
that it answers no ``If-Modified-Since`` with 304: two representations current in the same
second never share a date that could. A date that cannot be told (the cache lost it) is
a later one, never an earlier.

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

from django.utils.http import http_date, parse_http_date_safe
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from config.site.caching import counters, expect_generations, trusted_generations_beside

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


def _state(request: Request, topics: Collection[str]) -> list[str] | None:
    """The generations of ``topics`` and what the reader is; None while the generations
    cannot be trusted."""
    return _state_and_since(request, topics)[0]


def _state_and_since(
    request: Request, topics: Collection[str]
) -> tuple[list[str] | None, float | None]:
    """``_state``, and the instant it became current if the cache holds it: one read of
    the counters' cache, where both are kept."""
    since_key = _since_key(request, topics)
    read = trusted_generations_beside(list(topics), [since_key])
    if read is None:
        return None, None
    counted, beside = read
    state = [*map(str, counted), *_reader(request)]
    held = beside.get(since_key)
    return state, (held[1] if held is not None and held[0] == _digest(state) else None)


def representation_tag(
    request: Request,
    *,
    topics: Collection[str],
    path: str | None = None,
    varies: Collection[str] = (),
) -> str | None:
    """The strong ETag of what a GET of ``path`` (default: this request's) gives this
    reader now, showing ``topics``; None while the generations cannot be trusted."""
    state = _state(request, topics)
    if state is None:
        return None
    return _tag(state, _address(request, path, varies))


def _tag(state: list[str], address: list[str]) -> str:
    return '"' + _digest([*state, *address]) + '"'


def _since_key(request: Request, topics: Collection[str]) -> str:
    # Keyed without the roles: a reader whose roles change has another state under the
    # same key, so the instant moves; keyed by them, an old entry could date a new answer.
    user = request.user
    reader = str(user.pk) if user.is_authenticated else "0"
    return "conditional-since:" + _digest([*sorted(topics), reader])


def _start_since(request: Request, topics: Collection[str], state: list[str]) -> float | None:
    """Record that the reader's ``state`` is current from now; the instant."""
    now = _clock()
    try:
        counters().set(_since_key(request, topics), (_digest(state), now), SINCE_TIMEOUT)
    except Exception:  # noqa: BLE001 - no cache, no Last-Modified
        return None
    return now


def _modified_second(since: float | None) -> int | None:
    """``since`` rounded up to an HTTP date's whole second: any later state has a later
    one, as it began after every answer that named this one."""
    return None if since is None else math.ceil(since)


def _date_given(since: float | None) -> int | None:
    """The ``Last-Modified`` to send: the state's second once it has passed; within it,
    the current second (a date may not lie ahead of the answer's), which no
    ``If-Modified-Since`` then finds current, since it is earlier than the state's."""
    second = _modified_second(since)
    return None if second is None else min(second, math.floor(_clock()))


def _listed(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def _not_modified(request: Request, tag: str, modified: int | None) -> bool:
    asked = request.headers.get("If-None-Match")
    if asked is not None:
        return tag in _listed(asked)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and modified is not None and modified <= since


def read_conditionally(*topics: str, varies: Collection[str] = ()):
    """For a GET (or HEAD) handler of a view whose representation shows ``topics``:
    ``ETag`` and ``Last-Modified`` on its 200, and 304 (no body, no further query) when
    ``If-None-Match`` names the current tag or, without it, ``If-Modified-Since`` is not
    older than the current one. ``varies``: request headers the representation depends on
    beyond the URL, the format and the reader (e.g. ``Prefer``)."""

    def decorate(method):
        @wraps(method)
        def handler(view, request: Request, *args, **kwargs):
            state, since = _state_and_since(request, topics)
            if state is None:
                return method(view, request, *args, **kwargs)
            tag = _tag(state, _address(request, None, varies))
            if _not_modified(request, tag, _modified_second(since)):
                response = Response(status=status.HTTP_304_NOT_MODIFIED)
            else:
                response = method(view, request, *args, **kwargs)
                if response.status_code != status.HTTP_200_OK:
                    return response
                if since is None:
                    since = _start_since(request, topics, state)
            response["ETag"] = tag
            given = _date_given(since)
            if given is not None:
                response["Last-Modified"] = http_date(given)
            return response

        handler.conditional_topics = tuple(topics)
        return handler

    return decorate


def expect_conditional_read(view, method: str) -> None:
    """When ``view`` answers ``method`` conditionally (``read_conditionally``), have the
    request's first read of the counters read the generations its handler will read (for
    an authentication that reads the counters before the handler runs): one read less."""
    handler = getattr(view, method.lower(), None)
    expect_generations(*getattr(handler, "conditional_topics", ()))


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
