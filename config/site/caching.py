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

Each page and each fragment has one key, and its entry carries the generations it was made
under: a read that finds older ones is a miss, and the fresh copy overwrites the old, so a
write leaves nothing behind to live out its hour (the cache holds one entry per page).

Outages. A cache that cannot be read or written means serving uncached, never an error:
the pages' Redis answers misses while it is down (``config.redis_cache``), and counters
that cannot be read leave the request uncached. A committed write whose bump fails still
answers its success; the failure is written to the database (``StaleGeneration``) and
marked in the pages' cache, and no process serves anything cached under a generation until
the owed bumps are made again. A process distrusts the caches when it starts, when it sees
that mark, when one of its bumps or generation reads fails or when the pages' cache failed
it; it trusts them again once it has asked the database and made every owed bump (one
query when none is owed), so nothing stale is served as fresh.

Only requests with no session cookie, no pending message, no Authorization header and no
htmx are served from or stored in the cache, and only 200 responses that set no cookie and
asked for no CSRF token are stored: anything tied to a person never reaches another. A
stored page keeps the headers its view set (``Vary`` among them), so a hit answers exactly
like the miss did. A hit is found before the rest of the middleware runs, by
``config.site.cached_pages`` (``cached_page``), which adds what that middleware would; the
view's wrapper answers the requests it passes down, and reuses its lookup of a miss.
"""

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import partial, wraps
from typing import NamedTuple
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import BaseCache, caches
from django.core.signals import request_finished, request_started
from django.http import HttpRequest, HttpResponse, QueryDict

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60
COUNTERS = "counters"

TEXT = "text"
COUNTS = "counts"
DISCUSSION = "discussion"

# The representations a negotiated (API) view answers in: its JSON, or its browsable HTML.
_REPRESENTATIONS = {"json": "application/json", "html": "text/html"}
# Headers that belong to one response, never to a stored page.
_UNSTORED_HEADERS = {"set-cookie", "x-page-cache"}
# In the pages' cache while a failed bump is owed: every process reads it with the page.
STALE_MARK = "generations:bump-owed"


def _stale_generations():
    """The bumps owed to the counters (``edition.models.StaleGeneration``: the edition's app
    keeps the table; the site's machinery imports no app)."""
    return apps.get_model("edition", "StaleGeneration").objects


def counters() -> BaseCache:
    """The cache holding generations and rate-limit counters, apart from the pages."""
    return caches[COUNTERS]


def _fresh_generation() -> int:
    # A lost counter restarts from the clock, never from a number already used for a key.
    return time.time_ns() // 1000


# The generations one request has read, so that the several parts of a page that key by
# the same counter read it once. Kept only while a request runs; a bump in this process
# forgets the counters it moves, and only those (a post bumps its author's reader counter,
# and still reads the text's generation once). A bump elsewhere during the request is seen
# by the next request, as if it had come a moment later: the counter is still read before
# anything keyed by it. ``ahead``: the counters the request is known to read later
# (``expect_generations``), read with its next read of any.
_request_reads = threading.local()


def _start_request_reads(**_ignored) -> None:
    _request_reads.values = {}
    _request_reads.ahead = []
    _request_reads.ahead_optional = []
    _request_reads.kept = None  # entries read ahead (``_kept_first``, ``expect_kept``), unused yet
    _request_reads.kept_ahead = []


def _end_request_reads(**_ignored) -> None:
    _request_reads.values = None
    _request_reads.ahead = []
    _request_reads.ahead_optional = []
    _request_reads.kept = None
    _request_reads.kept_ahead = []


def expect_generations(*topics: str) -> None:
    """This request will read the counters of any change to ``topics``: read them with its
    next read of the counters, whatever that is for, rather than in a read of their own.
    Nothing outside a request."""
    if getattr(_request_reads, "values", None) is not None:
        _request_reads.ahead.extend(_any_change(topic) for topic in topics)


def _expect_counters(required: Sequence[str], optional: Sequence[str] = ()) -> None:
    """``expect_generations`` for counters by their keys: ``optional`` ones are read, never
    started, as ``_generation_values``'s."""
    if getattr(_request_reads, "values", None) is not None:
        _request_reads.ahead.extend(required)
        _request_reads.ahead_optional.extend(optional)


def expect_kept(*names: str) -> None:
    """This request will read the entries ``names`` of the default cache (``kept_under``):
    read them with its next read of that cache, whatever that is for, rather than in a
    read of their own. Nothing outside a request."""
    if getattr(_request_reads, "values", None) is not None:
        _request_reads.kept_ahead.extend(names)


request_started.connect(_start_request_reads, dispatch_uid="generation-reads-start")
request_finished.connect(_end_request_reads, dispatch_uid="generation-reads-end")

# Counters of any change that many requests read at different moments (the text's, the
# token users', the webhook endpoints'): a request's first read of the counters reads them
# too, in the same round trip (starting any that is missing), and later reads of them in
# the request ask nothing, as for any counter read twice.
_read_first: dict[str, None] = {}


def read_with_the_first(*topics: str) -> None:
    """Read the counters of any change to ``topics`` with the first read of the counters in
    every request (a module's ``ready``-time call)."""
    _read_first.update(dict.fromkeys(_any_change(topic) for topic in topics))


# Entries of the pages' cache kept under one name for every request, that some requests
# read after others (which events webhook endpoints want: after every post's commit): a
# request's first read of the pages' cache reads them too, and its later read of one of
# them asks nothing, once. Like the counters, they are then as the request first found them.
_kept_first: dict[str, None] = {}


def kept_with_the_first(*names: str) -> None:
    """Read the entries ``names`` of the default cache with the first read of it by
    ``kept_under`` in every request (a module's ``ready``-time call)."""
    _kept_first.update(dict.fromkeys(names))


# Each counter moved by one, or started from the clock when missing, in one round trip.
_BUMP_SCRIPT = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    redis.call('INCR', key)
  else
    redis.call('SET', key, ARGV[1])
  end
end
return #KEYS
"""


def _bump_counter_keys(keys: list[str]) -> None:
    remembered = getattr(_request_reads, "values", None)
    if remembered:
        for key in keys:
            remembered.pop(key, None)
    store = counters()
    if hasattr(store, "run_script"):  # Redis: every counter in one round trip
        store.run_script(_BUMP_SCRIPT, keys=keys, args=[_fresh_generation()])
        return
    for key in keys:
        try:
            store.incr(key)
        except ValueError:
            store.add(key, _fresh_generation(), timeout=None)


class _Trust:
    """Whether this process may serve what the caches hold under generations."""

    trusted = False  # a process starts by asking the database what bumps are owed
    pages_outages = 0  # the failures of the pages' cache it had seen when it last asked


_trust = _Trust()


def forget_outages(*, started: bool = False) -> None:
    """Trust the caches as a process that never saw an outage does (``started``: as one
    that has just started). For tests, which empty the caches and the database."""
    _trust.trusted = not started
    _trust.pages_outages = getattr(caches["default"], "outages", 0)


def _distrust(reason: str) -> None:
    if _trust.trusted:
        logger.warning("Serving uncached until the generations are known again: %s.", reason)
    _trust.trusted = False


def _trusted() -> bool:
    """Whether cached pages and fragments may be served; asks the database and makes the
    owed bumps when this process has a reason to doubt (see the module doc)."""
    outages = getattr(caches["default"], "outages", 0)
    if _trust.trusted and outages == _trust.pages_outages:
        return True
    if _owed_bumps_made():
        _trust.trusted, _trust.pages_outages = True, outages
        return True
    return False


def _owed_bumps_made() -> bool:
    try:
        owed = list(_stale_generations().values_list("pk", "topic", "work"))
        if not owed:
            return True
        for topic, work in {(topic, work) for _pk, topic, work in owed}:
            _bump_counters(topic, work or None)
        _stale_generations().filter(pk__in=[pk for pk, _topic, _work in owed]).delete()
        caches["default"].delete(STALE_MARK)
        if _stale_generations().exists():  # owed meanwhile: keep the others doubting
            caches["default"].set(STALE_MARK, True, None)
            return False
        return True
    except Exception:  # the counters or the database are still away: stay uncached
        logger.warning("The owed generation bumps could not be made yet.", exc_info=True)
        return False


def _bump_failed(topic: str, work: str | None) -> None:
    _distrust(f"a bump of {topic} failed")
    try:
        _stale_generations().create(topic=topic, work=work or "")
    except Exception:
        logger.exception("A failed bump of %s could not be recorded.", topic)
    caches["default"].set(STALE_MARK, True, None)


def _any_change(topic: str) -> str:
    return f"generation:{topic}:any"


def _all_works(topic: str) -> str:
    return f"generation:{topic}:all-works"


def _one_work(topic: str, work: str) -> str:
    return f"generation:{topic}:work:{work}"


def _part_scope(work: str, part: str) -> str:
    # A part's counter is its work's, scoped: an owed bump of it is kept and made again
    # like a work's (``StaleGeneration.work`` holds the scope).
    return f"{work}:part:{part}"


def _one_part(topic: str, work: str, part: str) -> str:
    return _one_work(topic, _part_scope(work, part))


# What a page of one part (a chapter) of a work keys by its part's own counter rather than
# by the work's: its margin's counts and the discussion it opens. The text is the work's.
PART_TOPICS = frozenset({COUNTS, DISCUSSION})


def bump(
    *topics: str,
    work: str | None = None,
    parts: Collection[str] = (),
    readers: Collection[int | None] = (),
) -> None:
    """Make stale every page that shows any of ``topics``: of the work with slug ``work``,
    or of every work when it is None.

    ``parts``: the slugs of the work's parts (chapters) the change shows in, whose pages key
    ``PART_TOPICS`` by their own counters; the work's counter moves too, for its other
    pages. ``readers``: the ids of readers whose own parts changed with it (as
    ``reader_changed``; None is nobody). Every counter moves in one round trip to the
    counters' Redis.

    Called once a write has committed, so it never raises: a bump that fails is owed (see
    the module doc), every counter it was to move, and the write still answers its success.
    """
    scopes = [work, *(_part_scope(work, part) for part in parts if work)]
    keys = [key for topic in topics for scope in scopes for key in _counters_of(topic, scope)]
    reader_scopes = [str(user_id) for user_id in dict.fromkeys(readers) if user_id is not None]
    keys += [_one_work(READER, scope) for scope in reader_scopes]
    try:
        _bump_counter_keys(list(dict.fromkeys(keys)))
    except Exception:
        logger.exception("The generations of %s could not be bumped.", ", ".join(topics))
        for topic in topics:
            for scope in scopes:
                _bump_failed(topic, scope)
        for scope in reader_scopes:
            _bump_failed(READER, scope)


def _counters_of(topic: str, work: str | None) -> list[str]:
    return [_one_work(topic, work) if work else _all_works(topic), _any_change(topic)]


def _bump_counters(topic: str, work: str | None) -> None:
    _bump_counter_keys(_counters_of(topic, work))


def _generation_values(
    keys: list[str], optional: list[str] = (), beside: Collection[str] = ()
) -> dict[str, object]:
    """The counters ``keys``, each started from the clock if missing, and those of
    ``optional`` that exist, in one read (of those this request has not read yet, with
    those it expects to read later); and, in the same read, the values kept in the
    counters' cache under ``beside`` that exist, read afresh (never remembered)."""
    remembered = getattr(_request_reads, "values", None)
    if remembered is None:
        return _read_generations(keys, optional, beside)
    unread = [key for key in keys if key not in remembered]
    unread_optional = [key for key in optional if key not in remembered]
    if unread or unread_optional or beside:
        ahead = [key for key in _request_reads.ahead if key not in remembered]
        if not remembered:  # the request's first read
            ahead += [key for key in _read_first if key not in remembered]
        required = list(dict.fromkeys([*unread, *ahead]))
        unread_optional = list(
            dict.fromkeys(
                key
                for key in [*unread_optional, *_request_reads.ahead_optional]
                if key not in remembered and key not in required
            )
        )
        found = _read_generations(required, unread_optional, beside)
        remembered.update({key: found.get(key) for key in [*required, *unread_optional]})
        _request_reads.ahead = []
        _request_reads.ahead_optional = []
    else:
        found = {}
    values = {key: remembered[key] for key in [*keys, *optional] if remembered[key] is not None}
    values.update((key, found[key]) for key in beside if key in found)
    return values


def _read_generations(
    keys: list[str], optional: list[str], beside: Collection[str] = ()
) -> dict[str, object]:
    store = counters()
    found = store.get_many([*keys, *optional, *beside])
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


def trusted_generations_beside(
    topics: Sequence[str], beside: Collection[str]
) -> tuple[list[int], dict[str, object]] | None:
    """The counters of any change to each of ``topics``, or None while they cannot be
    trusted (an outage, a bump owed): what an ETag may be built from, as a cached page
    is; and the values the counters' cache keeps under ``beside`` (those that exist, read
    afresh). One read of the counters."""
    if not _trusted():
        return None
    keys = [_any_change(topic) for topic in topics]
    try:
        found = _generation_values(keys, beside=beside)
    except Exception:  # noqa: BLE001 - a counter that cannot be read means no ETag
        _distrust("the generations could not be read")
        return None
    return [found[key] for key in keys], {key: found[key] for key in beside if key in found}


def _page_generations(topics: list[str], work: str | None, part: str | None = None) -> list[int]:
    """What a page's key holds of the generations: for a page of one work, the counters of
    all works and of that work; for any other page, the counters of any change.

    A work's own counter is made only by a bump, never by a read, so that requests for
    made-up slugs cannot fill the counters' cache. Until its first bump it reads as the
    counter of all works; the bump starts it from the clock, a value no key has used.
    """
    if work is None:
        found = _generation_values([_any_change(topic) for topic in topics])
        return [found[_any_change(topic)] for topic in topics]
    own = _own_counters(topics, work, part)
    found = _generation_values(
        [_all_works(topic) for topic in topics], optional=[own[topic] for topic in topics]
    )
    return _generations_of(found, topics, own)


def _own_counters(topics: Sequence[str], work: str, part: str | None) -> dict[str, str]:
    """The counter a page of ``work`` (of its ``part``) reads for each topic besides the
    counter of all works: a page of one part reads that part's counters of what parts key
    apart."""
    return {
        topic: _one_part(topic, work, part)
        if part and topic in PART_TOPICS
        else _one_work(topic, work)
        for topic in topics
    }


def _generations_of(found: Mapping[str, int], topics: Sequence[str], own: dict) -> list[int]:
    values = []
    for topic in topics:
        every_work = found[_all_works(topic)]
        values += [every_work, found.get(own[topic], every_work)]
    return values


def remembered(
    name: str, topics: Sequence[str], compute: Callable[[], object], timeout: int = PAGE_TIMEOUT
):
    """``compute()``, kept in the default cache under ``name`` until a generation of one of
    ``topics`` moves (and ``timeout`` seconds at most). One entry per name, carrying its
    generations: a newer one overwrites it. Computed afresh when the generations cannot be
    read or are owed a bump."""
    current, held = _kept(name, partial(generations, *topics))
    if held is not _MISSING:
        return held
    value = compute()
    if current is not None:
        caches["default"].set(name, (current, value), timeout)
    return value


_MISSING = object()


def kept_for_work(key: str, topics: Sequence[str], work: str) -> tuple[object, object]:
    """What the default cache keeps under ``key`` while the generations of ``topics`` for
    the work with slug ``work`` stay as they were when it was stored (``None`` if nothing,
    or if it cannot be trusted), and those current generations, to store a new value under
    (None when they cannot be read: store nothing then). Two reads of the caches."""
    current, held = _kept(key, partial(_page_generations, list(topics), work))
    return (None if held is _MISSING else held), current


def kept_for_parts(
    keys: Mapping[str, str], topics: Sequence[str], work: str
) -> tuple[dict[str, object], dict[str, list[int]] | None]:
    """For each part (chapter) of the work with slug ``work``, by its slug in ``keys``: what
    the default cache keeps under its key while the generations of ``topics`` that the
    part's page reads (``PART_TOPICS`` by the part's own counters) stay as they were when
    it was stored, for the parts that have anything kept; and the current generations per
    part, to store new values under (None when they cannot be read: store nothing then).
    A change to one part's discussion leaves the other parts' values kept. Two reads of the
    caches, whatever the number of parts."""
    trusted = _trusted()  # first: making the owed bumps moves the generations
    own = {part: _own_counters(topics, work, part) for part in keys}
    try:
        found = _generation_values(
            [_all_works(topic) for topic in topics],
            optional=sorted(
                {counter for counters in own.values() for counter in counters.values()}
            ),
        )
    except Exception:
        _distrust("the generations cannot be read")
        return {}, None
    current = {part: _generations_of(found, topics, own[part]) for part in keys}
    if not trusted:
        return {}, current
    stored = caches["default"].get_many([*keys.values(), STALE_MARK])
    if STALE_MARK in stored:
        _distrust("another process owes a bump")
        return {}, current
    held = {}
    for part, key in keys.items():
        entry = stored.get(key)
        if entry is not None and entry[0] == current[part]:
            held[part] = entry[1]
    return held, current


def keep_for_parts(
    keys: Mapping[str, str],
    generations_read: Mapping[str, list[int]] | None,
    values: Mapping[str, object],
    timeout: int = PAGE_TIMEOUT,
) -> None:
    """Keep each part's value of ``values`` under its key of ``keys``, for the generations
    ``kept_for_parts`` read; one write."""
    if generations_read is None or not values:
        return
    caches["default"].set_many(
        {keys[part]: (generations_read[part], value) for part, value in values.items()}, timeout
    )


def keep_for_work(key: str, generations_read: object, value: object, timeout: int) -> None:
    """Keep ``value`` under ``key`` for the generations ``kept_for_work`` read."""
    if generations_read is not None:
        caches["default"].set(key, (generations_read, value), timeout)


def _kept(key: str, read_generations: Callable[[], object]) -> tuple[object, object]:
    """The current generations (None when they cannot be read, so nothing may be stored)
    and what the default cache keeps under ``key`` for them (``_MISSING`` if nothing, or if
    a bump is owed)."""
    current, held = _kept_many([key], read_generations)
    return current, held.get(key, _MISSING)


def _kept_many(keys: list[str], read_generations: Callable[[], object]) -> tuple[object, dict]:
    """``_kept`` for several keys kept under the same generations: the current generations
    and what is kept for them, by key (none when a bump is owed). One read of the pages'
    cache (``kept_under``)."""
    read = []

    def each_key() -> dict:
        read.append(read_generations())
        return dict.fromkeys(keys, read[0])

    wanted, held = kept_under(each_key)
    return (None if wanted is None else read[0]), held


def kept_together(names: Sequence[str], topics: Sequence[str]) -> tuple[dict, list[int] | None]:
    """What the default cache keeps under each of ``names`` while the generations of any
    change to ``topics`` stay as they were when it was stored (the names kept, nothing when
    it cannot be trusted), and those current generations, to store new values under with
    ``keep_together`` (None when they cannot be read: store nothing then). One read of the
    pages' cache, beside the generations (read once per request)."""
    current, held = _kept_many(list(names), partial(generations, *topics))
    return held, current


def keep_together(
    values: Mapping[str, object], generations_read: list[int] | None, timeout: int
) -> None:
    """Keep each of ``values`` under its name, for the generations ``kept_together`` read;
    one write."""
    if generations_read is not None:
        keep_under(values, dict.fromkeys(values, generations_read), timeout)


read_with_the_first(TEXT)


def edition_changed() -> None:
    """A work or a version changed: titles and links show on pages of other works too."""
    bump(TEXT)


def site_origin() -> str:
    """The site's own scheme and host (``SCHOLIA_SITE_URL``), or "" to trust the request."""
    return settings.SCHOLIA_SITE_URL.rstrip("/")


def cacheable(request: HttpRequest) -> bool:
    """Whether ``request`` may be answered from (and its answer stored in) the page cache:
    see the module doc."""
    origin = site_origin()
    return (
        settings.SCHOLIA_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "Authorization" not in request.headers
        and not request.headers.get("HX-Request")
        # A conditional request is the view's to answer: 304 when its ETag (or, without
        # one, its date) still matches.
        and "If-None-Match" not in request.headers
        and "If-Modified-Since" not in request.headers
        # Pages carry absolute URLs: one built for a stray host is served, never stored.
        and (not origin or origin == f"{request.scheme}://{request.get_host()}")
    )


def _representation(request: HttpRequest, negotiated: bool) -> str:
    if not negotiated:
        return "html"
    return "html" if "text/html" in request.headers.get("Accept", "") else "json"


def _canonical_query(request: HttpRequest, params: Collection[str]) -> str:
    """The request's query reduced to ``params``, in one order whatever the client sent."""
    kept = sorted(
        (name, value) for name, values in request.GET.lists() if name in params for value in values
    )
    return urlencode(kept)


def _keep_only(request: HttpRequest, query: str) -> None:
    """Make ``query`` (``_canonical_query``'s) the request's whole query: the view reads
    nothing it is not keyed by."""
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def _stored(content: bytes, headers: list[tuple[str, str]]) -> HttpResponse:
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


class PageSpec(NamedTuple):
    """What ``cache_for_anonymous`` keys a view's pages by (see its arguments)."""

    params: frozenset[str]
    shows: tuple[str, ...]
    shows_with_param: Mapping[str, Collection[str]]
    negotiated: bool
    unstored: frozenset[str]

    def keyed(self) -> frozenset[str]:
        return self.params | self.shows_with_param.keys()


# Each wrapper ``cache_for_anonymous`` made, and what it keys by: only the wrapper itself is
# found here, never another decorator's wrapping of it, whose work ``cached_page`` would skip.
_page_specs: dict[Callable, PageSpec] = {}


def is_cached_page(view: Callable) -> bool:
    """Whether ``view`` (a URL pattern's callback) is one ``cache_for_anonymous`` made."""
    return view in _page_specs


def _page_key(request: HttpRequest, spec: PageSpec, query: str) -> tuple[str, str, list[str]]:
    """The key of the page ``request`` asks for (its query reduced to ``query``), the
    representation it names, and the topics whose generations it is kept under."""
    topics = [TEXT, *spec.shows]
    for name, added in spec.shows_with_param.items():
        if name in request.GET:
            topics.extend(added)
    representation = _representation(request, spec.negotiated)
    shape = "\n".join([request.scheme, request.get_host(), request.path, query, representation])
    # One key per page: the entry says which generations it was made under.
    return f"page:{hashlib.sha256(shape.encode()).hexdigest()}", representation, topics


def _look_up(
    request: HttpRequest, key: str, topics: list[str], kwargs: Mapping[str, object]
) -> tuple[object, object]:
    """The generations the page under ``key`` is kept for and what the cache keeps of it
    (``_MISSING`` if nothing), read once per request: a miss found by ``cached_page`` is
    remembered for the view's wrapper, which then reads neither cache again."""
    remembered = getattr(request, "_page_looked_up", None)
    if remembered is not None and remembered[0] == key:
        return remembered[1], _MISSING
    generations, cached = _kept_page(
        key, partial(_page_generations, topics, kwargs.get("slug"), kwargs.get("chapter"))
    )
    if cached is _MISSING:
        request._page_looked_up = (key, generations)
    return generations, cached


# The pages this process served last, with the generations each was made under. The pages'
# cache stays the authority: a page kept here is served only while that cache still holds a
# page of the same key made under the same generations, which a small mark beside the page
# says (``mark_of``). Reading the mark instead of the page saves carrying the same hundreds
# of kilobytes from Redis on every request; cleared, evicted, unreachable or marked stale,
# the pages' cache answers a miss here as it would without this. The shared reading page
# of signed-in readers is kept here the same way (``keep_under``'s ``here``).
_pages_here: dict[str, tuple[object, object, int]] = {}
_PAGES_HERE_BYTES = 32 * 1024 * 1024
_pages_here_lock = threading.Lock()


def mark_of(key: str) -> str:
    """The name of the mark the pages' cache holds beside a value kept in a process under
    ``key``, with the generations it was made under."""
    return "made:" + key.removeprefix("page:")


def keep_here(key: str, generations: object, value: object, size: int) -> None:
    """Keep ``value`` (about ``size`` bytes) in this process under ``key``, for
    ``generations`` (``kept_here``); when it would keep too much, it forgets the rest first."""
    with _pages_here_lock:
        _pages_here.pop(key, None)
        kept = sum(kept_size for _generations, _value, kept_size in _pages_here.values())
        if kept + size > _PAGES_HERE_BYTES:
            _pages_here.clear()
        _pages_here[key] = (generations, value, size)


def kept_here(key: str, generations: object) -> object | None:
    """What this process keeps under ``key`` made under ``generations`` (None if nothing):
    to be served only when the pages' cache holds its mark for them (``mark_of``)."""
    here = _pages_here.get(key)
    return here[1] if here is not None and here[0] == generations else None


def _kept_page(key: str, read_generations: Callable[[], object]) -> tuple[object, object]:
    """``_kept`` for a whole page, served from this process's copy (``_pages_here``) when
    the pages' cache marks a page of ``key`` made under the current generations."""
    here = _pages_here.get(key)
    if here is not None:
        current, marked = _kept_many([mark_of(key)], read_generations)
        if current is None:
            return None, _MISSING
        if marked and here[0] == current:
            return current, here[1]
    current, cached = _kept(key, read_generations)
    if cached is not _MISSING:
        keep_here(key, current, cached, len(cached[0]))
    return current, cached


def _keep_page(key: str, generations: object, page: tuple[bytes, list]) -> None:
    """Keep ``page`` under ``key`` for ``generations``, with its mark; and here."""
    caches["default"].set_many(
        {key: (generations, page), mark_of(key): (generations, True)}, PAGE_TIMEOUT
    )
    keep_here(key, generations, page, len(page[0]))


def _hit(cached: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    response = _stored(*cached)
    response["X-Page-Cache"] = "hit"
    return response


def cached_page(
    request: HttpRequest, view: Callable, kwargs: Mapping[str, object]
) -> HttpResponse | None:
    """The page the cache holds for ``request`` to ``view`` (a URL pattern's callback, with
    its ``kwargs``), as the view's wrapper would answer it, or None when the wrapper must
    run: the view is not one ``cache_for_anonymous`` wraps, the request may not be served
    from the cache (see the module doc), or nothing is kept for it. For a middleware that
    answers before the rest of the stack runs (``config.site.cached_pages``).
    """
    spec = _page_specs.get(view)
    if spec is None or not cacheable(request) or any(name in request.GET for name in spec.unstored):
        return None
    key, _representation, topics = _page_key(request, spec, _canonical_query(request, spec.keyed()))
    _generations, cached = _look_up(request, key, topics, kwargs)
    return None if cached is _MISSING else _hit(cached)


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
    spec = PageSpec(
        params=frozenset(params),
        shows=tuple(shows),
        shows_with_param=dict(shows_with_param or {}),
        negotiated=negotiated,
        unstored=frozenset(unstored),
    )

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not cacheable(request) or any(name in request.GET for name in spec.unstored):
            return view(request, *args, **kwargs)
        query = _canonical_query(request, spec.keyed())
        _keep_only(request, query)
        key, representation, topics = _page_key(request, spec, query)
        generations, cached = _look_up(request, key, topics, kwargs)
        if cached is not _MISSING:
            return _hit(cached)
        response = view(request, *args, **kwargs)
        if generations is None:  # unknown: nothing stored could be told stale
            return response
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
            _keep_page(key, generations, (response.content, headers))
            response["X-Page-Cache"] = "miss"
        return response

    _page_specs[wrapper] = spec
    return wrapper


# A signed-in reader's own part of a page (``edition.pages.shared_page``) is kept under
# their own counter besides the page's: any change to what only they see (what they follow,
# their notifications, their sanctions, their account) bumps it, and a change that shapes
# every reader's part (a group renamed, a permission's holders) bumps the counter of all
# readers. A reader's counter is a work's counter of its own topic, scoped by the user id,
# so that a bump that fails is owed and made again as any other (see the module doc).
READER = "reader"


def reader_changed(*user_ids: int) -> None:
    """What the readers ``user_ids`` see as theirs changed: their kept parts are stale.
    Called once a write has committed; never raises (a bump that fails is owed). Every
    reader's counter moves in one round trip."""
    scopes = [str(user_id) for user_id in dict.fromkeys(user_ids)]
    if not scopes:
        return
    try:
        _bump_counter_keys([_one_work(READER, scope) for scope in scopes])
    except Exception:
        logger.exception("The generations of readers %s could not be bumped.", scopes)
        for scope in scopes:
            _bump_failed(READER, scope)


def readers_changed() -> None:
    """What every signed-in reader sees as theirs may have changed."""
    bump(READER)


def reader_page_generations(
    topics: Sequence[str], work: str, part: str | None, reader: int
) -> tuple[list[int], list[int]]:
    """The generations of a page of the work with slug ``work`` (its ``part``) that shows
    ``topics`` (as ``_page_generations``), and those of ``reader``'s own part of it: one
    read of the counters."""
    own, own_reader, required, optional = _reader_page_counters(topics, work, part, reader)
    found = _generation_values(required, optional=optional)
    return _generations_of(found, topics, own), _generations_of(found, [READER], own_reader)


def expect_reader_page(topics: Sequence[str], work: str, part: str | None, reader: int) -> None:
    """This request will read ``reader_page_generations`` of the same: read them with its
    next read of the counters (``expect_generations``)."""
    _own, _own_reader, required, optional = _reader_page_counters(topics, work, part, reader)
    _expect_counters(required, optional)


def _reader_page_counters(topics: Sequence[str], work: str, part: str | None, reader: int):
    own = _own_counters(topics, work, part)
    own_reader = {READER: _one_work(READER, str(reader))}
    required = [_all_works(topic) for topic in [*topics, READER]]
    return own, own_reader, required, [*own.values(), own_reader[READER]]


def kept_under(
    read_generations: Callable[[], Mapping[str, object]],
) -> tuple[Mapping[str, object] | None, dict[str, object]]:
    """For several keys at once: ``read_generations()`` gives {key: the generations its
    value must have been kept under}; returns those generations (None when they cannot be
    read: keep nothing then) and {key: value} of the keys whose value is kept under them.
    One read of the counters and one of the pages' cache, whatever the number of keys."""
    trusted = _trusted()  # first: making the owed bumps moves the generations
    try:
        wanted = read_generations()
    except Exception:
        _distrust("the generations cannot be read")
        return None, {}
    if not trusted:
        return wanted, {}
    found = _pages_read(list(wanted))
    if found is None:
        _distrust("another process owes a bump")
        return wanted, {}
    return wanted, {
        key: entry[1]
        for key, entry in found.items()
        if key in wanted and entry is not None and entry[0] == wanted[key]
    }


def _pages_read(keys: list[str]) -> dict[str, object] | None:
    """What the default cache holds under ``keys`` (None when a bump is owed): one read,
    or none for entries an earlier read of the request brought (``kept_with_the_first``,
    ``expect_kept``)."""
    early = getattr(_request_reads, "kept", None)
    if early and keys and all(key in early for key in keys):
        return {key: entry for key in keys if (entry := early.pop(key)) is not None}
    in_request = getattr(_request_reads, "values", None) is not None
    also = []
    if in_request:
        first = _kept_first if early is None else ()
        wanted_too = dict.fromkeys([*first, *_request_reads.kept_ahead])
        also = [name for name in wanted_too if name not in keys]
    found = caches["default"].get_many([*keys, *also, STALE_MARK])
    if STALE_MARK in found:
        return None
    if in_request:
        _request_reads.kept = {**(early or {}), **{name: found.pop(name, None) for name in also}}
        _request_reads.kept_ahead = []
    return found


def keep_under(
    values: Mapping[str, object],
    generations_read: Mapping[str, object] | None,
    timeout: int = PAGE_TIMEOUT,
    *,
    here: Mapping[str, int] | None = None,
) -> None:
    """Keep each of ``values`` under the generations ``kept_under`` read for its key; one
    write. ``here``: {key: size in bytes} of values also kept in this process, with their
    mark beside them in the pages' cache (``mark_of``, ``kept_here``)."""
    if generations_read is None or not values:
        return
    here = {key: size for key, size in (here or {}).items() if key in values}
    entries = {key: (generations_read[key], value) for key, value in values.items()}
    entries.update({mark_of(key): (generations_read[key], True) for key in here})
    caches["default"].set_many(entries, timeout)
    for key, size in here.items():
        keep_here(key, generations_read[key], values[key], size)
