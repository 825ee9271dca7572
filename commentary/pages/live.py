"""An open discussion hears of new comments without a reload: its live region polls this
view (htmx, every few seconds), which answers 304 while nothing changed for this reader.

What it counts is what the reader may read (``Comment.objects.visible_to``) on the
paragraph, in the layer on screen (the public discussion, or a reading group's with the
public one), written by somebody else after ``after`` (a comment id). The discussion is
rendered with a poller that has no ``after`` yet (so the page stays the same for every
reader and cacheable); its first poll, at once, learns the newest comment id the reader may
read there. Each answer is the poller again, saying how many new comments there are with a
link that shows them (the discussion fetched again), and carrying its ETag, which the next
poll sends as If-None-Match. One query; ``no-store``, so that an ETag is the reader's own.
"""

import hashlib

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commentary.models import MAX_COMMENT_ID, Comment
from commentary.pages.discussion import get_discussed_paragraph

POLL_SECONDS = 15


def _after(value: str | None) -> int | None:
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_COMMENT_ID else None


@require_GET
def discussion_live(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    paragraph, _entry = get_discussed_paragraph(slug, key)
    raw_after = request.GET.get("after")
    after = _after(raw_after)
    if raw_after is not None and after is None:
        return HttpResponse("after: a comment id.", status=400)
    group_slug = request.GET.get("group") or ""
    layer = Q(group__isnull=True)
    if group_slug:
        layer |= Q(group__slug=group_slug)
    visible = Comment.objects.visible_to(request.user).live().filter(layer, paragraph=paragraph)
    if after is None:
        # The first poll: where the discussion on screen stands for this reader.
        after = visible.aggregate(newest=Max("pk"))["newest"] or 0
        count = 0
    else:
        news = visible.filter(pk__gt=after)
        if request.user.is_authenticated:
            news = news.exclude(author_id=request.user.pk)
        count = news.aggregate(count=Count("pk"))["count"]
    seen = f"{request.user.pk}:{group_slug}:{after}:{count}"
    etag = '"' + hashlib.blake2s(seen.encode(), digest_size=12).hexdigest() + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = render(
            request,
            "commentary/discussion_live.html",
            {
                "paragraph": paragraph,
                "work": paragraph.work,
                "count": count,
                "after": after,
                "group_slug": group_slug,
                "etag": etag,
                "standalone": request.GET.get("standalone") == "1",
                "poll_seconds": POLL_SECONDS,
            },
        )
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    response["Vary"] = "Cookie"
    return response
