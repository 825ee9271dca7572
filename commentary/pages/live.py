"""An open discussion shows new comments without a reload: its live region polls this view
(htmx, every few seconds), which answers 304 while nothing changed for this reader.

What it reads is what the reader may read (``Comment.objects.visible_to``) on the
paragraph, in the layer on screen (the public discussion, or a reading group's with the
public one), after ``after`` (a comment id). The discussion is rendered with a poller that
has no ``after`` yet (so the page stays the same for every reader and cacheable); its first
poll, at once, learns the newest comment id the reader may read there.

When somebody else wrote since, the answer is the poller again, moved on to the newest
comment, with the new comments rendered as the threads render them, each saying where it
goes (``data-live-parent``: the comment it answers; ``data-live-list``: the list of threads
a new thread starts in), inside a ``<template>``: discussion.js puts each in its place
without touching the rest of the discussion, so that focus and a reply being typed stay as
they are, and the polite live region says how many arrived. More than ``ARRIVALS_SHOWN`` at
once, or one whose place is not on screen, is announced with a link that shows the
discussion again instead.

Each answer carries its ETag, which the next poll sends as If-None-Match; ``no-store``, so
that an ETag is the reader's own. A poll with nothing new costs one query (besides the
session's and the user's) — and none at all while nothing changed in the discussion of the
work: a poll's answer "nothing new" is kept in the cache, by its paragraph, ``after`` and
the ETag it sent (signed, naming its reader), with the work's discussion generation
(``config.site.caching``), which every comment written, edited, deleted or decided on
moves. A move sends the next poll of every open discussion of
the work through the visibility rule again; one whose reader may read nothing new answers
304 with the same ETag, so that a reading group's comment tells an outsider nothing.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from commentary.anchors import version_wordings
from commentary.layers import reader_layers, with_query
from commentary.models import MAX_COMMENT_ID, Comment
from commentary.pages.discussion import get_discussed_paragraph
from commentary.pages.threads import ThreadRenderer, viewer_for
from commentary.rows import comment_rows
from config.site.caching import DISCUSSION, keep_for_work, kept_for_work
from edition.models import Paragraph, VersionParagraph

ARRIVALS_SHOWN = 20
# How long a poller's last answer is kept for the polls after it (see discussion_live).
ANSWER_KEPT_SECONDS = 10 * 60


def poll_seconds() -> int:
    return settings.SCHOLIA_LIVE_POLL_SECONDS


def _number(value: str | None) -> int | None:
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_COMMENT_ID else None


def _etag(request: HttpRequest, place: str, group_slug: str, after: int) -> str:
    """Signed with the site's secret, so that only this view makes one: a poll can be
    answered from the caches (``discussion_live``) only with an ETag the view gave out."""
    seen = f"{request.user.pk}:{place}:{group_slug}:{after}"
    return '"' + salted_hmac("scholia.live", seen, algorithm="sha256").hexdigest()[:32] + '"'


def _arrivals(
    request: HttpRequest, paragraph: Paragraph, entry: VersionParagraph | None, news, count: int
) -> SafeString | None:
    """The new comments as list items for discussion.js to place, or None when there are
    too many to place one by one. Reads the layer the reader is in only now: a reader who
    has news may read it (``reader_layers`` is a 404 for a group one may not use)."""
    if count > ARRIVALS_SHOWN:
        return None
    rows = comment_rows(news)
    work = paragraph.work
    layers = reader_layers(request, work)
    renderer = ThreadRenderer(
        viewer=viewer_for(request.user, work),
        wordings=version_wordings(entry.version) if entry is not None else None,
        layer=layers.group,
    )
    lists = {None: f"threads-{paragraph.key}"}
    if layers.group is not None:
        lists[layers.group.slug] = f"group-threads-{paragraph.key}"
    return renderer.arrivals(rows, lists)


def _paragraph(slug: str, key: str) -> Paragraph:
    return get_object_or_404(
        Paragraph.objects.published().select_related("work"), work__slug=slug, key=key
    )


def _answer_key(session: str, slug: str, key: str, after: str, sent: str) -> str:
    """Where a poll's answer "nothing new" is kept: by the browser session asking, the
    paragraph, the comment the poller stands at and the ETag it sent (``_etag``)."""
    seen = f"{session}\n{slug}\n{key}\n{after}\n{sent}"
    return "live:" + hashlib.blake2s(seen.encode(), digest_size=16).hexdigest()


def _not_modified(etag: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    response["Vary"] = "Cookie"
    return response


@require_GET
def discussion_live(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The poll: a 304 read from the caches alone while nothing changed in the discussion of
    the work since this poller's last answer, else the comments read again (below)."""
    sent = request.headers.get("If-None-Match")
    after = request.GET.get("after")
    # A group's layer is always read afresh: the caches never hold what a group is told.
    if not sent or after is None or request.GET.get("group"):
        return _discussion_live(request, slug, key)
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    answer_key = _answer_key(session, slug, key, after, sent)
    last, generations_read = kept_for_work(answer_key, [DISCUSSION], slug)
    if last == sent:
        return _not_modified(sent)
    response = _discussion_live(request, slug, key)
    # Nothing new for this reader, who stands at a comment that is there (or at 0): so it
    # stays until the discussion moves. Only such answers are kept, of a real session (or
    # of none), at most one per session and paragraph, whatever made-up values (``after``,
    # a cookie) a client sends.
    real_session = request.user.is_authenticated if session else True
    if getattr(response, "settled", False) and real_session:
        keep_for_work(answer_key, generations_read, sent, ANSWER_KEPT_SECONDS)
    return response


def _discussion_live(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    raw_version = request.GET.get("version")
    version_number = _number(raw_version)
    raw_after = request.GET.get("after")
    after = _number(raw_after)
    if raw_after is not None and after is None:
        return HttpResponse("after: a comment id.", status=400)
    if raw_version is not None and version_number is None:
        return HttpResponse("version: a version number.", status=400)
    group_slug = request.GET.get("group") or ""
    layer = Q(group__isnull=True)
    if group_slug:
        layer |= Q(group__slug=group_slug)
    visible = Comment.objects.visible_to(request.user).live().filter(layer)
    paragraph = None
    count = 0
    arrivals = None
    settled = False
    if after is None:
        # The first poll (a 404 for a paragraph not in the text): where the discussion on
        # screen stands for this reader.
        paragraph = _paragraph(slug, key)
        after = visible.filter(paragraph=paragraph).aggregate(newest=Max("pk"))["newest"] or 0
    else:
        # The polls after it read the comments alone, in one query: one on a paragraph that
        # is not in the text finds none, the same as on a paragraph without comments.
        here = visible.filter(paragraph__work__slug=slug, paragraph__key=key)
        since = here.filter(pk__gt=after)
        newer = Q(pk__gt=after)
        others = newer
        if request.user.is_authenticated:
            # The reader's own comments are on their screen already: counted out, passed.
            others = newer & ~Q(author_id=request.user.pk)
        state = here.filter(pk__gte=after).aggregate(
            newest=Max("pk", filter=newer),
            count=Count("pk", filter=others),
            standing=Count("pk", filter=Q(pk=after)),  # the comment the poller stands at
        )
        count = state["count"]
        settled = not count and (after == 0 or bool(state["standing"]))
        if count:
            paragraph, entry = get_discussed_paragraph(slug, key, version_number)
            news = since.filter(others)
            arrivals = _arrivals(request, paragraph, entry, news, count)
            after = state["newest"]
    etag = _etag(request, f"{slug}/{key}", group_slug, after)
    if not count and request.headers.get("If-None-Match") == etag:
        response = _not_modified(etag)
        response.settled = settled
        return response
    paragraph = paragraph or _paragraph(slug, key)
    response = render(
        request,
        "commentary/discussion_live.html",
        {
            "paragraph": paragraph,
            "work": paragraph.work,
            "count": count,
            "arrivals": arrivals,
            "after": after,
            "version": version_number,
            "group_slug": group_slug,
            "etag": etag,
            "discussion_query": with_query(
                "",
                urlencode(
                    {
                        name: value
                        for name, value in (("version", version_number), ("group", group_slug))
                        if value
                    }
                ),
            ),
            "standalone": request.GET.get("standalone") == "1",
            "poll_seconds": poll_seconds(),
        },
    )
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    response["Vary"] = "Cookie"
    return response
