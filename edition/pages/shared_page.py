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
"""

import copy
import logging
import re
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from config.site.caching import TEXT, remembered
from edition.models import Version
from edition.rendering import TEXT_MARKUP_REVISION

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
    template with the request's own context."""
    html = render_to_string(PERSONAL_TEMPLATE, context, request)
    pieces = _SLOT.split(html)
    # split: [before the first slot, name, its HTML, name, its HTML, …]
    return dict(zip(pieces[1::2], pieces[2::2], strict=True))


def filled(page: str, parts: dict[str, str]) -> HttpResponse:
    """``page`` with each slot replaced by the reader's part of that name."""
    return HttpResponse(_SLOT.sub(lambda match: parts[match.group(1)], page))
