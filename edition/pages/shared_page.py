"""The reading page of a signed-in reader: one shared page, and a small personal part.

What a signed-in reader sees of a published version differs from what every other reader
sees in a few places only: the header's account links, a pending message, the layer
switch, the follow button, the comments on passages no longer in the version, and the
counts in the margin. Everything else (the versions, the contents, the text, the passages
removed) is rendered once per version, layer and language, with those places left as slots
(HTML comments, which escaped text can never produce), and kept in the cache for every
reader under the edition's generation (``config.site.caching.TEXT``). A request then renders
only its personal part, one small template (``edition/work_detail_personal.html``), and
fills the slots and the margin's counts.

The shared page is rendered for nobody: from a copy of the request with no user, no
session, no cookies and no messages, so nothing personal can be in it whatever a template
does; a render that asked for a CSRF token, or that has text where a slot should be, is
served to nobody and never stored.

Only published versions, read by a reader who is not staff (the versions' box gives staff
their editing links), with no passage's discussion open (``?discussion=``: the discussion
is personal through and through), take this path; every other request renders the whole
page as before.

The reader's part is kept too (``kept_for_readers``), so that a reader who comes back to a
page costs three reads of the caches (the session, the counters, the pages',
``_read_ahead``) and the filling of a few slots: under a key that names the user, and only
while both the page's generations (its text, its counts, its discussion) and the reader's
own (``config.site.caching.READER``: what they follow, their notifications, sanctions and
account) are those it was made under, and while their roles
(``edition.extensions.reader_standing``, read with the user on every request) are the same:
a member who leaves a group is never served a part made while they were in it. The part
holds the margin's counts only when they differ from everybody's (the reader's held
comments, a group's layer); the page with everybody's counts filled in is kept once for all
readers. A form's CSRF token is never kept: the part holds a placeholder, filled with the
request's own token. The shared page itself is kept in each process as well, and served from
there while the pages' cache holds its mark (``config.site.caching.kept_here``), so a
request does not carry its 150 KB from Redis. A request with a message pending, or a reader
under a site sanction (which may end at a set time), is served but nothing of theirs is
kept.

A browser takes the page gzipped, and compressing 150 KB costs several times what filling
it does: a kept page is sent compressed with the runs of it that are everybody's
compressed once per process and kept with the shared page, and only the reader's own
pieces (their slots, their margin's links) compressed at each request
(``config.site.gzipped``).
"""

import copy
import hashlib
import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from config.site.caching import (
    COUNTS,
    DISCUSSION,
    TEXT,
    expect_kept,
    expect_reader_page,
    keep_here,
    keep_under,
    kept_here,
    kept_under,
    mark_of,
    reader_page_generations,
    remembered,
)
from config.site.gzipped import accepts_gzip, deflated, gzip_of, gzipped_response
from edition.extensions import LAYER_PARAMETERS, reader_standing
from edition.models import Version
from edition.rendering import TEXT_MARKUP_REVISION, RenderedText, count_links

logger = logging.getLogger(__name__)

SHARED_TEMPLATE = "edition/work_detail.html"
PERSONAL_TEMPLATE = "edition/work_detail_personal.html"
# Every slot the shared page leaves, each filled from the personal template's part of the
# same name.
SLOTS = ("account", "messages", "layers", "follow", "gone")
_SLOT = re.compile(r"<!--personal:(\w+)-->")
# What the shared page may never carry: the anonymous header's links, a form's token.
_PERSONAL_MARKS = ("csrfmiddlewaretoken", 'href="/accounts/login/')


def applies(request: HttpRequest, version: Version, discussion: str | None) -> bool:
    """Whether ``request`` for ``version`` is served as the shared page plus its reader's
    part (see the module doc)."""
    user = request.user
    return (
        user.is_authenticated
        and not user.is_staff
        and version.is_published
        and discussion is None
        and request.method in ("GET", "HEAD")
    )


def _nobodys(request: HttpRequest) -> HttpRequest:
    """A copy of ``request`` that belongs to nobody: what the shared page is rendered for."""
    shared = copy.copy(request)
    shared.user = AnonymousUser()
    shared.COOKIES = {}
    shared.META = {
        name: value
        for name, value in request.META.items()
        if name not in ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "CSRF_COOKIE", "CSRF_COOKIE_USED")
    }
    shared._messages = []
    if hasattr(shared, "session"):
        del shared.session
    return shared


def _shared_html(request: HttpRequest, context: dict) -> str | None:
    """The page of ``context`` for nobody, its personal places left as slots; None when the
    render shows anything of a person (stored as such: the full page is rendered instead)."""
    shared = _nobodys(request)
    html = render_to_string(SHARED_TEMPLATE, {**context, "shared_page": True}, shared)
    slots = _SLOT.findall(html)
    if (
        shared.META.get("CSRF_COOKIE_USED")
        or sorted(slots) != sorted(SLOTS)
        or any(mark in html for mark in _PERSONAL_MARKS)
    ):
        logger.error("The shared reading page came out personal; it is not used.")
        return None
    return html


def shared_page(
    request: HttpRequest,
    version: Version,
    layer_query: str,
    context: Callable[[], dict],
    *,
    part: str = "",
) -> str | None:
    """The shared page of ``version`` (of its chapter ``part``, for a work in chapters) in
    the layer ``layer_query`` (see the module doc), from the cache, or rendered from
    ``context()`` and stored; None if it cannot be had without a person."""
    name = page_name(version, layer_query, request.scheme, part)
    return remembered(name, (TEXT,), lambda: _shared_html(request, context()))


def page_name(version: Version, layer_query: str, scheme: str, part: str = "") -> str:
    """The cache's name for the shared page of ``version`` (its chapter ``part``) in a
    layer, in the language of the request (its generations are kept with it, see
    ``config.site.caching.remembered``)."""
    return (
        f"reading-shared:{version.pk}:{part}:{TEXT_MARKUP_REVISION}:{get_language()}:"
        f"{scheme}:{layer_query}"
    )


def personal_parts(request: HttpRequest, context: dict) -> dict[str, str]:
    """The reader's part of the page: {slot: HTML}, from one render of the personal
    template with the request's own context (``context`` may name the ``csrf_token``)."""
    html = render_to_string(PERSONAL_TEMPLATE, context, request)
    pieces = _SLOT.split(html)
    # split: [before the first slot, name, its HTML, name, its HTML, …]
    return dict(zip(pieces[1::2], pieces[2::2], strict=True))


# What a kept part holds in place of the request's CSRF token, in the one form the
# ``{% csrf_token %}`` tag writes: escaped text can never produce its bare quotes.
_KEPT_TOKEN = "kept-csrf-token"
_KEPT_TOKEN_FIELD = f'name="csrfmiddlewaretoken" value="{_KEPT_TOKEN}"'
# The account slot names a site sanction on the reader: a suspension ends at a set time,
# with no write to make the kept part stale, so a sanctioned reader's part is not kept.
_SANCTION_MARK = "account-nav-sanction"


@dataclass(frozen=True)
class Margin:
    """The counts a reader's margin shows (``edition.rendering.fill_count_slots``)."""

    counts: dict[int, int]
    layer_counts: dict[int, int] | None = None
    layer_waiting: dict[int, int] | None = None

    def key(self) -> tuple:
        """What the margin's links are made of, as one value."""
        return tuple(
            None if counts is None else tuple(sorted(counts.items()))
            for counts in (self.counts, self.layer_counts, self.layer_waiting)
        )


# Where the shared page is split: its personal slots and its margin's links.
_PAGE_SPLIT = re.compile(r"<!--(?:personal|comment-count):(\w+)-->")


def _split(page: str) -> list:
    """``page`` split at its slots: [before the first, a slot's name, after it, …], the
    HTML between them encoded (UTF-8). Split once, when kept: a page is some 150 KB, not
    all ASCII, that each request would otherwise search for its slots and encode."""
    pieces = _PAGE_SPLIT.split(page)
    pieces[0::2] = [piece.encode() for piece in pieces[0::2]]
    return pieces


def _size(pieces: list) -> int:
    return sum(len(piece) for piece in pieces[0::2])


def _joined(pieces: list, fill: Callable[[str], bytes]) -> bytes:
    """The page of ``pieces`` (``_split``) with ``fill(name)`` in each slot."""
    joined = list(pieces)
    joined[1::2] = [fill(name) for name in pieces[1::2]]
    return b"".join(joined)


# How many sets of runs a kept page keeps (``_gzipped``): one for each way a reader's own
# pieces fall and, in a group's layer, each margin. Most readers' fall alike (the slots
# alone; a few have links of their own) and a layer's members mostly share one margin.
_RUNS_KEPT = 8


def _gzipped(
    pieces: list, everybodys: Callable[[str], bytes], own: dict, runs: dict, scope=None
) -> bytes:
    """The page of ``pieces`` (``_split``) with ``own[name]``, else ``everybodys(name)``, in
    each slot (bytes), gzipped (``config.site.gzipped``): each run of what is not the
    reader's own between their pieces compressed once and kept in ``runs`` (by ``scope``,
    what ``everybodys`` fills from, and where the reader's own fall), only the reader's own
    compressed at each request."""
    names = pieces[1::2]
    breaks = tuple(index for index, name in enumerate(names) if name in own)
    shared = runs.get((scope, breaks))
    if shared is None:
        shared = _everybodys_runs(pieces, everybodys, set(breaks))
        if len(runs) >= _RUNS_KEPT:
            runs.clear()
        runs[scope, breaks] = shared
    mine = [own[names[index]] for index in breaks]
    out = [shared[0]]
    for raw, compressed, run in zip(mine, deflated(mine), shared[1:], strict=True):
        out += [((raw,), compressed), run]
    return gzip_of(out)


def _everybodys_runs(
    pieces: list, everybodys: Callable[[str], bytes], breaks: set[int]
) -> list[tuple[list[bytes], bytes]]:
    """The runs of ``pieces`` between the slots at ``breaks`` (their indexes among the
    slots), each slot of a run filled by ``everybodys``: [(its bytes, in parts; those
    bytes deflated)], one more than ``breaks``."""
    runs, current = [], [pieces[0]]
    for index, name in enumerate(pieces[1::2]):
        if index in breaks:
            runs.append(current)
            current = []
        else:
            current.append(everybodys(name))
        current.append(pieces[2 * index + 2])
    runs.append(current)
    return list(zip(runs, deflated(b"".join(run) for run in runs), strict=True))


class _KeepsRuns:
    """A kept page's runs that this process compressed once (``_gzipped``): kept on the
    page in this process, never stored with it (a page from the pages' cache, stored
    before or after, has none yet)."""

    @property
    def runs(self) -> dict:
        runs = self.__dict__.get("_runs")
        if runs is None:
            runs = {}
            object.__setattr__(self, "_runs", runs)
        return runs

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_runs"}


@dataclass(frozen=True)
class SharedText(_KeepsRuns):
    """The shared page, split at its slots (``pieces``: ``_split``), and what filling its
    margin takes: the text's passages (``RenderedText``) and the arguments of
    ``fill_count_slots`` that are the page's (``fill``: its links, its layer's name and
    query)."""

    pieces: list
    paragraph_ids: dict[str, int]
    labels: dict[str, str]
    fill: dict[str, str]

    @classmethod
    def of(cls, page: str, paragraph_ids: dict[str, int], labels: dict[str, str], fill):
        return cls(_split(page), paragraph_ids, labels, fill)

    @property
    def size(self) -> int:
        """About how many bytes it holds (its HTML's)."""
        return _size(self.pieces)

    def keys(self) -> list[str]:
        """The passages of the margin, in the page's order."""
        return [name for name in self.pieces[1::2] if name not in SLOTS]

    def _links(self, counts: dict[int, int], **layer) -> Callable[[str], bytes]:
        text = RenderedText("", [], self.paragraph_ids, self.labels)
        return count_links(text, counts, **layer, **self.fill, encoded=True)

    def filled(self, margin: Margin, parts: dict[str, str]) -> bytes:
        """The page with ``margin``'s links, as ``fill_count_slots`` writes them, and
        ``parts`` (the reader's, by slot name) in its personal slots, encoded."""
        link = self._links(
            margin.counts, layer_counts=margin.layer_counts, layer_waiting=margin.layer_waiting
        )
        return _joined(
            self.pieces, lambda name: parts[name].encode() if name in parts else link(name)
        )

    def gzipped(self, margin: Margin, parts: dict[str, str]) -> bytes:
        """``filled``'s page gzipped, the HTML between the margin's links and the slots
        compressed once."""
        link = self._links(
            margin.counts, layer_counts=margin.layer_counts, layer_waiting=margin.layer_waiting
        )
        own = {name: html.encode() for name, html in parts.items()}
        # The margin's links are compressed with the runs, once per margin: the members of
        # a layer mostly see the same counts.
        return _gzipped(self.pieces, link, own, self.runs, scope=margin.key())

    def links(self, counts: dict[int, int], keys) -> dict[str, bytes]:
        """The margin's link of each passage of ``keys``, with ``counts`` (no layer),
        encoded."""
        link = self._links(counts)
        return {key: link(key) for key in keys}


@dataclass(frozen=True)
class ReaderPart:
    """What is a reader's own on a page: the HTML of each slot (a placeholder for the CSRF
    token) and, outside a group's layer, the margin's links that differ from everybody's
    (their held comments counted; ``links``, encoded); in a layer, their ``margin`` (None
    outside one); and their standing when it was made."""

    standing: str
    slots: dict[str, str]
    margin: Margin | None
    links: dict[str, bytes]


@dataclass(frozen=True)
class PublicPage(_KeepsRuns):
    """The shared page with everybody's counts: split at its slots and its margin's links
    (``pieces``: ``_split``), each link's HTML in ``links`` by its passage's key, encoded,
    so that a reader's own links replace theirs."""

    pieces: list
    links: dict[str, bytes]

    @property
    def size(self) -> int:
        """About how many bytes it holds (its HTML's)."""
        return _size(self.pieces) + sum(len(link) for link in self.links.values())

    def joined(self, slots: dict[str, str], links: dict[str, bytes]) -> bytes:
        """The page with ``slots`` (a reader's, by slot name) and ``links`` (by passage key)
        in place of its own."""
        fill = {**self.links, **links, **{name: html.encode() for name, html in slots.items()}}
        return _joined(self.pieces, fill.__getitem__)

    def gzipped(self, slots: dict[str, str], links: dict[str, bytes]) -> bytes:
        """``joined``'s page gzipped, what is everybody's of it compressed once."""
        own = {**links, **{name: html.encode() for name, html in slots.items()}}
        return _gzipped(self.pieces, self.links.__getitem__, own, self.runs)


@dataclass(frozen=True)
class ReaderPage:
    """What a request that rendered the page made for keeping (``kept_for_readers``): the
    shared page (``text``), the same with everybody's counts (``public``: None in a group's
    layer), and the reader's part (None: not kept)."""

    text: SharedText
    public: PublicPage | None
    part: ReaderPart | None


def _part_html(slots: dict[str, str], token: str) -> dict[str, str]:
    field = f'name="csrfmiddlewaretoken" value="{token}"'
    return {name: html.replace(_KEPT_TOKEN_FIELD, field) for name, html in slots.items()}


def page_for_reader(
    request: HttpRequest,
    page: str,
    context: dict,
    text: SharedText,
    margin: Margin,
    public_counts: Callable[[], dict[int, int]] | None,
) -> HttpResponse:
    """The shared ``page`` (``text``) filled for the request's reader, their ``margin`` and
    their part rendered from ``context``; the response carries what may be kept of it
    (``ReaderPage``). ``public_counts()`` gives everybody's counts, for a page outside any
    group's layer (None in one)."""
    slots = personal_parts(request, {**context, "csrf_token": _KEPT_TOKEN})
    public = None
    own: dict[str, bytes] = {}
    if public_counts is not None:
        counts = public_counts()
        keys = text.keys()
        public = PublicPage(text.pieces, text.links(counts, keys))
        differing = [
            key
            for key in keys
            if counts.get(text.paragraph_ids.get(key), 0)
            != margin.counts.get(text.paragraph_ids.get(key), 0)
        ]
        own = text.links(margin.counts, differing)
    kept_slots = "".join(slots.values()).replace(_KEPT_TOKEN_FIELD, "")
    keep = _KEPT_TOKEN not in kept_slots and _SANCTION_MARK not in slots.get("account", "")
    response = HttpResponse(text.filled(margin, _part_html(slots, get_token(request))))
    part = None
    if keep:
        part = ReaderPart(
            reader_standing(request.user), slots, None if public is not None else margin, own
        )
    response.reader_page = ReaderPage(text, public, part)
    return response


def _messages_pending(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return CookieStorage.cookie_name in request.COOKIES or (
        session is not None and SessionStorage.session_key in session
    )


@dataclass(frozen=True)
class _Keys:
    """The cache's names for one page: the shared page (``text``), the same with
    everybody's counts (``public``), and the reader's part (``reader``, naming the user)."""

    text: str
    public: str
    reader: str

    def shared(self, layered: bool) -> str:
        """The shared page a reader's part is filled into: the page with everybody's
        counts, or in a group's layer the page alone (the reader's part holds its margin)."""
        return self.text if layered else self.public


def _keys(request: HttpRequest, user_id: int) -> _Keys:
    layer = urlencode(
        [(name, request.GET[name]) for name in LAYER_PARAMETERS if name in request.GET]
    )
    shape = "\n".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            layer,
            get_language(),
            str(TEXT_MARKUP_REVISION),
        ]
    )
    page = f"reader-page:{hashlib.sha256(shape.encode()).hexdigest()}"
    return _Keys(f"{page}:text", f"{page}:public", f"{page}:reader:{user_id}")


def _read_ahead(request: HttpRequest, kwargs: dict, layered: bool) -> None:
    """Before the reader is loaded, from their session: have the request's first read of
    the counters bring their page's generations, and its first read of the pages' cache
    (the reader's, ``commentary.accounts.token_users.session_user``) bring their kept part
    and the mark of the shared page, so that a kept page costs three reads of the caches
    (the session, the counters, the pages'), not five. Whose the session is, is checked as
    ever when the user is loaded: what is read ahead is only used for them."""
    try:
        reader = int(request.session[SESSION_KEY])
    except (AttributeError, KeyError, TypeError, ValueError):
        return
    keys = _keys(request, reader)
    expect_reader_page((TEXT, COUNTS, DISCUSSION), kwargs["slug"], kwargs.get("chapter"), reader)
    expect_kept(mark_of(keys.shared(layered)), keys.reader)


def _kept_shared(key: str, held: dict, read: dict) -> SharedText | PublicPage | None:
    """The shared page kept under ``key`` for the generations ``read`` holds for it: this
    process's copy while the pages' cache marks it (its mark among ``held``), else the
    pages' cache's own (then kept here too); None when neither keeps it."""
    if mark_of(key) in held:
        shared = kept_here(key, read[key])
        if shared is not None:
            return shared
    shared = kept_under(lambda: {key: read[key]})[1].get(key)
    if shared is not None:
        keep_here(key, read[key], shared, shared.size)
    return shared


def kept_for_readers(view: Callable | None = None, /, *, unkept: Collection[str] = ()):
    """Serve a reading ``view`` to a signed-in reader from the shared page and their kept
    part when both are kept (see the module doc), and keep what the view made for them.

    ``unkept``: the query parameters with which the view answers otherwise (a discussion
    open, a redirect): a request with one goes to the view and keeps nothing. The view's
    URL names its work (``slug``) and may name a chapter (``chapter``)."""
    if view is None:
        return lambda view: kept_for_readers(view, unkept=unkept)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or any(name in request.GET for name in unkept):
            return view(request, *args, **kwargs)
        # As ``edition.extensions.reading_layer`` reads it: an empty value is no layer.
        layered = any(request.GET.get(name) for name in LAYER_PARAMETERS)
        _read_ahead(request, kwargs, layered)
        user = request.user
        if not user.is_authenticated or user.is_staff or _messages_pending(request):
            return view(request, *args, **kwargs)
        keys = _keys(request, user.pk)
        read = {}

        def wanted() -> dict:
            page, own = reader_page_generations(
                (TEXT, COUNTS, DISCUSSION), kwargs["slug"], kwargs.get("chapter"), user.pk
            )
            read.update({keys.text: page, keys.public: page, keys.reader: [*page, *own]})
            return {mark_of(keys.shared(layered)): page, keys.reader: read[keys.reader]}

        generations, held = kept_under(wanted)
        part = held.get(keys.reader)
        if part is not None and part.standing == reader_standing(user):
            # Everybody's page outside a layer; in one, the page with the reader's margin.
            shared = _kept_shared(keys.shared(part.margin is not None), held, read)
            if shared is not None:
                slots = _part_html(part.slots, get_token(request))
                if accepts_gzip(request):
                    if part.margin is None:
                        return gzipped_response(shared.gzipped(slots, part.links))
                    return gzipped_response(shared.gzipped(part.margin, slots))
                if part.margin is None:
                    return HttpResponse(shared.joined(slots, part.links))
                return HttpResponse(shared.filled(part.margin, slots))
        response = view(request, *args, **kwargs)
        made = getattr(response, "reader_page", None)
        if made is None or response.status_code != 200 or generations is None:
            return response
        values = {keys.text: made.text}
        if made.public is not None:
            values[keys.public] = made.public
        if made.part is not None:
            values[keys.reader] = made.part
        here = {key: values[key].size for key in (keys.text, keys.public) if key in values}
        keep_under(values, read, here=here)
        return response

    return wrapper
